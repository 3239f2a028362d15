// `glass lab loss`: a transfer through netem loss, with an outage in the
// middle. Random losses cost fast retransmissions and halve cwnd (the
// sawtooth); the outage makes the RTO expire again and again, each time
// doubling (backoff). The reader still gets every byte, in order.
#include "bulk.hpp"
#include "validators.hpp"

#include <cmath>
#include <iostream>

namespace glass::cli::lab {
namespace {

struct Options {
  double loss_pct = 2;      // random loss on the data direction
  std::uint64_t bytes = 0;  // 0: 4 MiB (1.5 MiB with --quick)
  int rtt_ms = 20;
  int outage_ms = 0;  // 0: 1600 (1000 with --quick)
  int rcvbuf = 256 * 1024;
};

struct Sample {
  double t;
  glass_info s;
  std::uint64_t rx;
  int phase;
};

class Loss : public Scenario {
 public:
  const char* name() const override { return "loss"; }
  const char* title() const override { return "Loss: retransmission, RTO backoff, cwnd sawtooth"; }
  const char* help() const override {
    return "tc netem drops a share of the frames the sender's glass device sends and delays "
           "both directions. Each loss leaves a hole: the receiver keeps later segments out of "
           "order and repeats its cumulative ACK; three duplicate ACKs trigger a fast "
           "retransmission, and the congestion window (cwnd) is halved (ssthresh) before it "
           "grows again: the sawtooth. In the middle of the run every frame is dropped for a "
           "while (the grey band): no ACK comes back, the retransmission timer expires, and "
           "each expiry doubles the timeout (gi_backoff, gi_rto_us) and drops cwnd to one "
           "segment. When frames pass again, the next retransmission gets through and the "
           "transfer resumes. The reader checks that it received every byte exactly once, in "
           "order.";
  }

  void add_options(CLI::App& sub) override {
    sub.add_option("--loss", o_.loss_pct, "Random loss on the data path, percent")
        ->check(CLI::Range(0.1, 30.0))
        ->capture_default_str();
    sub.add_option("--bytes", o_.bytes, "Bytes to transfer (default 4 MiB)")
        ->transform(size_validator(std::uint64_t{65536}, std::uint64_t{1} << 34));
    sub.add_option("--rtt", o_.rtt_ms, "Round-trip delay added with netem, ms")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    sub.add_option("--outage", o_.outage_ms, "Length of the total outage, ms (default 1600)")
        ->check(CLI::Range(300, 20000));
    sub.add_option("--rcvbuf", o_.rcvbuf, "Receiver's SO_RCVBUF, bytes")
        ->transform(size_validator(16384, 16 << 20))
        ->capture_default_str();
  }

  void run(LabRun& run) override {
    const bool quick = run.options().quick;
    const std::uint64_t total = o_.bytes ? o_.bytes : (quick ? 1536 : 4096) * 1024ull;
    const int outage = o_.outage_ms ? o_.outage_ms : (quick ? 1000 : 1600);
    Testbed tb({"loss"});
    const std::string half = num(o_.rtt_ms / 2.0) + "ms";
    const std::vector<std::string> lossy{"delay", half,    "loss", num(o_.loss_pct) + "%",
                                         "limit", "100000"};
    tb.netem(tb.a(), Testbed::kDevA, lossy);
    tb.netem(tb.b(), Testbed::kDevB, {"delay", half, "limit", "100000"});
    run.note("netem on ga: delay " + half + " loss " + num(o_.loss_pct) + "%; on gb: delay " +
             half + "; " + bytes_text(static_cast<double>(total)) + " to send; outage of " +
             std::to_string(outage) + " ms after a third");

    ConnSpec spec;
    spec.server_rcvbuf = o_.rcvbuf;
    spec.client_sndbuf = 2 * o_.rcvbuf;
    Connection c = connect_glass(tb, spec);
    std::vector<Sample> samples;
    std::atomic<int> phase{0};
    double out_from = 0, out_to = 0;
    const Stopwatch clock;
    Bulk bulk(c, total, 64 * 1024, 3);
    {
      Sampler sampler(clock, run.options().interval_ms, [&](double t) {
        samples.push_back({t, info_of(c.client.get()), bulk.received(), phase.load()});
      });
      const auto wait = [&](auto pred, double limit_ms) {
        while (!pred() && clock.ms() < limit_ms) sleep_ms(5);
      };
      wait([&] { return bulk.received() >= total / 3 || bulk.done(); }, 120000);
      out_from = clock.ms();
      phase = 1;
      tb.netem(tb.a(), Testbed::kDevA, {"delay", half, "loss", "100%", "limit", "100000"});
      sleep_ms(outage);
      tb.netem(tb.a(), Testbed::kDevA, lossy);
      out_to = clock.ms();
      phase = 2;
      wait([&] { return bulk.done(); }, out_to + 180000);
      if (!bulk.done()) {
        tb.clear_qdisc(tb.a(), Testbed::kDevA);
        throw Error("glass lab loss", ETIMEDOUT, "the transfer did not finish in 3 minutes");
      }
      sampler.stop();
    }
    bulk.join();
    const double secs = clock.s();
    write(run, samples);
    report(run, samples, bulk, total, out_from, out_to, secs);
    run.set_plot(plot(out_from, out_to));
  }

