// `glass lab rcvbuf`: on a path with a round-trip delay, a window-limited
// sender has at most one window of data in flight per round trip, so the
// throughput is window/RTT. Several SO_RCVBUF sizes, measured vs predicted.
#include "bulk.hpp"
#include "validators.hpp"

#include <cmath>
#include <iostream>

namespace glass::cli::lab {
namespace {

struct Options {
  std::vector<int> sizes{8192, 32768, 131072};
  int rtt_ms = 40;     // netem delay of rtt/2 on each device
  double seconds = 0;  // per size; 0: 2.5 (1.2 with --quick)
};

struct SizeResult {
  int rcvbuf = 0;
  std::uint32_t window = 0;
  double srtt_us = 0, predicted = 0, measured = 0;
  bool exact = false;
};

class Rcvbuf : public Scenario {
 public:
  const char* name() const override { return "rcvbuf"; }
  const char* title() const override {
    return "The receive window limits throughput to window/RTT";
  }
  const char* help() const override {
    return "tc netem delays every frame on both glass devices, so each round trip takes at "
           "least the configured RTT. The receiver's SO_RCVBUF fixes the window it can "
           "advertise: the sender may have at most that many bytes unacknowledged. A fast "
           "reader keeps the window fully open, so each round trip moves one window: "
           "throughput = window / RTT, whatever the link could do. The run repeats a bulk "
           "transfer for several SO_RCVBUF sizes and compares the measured throughput (bytes "
           "the reader got, after the first quarter of the run) with window / smoothed RTT "
           "(gi_rcv_space / gi_srtt_us). The lower panel shows the bytes in flight "
           "(gi_unacked) pinned at each window.";
  }

  void add_options(CLI::App& sub) override {
    sub.add_option("--sizes", o_.sizes, "SO_RCVBUF sizes to compare, bytes")
        ->delimiter(',')
        ->transform(size_validator(4096, 8 << 20))
        ->capture_default_str();
    sub.add_option("--rtt", o_.rtt_ms, "Round-trip delay added with netem, ms")
        ->check(CLI::Range(2, 1000))
        ->capture_default_str();
    sub.add_option("--seconds", o_.seconds, "Transfer time per size (default 2.5)")
        ->check(CLI::Range(0.3, 60.0));
  }

  void run(LabRun& run) override {
    const double secs = o_.seconds > 0 ? o_.seconds : (run.options().quick ? 1.2 : 2.5);
    Testbed tb({"rcvbuf"});
    const std::string half = num(o_.rtt_ms / 2.0) + "ms";
    tb.netem(tb.a(), Testbed::kDevA, {"delay", half, "limit", "100000"});
    tb.netem(tb.b(), Testbed::kDevB, {"delay", half, "limit", "100000"});
    run.note("netem delay " + half + " on each glass device (RTT >= " + std::to_string(o_.rtt_ms) +
             " ms); " + num(secs) + " s per size");

    Csv csv(
        {"t_ms", "rcvbuf", "bytes_received", "rate_Bps", "snd_wnd", "unacked", "cwnd", "srtt_us"});
    Csv summary({"rcvbuf", "window", "srtt_us", "predicted_Bps", "measured_Bps", "ratio"});
    std::vector<SizeResult> results;
    std::uint16_t port = 7420;
    for (const int size : o_.sizes) {
      SizeResult r = run_size(tb, size, secs, port++, run.options().interval_ms, csv);
      summary.row({num(r.rcvbuf), num(r.window), num(r.srtt_us), num(r.predicted), num(r.measured),
                   num(r.measured / r.predicted)});
      run.note("SO_RCVBUF " + bytes_text(size) + ": window " + bytes_text(r.window) + ", srtt " +
               num(std::round(r.srtt_us / 100) / 10) + " ms -> predicted " +
               rate_text(r.predicted) + ", measured " + rate_text(r.measured) + " (" +
               num(std::round(100 * r.measured / r.predicted)) + "% of window/RTT)");
      run.fact("measured_Bps_" + std::to_string(size), r.measured, "");
      run.fact("predicted_Bps_" + std::to_string(size), r.predicted, "");
      results.push_back(r);
    }
    run.write_csv(csv);
    run.write_csv(summary, "summary");
    bool increasing = true, exact = true;
    for (std::size_t i = 0; i < results.size(); i++) {
      exact = exact && results[i].exact;
      if (i > 0 && results[i].measured <= results[i - 1].measured) increasing = false;
    }
    const double ratio0 = results.front().measured / results.front().predicted;
    run.fact("increasing", increasing ? 1 : 0,
             increasing ? "throughput grows with the receive buffer"
                        : "throughput did NOT grow with every buffer size");
    run.fact("smallest_ratio", ratio0, "");
    run.check(increasing, "throughput increases with SO_RCVBUF");
    run.check(ratio0 > 0.5 && ratio0 < 1.3,
              "the smallest window's throughput is window/RTT (within 0.5-1.3x)");
    run.check(exact, "every transfer arrived intact");
    run.set_plot(plot());
  }

