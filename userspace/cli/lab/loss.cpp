// `glass lab loss`: a transfer through random loss, with an outage in the
// middle. Random losses cost fast retransmissions and halve cwnd (the
// sawtooth); the outage makes the RTO expire again and again, each time
// doubling (backoff). The reader still gets every byte, in order. On glass
// the losses come from the device's seeded fault injector (glass fault), so
// the same seed gives the same drop decisions; then the same over TCP, with
// netem's (unseeded) loss on a veth pair. glass runs twice with the same
// seed, with SACK (RFC 6675 recovery, RACK) and without (NewReno), and the
// two recoveries are printed and plotted side by side.
#include "bulk.hpp"
#include "transport.hpp"
#include "validators.hpp"

#include <glass/fault.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <random>

namespace glass::cli::lab {
namespace {

struct LossOptions {
  double loss_pct = 2;      // random loss on the data direction
  std::string seed;         // of glass's fault injector (parse_seed); "": from the clock
  std::uint64_t bytes = 0;  // 0: 4 MiB (1.5 MiB with --quick)
  int rtt_ms = 20;
  int outage_ms = 0;  // 0: 1600 (1000 with --quick)
  int rcvbuf = 256 * 1024;
};

struct Sample {
  double t;
  SockState s;
  std::uint64_t fast, timeouts;  // the namespace's counters, from the start of the run
  std::uint64_t rx;
  int phase;
};

// What one transport's run left.
struct Result {
  std::vector<Sample> samples;
  double out_from = 0, out_to = 0, secs = 0;
  std::uint64_t received = 0;
  bool exact = false;
  std::string error;
  // glass only: SACK recoveries and RACK's finds during the run.
  std::uint64_t sack_recoveries = 0, rack_lost_retrans = 0, tlp_probes = 0, dsacks = 0;

  // RTO expirations outside the outage: the ones loss recovery did not
  // avoid (inside it every transport can only back off).
  std::uint64_t timeouts_outside() const {
    std::uint64_t before = 0, at_end_of_outage = 0;
    for (const auto& x : samples) {
      if (x.t < out_from) before = x.timeouts;
      if (x.t <= out_to) at_end_of_outage = x.timeouts;
    }
    return before + (samples.back().timeouts - at_end_of_outage);
  }
};

// A glass counter's value in the map all() returned, 0 if absent.
std::uint64_t counter(const std::map<std::string, std::uint64_t>& m, const char* name) {
  const auto it = m.find(name);
  return it == m.end() ? 0 : it->second;
}

// Sets glass's fault injector on ga, in host a.
void set_fault(const Testbed& tb, const FaultSettings& f) {
  const NetnsGuard in(tb.a());
  apply_fault(Testbed::kDevA, f);
}

glass::FaultState fault_state(const Testbed& tb) {
  const NetnsGuard in(tb.a());
  return query_fault(Testbed::kDevA);
}

class Loss : public Scenario {
 public:
  const char* name() const override { return "loss"; }
  const char* title() const override { return "Loss: retransmission, RTO backoff, cwnd sawtooth"; }
  const char* help() const override {
    return "A share of the frames the sender's device sends are dropped, and tc netem delays "
           "both directions. Each loss leaves a hole: the receiver keeps later segments out of "
           "order and repeats its cumulative ACK; three duplicate ACKs trigger a fast "
           "retransmission, and the congestion window (cwnd) is halved (ssthresh) before it "
           "grows again: the sawtooth. In the middle of the run every frame is dropped for a "
           "while (the grey band): no ACK comes back, the retransmission timer expires, and "
           "each expiry doubles the timeout (gi_backoff, gi_rto_us) and drops cwnd to one "
           "segment. When frames pass again, the next retransmission gets through and the "
           "transfer resumes. The reader checks that it received every byte exactly once, in "
           "order. On glass the losses come from the sending device's seeded fault injector "
           "(glass fault ga loss P% seed N): its drop decisions follow from the seed and the "
           "order of the frames, so --seed N replays the same pattern (the run prints the "
           "seed; frame timing still varies a little from run to run). The same transfer then "
           "runs over TCP on a veth pair with the same delay, its loss from tc netem (this "
           "kernel's netem has no seed). TCP recovers with SACK, RACK and tail loss probes, "
           "glass with NewReno: compare the retransmissions and the time each needs.";
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
    sub.add_option("--seed", o_.seed,
                   "Seed of glass's fault injector, decimal or 0x-hex as in glass fault: the "
                   "same seed replays the same drop decisions (default: random, printed)")
        ->type_name("N")
        ->check(CLI::Validator(
            [](const std::string& v) -> std::string {
              try {
                (void)parse_seed(v);
                return {};
              } catch (const ParseError& e) {
                return e.what();
              }
            },
            "SEED"));
  }

