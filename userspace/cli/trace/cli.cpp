// `glass trace`: the subcommand tree and its options.
#include "trace.hpp"

#include "validators.hpp"

#include <memory>

namespace glass::cli {
namespace {

struct ViewSpec {
  const char* name;
  TraceView view;
  const char* help;
  const char* footer;
};

constexpr ViewSpec kViews[] = {
    {"events", TraceView::Events, "Print every glass event, one line each",
     "Events: segment_send segment_recv retransmit state_change window drop sndbuf\n"
     "destroy_sock. Segment events show the segment header's addresses (sender >\n"
     "receiver); drop reasons are the counter names of /proc/net/glass_stat.\n"
     "Examples:\n  glass trace events --port 7000\n"
     "  glass trace events --event segment_send,segment_recv --json -d 5"},
    {"retrans", TraceView::Retrans, "Print retransmissions (like tcpretrans)",
     "REASON is rto (timeout), fast (duplicate ACKs), probe (zero-window probe)\n"
     "or syn (SYN/SYN-ACK again)."},
    {"life", TraceView::Life, "Print one line per closed connection (like tcplife)",
     "TX_BYTES counts bytes the peer acknowledged, RX_BYTES bytes received in\n"
     "order; MS is the socket's lifetime. Sockets that never had a peer\n"
     "(listeners) are not shown."},
    {"states", TraceView::States, "Print state transitions (like tcpstates)",
     "MS is the time spent in OLDSTATE (0 when the tracer did not see the\n"
     "socket enter it)."},
    {"rtt", TraceView::Rtt, "Show a log2 histogram of the smoothed RTT (like tcprtt)",
     "Counts the srtt (microseconds) of every segment received on a connection\n"
     "with an RTT sample, printed at exit or every -i SECONDS (then reset)."},
};

void add_view(CLI::App& trace, const ViewSpec& spec, Context& ctx) {
  auto opts = std::make_shared<TraceOptions>();
  opts->view = spec.view;
  CLI::App* sub = trace.add_subcommand(spec.name, spec.help);
  CLI::Option* json = sub->add_flag("-j,--json", opts->json, "Print one JSON object per line");
  CLI::Option* csv = sub->add_flag("--csv", opts->csv, "Print CSV with a header line");
  json->excludes(csv);
  sub->add_option("-d,--duration", opts->duration, "Stop after SECONDS")
      ->check(CLI::Range(0.0, 31536000.0));
  sub->add_option("-p,--port", opts->port, "Only connections with this local or remote port")
      ->check(CLI::Range(1, 65535));
  sub->add_option("-a,--addr", opts->addr, "Only connections with this local or remote address")
      ->check(ipv4_validator());
  if (spec.view == TraceView::Events) {
    sub->add_option("-e,--event", opts->events, "Only these events (comma-separated)")
        ->delimiter(',')
        ->check(CLI::IsMember({"segment_send", "segment_recv", "retransmit", "state_change",
                               "window", "drop", "sndbuf", "destroy_sock"}));
  }
  if (spec.view == TraceView::Rtt) {
    sub->add_option("-i,--interval", opts->interval, "Print the histogram every SECONDS")
        ->check(CLI::Range(0.1, 86400.0));
  } else {
    // Two checks in a row, not Range & lambda: CLI11 2.1 runs both sides of
    // '&', so the lambda would see "abc" too.
    CLI::Option* kb =
        sub->add_option("--ring-kb", opts->ring_kb, "Ring buffer size in KiB (power of two)")
            ->check(CLI::Range(4, 1 << 20))
            ->check(power_of_two_validator());
    sub->add_option("--ring", opts->ring_bytes,
                    "Ring buffer size (power of two; K, M, G suffixes), e.g. 4M")
        ->transform(size_validator(std::uint64_t{4} << 10, std::uint64_t{1} << 30))
        ->check(power_of_two_validator())
        ->excludes(kb);
  }
  sub->add_flag("-v,--verbose", opts->verbose, "Print libbpf's messages");
  sub->footer(std::string(spec.footer) +
              "\nStops on SIGINT/SIGTERM or after -d SECONDS and detaches everything.\n"
              "Records the ring buffer had no room for are counted and reported as\n"
              "'lost N events' (with --json: a final {\"lost\":N,...} object).\n"
              "Needs root and the glass module loaded: run it in the guest.\n"
              "Exit status: 0 success, 1 runtime error, 2 usage error.");
  sub->callback([opts, &ctx] {
    if (opts->ring_bytes > 0) opts->ring_kb = static_cast<int>(opts->ring_bytes >> 10);
    ctx.action = [opts] { return run_trace(*opts); };
  });
}

}  // namespace

void setup_trace(CLI::App& parent, Context& ctx) {
  add_trace_options(parent, ctx);
}

CLI::App* add_trace_options(CLI::App& parent, Context& ctx) {
  CLI::App* trace =
      parent.add_subcommand("trace", "Trace glass with BPF: events, retrans, life, states, rtt");
  trace->require_subcommand(1);
  for (const ViewSpec& spec : kViews) add_view(*trace, spec, ctx);
  return trace;
}

}  // namespace glass::cli
