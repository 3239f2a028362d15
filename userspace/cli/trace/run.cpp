// run_trace(): attach, print records until -d runs out or a signal arrives,
// then detach and report what the ring buffer lost.
#include <glass/address.hpp>
#include <glass/procfs.hpp>

#include <algorithm>
#include <csignal>
#include <ctime>
#include <iostream>

#include "bpf.hpp"
#include "stop_signal.hpp"
#include "trace.hpp"

namespace glass::cli {
namespace {

std::uint64_t clock_ns(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

TracerConfig make_config(const TraceOptions& o) {
  TracerConfig c;
  switch (o.view) {
    case TraceView::Events:
      for (int ev = 0; ev < GLASS_EV_COUNT; ++ev) {
        const std::string_view name = *trace_event_name(ev);
        if (o.events.empty() || std::find(o.events.begin(), o.events.end(), name) != o.events.end())
          c.events.push_back(ev);
      }
      break;
    case TraceView::Retrans:
      c.events = {GLASS_EV_RETRANSMIT};
      break;
    case TraceView::Life:
      c.events = {GLASS_EV_DESTROY_SOCK};
      break;
    case TraceView::States:
      c.events = {GLASS_EV_STATE_CHANGE};
      break;
    case TraceView::Rtt:
      c.rtt = true;
      break;
  }
  c.port = static_cast<std::uint16_t>(o.port);
  if (!o.addr.empty()) c.addr = parse_ipv4(o.addr);
  c.ring_bytes = static_cast<std::uint32_t>(o.ring_kb) * 1024U;
  c.verbose = o.verbose;
  return c;
}

std::vector<std::string> drop_names() {
  std::vector<std::string> names;
  try {
    for (const auto& kv : read_counters(std::string(kProcStat))) names.push_back(kv.first);
  } catch (const std::exception&) {
    // Unknown names print as reason_N.
  }
  return names;
}

const char* view_name(TraceView v) {
  switch (v) {
    case TraceView::Events:
      return "events";
    case TraceView::Retrans:
      return "retransmissions";
    case TraceView::Life:
      return "connection lifetimes";
    case TraceView::States:
      return "state changes";
    case TraceView::Rtt:
      return "RTT";
  }
  return "";
}

void print_hist(const TraceOptions& o, std::uint64_t ts_us, Tracer& tracer, bool reset) {
  const std::vector<std::uint64_t> h = tracer.rtt_histogram(reset);
  if (o.json)
    std::cout << trace_hist_json(ts_us, h);
  else if (o.csv)
    std::cout << trace_hist_csv(ts_us, h);
  else
    std::cout << trace_hist_text(h);
  std::cout.flush();
}

}  // namespace

int run_trace(const TraceOptions& o) {
  const TracerConfig cfg = make_config(o);
  TraceDecoder dec;
  dec.drop_names = drop_names();
  dec.start_ns = clock_ns(CLOCK_MONOTONIC);
  dec.wall_offset_ns = static_cast<std::int64_t>(clock_ns(CLOCK_REALTIME) - dec.start_ns);
  std::uint64_t records = 0;

  const StopOnSignal stop;
  Tracer tracer(cfg, [&](const glass_trace_record& r) {
    const std::optional<TraceRow> row = dec.row(o.view, r);
    if (!row) return;
    ++records;
    std::cout << (o.json  ? trace_json(*row)
                  : o.csv ? trace_csv(o.view, *row)
                          : trace_text(o.view, *row));
  });
  std::cerr << "Tracing glass " << view_name(o.view) << " (" << tracer.attached()
            << " programs attached). Ctrl-C to end.\n";
  if (o.csv)
    std::cout << trace_csv_header(o.view);
  else if (!o.json)
    std::cout << trace_text_header(o.view);
  std::cout.flush();

  const std::uint64_t start = clock_ns(CLOCK_MONOTONIC);
  const auto to_ns = [](double s) { return static_cast<std::uint64_t>(s * 1e9); };
  const std::uint64_t end = o.duration > 0 ? start + to_ns(o.duration) : UINT64_MAX;
  std::uint64_t next_hist = o.interval > 0 ? start + to_ns(o.interval) : UINT64_MAX;
  while (!StopOnSignal::stopped()) {
    std::uint64_t now = clock_ns(CLOCK_MONOTONIC);
    if (now >= end) break;
    const std::uint64_t wake = std::min<std::uint64_t>({end, next_hist, now + 100000000U});
    if (tracer.poll(static_cast<int>((wake - now + 999999) / 1000000)) > 0) std::cout.flush();
    now = clock_ns(CLOCK_MONOTONIC);
    if (now >= next_hist) {
      print_hist(o, (now - dec.start_ns) / 1000, tracer, true);
      next_hist += to_ns(o.interval);
    }
  }
  tracer.drain();

  const std::uint64_t ts_us = (clock_ns(CLOCK_MONOTONIC) - dec.start_ns) / 1000;
  if (cfg.rtt) {
    print_hist(o, ts_us, tracer, o.interval > 0);
    return kExitOk;
  }
  const std::uint64_t lost = tracer.lost();
  if (o.json)
    std::cout << "{\"ts_us\":" << ts_us << ",\"records\":" << records << ",\"lost\":" << lost
              << "}\n";
  std::cout.flush();
  std::cerr << "glass trace: " << records << " records, lost " << lost << " events\n";
  return kExitOk;
}

}  // namespace glass::cli
