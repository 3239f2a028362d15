// Decoding of glass trace records into rows, one shape per view.
#include "format.hpp"

#include <linux/glass_wire.h>
#include <glass/address.hpp>

#include <array>
#include <cstdio>
#include <ctime>

namespace glass::cli {
namespace {

constexpr std::array<std::string_view, GLASS_EV_COUNT> kEventNames = {
    "segment_send", "segment_recv", "retransmit", "state_change",
    "window",       "drop",         "sndbuf",     "destroy_sock",
};

class RowBuilder {
 public:
  RowBuilder& num(std::string key, std::uint64_t v) {
    row_.push_back({std::move(key), std::to_string(v), true});
    return *this;
  }
  RowBuilder& ms(std::string key, std::uint64_t ns) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.3f", static_cast<double>(ns) / 1e6);
    row_.push_back({std::move(key), buf.data(), true});
    return *this;
  }
  RowBuilder& str(std::string key, std::string v) {
    row_.push_back({std::move(key), std::move(v), false});
    return *this;
  }
  TraceRow take() { return std::move(row_); }

 private:
  TraceRow row_;
};

// saddr/sport/daddr/dport (events view) or laddr/lport/raddr/rport.
template <typename T>
void add_tuple(RowBuilder& b, const T& f, bool local_remote) {
  b.str(local_remote ? "laddr" : "saddr", format_ipv4(f.saddr))
      .num(local_remote ? "lport" : "sport", f.sport)
      .str(local_remote ? "raddr" : "daddr", format_ipv4(f.daddr))
      .num(local_remote ? "rport" : "dport", f.dport);
}

std::string wall_time(std::uint64_t ns) {
  const std::time_t t = static_cast<std::time_t>(ns / 1000000000ULL);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::array<char, 16> buf{};
  std::strftime(buf.data(), buf.size(), "%H:%M:%S", &tm);
  return buf.data();
}

void add_segment(RowBuilder& b, const glass_tp_segment& s) {
  b.str("flags", trace_flags(s.flags))
      .num("seq", s.seq)
      .num("ack", s.ack)
      .num("len", s.len)
      .num("window", s.window)
      .num("snd_una", s.snd_una)
      .num("snd_nxt", s.snd_nxt)
      .num("snd_cwnd", s.snd_cwnd)
      .num("snd_wnd", s.snd_wnd)
      .num("rcv_wnd", s.rcv_wnd)
      .num("srtt_us", s.srtt)
      .str("state", s.cookie ? trace_state_name(s.state) : "-");  // "-": no socket (an RST reply)
}

void add_retransmit(RowBuilder& b, const glass_tp_retransmit& r) {
  b.str("state", trace_state_name(r.state))
      .str("reason", trace_retrans_reason(r.reason))
      .num("seq", r.seq)
      .num("len", r.len)
      .num("snd_una", r.snd_una)
      .num("snd_nxt", r.snd_nxt)
      .num("snd_cwnd", r.snd_cwnd)
      .num("ssthresh", r.ssthresh)
      .num("rto_us", r.rto)
      .num("backoff", r.backoff);
}

void add_life(RowBuilder& b, const glass_tp_destroy_sock& d) {
  b.num("tx_bytes", d.bytes_acked)
      .num("rx_bytes", d.bytes_received)
      .ms("ms", d.lifetime_us * 1000)
      .num("retransmits", d.retransmits)
      .num("bytes_sent", d.bytes_sent)
      .num("segs_out", d.segs_out)
      .num("segs_in", d.segs_in)
      .num("srtt_us", d.srtt);
}

TraceRow events_row(const glass_trace_record& r, RowBuilder& b,
                    const std::vector<std::string>& drop_names) {
  b.str("event", std::string(kEventNames[r.type]));
  switch (r.type) {
    case GLASS_EV_SEGMENT_SEND:
    case GLASS_EV_SEGMENT_RECV:
      b.num("cookie", r.u.segment.cookie);
      add_tuple(b, r.u.segment, false);
      add_segment(b, r.u.segment);
      break;
    case GLASS_EV_RETRANSMIT:
      b.num("cookie", r.u.retransmit.cookie);
      add_tuple(b, r.u.retransmit, false);
      add_retransmit(b, r.u.retransmit);
      break;
    case GLASS_EV_STATE_CHANGE:
      b.num("cookie", r.u.state_change.cookie);
      add_tuple(b, r.u.state_change, false);
      b.str("oldstate", trace_state_name(r.u.state_change.oldstate))
          .str("newstate", trace_state_name(r.u.state_change.newstate))
          .ms("ms", r.aux);
      break;
    case GLASS_EV_WINDOW: {
      const glass_tp_window& w = r.u.window;
      b.num("cookie", w.cookie);
      add_tuple(b, w, false);
      b.str("kind", w.zero ? "zero-window" : "update")
          .num("rcv_wnd", w.rcv_wnd)
          .num("rcv_nxt", w.rcv_nxt)
          .num("unread", w.unread)
          .num("rcv_space", w.rcv_space);
      break;
    }
    case GLASS_EV_DROP: {
      const glass_tp_drop& d = r.u.drop;
      add_tuple(b, d, false);
      b.str("reason", d.reason < drop_names.size() ? drop_names[d.reason]
                                                   : "reason_" + std::to_string(d.reason))
          .num("reason_id", d.reason)
          .num("seq", d.seq)
          .num("len", d.len);
      break;
    }
    case GLASS_EV_SNDBUF: {
      const glass_tp_sndbuf& s = r.u.sndbuf;
      b.num("cookie", s.cookie);
      add_tuple(b, s, false);
      b.str("kind", s.blocked ? "blocked" : "woken")
          .num("sndbuf", s.sndbuf)
          .num("wmem_queued", s.wmem_queued)
          .num("unacked", s.unacked)
          .num("unsent", s.unsent)
          .num("snd_wnd", s.snd_wnd);
      break;
    }
    case GLASS_EV_DESTROY_SOCK: {
      const glass_tp_destroy_sock& d = r.u.destroy_sock;
      b.num("cookie", d.cookie);
      add_tuple(b, d, false);
      b.num("bytes_sent", d.bytes_sent)
          .num("bytes_acked", d.bytes_acked)
          .num("bytes_received", d.bytes_received)
          .num("segs_out", d.segs_out)
          .num("segs_in", d.segs_in)
          .num("retransmits", d.retransmits)
          .num("srtt_us", d.srtt)
          .num("lifetime_us", d.lifetime_us);
      break;
    }
    default:
      break;
  }
  return b.take();
}

}  // namespace

