// `glass lab nagle`: many small writes, first with Nagle's algorithm (the
// default), then with GLASS_NODELAY. Nagle holds a small segment back while
// data is unacknowledged, so writes coalesce into fewer, fuller segments and
// wait up to an ACK; NODELAY sends each write at once.
#include "transport.hpp"
#include "validators.hpp"

#include <unistd.h>

#include <cstring>
#include <iostream>
#include <thread>

namespace glass::cli::lab {
namespace {

struct NagleOptions {
  int writes = 0;    // 0: 400 (150 with --quick)
  int size = 16;     // bytes per write (a record: index, send time, padding)
  int gap_us = 200;  // pause between writes
};

struct ModeResult {
  std::vector<double> latency_us;  // per write: write() → reader has the record
  std::vector<double> segs;        // data segments sent after each write
  std::vector<double> held;        // bytes Nagle held right after each write
  std::uint64_t data_segs = 0, bytes = 0;
  std::uint32_t mss = 0;
  double elapsed_ms = 0;
  int delivered = 0;
};

class Nagle : public Scenario {
 public:
  const char* name() const override { return "nagle"; }
  const char* title() const override { return "Nagle coalesces small writes; NODELAY does not"; }
  const char* help() const override {
    return "The client makes many small write() calls, a little apart, twice: with Nagle's "
           "algorithm (the default) and with GLASS_NODELAY. send() only copies into the kernel "
           "send buffer; the kernel decides when a segment leaves. With Nagle, a segment "
           "smaller than the MSS waits while earlier data is unacknowledged, so the writes that "
           "arrive meanwhile leave together in one segment when the ACK comes: fewer, fuller "
           "segments, but each write waits up to a round trip (longer if the receiver delays "
           "its ACK). With NODELAY every write leaves at once in its own small segment: the "
           "lowest latency, the most segments and header bytes. The plot shows, for every "
           "write, how long until the reader had it, and how many data segments the sender had "
           "sent so far. The same writes then go over TCP (TCP_NODELAY) on a veth pair between "
           "the same namespaces. TCP's Nagle follows the same rule (Minshall's variant), but "
           "Linux TCP's receiver ACKs a small pushed segment as soon as the reader has read it "
           "when the exchange is one-way, where glass's receiver waits for its delayed-ACK "
           "timer: on TCP the held writes are released much sooner, so Nagle coalesces far "
           "less here. TCP's NODELAY may still merge a few writes: Linux autocorks a small "
           "write while the previous segment has not yet left the host (tcp_autocorking).";
  }

  void add_options(CLI::App& sub) override {
    sub.add_option("--writes", o_.writes, "Small writes per run (default 400)")
        ->check(CLI::Range(10, 100000));
    sub.add_option("--size", o_.size, "Bytes per write (>= 16: index and send time)")
        ->transform(size_validator(16, 1400))
        ->capture_default_str();
    sub.add_option("--gap", o_.gap_us, "Microseconds between writes")
        ->check(CLI::Range(0, 100000))
        ->capture_default_str();
  }