  void run(LabRun& run) override {
    const bool tcp = run.options().tcp;
    const std::uint64_t total = o_.bytes ? o_.bytes : (run.options().quick ? 1536 : 4096) * 1024ull;
    const std::uint64_t seed = o_.seed.empty() ? std::random_device{}() : parse_seed(o_.seed);
    TestbedSpec spec{"loss"};
    spec.veth = tcp;
    const Testbed tb(spec);
    const std::string half = num(o_.rtt_ms / 2.0) + "ms";
    for (const auto& [ns, dev] : {std::pair{tb.a(), Testbed::kDevA}, {tb.b(), Testbed::kDevB}})
      tb.netem(ns, dev, {"delay", half, "limit", "100000"});
    if (tcp) {
      tb.netem(tb.a(), "va", lossy_netem(half, o_.loss_pct));
      tb.netem(tb.b(), "vb", {"delay", half, "limit", "100000"});
    }
    const std::uint32_t ppm = static_cast<std::uint32_t>(std::lround(o_.loss_pct * 1e4));
    FaultSettings f;
    f.seed = seed;
    f.loss_ppm = ppm;
    set_fault(tb, f);
    run.fact("seed", std::to_string(seed),
             "glass: fault injector on ga: loss " + num(o_.loss_pct) + "% seed " +
                 std::to_string(seed) + " (replay with --seed " + std::to_string(seed) +
                 "); netem delay " + half + " on ga and gb");
    if (tcp)
      run.note("TCP: netem on va: delay " + half + " loss " + num(o_.loss_pct) +
               "% (unseeded); on vb: delay " + half);
    run.note(bytes_text(static_cast<double>(total)) + " to send; an outage of " +
             std::to_string(outage_ms(run)) + " ms once a third is written");

    const auto glass_outage = [&](bool out) {
      FaultSettings x;
      x.loss_ppm = out ? 1000000u : ppm;  // no seed: the generator runs on
      set_fault(tb, x);
    };
    const Result g = run_transport(run, tb, Transport::kGlass, total, glass_outage, 7460);
    const glass::FaultState fs = fault_state(tb);
    write(run, g, "");
    report(run, "", "glass: ", g, total);
    run.fact("fault_frames", static_cast<double>(fs.stats.frames), "");
    run.fact("fault_lost", static_cast<double>(fs.stats.lost),
             "glass: the injector saw " + std::to_string(fs.stats.frames) + " frames and dropped " +
                 std::to_string(fs.stats.lost) + " (outage included)");
    run.fact("fault_seed", std::to_string(fs.seed), "");
    // The same seed again, SACK off on both ends: NewReno's recovery.
    for (const auto& ns : {tb.a(), tb.b()}) tb.sysctl(ns, "sack", 0);
    set_fault(tb, f);
    const Result n = run_transport(run, tb, Transport::kGlass, total, glass_outage, 7462);
    for (const auto& ns : {tb.a(), tb.b()}) tb.sysctl(ns, "sack", 1);
    write(run, n, "nosack");
    report(run, "nosack_", "glass without SACK: ", n, total);
    run.fact("sack_recoveries", static_cast<double>(g.sack_recoveries), "");
    run.fact("rack_lost_retrans", static_cast<double>(g.rack_lost_retrans), "");
    run.fact("tlp_probes", static_cast<double>(g.tlp_probes), "");
    run.fact("dsacks", static_cast<double>(g.dsacks), "");
    run.fact("nosack_sack_recoveries", static_cast<double>(n.sack_recoveries), "");
    run.fact("timeouts_outside", static_cast<double>(g.timeouts_outside()), "");
    run.fact("nosack_timeouts_outside", static_cast<double>(n.timeouts_outside()), "");
    run.check(g.sack_recoveries > 0, "glass with SACK recovered with SACK (RFC 6675)");
    run.check(n.sack_recoveries == 0, "glass without SACK recovered without it (NewReno)");
    std::string head = "glass: " + retrans_text(g) + " in " + num(std::round(g.secs * 10) / 10) +
                       " s (seed " + std::to_string(seed) + "); without SACK: " + retrans_text(n) +
                       " in " + num(std::round(n.secs * 10) / 10) + " s";
    std::optional<Result> t;
    if (tcp) {
      t = run_transport(
          run, tb, Transport::kTcp, total,
          [&](bool out) {
            tb.netem(tb.a(), "va", out ? lossy_netem(half, 100) : lossy_netem(half, o_.loss_pct));
          },
          7461);
      write(run, *t, "tcp");
      report(run, "tcp_", "TCP: ", *t, total);
      head += "; TCP: " + retrans_text(*t) + " in " + num(std::round(t->secs * 10) / 10) + " s";
    }
    side_by_side(run, g, n, t ? &*t : nullptr, total);
    run.headline(head);
    run.set_plot(plot(g, tcp));
  }