 private:
  static void write(LabRun& run, const std::vector<Sample>& smp) {
    Csv csv({"t_ms", "phase", "cwnd", "ssthresh", "snd_wnd", "unacked", "rto_us", "backoff",
             "srtt_us", "retransmits", "fast_retrans", "timeouts", "bytes_received"});
    for (const auto& x : smp)
      csv.row({num(x.t), num(x.phase), num(x.s.gi_cwnd),
               num(x.s.gi_ssthresh > (1u << 30) ? NAN : x.s.gi_ssthresh), num(x.s.gi_snd_wnd),
               num(x.s.gi_unacked), num(x.s.gi_rto_us), num(x.s.gi_backoff), num(x.s.gi_srtt_us),
               num(x.s.gi_retransmits), num(x.s.gi_fast_retrans), num(x.s.gi_timeouts),
               num(static_cast<double>(x.rx))});
    run.write_csv(csv);
  }

  static void report(LabRun& run, const std::vector<Sample>& smp, const Bulk& bulk,
                     std::uint64_t total, double out_from, double out_to, double secs) {
    const glass_info& last = smp.back().s;
    std::uint32_t max_backoff = 0, max_rto = 0, max_cwnd = 0, cuts = 0;
    std::uint32_t prev = smp.front().s.gi_cwnd;
    std::uint32_t timeouts_before = 0;
    for (const auto& x : smp) {
      max_backoff = std::max(max_backoff, x.s.gi_backoff);
      max_rto = std::max(max_rto, x.s.gi_rto_us);
      max_cwnd = std::max(max_cwnd, x.s.gi_cwnd);
      if (x.s.gi_cwnd < prev) cuts++;
      prev = x.s.gi_cwnd;
      if (x.t < out_from) timeouts_before = x.s.gi_timeouts;
    }
    run.fact("retransmits", last.gi_retransmits,
             std::to_string(last.gi_retransmits) + " segments retransmitted (" +
                 std::to_string(last.gi_fast_retrans) + " fast retransmits, " +
                 std::to_string(last.gi_timeouts) + " RTO expirations, " +
                 std::to_string(last.gi_timeouts - timeouts_before) + " of them in the " +
                 num(std::round(out_to - out_from)) + " ms outage)");
    run.fact("fast_retrans", last.gi_fast_retrans, "");
    run.fact("timeouts", last.gi_timeouts, "");
    run.fact("max_backoff", max_backoff,
             "RTO backed off " + std::to_string(max_backoff) + " times in a row, up to " +
                 num(std::round(max_rto / 1000.0)) + " ms");
    run.fact("max_rto_us", max_rto, "");
    run.fact("cwnd_cuts", cuts,
             "cwnd was cut " + std::to_string(cuts) + " times (peak " + bytes_text(max_cwnd) + ")");
    run.fact("max_cwnd", max_cwnd, "");
    run.fact("bytes_received", static_cast<double>(bulk.received()),
             bytes_text(static_cast<double>(bulk.received())) + " received of " +
                 bytes_text(static_cast<double>(total)) + " in " + num(std::round(secs * 10) / 10) +
                 " s: " + (bulk.exact() ? "every byte exact, in order" : "NOT exact"));
    run.fact("exact", bulk.exact() && bulk.received() == total ? 1 : 0, "");
    if (!bulk.error().empty()) run.note(bulk.error());
    run.check(last.gi_retransmits > 0, "segments were retransmitted");
    run.check(cuts > 0, "cwnd was reduced (sawtooth)");
    run.check(max_backoff >= 2, "the RTO backed off at least twice during the outage");
    run.check(bulk.exact() && bulk.received() == total, "every byte arrived exactly once");
  }

  static std::string plot(double from, double to) {
    return "set multiplot layout 3,1 title 'transfer under loss: retransmissions, backoff, cwnd "
           "sawtooth'\nset object 1 rect from " +
           num(from) + ", graph 0 to " + num(to) +
           ", graph 1 fc rgb '#e8e8e8' behind\nset key outside right\nset xlabel 'time (ms)'\n"
           "set ylabel 'KiB'\nset title 'congestion window and slow-start threshold'\n"
           "plot 'loss.csv' using 't_ms':(column('cwnd')/1024) with steps lw 2 title 'cwnd', "
           "'' using 't_ms':(column('ssthresh')/1024) with steps title 'ssthresh', '' using "
           "'t_ms':(column('unacked')/1024) with lines lc rgb '#999999' title 'in flight'\n"
           "set ylabel 'ms'\nset y2label 'backoff'\nset y2tics\n"
           "set title 'retransmission timeout and its backoff'\n"
           "plot 'loss.csv' using 't_ms':(column('rto_us')/1000) with steps lw 2 title 'rto', "
           "'' using 't_ms':'backoff' axes x1y2 with steps title 'backoff'\n"
           "unset y2tics\nunset y2label\nset ylabel 'count'\nset y2label 'MiB'\nset y2tics\n"
           "set title 'retransmissions and bytes received'\n"
           "plot 'loss.csv' using 't_ms':'retransmits' with steps lw 2 title 'retransmits', "
           "'' using 't_ms':'fast_retrans' with steps title 'fast', '' using 't_ms':'timeouts' "
           "with steps title 'timeouts', '' using 't_ms':(column('bytes_received')/1048576) "
           "axes x1y2 with lines title 'received (MiB)'\nunset multiplot\n";
  }

  Options o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_loss() {
  return std::make_unique<lab::Loss>();
}