  void run(LabRun& run) override {
    const int writes = o_.writes > 0 ? o_.writes : (run.options().quick ? 150 : 400);
    const bool tcp = run.options().tcp;
    TestbedSpec spec{"nagle"};
    spec.veth = tcp;
    const Testbed tb(spec);
    const ModeResult nagle = run_mode(tb, Transport::kGlass, false, writes, 7410);
    const ModeResult nodelay = run_mode(tb, Transport::kGlass, true, writes, 7411);
    ModeResult tcp_nagle, tcp_nodelay;
    if (tcp) {
      tcp_nagle = run_mode(tb, Transport::kTcp, false, writes, 7412);
      tcp_nodelay = run_mode(tb, Transport::kTcp, true, writes, 7413);
    }

    std::vector<std::string> cols{"write",       "nagle_latency_us", "nodelay_latency_us",
                                  "nagle_segs",  "nodelay_segs",     "nagle_held",
                                  "nodelay_held"};
    if (tcp)
      for (const char* c : {"tcp_nagle_latency_us", "tcp_nodelay_latency_us", "tcp_nagle_segs",
                            "tcp_nodelay_segs", "tcp_nagle_held", "tcp_nodelay_held"})
        cols.emplace_back(c);
    Csv csv(cols);
    for (std::size_t i = 0; i < static_cast<std::size_t>(writes); i++) {
      std::vector<std::string> row{num(static_cast<double>(i)), num(nagle.latency_us[i]),
                                   num(nodelay.latency_us[i]),  num(nagle.segs[i]),
                                   num(nodelay.segs[i]),        num(nagle.held[i]),
                                   num(nodelay.held[i])};
      if (tcp)
        for (const double v :
             {tcp_nagle.latency_us[i], tcp_nodelay.latency_us[i], tcp_nagle.segs[i],
              tcp_nodelay.segs[i], tcp_nagle.held[i], tcp_nodelay.held[i]})
          row.push_back(num(v));
      csv.row(row);
    }
    run.write_csv(csv);
    run.note(std::to_string(writes) + " writes of " + std::to_string(o_.size) + " bytes, " +
             std::to_string(o_.gap_us) + " us apart (glass MSS " + std::to_string(nagle.mss) +
             (tcp ? ", TCP MSS " + std::to_string(tcp_nagle.mss) : std::string()) + ")");
    describe(run, "nagle", "glass, Nagle", nagle);
    describe(run, "nodelay", "glass, NODELAY", nodelay);
    const double ratio = static_cast<double>(nodelay.data_segs) /
                         static_cast<double>(std::max<std::uint64_t>(1, nagle.data_segs));
    run.fact("segment_ratio", ratio,
             "glass: NODELAY sent " + num(std::round(ratio * 10) / 10) + "x the segments of Nagle");
    run.check(nagle.delivered == writes && nodelay.delivered == writes,
              "every write arrived in both runs");
    run.check(nodelay.data_segs > nagle.data_segs, "NODELAY sent more data segments");
    run.check(
        static_cast<double>(nagle.bytes) / static_cast<double>(nagle.data_segs) > o_.size * 1.5,
        "Nagle coalesced writes (bytes per segment well above the write size)");
    std::string head =
        "bytes per segment with Nagle: glass " + num(std::round(per_segment(nagle) * 10) / 10);
    if (tcp) {
      describe(run, "tcp_nagle", "TCP, Nagle", tcp_nagle);
      describe(run, "tcp_nodelay", "TCP, NODELAY", tcp_nodelay);
      const double tcp_ratio = static_cast<double>(tcp_nodelay.data_segs) /
                               static_cast<double>(std::max<std::uint64_t>(1, tcp_nagle.data_segs));
      run.fact(
          "tcp_segment_ratio", tcp_ratio,
          "TCP: NODELAY sent " + num(std::round(tcp_ratio * 10) / 10) + "x the segments of Nagle");
      run.check(tcp_nagle.delivered == writes && tcp_nodelay.delivered == writes,
                "every write arrived over TCP");
      head += ", TCP " + num(std::round(per_segment(tcp_nagle) * 10) / 10) + "; with NODELAY " +
              num(std::round(per_segment(nodelay) * 10) / 10) + " and " +
              num(std::round(per_segment(tcp_nodelay) * 10) / 10);
    }
    run.headline(head);
    run.set_plot(plot(writes, tcp));
  }

