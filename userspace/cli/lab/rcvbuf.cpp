// `glass lab rcvbuf`: on a path with a round-trip delay, a window-limited
// sender has at most one window of data in flight per round trip, so the
// throughput is window/RTT. Several SO_RCVBUF sizes, measured vs predicted.
#include "bulk.hpp"
#include "transport.hpp"
#include "validators.hpp"

#include <cmath>
#include <iostream>
#include <map>
#include <tuple>

namespace glass::cli::lab {
namespace {

struct RcvbufOptions {
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
           "(gi_rcv_space / gi_srtt_us). The middle panel shows the bytes in flight "
           "(gi_unacked) pinned at each window. The same sizes then go over TCP, on a veth "
           "pair with the same netem delay (dashed): its window is the one the sender saw "
           "(tcpi_snd_wnd), its RTT tcpi_rtt.";
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
    const bool tcp = run.options().tcp;
    TestbedSpec spec{"rcvbuf"};
    spec.veth = tcp;
    const Testbed tb(spec);
    const std::string half = num(o_.rtt_ms / 2.0) + "ms";
    for (const auto& [ns, glass_dev, veth_dev] :
         {std::tuple{tb.a(), Testbed::kDevA, "va"}, std::tuple{tb.b(), Testbed::kDevB, "vb"}}) {
      tb.netem(ns, glass_dev, {"delay", half, "limit", "100000"});
      if (tcp) tb.netem(ns, veth_dev, {"delay", half, "limit", "100000"});
    }
    run.note("netem delay " + half + " on each glass" + std::string(tcp ? " and veth" : "") +
             " device (RTT >= " + std::to_string(o_.rtt_ms) + " ms); " + num(secs) + " s per size");

    std::vector<std::string> cols{"rcvbuf",        "window",       "srtt_us",
                                  "predicted_Bps", "measured_Bps", "ratio"};
    if (tcp)
      for (const char* c :
           {"tcp_window", "tcp_srtt_us", "tcp_predicted_Bps", "tcp_measured_Bps", "tcp_ratio"})
        cols.emplace_back(c);
    Csv summary(cols);
    std::map<Transport, std::vector<SizeResult>> results;
    for (const Transport t : kTransports) {
      if (t == Transport::kTcp && !tcp) continue;
      Csv csv({"t_ms", "rcvbuf", "bytes_received", "rate_Bps", "snd_wnd", "unacked", "cwnd",
               "srtt_us"});
      std::uint16_t port = t == Transport::kGlass ? 7420 : 7425;
      for (const int size : o_.sizes) {
        const SizeResult r = run_size(tb, t, size, secs, port++, run.options().interval_ms, csv);
        const std::string p = t == Transport::kGlass ? "" : "tcp_";
        run.note(std::string(label_of(t)) + ", SO_RCVBUF " + bytes_text(size) + ": window " +
                 bytes_text(r.window) + ", srtt " + num(std::round(r.srtt_us / 100) / 10) +
                 " ms -> predicted " + rate_text(r.predicted) + ", measured " +
                 rate_text(r.measured) + " (" + num(std::round(100 * r.measured / r.predicted)) +
                 "% of window/RTT)");
        run.fact(p + "measured_Bps_" + std::to_string(size), r.measured, "");
        run.fact(p + "predicted_Bps_" + std::to_string(size), r.predicted, "");
        run.fact(p + "window_" + std::to_string(size), r.window, "");
        results[t].push_back(r);
      }
      run.write_csv(csv, t == Transport::kGlass ? "" : "tcp");
    }
    for (std::size_t i = 0; i < o_.sizes.size(); i++) {
      const SizeResult& g = results[Transport::kGlass][i];
      std::vector<std::string> row{num(g.rcvbuf),   num(g.window),
                                   num(g.srtt_us),  num(g.predicted),
                                   num(g.measured), num(g.measured / g.predicted)};
      if (tcp) {
        const SizeResult& t = results[Transport::kTcp][i];
        for (const double v : {static_cast<double>(t.window), t.srtt_us, t.predicted, t.measured,
                               t.measured / t.predicted})
          row.push_back(num(v));
      }
      summary.row(row);
    }
    run.write_csv(summary, "summary");
    std::string head;
    for (const auto& [t, rs] : results) {
      bool increasing = true, exact = true;
      for (std::size_t i = 0; i < rs.size(); i++) {
        exact = exact && rs[i].exact;
        if (i > 0 && rs[i].measured <= rs[i - 1].measured) increasing = false;
      }
      const double ratio0 = rs.front().measured / rs.front().predicted;
      const std::string p = t == Transport::kGlass ? "" : "tcp_";
      const std::string who = t == Transport::kGlass ? "" : "TCP: ";
      run.fact(p + "increasing", increasing ? 1 : 0,
               who + (increasing ? "throughput grows with the receive buffer"
                                 : "throughput did NOT grow with every buffer size"));
      run.fact(p + "smallest_ratio", ratio0, "");
      if (t == Transport::kGlass) {
        run.check(increasing, "throughput increases with SO_RCVBUF");
        run.check(ratio0 > 0.5 && ratio0 < 1.3,
                  "the smallest window's throughput is window/RTT (within 0.5-1.3x)");
        run.check(exact, "every transfer arrived intact");
      } else {
        run.check(increasing, "TCP: throughput increases with SO_RCVBUF too");
        run.check(exact, "TCP: every transfer arrived intact");
      }
      head += std::string(head.empty() ? "" : "; ") + label_of(t) + " " +
              rate_text(rs.front().measured) + " at SO_RCVBUF " + bytes_text(o_.sizes.front()) +
              " (" + num(std::round(100 * ratio0)) + "% of window/RTT), " +
              rate_text(rs.back().measured) + " at " + bytes_text(o_.sizes.back());
    }
    run.headline(head);
    run.set_plot(plot(tcp));
  }

