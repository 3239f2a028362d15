// `glass lab copy`: the cost of moving bytes through the socket API. Every
// write() copies from the process into the kernel send buffer and every
// read() copies out of the receive buffer; each call also pays a fixed cost
// to enter the kernel. The same transfer with writes of different sizes,
// then the same sizes through four send modes: write(), MSG_ZEROCOPY,
// io_uring send and io_uring send-zc (send_modes.hpp).
#include "bulk.hpp"
#include "send_modes.hpp"
#include "transport.hpp"
#include "validators.hpp"

#include <sys/resource.h>

#include <cmath>
#include <iostream>
#include <map>

namespace glass::cli::lab {
namespace {

struct Options {
  std::vector<int> sizes{64, 1024, 16384, 131072};
  double seconds = 0;  // per size; 0: 1.5 (0.6 with --quick)
};

double cpu_seconds(bool system) {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  const timeval& tv = system ? ru.ru_stime : ru.ru_utime;
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

class Copy : public Scenario {
 public:
  const char* name() const override { return "copy"; }
  const char* title() const override { return "Copies and calls: what a byte costs"; }
  const char* help() const override {
    return "A bulk transfer over the glass pair, repeated with write() sizes from tiny to "
           "large, each for the same time. send()/write() copies the bytes from the process "
           "into the kernel's send buffer; read() copies them out of the receive buffer into "
           "the process: two copies per byte on top of the protocol work. Each call also "
           "costs a fixed amount to enter and leave the kernel and to run the protocol. With "
           "tiny writes the fixed cost per call dominates: many calls per megabyte, much CPU "
           "per megabyte, low throughput. With large writes the per-call cost is spread over "
           "many bytes and what remains is the per-byte cost: copying and checksumming. CPU "
           "time is the whole process (writer, reader, and the kernel work done on their "
           "behalf). The same sizes then go over TCP on a veth pair between the same "
           "namespaces: the same two copies and the same per-call cost, plus TCP's own "
           "protocol work (dashed). Last, over glass, the same sizes through four send "
           "modes: write(), send(MSG_ZEROCOPY) (the kernel pins the pages instead of "
           "copying them and says on the error queue when it let go), io_uring send and "
           "io_uring send-zc; the sending thread's CPU per megabyte shows where skipping "
           "the copy pays and where pinning and completions cost more than the copy "
           "(small writes).";
  }

  void add_options(CLI::App& sub) override {
    sub.add_option("--sizes", o_.sizes, "write() sizes to compare, bytes")
        ->delimiter(',')
        ->transform(size_validator(1, 4 << 20))
        ->capture_default_str();
    sub.add_option("--seconds", o_.seconds, "Transfer time per size (default 1.5)")
        ->check(CLI::Range(0.2, 60.0));
  }

  void run(LabRun& run) override {
    const double secs = o_.seconds > 0 ? o_.seconds : (run.options().quick ? 0.6 : 1.5);
    const bool tcp = run.options().tcp;
    TestbedSpec spec{"copy"};
    spec.veth = tcp;
    const Testbed tb(spec);
    std::vector<std::string> cols{"write_size",    "bytes",          "writes",
                                  "seconds",       "throughput_Bps", "writes_per_MB",
                                  "cpu_us_per_MB", "sys_us_per_MB"};
    if (tcp)
      for (const char* c : {"tcp_throughput_Bps", "tcp_cpu_us_per_MB", "tcp_sys_us_per_MB"})
        cols.emplace_back(c);
    Csv csv(cols);
    std::map<Transport, std::vector<Point>> pts;
    for (const Transport t : kTransports) {
      if (t == Transport::kTcp && !tcp) continue;
      std::uint16_t port = t == Transport::kGlass ? 7440 : 7470;
      for (const int size : o_.sizes) {
        const Point p = measure(tb, t, size, secs, port++);
        pts[t].push_back(p);
        const std::string k = t == Transport::kGlass ? "" : "tcp_";
        run.note(std::string(label_of(t)) + ", " + std::to_string(size) +
                 "-byte writes: " + rate_text(p.rate) + ", " + num(std::round(p.writes_per_mb)) +
                 " writes/MB, " + num(std::round(p.cpu_per_mb)) + " us CPU per MB (" +
                 num(std::round(100 * p.sys_per_mb / p.cpu_per_mb)) + "% in the kernel)");
        run.fact(k + "throughput_Bps_" + std::to_string(size), p.rate, "");
        run.fact(k + "cpu_us_per_MB_" + std::to_string(size), p.cpu_per_mb, "");
      }
    }
    for (std::size_t i = 0; i < o_.sizes.size(); i++) {
      const Point& g = pts[Transport::kGlass][i];
      std::vector<std::string> row{num(o_.sizes[i]),
                                   num(g.bytes),
                                   num(g.writes),
                                   num(g.seconds),
                                   num(std::round(g.rate)),
                                   num(g.writes_per_mb),
                                   num(std::round(g.cpu_per_mb)),
                                   num(std::round(g.sys_per_mb))};
      if (tcp) {
        const Point& t = pts[Transport::kTcp][i];
        for (const double v : {t.rate, t.cpu_per_mb, t.sys_per_mb})
          row.push_back(num(std::round(v)));
      }
      csv.row(row);
    }
    run.write_csv(csv);
    std::string head;
    for (const auto& [t, ps] : pts) {
      const Point &small = ps.front(), &large = ps.back();
      bool exact = true;
      for (const Point& p : ps) exact = exact && p.exact;
      const double speedup = large.rate / small.rate;
      const std::string k = t == Transport::kGlass ? "" : "tcp_";
      const std::string who = t == Transport::kGlass ? "glass: " : "TCP: ";
      run.fact(k + "speedup", speedup,
               who + "largest writes moved " + num(std::round(speedup * 10) / 10) +
                   "x the bytes/s of the smallest, at " +
                   num(std::round(100 * large.cpu_per_mb / small.cpu_per_mb)) +
                   "% of the CPU per byte");
      const std::string c = t == Transport::kGlass ? "" : "TCP: ";
      run.check(large.rate > small.rate, c + "large writes beat tiny ones in bytes/s");
      run.check(large.cpu_per_mb < small.cpu_per_mb, c + "large writes cost less CPU per byte");
      run.check(exact, c + "every transfer arrived intact");
      head += std::string(head.empty() ? "" : "; ") + label_of(t) + " " + rate_text(small.rate) +
              " with " + std::to_string(o_.sizes.front()) + "-byte writes, " +
              rate_text(large.rate) + " with " + std::to_string(o_.sizes.back());
    }
    const std::string modes_head = run_modes(run, tb, secs);
    run.headline(head + "; " + modes_head);
    // col is a column name; scale divides it (glass: col, TCP: tcp_col).
    const auto both = [&](const std::string& col, const char* scale, const char* title, int lc,
                          int pt) {
      const auto expr = [&](const std::string& c) { return "(column('" + c + "')" + scale + ")"; };
      std::string p = "'copy.csv' using 'write_size':" + expr(col) + " with linespoints pt " +
                      std::to_string(pt) + " lw 2 lc " + std::to_string(lc) + " title 'glass " +
                      title + "'";
      if (tcp)
        p += ", '' using 'write_size':" + expr("tcp_" + col) + " with linespoints pt " +
             std::to_string(pt) + " lw 2 dt 2 lc " + std::to_string(lc) + " title 'TCP " + title +
             "'";
      return p;
    };
    run.set_plot(
        "set multiplot layout 3,1 title 'what a byte costs: write() size vs throughput and "
        "CPU" +
            std::string(tcp ? " (glass solid, TCP dashed)" : "") +
            "'\nset logscale x 2\nset xlabel 'write() size (bytes)'\nset key outside right\n"
            "set ylabel 'MB/s'\nset title 'throughput'\nplot " +
            both("throughput_Bps", "/1e6", "", 1, 7) +
            "\nset ylabel 'us per MB'\nset logscale y\nset title 'CPU time per megabyte "
            "moved'\nplot " +
            both("cpu_us_per_MB", "", "user+system", 1, 7) + ", " +
            both("sys_us_per_MB", "", "system", 2, 4) + "\nunset logscale y\n" + modes_plot() +
            "\nunset multiplot\n",
        960, 960);
  }

 private:
  struct Point {
    double bytes = 0, writes = 0, seconds = 0, rate = 0, writes_per_mb = 0, cpu_per_mb = 0,
           sys_per_mb = 0;
    bool exact = false;
  };

  // The sending thread's CPU per MB by mode, from copy-modes.csv.
  static std::string modes_plot() {
    std::string p =
        "set ylabel 'us per MB (sender)'\nset logscale y\nset title 'glass: the sending "
        "thread: CPU per megabyte, by send mode'\nplot ";
    int lc = 1;
    for (const SendMode m : kSendModes) {
      const std::string k = mode_key(m);
      p.append(lc > 1 ? ", " : "")
          .append("'copy-modes.csv' using 'write_size':'")
          .append(k)
          .append("_sender_us_per_MB' with linespoints pt 7 lw 2 lc ")
          .append(std::to_string(lc))
          .append(" title '")
          .append(k)
          .append("'");
      lc++;
    }
    return p + "\nunset logscale y";
  }

  // Each size through each send mode, over glass; returns the headline part.
  std::string run_modes(LabRun& run, const Testbed& tb, double secs) const {
    std::vector<std::string> cols{"write_size"};
    for (const SendMode m : kSendModes)
      for (const char* c : {"_throughput_Bps", "_sender_us_per_MB", "_sender_sys_us_per_MB",
                            "_calls", "_completions", "_copied"})
        cols.push_back(mode_key(m) + std::string(c));
    Csv csv(cols);
    std::uint16_t port = 7500;
    bool exact = true;
    double zc_completions = 0, zc_copied = 0, uring_notifs = 0;
    int pays_from = 0;
    for (const int size : o_.sizes) {
      std::vector<std::string> row{num(size)};
      std::map<SendMode, double> cpu, rate_of;
      for (const SendMode m : kSendModes) {
        ConnSpec spec;
        spec.port = port++;
        spec.server_rcvbuf = 256 * 1024;
        spec.client_sndbuf = 256 * 1024;
        Connection c = connect_pair(tb, Transport::kGlass, spec);
        const ModeResult r = run_send_mode(c, m, size, std::max(0.2, secs / 2),
                                           static_cast<std::uint64_t>(size) * 4 + 1);
        const double mb = std::max(1.0, static_cast<double>(r.bytes)) / 1e6;
        const double rate = static_cast<double>(r.bytes) / r.seconds;
        cpu[m] = (r.sender_user_s + r.sender_sys_s) * 1e6 / mb;
        rate_of[m] = rate;
        const std::string k = std::string(mode_key(m)) + "_";
        const std::string sz = std::to_string(size);
        if (!r.error.empty()) run.note(r.error);
        exact = exact && r.exact;
        if (m == SendMode::kMsgZerocopy) {
          zc_completions += static_cast<double>(r.completions);
          zc_copied += static_cast<double>(r.copied);
        }
        if (m == SendMode::kUringZc) uring_notifs += static_cast<double>(r.completions);
        run.note(std::string("glass, ") + mode_key(m) + ", " + sz +
                 "-byte calls: " + rate_text(rate) + ", sender " + num(std::round(cpu[m])) +
                 " us CPU per MB, " + num(static_cast<double>(r.calls)) + " calls, " +
                 num(static_cast<double>(r.completions)) + " zero-copy completions");
        // A fact's key: mode, what, size.
        const auto key = [&](const char* what) { return std::string(k).append(what).append(sz); };
        run.fact(key("throughput_Bps_"), rate, "");
        run.fact(key("sender_us_per_MB_"), cpu[m], "");
        run.fact(key("exact_"), r.exact ? 1 : 0, "");
        for (const double v :
             {rate, cpu[m], r.sender_sys_s * 1e6 / mb, static_cast<double>(r.calls),
              static_cast<double>(r.completions), static_cast<double>(r.copied)})
          row.push_back(num(std::round(v)));
      }
      // Pays: less of the sender's CPU per byte, and no fewer bytes per second.
      if (pays_from == 0 && cpu[SendMode::kMsgZerocopy] < cpu[SendMode::kWrite] &&
          rate_of[SendMode::kMsgZerocopy] >= rate_of[SendMode::kWrite])
        pays_from = size;
      csv.row(row);
    }
    run.write_csv(csv, "modes");
    run.fact("modes_exact", exact ? 1 : 0, "");
    run.fact("msg_zerocopy_completions", zc_completions,
             "glass: MSG_ZEROCOPY completions read off the error queue");
    run.fact("msg_zerocopy_copied", zc_copied, "");
    run.fact("uring_send_zc_notifications", uring_notifs,
             "glass: io_uring send-zc notification CQEs");
    run.fact("zerocopy_pays_from", pays_from,
             pays_from ? "glass: MSG_ZEROCOPY first costs the sender less CPU per byte than "
                         "write(), at no loss of throughput, with " +
                             std::to_string(pays_from) + "-byte calls"
                       : "glass: MSG_ZEROCOPY never beat write() here in both CPU per byte "
                         "and throughput");
    run.check(exact, "every send mode moved the same bytes, exact");
    run.check(zc_completions > 0 && uring_notifs > 0,
              "zero-copy completions arrived (error queue, notification CQEs)");
    return pays_from ? "zero-copy pays from " + std::to_string(pays_from) + "-byte writes"
                     : std::string("zero-copy did not pay at these sizes");
  }

  Point measure(const Testbed& tb, Transport t, int size, double secs, std::uint16_t port) const {
    ConnSpec spec;
    spec.port = port;
    spec.server_rcvbuf = 256 * 1024;
    spec.client_sndbuf = 256 * 1024;
    Connection c = connect_pair(tb, t, spec);
    const double u0 = cpu_seconds(false), s0 = cpu_seconds(true);
    const Stopwatch clock;
    Bulk bulk(c, 0, size, static_cast<std::uint64_t>(size));
    sleep_ms(secs * 1000);
    bulk.stop();
    bulk.join();
    Point p;
    p.seconds = clock.s();
    const double user = cpu_seconds(false) - u0, sys = cpu_seconds(true) - s0;
    p.bytes = static_cast<double>(bulk.received());
    const double mb = p.bytes / 1e6;
    p.writes = std::ceil(static_cast<double>(bulk.written()) / size);
    p.rate = p.bytes / p.seconds;
    p.writes_per_mb = p.writes / mb;
    p.cpu_per_mb = (user + sys) * 1e6 / mb;
    p.sys_per_mb = sys * 1e6 / mb;
    p.exact = bulk.exact();
    return p;
  }

  Options o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_copy() {
  return std::make_unique<lab::Copy>();
}