 private:
  std::string plot(int writes, bool tcp) const {
    const auto series = [&](const char* what, const char* style) {
      std::string p = "'nagle.csv' using 'write':'nagle_" + std::string(what) + "' with " + style +
                      " lc 1 title 'glass Nagle', '' using 'write':'nodelay_" + what + "' with " +
                      style + " lc 2 title 'glass NODELAY'";
      if (tcp)
        p += ", '' using 'write':'tcp_nagle_" + std::string(what) + "' with " + style +
             " lc 3 dt 2 title 'TCP Nagle', '' using 'write':'tcp_nodelay_" + what + "' with " +
             style + " lc 4 dt 2 title 'TCP NODELAY'";
      return p;
    };
    return "set multiplot layout 2,1 title 'Nagle vs NODELAY, glass" +
           std::string(tcp ? " and TCP" : "") + ": " + std::to_string(writes) + " writes of " +
           std::to_string(o_.size) +
           " bytes'\nset key outside right\nset xlabel 'write #'\n"
           "set ylabel 'us'\nset title 'delivery latency of each write (write() -> reader has "
           "it)'\nset logscale y\nplot " +
           series("latency_us", "points pt 7 ps 0.4") +
           "\nunset logscale y\nset ylabel 'segments'\nset title 'data segments sent so far'\n"
           "plot " +
           series("segs", "lines lw 2") + "\nunset multiplot\n";
  }

  static double per_segment(const ModeResult& r) {
    return static_cast<double>(r.bytes) /
           static_cast<double>(std::max<std::uint64_t>(1, r.data_segs));
  }

  ModeResult run_mode(const Testbed& tb, Transport t, bool nodelay, int writes,
                      std::uint16_t port) const {
    ConnSpec spec;
    spec.nodelay = nodelay;
    spec.port = port;
    Connection c = connect_pair(tb, t, spec);
    ModeResult r;
    r.latency_us.assign(static_cast<std::size_t>(writes), std::nan(""));
    const SockState s0 = state_of(t, c.client.get());
    r.mss = s0.mss;
    std::jthread reader([&] {
      std::vector<std::byte> rec(static_cast<std::size_t>(o_.size));
      while (read_exact(c.server.get(), rec)) {
        const std::uint64_t now = mono_ns();
        std::uint64_t idx = 0, sent = 0;
        std::memcpy(&idx, rec.data(), 8);
        std::memcpy(&sent, rec.data() + 8, 8);
        if (idx < r.latency_us.size()) {
          r.latency_us[idx] = static_cast<double>(now - sent) / 1000.0;
          r.delivered++;
        }
      }
    });
    const Stopwatch clock;
    std::vector<std::byte> rec(static_cast<std::size_t>(o_.size));
    for (int i = 0; i < writes; i++) {
      const std::uint64_t idx = static_cast<std::uint64_t>(i), now = mono_ns();
      std::memcpy(rec.data(), &idx, 8);
      std::memcpy(rec.data() + 8, &now, 8);
      write_all(c.client.get(), rec);
      const SockState s = state_of(t, c.client.get());
      r.segs.push_back(static_cast<double>(s.data_segs_out - s0.data_segs_out));
      r.held.push_back(s.unsent);
      if (o_.gap_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(o_.gap_us));
    }
    r.elapsed_ms = clock.ms();
    ::shutdown(c.client.get(), SHUT_WR);
    reader.join();
    const SockState s = state_of(t, c.client.get());
    r.data_segs = s.data_segs_out - s0.data_segs_out;
    r.bytes = s.bytes_sent - s0.bytes_sent;
    return r;
  }

  void describe(LabRun& run, const std::string& mode, const std::string& label,
                const ModeResult& r) const {
    const double per_seg = per_segment(r);
    run.fact(mode + "_data_segs", static_cast<double>(r.data_segs), "");
    run.fact(mode + "_bytes_per_seg", per_seg, "");
    run.fact(mode + "_delivered", r.delivered, "");
    const double p50 = quantile(r.latency_us, 0.5), p99 = quantile(r.latency_us, 0.99);
    run.fact(mode + "_latency_p50_us", p50, "");
    run.fact(mode + "_latency_p99_us", p99, "");
    run.note(label + ": " + std::to_string(r.data_segs) + " data segments for " +
             std::to_string(r.delivered) + " writes (" + num(std::round(per_seg * 10) / 10) +
             " bytes/segment); latency p50 " + num(std::round(p50)) + " us, p99 " +
             num(std::round(p99)) + " us; writes took " + num(std::round(r.elapsed_ms)) + " ms");
  }

  NagleOptions o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_nagle() {
  return std::make_unique<lab::Nagle>();
}