 private:
  SizeResult run_size(const Testbed& tb, Transport t, int size, double secs, std::uint16_t port,
                      double interval, Csv& csv) const {
    ConnSpec spec;
    spec.port = port;
    spec.server_rcvbuf = size;
    spec.client_sndbuf = std::max(4 * size, 256 * 1024);
    Connection c = connect_pair(tb, t, spec);
    SizeResult r;
    r.rcvbuf = size;
    if (t == Transport::kGlass) r.window = info_of(c.server.get()).gi_rcv_space;
    std::vector<std::pair<double, std::uint64_t>> got;  // (t, received)
    std::vector<double> srtt, wnd;
    const Stopwatch clock;
    Bulk bulk(c, 0, 64 * 1024, static_cast<std::uint64_t>(size));
    {
      Sampler sampler(clock, std::max(interval, 10.0), [&](double now) {
        const SockState s = state_of(t, c.client.get());
        const std::uint64_t rx = bulk.received();
        double rate = 0;
        // Rate over the last ~100 ms of samples.
        std::size_t k = got.size();
        while (k > 0 && now - got[k - 1].first < 100) k--;
        if (k < got.size() && now > got[k].first)
          rate = static_cast<double>(rx - got[k].second) / ((now - got[k].first) / 1000.0);
        got.emplace_back(now, rx);
        if (now > secs * 250) {
          srtt.push_back(s.srtt_us);
          wnd.push_back(s.snd_wnd);
        }
        csv.row({num(now), num(size), num(static_cast<double>(rx)), num(std::round(rate)),
                 num(s.snd_wnd), num(s.unacked), num(s.cwnd), num(s.srtt_us)});
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
    // TCP has no gi_rcv_space: its window is what the sender was offered.
    if (t == Transport::kTcp) r.window = static_cast<std::uint32_t>(quantile(wnd, 0.5));
    r.predicted = r.srtt_us > 0 ? r.window / (r.srtt_us / 1e6) : 0;
    return r;
  }

  std::string plot(bool tcp) const {
    std::string sizes;
    for (const int s : o_.sizes) sizes += (sizes.empty() ? "" : " ") + std::to_string(s);
    const auto series = [&](const char* expr, const char* style) {
      std::string p =
          "for [i=1:words(sizes)] 'rcvbuf.csv' using 't_ms':(column('rcvbuf') == "
          "word(sizes,i)+0 ? " +
          std::string(expr) + " : 1/0) with " + style + " lc i title 'glass '.word(sizes,i)";
      if (tcp)
        p += ", for [i=1:words(sizes)] 'rcvbuf-tcp.csv' using 't_ms':(column('rcvbuf') == "
             "word(sizes,i)+0 ? " +
             std::string(expr) + " : 1/0) with " + style + " dt 2 lc i title 'TCP '.word(sizes,i)";
      return p;
    };
    std::string summary =
        "plot 'rcvbuf-summary.csv' using 'rcvbuf':(column('measured_Bps')/1e6) with "
        "linespoints pt 7 lw 2 lc 1 title 'glass measured', '' using "
        "'rcvbuf':(column('predicted_Bps')/1e6) with linespoints pt 4 dt 3 lc 1 title 'glass "
        "window/srtt'";
    if (tcp)
      summary +=
          ", '' using 'rcvbuf':(column('tcp_measured_Bps')/1e6) with linespoints pt 6 lw 2 dt 2 "
          "lc 2 title 'TCP measured', '' using 'rcvbuf':(column('tcp_predicted_Bps')/1e6) with "
          "linespoints pt 4 dt 3 lc 2 title 'TCP window/srtt'";
    return "set multiplot layout 3,1 title 'receive window vs throughput (RTT " +
           std::to_string(o_.rtt_ms) + " ms" + std::string(tcp ? "; glass solid, TCP dashed" : "") +
           ")'\nset key outside right\nset xlabel 'time (ms)'\n"
           "sizes = '" +
           sizes +
           "'\n"
           "set ylabel 'MB/s'\nset title 'throughput (100 ms average), per SO_RCVBUF'\nplot " +
           series("column('rate_Bps')/1e6", "lines lw 2") +
           "\nset ylabel 'bytes'\nset title 'bytes in flight (unacked): pinned at the "
           "window'\nset logscale y\nplot " +
           series("column('unacked')", "lines") +
           "\nunset logscale y\n"
           "set title 'measured vs window/RTT'\nset xlabel 'SO_RCVBUF (bytes)'\n"
           "set ylabel 'MB/s'\nset logscale xy\n" +
           summary + "\nunset multiplot\n";
  }

  RcvbufOptions o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_rcvbuf() {
  return std::make_unique<lab::Rcvbuf>();
}