std::string trace_state_name(int state) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "",          "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
      "TIME_WAIT", "CLOSE",       "CLOSE_WAIT", "LAST_ACK", "LISTEN",    "CLOSING",
  };
  if (state > 0 && state < static_cast<int>(kNames.size())) return std::string(kNames[state]);
  return "UNKNOWN(" + std::to_string(state) + ")";
}

std::string trace_flags(std::uint8_t flags) {
  std::string s;
  if (flags & GLASS_SYN) s += 'S';
  if (flags & GLASS_FIN) s += 'F';
  if (flags & GLASS_RST) s += 'R';
  if (flags & GLASS_PSH) s += 'P';
  if (flags & GLASS_ACK) s += '.';
  return s;
}

std::string trace_retrans_reason(int reason) {
  switch (reason) {
    case GLASS_RETRANS_RTO:
      return "rto";
    case GLASS_RETRANS_FAST:
      return "fast";
    case GLASS_RETRANS_PROBE:
      return "probe";
    case GLASS_RETRANS_SYN:
      return "syn";
    default:
      return "reason_" + std::to_string(reason);
  }
}

std::optional<std::string_view> trace_event_name(int event) {
  if (event < 0 || event >= GLASS_EV_COUNT) return std::nullopt;
  return kEventNames[event];
}

std::optional<int> trace_event_from_name(std::string_view name) {
  if (name.substr(0, 6) == "glass_") name.remove_prefix(6);
  for (int i = 0; i < GLASS_EV_COUNT; ++i)
    if (kEventNames[i] == name) return i;
  return std::nullopt;
}

std::optional<TraceRow> TraceDecoder::row(TraceView view, const glass_trace_record& r) const {
  if (r.type >= GLASS_EV_COUNT) return std::nullopt;
  RowBuilder b;
  b.num("ts_us", r.ts_ns > start_ns ? (r.ts_ns - start_ns) / 1000 : 0);
  const std::string time = wall_time(r.ts_ns + wall_offset_ns);
  switch (view) {
    case TraceView::Events:
      return events_row(r, b, drop_names);
    case TraceView::Retrans:
      if (r.type != GLASS_EV_RETRANSMIT) return std::nullopt;
      b.str("time", time).num("cookie", r.u.retransmit.cookie);
      add_tuple(b, r.u.retransmit, true);
      add_retransmit(b, r.u.retransmit);
      return b.take();
    case TraceView::Life:
      // Sockets that never had a peer (listeners, unconnected) are skipped.
      if (r.type != GLASS_EV_DESTROY_SOCK || r.u.destroy_sock.dport == 0) return std::nullopt;
      b.str("time", time).num("cookie", r.u.destroy_sock.cookie);
      add_tuple(b, r.u.destroy_sock, true);
      add_life(b, r.u.destroy_sock);
      return b.take();
    case TraceView::States:
      if (r.type != GLASS_EV_STATE_CHANGE) return std::nullopt;
      b.str("time", time).num("cookie", r.u.state_change.cookie);
      add_tuple(b, r.u.state_change, true);
      b.str("oldstate", trace_state_name(r.u.state_change.oldstate))
          .str("newstate", trace_state_name(r.u.state_change.newstate))
          .ms("ms", r.aux);
      return b.take();
    case TraceView::Rtt:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace glass::cli