 private:
  int outage_ms(const LabRun& run) const {
    return o_.outage_ms ? o_.outage_ms : (run.options().quick ? 1000 : 1600);
  }

  static std::vector<std::string> lossy_netem(const std::string& half, double pct) {
    return {"delay", half, "loss", num(pct) + "%", "limit", "100000"};
  }

  // One line per measure, one column per run: SACK, no SACK, TCP.
  static void side_by_side(LabRun& run, const Result& g, const Result& n, const Result* t,
                           std::uint64_t total) {
    const auto row = [&](const char* what, const auto& cell) {
      char line[160];
      std::snprintf(line, sizeof(line), "  %-34s %14s %14s %14s", what, cell(g).c_str(),
                    cell(n).c_str(), t ? cell(*t).c_str() : "");
      run.note(line);
    };
    const auto u = [](std::uint64_t v) { return std::to_string(v); };
    run.note("side by side:                          glass+SACK  glass no SACK" +
             std::string(t ? "            TCP" : ""));
    row("retransmitted segments",
        [&](const Result& r) { return u(r.samples.back().s.retransmits); });
    row("fast retransmits (recoveries)", [&](const Result& r) { return u(r.samples.back().fast); });
    row("RTO expirations", [&](const Result& r) { return u(r.samples.back().timeouts); });
    row("  of them outside the outage", [&](const Result& r) { return u(r.timeouts_outside()); });
    row("lost retransmissions found by RACK",
        [&](const Result& r) { return &r == t ? std::string("-") : u(r.rack_lost_retrans); });
    row("D-SACKs (resent needlessly)",
        [&](const Result& r) { return &r == t ? std::string("-") : u(r.dsacks); });
    row("seconds", [](const Result& r) { return num(std::round(r.secs * 10) / 10); });
    row("goodput", [&](const Result& r) {
      return bytes_text(static_cast<double>(total) / std::max(r.secs, 1e-3)) + "/s";
    });
    row("every byte exactly once",
        [](const Result& r) { return std::string(r.exact ? "yes" : "NO"); });
  }

  static std::string retrans_text(const Result& r) {
    const Sample& last = r.samples.back();
    return std::to_string(last.s.retransmits) + " retransmissions (" + std::to_string(last.fast) +
           " fast, " + std::to_string(last.timeouts) + " RTO)";
  }