 private:
  SizeResult run_size(const Testbed& tb, int size, double secs, std::uint16_t port, double interval,
                      Csv& csv) const {
    ConnSpec spec;
    spec.port = port;
    spec.server_rcvbuf = size;
    spec.client_sndbuf = std::max(4 * size, 256 * 1024);
    Connection c = connect_glass(tb, spec);
    SizeResult r;
    r.rcvbuf = size;
    r.window = info_of(c.server.get()).gi_rcv_space;
    std::vector<std::pair<double, std::uint64_t>> got;  // (t, received)
    std::vector<double> srtt;
    const Stopwatch clock;
    Bulk bulk(c, 0, 64 * 1024, static_cast<std::uint64_t>(size));
    {
      Sampler sampler(clock, std::max(interval, 10.0), [&](double t) {
        const glass_info s = info_of(c.client.get());
        const std::uint64_t rx = bulk.received();
        double rate = 0;
        // Rate over the last ~100 ms of samples.
        std::size_t k = got.size();
        while (k > 0 && t - got[k - 1].first < 100) k--;
        if (k < got.size() && t > got[k].first)
          rate = static_cast<double>(rx - got[k].second) / ((t - got[k].first) / 1000.0);
        got.emplace_back(t, rx);
        if (t > secs * 250) srtt.push_back(s.gi_srtt_us);
        csv.row({num(t), num(size), num(static_cast<double>(rx)), num(std::round(rate)),
                 num(s.gi_snd_wnd), num(s.gi_unacked), num(s.gi_cwnd), num(s.gi_srtt_us)});
      });
      sleep_ms(secs * 1000);
      sampler.stop();
    }
    bulk.stop();
    bulk.join();
    r.exact = bulk.exact();
    // Steady state: from a quarter of the run to its end.
    const auto from =
        std::find_if(got.begin(), got.end(), [&](const auto& p) { return p.first >= secs * 250; });
    if (from != got.end() && got.back().first > from->first)
      r.measured = static_cast<double>(got.back().second - from->second) /
                   ((got.back().first - from->first) / 1000.0);
    r.srtt_us = quantile(srtt, 0.5);
    r.predicted = r.srtt_us > 0 ? r.window / (r.srtt_us / 1e6) : 0;
    return r;
  }

  std::string plot() const {
    std::string sizes;
    for (const int s : o_.sizes) sizes += (sizes.empty() ? "" : " ") + std::to_string(s);
    return "set multiplot layout 3,1 title 'receive window vs throughput (RTT " +
           std::to_string(o_.rtt_ms) +
           " ms)'\nset key outside right\nset xlabel 'time (ms)'\n"
           "sizes = '" +
           sizes +
           "'\n"
           "set ylabel 'MB/s'\nset title 'throughput (100 ms average)'\n"
           "plot for [s in sizes] 'rcvbuf.csv' using 't_ms':(column('rcvbuf') == s+0 ? "
           "column('rate_Bps')/1e6 : 1/0) with lines lw 2 title 'SO_RCVBUF '.s\n"
           "set ylabel 'bytes'\nset title 'bytes in flight (unacked): pinned at the window'\n"
           "set logscale y\n"
           "plot for [s in sizes] 'rcvbuf.csv' using 't_ms':(column('rcvbuf') == s+0 ? "
           "column('unacked') : 1/0) with lines title 'SO_RCVBUF '.s\nunset logscale y\n"
           "set title 'measured vs window/RTT'\nset xlabel 'SO_RCVBUF (bytes)'\n"
           "set ylabel 'MB/s'\nset logscale xy\n"
           "plot 'rcvbuf-summary.csv' using 'rcvbuf':(column('measured_Bps')/1e6) with "
           "linespoints pt 7 lw 2 title 'measured', '' using "
           "'rcvbuf':(column('predicted_Bps')/1e6) with linespoints pt 4 dt 2 title "
           "'window/srtt'\nunset multiplot\n";
  }

  Options o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_rcvbuf() {
  return std::make_unique<lab::Rcvbuf>();
}
