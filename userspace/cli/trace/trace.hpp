// glass CLI: `glass trace` — BPF views of the glass tracepoints:
//   events   every event, one line each (filters: --port, --addr, --event)
//   retrans  retransmissions (like tcpretrans)
//   life     one line per closed connection with its totals (like tcplife)
//   states   state transitions with the time spent in the old state (tcpstates)
//   rtt      log2 histogram of the smoothed RTT of received segments (tcprtt)
#pragma once

#include "command.hpp"
#include "format.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace glass::cli {

struct TraceOptions {
  TraceView view = TraceView::Events;
  bool json = false;
  bool csv = false;
  double duration = 0;  // -d: stop after SECONDS (0: until SIGINT/SIGTERM)
  double interval = 0;  // rtt -i: print (and reset) every SECONDS
  int port = 0;
  std::string addr;
  std::vector<std::string> events;  // events --event NAME,...
  int ring_kb = 1024;
  std::uint64_t ring_bytes = 0;  // --ring SIZE (0: use ring_kb)
  bool verbose = false;
};

CLI::App* add_trace_options(CLI::App& parent, Context& ctx);
int run_trace(const TraceOptions& opts);

}  // namespace glass::cli