  // The transfer with an outage once a third is written; outage(true)
  // starts it, outage(false) ends it.
  template <typename Outage>
  Result run_transport(const LabRun& run, const Testbed& tb, Transport t, std::uint64_t total,
                       Outage outage, int port) const {
    ConnSpec spec;
    spec.server_rcvbuf = o_.rcvbuf;
    spec.client_sndbuf = 2 * o_.rcvbuf;
    spec.port = port;
    Connection c = connect_pair(tb, t, spec);
    const NetCounters ns(t, tb.a());
    const std::uint64_t fast0 = ns.get(Counter::kFastRetransmits);
    const std::uint64_t rto0 = ns.get(Counter::kTimeouts);
    const auto all0 = ns.all();
    Result r;
    std::atomic<int> phase{0};
    const Stopwatch clock;
    // The writer holds at a third until the outage is in force: the rest
    // must cross the wire during or after it, however long tc takes to
    // apply it under TCG. (Timed by the reader, a receive buffer TCP had
    // grown to hold the rest let it all cross before the outage began;
    // timed by the writer without a hold, a slow tc did the same.)
    const std::uint64_t hold_at = total / 3;
    Bulk bulk(c, total, 64 * 1024, 3, hold_at);
    {
      Sampler sampler(clock, run.options().interval_ms, [&](double now) {
        r.samples.push_back({now, state_of(t, c.client.get()),
                             ns.get(Counter::kFastRetransmits) - fast0,
                             ns.get(Counter::kTimeouts) - rto0, bulk.received(), phase.load()});
      });
      const auto wait = [&](auto pred, double limit_ms) {
        while (!pred() && clock.ms() < limit_ms) sleep_ms(5);
      };
      wait([&] { return bulk.written() >= hold_at || bulk.done(); }, 120000);
      // The outage is timed from when it is in force (tc takes a moment
      // under TCG) to when lifting it is done.
      phase = 1;
      outage(true);
      r.out_from = clock.ms();
      bulk.release();
      sleep_ms(outage_ms(run));
      outage(false);
      r.out_to = clock.ms();
      phase = 2;
      wait([&] { return bulk.done(); }, r.out_to + 180000);
      if (!bulk.done()) {
        tb.clear_qdisc(tb.a(), t == Transport::kGlass ? Testbed::kDevA : "va");
        if (t == Transport::kGlass) set_fault(tb, FaultSettings::cleared());
        throw Error(std::string("glass lab loss (") + label_of(t) + ")", ETIMEDOUT,
                    "the transfer did not finish in 3 minutes");
      }
      sampler.stop();
    }
    bulk.join();
    if (t == Transport::kGlass) {
      const auto all1 = ns.all();
      r.sack_recoveries = counter(all1, "sack_recoveries") - counter(all0, "sack_recoveries");
      r.rack_lost_retrans = counter(all1, "rack_lost_retrans") - counter(all0, "rack_lost_retrans");
      r.tlp_probes = counter(all1, "tlp_probes") - counter(all0, "tlp_probes");
      r.dsacks = counter(all1, "dsacks_received") - counter(all0, "dsacks_received");
    }
    r.secs = clock.s();
    r.received = bulk.received();
    r.exact = bulk.exact() && bulk.received() == total;
    r.error = bulk.error();
    return r;
  }

  static void write(LabRun& run, const Result& r, const std::string& suffix) {
    Csv csv({"t_ms", "phase", "cwnd", "ssthresh", "snd_wnd", "unacked", "rto_us", "backoff",
             "srtt_us", "retransmits", "fast_retrans", "timeouts", "bytes_received"});
    for (const auto& x : r.samples)
      csv.row({num(x.t), num(x.phase), num(x.s.cwnd), num(x.s.ssthresh == 0 ? NAN : x.s.ssthresh),
               num(x.s.snd_wnd), num(x.s.unacked), num(x.s.rto_us), num(x.s.backoff),
               num(x.s.srtt_us), num(x.s.retransmits), num(static_cast<double>(x.fast)),
               num(static_cast<double>(x.timeouts)), num(static_cast<double>(x.rx))});
    run.write_csv(csv, suffix);
  }

