// Rendering of glass trace rows: text tables, JSON lines, CSV, histograms.
#include <algorithm>
#include <array>
#include <cstdio>
#include <initializer_list>

#include "format.hpp"
#include "json.hpp"

namespace glass::cli {
namespace {

// CSV columns of each view (events: the common part, then "details").
std::vector<std::string_view> csv_keys(TraceView view) {
  switch (view) {
    case TraceView::Events:
      return {"ts_us", "event", "cookie", "saddr", "sport", "daddr", "dport"};
    case TraceView::Retrans:
      return {"ts_us",   "time",     "cookie",   "laddr",  "lport",  "raddr",
              "rport",   "state",    "reason",   "seq",    "len",    "snd_una",
              "snd_nxt", "snd_cwnd", "ssthresh", "rto_us", "backoff"};
    case TraceView::Life:
      return {"ts_us",       "time",       "cookie",   "laddr",    "lport",
              "raddr",       "rport",      "tx_bytes", "rx_bytes", "ms",
              "retransmits", "bytes_sent", "segs_out", "segs_in",  "srtt_us"};
    case TraceView::States:
      return {"ts_us", "time",  "cookie",   "laddr",    "lport",
              "raddr", "rport", "oldstate", "newstate", "ms"};
    case TraceView::Rtt:
      return {"ts_us", "low_us", "high_us", "count"};
  }
  return {};
}

std::string csv_cell(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string out = "\"";
  for (const char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string line(const char* fmt, std::initializer_list<const char*> args) {
  std::array<char, 1024> buf{};
  const auto* a = args.begin();
  const auto n = args.size();
  // The formats below take at most 8 strings.
  std::snprintf(buf.data(), buf.size(), fmt, n > 0 ? a[0] : "", n > 1 ? a[1] : "",
                n > 2 ? a[2] : "", n > 3 ? a[3] : "", n > 4 ? a[4] : "", n > 5 ? a[5] : "",
                n > 6 ? a[6] : "", n > 7 ? a[7] : "");
  return std::string(buf.data()) + "\n";
}

std::string endpoint(const TraceRow& r, const char* addr, const char* port) {
  return trace_get(r, addr) + ":" + trace_get(r, port);
}

std::string seconds(const std::string& us) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.6f", std::stod(us.empty() ? "0" : us) / 1e6);
  return buf.data();
}

// [low, high] of a histogram slot (microseconds).
std::pair<std::uint64_t, std::uint64_t> slot_range(int k) {
  if (k == 0) return {0, 0};
  return {1ULL << (k - 1), (1ULL << k) - 1};
}

int last_used(const std::vector<std::uint64_t>& slots) {
  int last = 0;
  for (int k = 0; k < static_cast<int>(slots.size()); ++k)
    if (slots[k] != 0) last = k;
  return last;
}

}  // namespace

const std::string& trace_get(const TraceRow& row, std::string_view key) {
  static const std::string kEmpty;
  for (const TraceField& f : row)
    if (f.key == key) return f.value;
  return kEmpty;
}

std::string trace_json(const TraceRow& row) {
  std::string out = "{";
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out += ",";
    out +=
        json_string(row[i].key) + ":" + (row[i].number ? row[i].value : json_string(row[i].value));
  }
  return out + "}\n";
}

std::string trace_csv_header(TraceView view) {
  std::string out;
  for (const std::string_view k : csv_keys(view)) out += (out.empty() ? "" : ",") + std::string(k);
  return out + (view == TraceView::Events ? ",details\n" : "\n");
}

std::string trace_csv(TraceView view, const TraceRow& row) {
  const std::vector<std::string_view> keys = csv_keys(view);
  std::string out;
  for (const std::string_view k : keys)
    out += (out.empty() ? "" : ",") + csv_cell(trace_get(row, k));
  if (view == TraceView::Events) {
    std::string details;
    for (const TraceField& f : row)
      if (std::find(keys.begin(), keys.end(), f.key) == keys.end())
        details += (details.empty() ? "" : " ") + f.key + "=" + f.value;
    out += "," + csv_cell(details);
  }
  return out + "\n";
}

std::string trace_text_header(TraceView view) {
  switch (view) {
    case TraceView::Events:
      return line("%-10s %-13s %-21s   %-21s %s",
                  {"TIME(s)", "EVENT", "SADDR:SPORT", "DADDR:DPORT", "DETAILS"});
    case TraceView::Retrans:
      return line("%-8s %-21s   %-21s %-11s %-6s %10s %6s",
                  {"TIME", "LADDR:LPORT", "RADDR:RPORT", "STATE", "REASON", "SEQ", "LEN"});
    case TraceView::Life:
      return line("%-15s %5s %-15s %5s %10s %10s %10s %7s",
                  {"LADDR", "LPORT", "RADDR", "RPORT", "TX_BYTES", "RX_BYTES", "MS", "RETRANS"});
    case TraceView::States:
      return line("%-8s %-6s %-21s %-21s %-11s    %-11s %10s",
                  {"TIME", "COOKIE", "LADDR:LPORT", "RADDR:RPORT", "OLDSTATE", "NEWSTATE", "MS"});
    case TraceView::Rtt:
      return {};
  }
  return {};
}

std::string trace_text(TraceView view, const TraceRow& r) {
  switch (view) {
    case TraceView::Events: {
      std::string details;
      for (const TraceField& f : r) {
        const std::string& k = f.key;
        if (k == "ts_us" || k == "event" || k == "cookie" || k == "saddr" || k == "sport" ||
            k == "daddr" || k == "dport")
          continue;
        details += (details.empty() ? "" : " ") + k + "=" + f.value;
      }
      const std::string src = endpoint(r, "saddr", "sport"), dst = endpoint(r, "daddr", "dport");
      return line("%-10s %-13s %-21s > %-21s %s",
                  {seconds(trace_get(r, "ts_us")).c_str(), trace_get(r, "event").c_str(),
                   src.c_str(), dst.c_str(), details.c_str()});
    }
    case TraceView::Retrans: {
      const std::string l = endpoint(r, "laddr", "lport"), rr = endpoint(r, "raddr", "rport");
      return line("%-8s %-21s > %-21s %-11s %-6s %10s %6s",
                  {trace_get(r, "time").c_str(), l.c_str(), rr.c_str(),
                   trace_get(r, "state").c_str(), trace_get(r, "reason").c_str(),
                   trace_get(r, "seq").c_str(), trace_get(r, "len").c_str()});
    }
    case TraceView::Life:
      return line("%-15s %5s %-15s %5s %10s %10s %10s %7s",
                  {trace_get(r, "laddr").c_str(), trace_get(r, "lport").c_str(),
                   trace_get(r, "raddr").c_str(), trace_get(r, "rport").c_str(),
                   trace_get(r, "tx_bytes").c_str(), trace_get(r, "rx_bytes").c_str(),
                   trace_get(r, "ms").c_str(), trace_get(r, "retransmits").c_str()});
    case TraceView::States: {
      const std::string l = endpoint(r, "laddr", "lport"), rr = endpoint(r, "raddr", "rport");
      return line("%-8s %-6s %-21s %-21s %-11s -> %-11s %10s",
                  {trace_get(r, "time").c_str(), trace_get(r, "cookie").c_str(), l.c_str(),
                   rr.c_str(), trace_get(r, "oldstate").c_str(), trace_get(r, "newstate").c_str(),
                   trace_get(r, "ms").c_str()});
    }
    case TraceView::Rtt:
      return {};
  }
  return {};
}

std::string trace_hist_text(const std::vector<std::uint64_t>& slots) {
  const int last = last_used(slots);
  std::uint64_t max = 0, total = 0;
  for (const std::uint64_t c : slots) {
    max = std::max(max, c);
    total += c;
  }
  if (total == 0) return "no RTT samples\n";
  std::string out = "     usecs               : count     distribution\n";
  for (int k = 1; k <= last; ++k) {
    const auto [low, high] = slot_range(k);
    const int stars = static_cast<int>(slots[k] * 40 / max);
    std::array<char, 128> buf{};
    std::snprintf(buf.data(), buf.size(), "%10llu -> %-10llu : %-8llu |%-40s|\n",
                  static_cast<unsigned long long>(low), static_cast<unsigned long long>(high),
                  static_cast<unsigned long long>(slots[k]), std::string(stars, '*').c_str());
    out += buf.data();
  }
  return out;
}

std::string trace_hist_json(std::uint64_t ts_us, const std::vector<std::uint64_t>& slots) {
  std::uint64_t total = 0;
  for (const std::uint64_t c : slots) total += c;
  std::string out = "{\"ts_us\":" + std::to_string(ts_us) +
                    ",\"unit\":\"usecs\",\"samples\":" + std::to_string(total) + ",\"buckets\":[";
  const int last = last_used(slots);
  for (int k = 1; k <= last && total; ++k) {
    const auto [low, high] = slot_range(k);
    out += (k > 1 ? "," : "") + std::string("{\"low\":") + std::to_string(low) +
           ",\"high\":" + std::to_string(high) + ",\"count\":" + std::to_string(slots[k]) + "}";
  }
  return out + "]}\n";
}

std::string trace_hist_csv(std::uint64_t ts_us, const std::vector<std::uint64_t>& slots) {
  std::string out;
  const int last = last_used(slots);
  for (int k = 1; k <= last; ++k) {
    const auto [low, high] = slot_range(k);
    out += std::to_string(ts_us) + "," + std::to_string(low) + "," + std::to_string(high) + "," +
           std::to_string(slots[k]) + "\n";
  }
  return out;
}

}  // namespace glass::cli