  static void report(LabRun& run, const std::string& p, const std::string& who, const Result& r,
                     std::uint64_t total) {
    const Sample& last = r.samples.back();
    std::uint32_t max_backoff = 0, max_rto = 0, max_cwnd = 0, cuts = 0;
    std::uint32_t prev = r.samples.front().s.cwnd;
    std::uint64_t timeouts_before = 0;
    for (const auto& x : r.samples) {
      max_backoff = std::max(max_backoff, x.s.backoff);
      max_rto = std::max(max_rto, x.s.rto_us);
      max_cwnd = std::max(max_cwnd, x.s.cwnd);
      if (x.s.cwnd < prev) cuts++;
      prev = x.s.cwnd;
      if (x.t < r.out_from) timeouts_before = x.timeouts;
    }
    run.fact(p + "retransmits", last.s.retransmits,
             who + std::to_string(last.s.retransmits) + " segments retransmitted (" +
                 std::to_string(last.fast) + " fast retransmits, " + std::to_string(last.timeouts) +
                 " RTO expirations, " + std::to_string(last.timeouts - timeouts_before) +
                 " of them in the " + num(std::round(r.out_to - r.out_from)) + " ms outage)");
    run.fact(p + "fast_retrans", static_cast<double>(last.fast), "");
    run.fact(p + "timeouts", static_cast<double>(last.timeouts), "");
    run.fact(p + "max_backoff", max_backoff,
             who + "RTO backed off " + std::to_string(max_backoff) + " times in a row, up to " +
                 num(std::round(max_rto / 1000.0)) + " ms");
    run.fact(p + "max_rto_us", max_rto, "");
    run.fact(p + "cwnd_cuts", cuts,
             who + "cwnd was cut " + std::to_string(cuts) + " times (peak " + bytes_text(max_cwnd) +
                 ")");
    run.fact(p + "max_cwnd", max_cwnd, "");
    run.fact(p + "bytes_received", static_cast<double>(r.received),
             who + bytes_text(static_cast<double>(r.received)) + " received of " +
                 bytes_text(static_cast<double>(total)) + " in " +
                 num(std::round(r.secs * 10) / 10) +
                 " s: " + (r.exact ? "every byte exact, in order" : "NOT exact"));
    run.fact(p + "seconds", r.secs, "");
    run.fact(p + "exact", r.exact ? 1 : 0, "");
    if (!r.error.empty()) run.note(who + r.error);
    const std::string c = p.empty() ? "" : who;
    run.check(last.s.retransmits > 0, c + "segments were retransmitted");
    if (p != "tcp_") run.check(cuts > 0, c + "cwnd was reduced (sawtooth)");
    run.check(max_backoff >= 2, c + "the RTO backed off at least twice during the outage");
    run.check(r.exact, c + "every byte arrived exactly once");
  }

  static std::string plot(const Result& g, bool tcp) {
    const auto both = [&](const std::string& expr, const char* style, const std::string& title,
                          int lc, const char* axes = "") {
      std::string p = "'loss.csv' using 't_ms':" + expr + " " + axes + " with " + style + " lc " +
                      std::to_string(lc) + " title 'glass " + title + "'";
      p += ", 'loss-nosack.csv' using 't_ms':" + expr + " " + axes + " with " + style +
           " dt 3 lc " + std::to_string(lc + 4) + " title 'glass no SACK " + title + "'";
      if (tcp)
        p += ", 'loss-tcp.csv' using 't_ms':" + expr + " " + axes + " with " + style + " dt 2 lc " +
             std::to_string(tcp_color(lc)) + " title 'TCP " + title + "'";
      return p;
    };
    return "set multiplot layout 3,1 title 'transfer under loss: retransmissions, backoff, cwnd "
           "sawtooth" +
           std::string(tcp ? " (no SACK dotted, TCP dashed)" : " (no SACK dotted)") +
           "'\nset object 1 rect from " + num(g.out_from) + ", graph 0 to " + num(g.out_to) +
           ", graph 1 fc rgb '#e8e8e8' behind\nset key outside right\nset xlabel 'time (ms)'\n"
           // Fixed margins: the panels' time axes line up although two have a
           // right-hand axis.
           "set lmargin at screen 0.09\nset rmargin at screen 0.75\n"
           "set ylabel 'KiB'\nset title 'congestion window and slow-start threshold (grey: "
           "glass outage)'\nplot " +
           both("(column('cwnd')/1024)", "steps lw 2", "cwnd", 1) + ", " +
           both("(column('ssthresh')/1024)", "steps", "ssthresh", 2) +
           "\nset ylabel 'ms'\nset y2label 'backoff'\nset y2tics\n"
           "set title 'retransmission timeout and its backoff (right axis)'\nplot " +
           both("(column('rto_us')/1000)", "steps lw 2", "rto", 1) + ", " +
           both("'backoff'", "steps", "backoff", 2, "axes x1y2") +
           "\nunset y2tics\nunset y2label\nset ylabel 'count'\nset y2label 'MiB'\nset y2tics\n"
           "set title 'retransmissions and bytes received (right axis)'\nplot " +
           both("'retransmits'", "steps lw 2", "retransmits", 1) + ", " +
           both("'timeouts'", "steps", "timeouts", 3) + ", " +
           both("(column('bytes_received')/1048576)", "lines", "received", 4, "axes x1y2") +
           "\nunset multiplot\n";
  }

  LossOptions o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_loss() {
  return std::make_unique<lab::Loss>();
}
