// `glass lab slow-reader`: the receiver stops reading. Its receive buffer
// fills, the window it advertises falls to 0, the sender's send buffer fills
// and its write() sleeps; the persist timer probes the closed window. Then
// the reader resumes, the window reopens and everything drains, byte-exact.
#include "transport.hpp"
#include "validators.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <iostream>
#include <optional>
#include <thread>

namespace glass::cli::lab {
namespace {

constexpr std::uint64_t kSeed = 11;

// Whole segments: 22 x MSS (1468) for the window, 4 x MSS per write, so the
// window fills to its last byte with full-sized segments (docs/lab.md says
// what happens when it does not).
constexpr int kMss = 1468;

struct SlowReaderOptions {
  int rcvbuf = 22 * kMss;    // receive window (payload bytes)
  int sndbuf = 32 * 1024;    // SO_SNDBUF of the writer (the kernel doubles it)
  int chunk = 4 * kMss;      // bytes per write()
  double pause_ms = 0;       // 0: 1500 (800 with --quick); at least this long
  double read_first_ms = 0;  // reading before the pause
};

// What the writer thread did, read by the sampler and the reader.
struct Writer {
  std::atomic<std::uint64_t> written{0};
  std::atomic<std::uint64_t> waits{0};  // send buffer found full (write_counting_waits)
  std::atomic<bool> in_write{false};
  std::atomic<bool> stop{false};
  double longest_write_ms = 0;
  std::string error;

  void run(int fd, int chunk) {
    const Pattern pat(kSeed);
    std::vector<std::byte> buf(static_cast<std::size_t>(chunk));
    try {
      while (!stop.load()) {
        pat.fill(written.load(), buf);
        const Stopwatch w;
        in_write = true;
        write_counting_waits(fd, buf, waits);
        in_write = false;
        longest_write_ms = std::max(longest_write_ms, w.ms());
        written += buf.size();
      }
      ::shutdown(fd, SHUT_WR);
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
};

struct Phases {
  double pause_at = 0, resume_at = 0;
};

// How much longer than --pause the reader may wait for the story to be told.
constexpr double kMaxHoldMs = 10000;

// One sample of both ends, in the same terms for glass and TCP.
struct Sample {
  double t = 0;
  int phase = 0;
  std::uint32_t unread = 0;   // reader: received, not read
  std::uint32_t rcv_wnd = 0;  // window the reader advertised
  std::uint32_t snd_wnd = 0;  // window the writer last saw
  std::uint32_t unsent = 0, unacked = 0;
  std::uint64_t zero_wnd_sent = 0;   // reader's zero-window advertisements
  std::uint64_t writer_blocked = 0;  // writer's sleeps on a full send buffer
  std::uint64_t probes = 0;          // writer's zero-window probes
  bool in_write = false;
  std::uint64_t written = 0, read = 0;
};

// Reads a Sample of one connection. glass: GLASS_INFO of both ends (the
// reader's own rcv_wnd, the kernel's count of writer sleeps). TCP: TCP_INFO
// and SIOC*Q (the reader's window as the writer last saw it, tcpi_snd_wnd),
// the namespaces' TcpExt counters, and the writer's own count of waits.
class Watch {
 public:
  Watch(Transport t, const Testbed& tb, const Connection& c, const Writer& w)
      : t_(t), c_(c), w_(w) {
    if (t_ == Transport::kGlass) return;
    reader_ns_.emplace(t, tb.b());
    writer_ns_.emplace(t, tb.a());
    zero0_ = reader_ns_->get(Counter::kZeroWindowAdvertised);
    probes0_ = writer_ns_->get(Counter::kZeroWindowProbes);
  }

  Sample take(double t, int phase, std::uint64_t read) const {
    Sample x;
    x.t = t;
    x.phase = phase;
    x.in_write = w_.in_write.load();
    x.written = w_.written.load();
    x.read = read;
    if (t_ == Transport::kGlass) {
      const glass_info r = info_of(c_.server.get());
      const glass_info s = info_of(c_.client.get());
      x.unread = r.gi_unread;
      x.rcv_wnd = r.gi_rcv_wnd;
      x.zero_wnd_sent = r.gi_zero_wnd_sent;
      x.snd_wnd = s.gi_snd_wnd;
      x.unsent = s.gi_unsent;
      x.unacked = s.gi_unacked;
      x.writer_blocked = s.gi_writer_blocked;
      x.probes = s.gi_probes;
      return x;
    }
    const SockState r = state_of(t_, c_.server.get());
    const SockState s = state_of(t_, c_.client.get());
    x.unread = r.unread;
    x.rcv_wnd = s.snd_wnd;
    x.snd_wnd = s.snd_wnd;
    x.unsent = s.unsent;
    x.unacked = s.unacked;
    x.zero_wnd_sent = reader_ns_->get(Counter::kZeroWindowAdvertised) - zero0_;
    x.probes = writer_ns_->get(Counter::kZeroWindowProbes) - probes0_;
    x.writer_blocked = w_.waits.load();
    return x;
  }

 private:
  Transport t_;
  const Connection& c_;
  const Writer& w_;
  std::optional<NetCounters> reader_ns_, writer_ns_;
  std::uint64_t zero0_ = 0, probes0_ = 0;
};

// What one transport's run left.
struct Result {
  std::vector<Sample> samples;
  Phases ph;
  std::uint64_t written = 0, read = 0;
  double longest_write_ms = 0;
  bool exact = true;
  std::string error;
  std::uint32_t window = 0;  // the window the reader offered at the start
};

class SlowReader : public Scenario {
 public:
  const char* name() const override { return "slow-reader"; }
  const char* title() const override { return "A slow reader closes the window"; }
  const char* help() const override {
    return "A writer in host a sends as fast as it can; the reader in host b does not read "
           "for a while (the grey band), then reads everything. While it does not read, the "
           "bytes that arrive wait in its kernel receive buffer (unread) and every ACK its kernel "
           "sends advertises the space left (rcv_wnd), until the window is 0. The sender may "
           "not send into a closed window, so its send buffer fills (unsent) and write() "
           "sleeps (writer_blocked). Its persist timer sends zero-window probes, so a lost "
           "window update cannot deadlock the connection. When reading resumes, the reader's "
           "kernel announces the open window (a window update), the queued bytes flow and the "
           "writer wakes up. Every byte is checked against the pattern it was written with. "
           "Then the same run over TCP, on a veth pair between the same namespaces, with the "
           "same buffer sizes (dashed lines): TCP's window, as its writer last saw it "
           "(tcpi_snd_wnd), its unread and unsent bytes (SIOCINQ, tcpi_notsent_bytes), the "
           "writer's waits for room and the namespaces' TcpExt counters (TCPWinProbe, "
           "TCPToZeroWindowAdv). TCP's window is not a fixed number of payload bytes: it "
           "advertises part of the memory still free in the doubled SO_RCVBUF and counts packet "
           "buffers, not payload, so how much it holds unread depends on how the packets were "
           "stored, and its window shrinks in steps as the memory fills.";
  }

  void add_options(CLI::App& sub) override {
    sub.add_option("--rcvbuf", o_.rcvbuf, "Reader's SO_RCVBUF: the window it can offer, bytes")
        ->transform(size_validator(4096, 16 << 20))
        ->capture_default_str();
    sub.add_option("--sndbuf", o_.sndbuf, "Writer's SO_SNDBUF in bytes (doubled by the kernel)")
        ->transform(size_validator(4096, 16 << 20))
        ->capture_default_str();
    sub.add_option("--chunk", o_.chunk, "Bytes per write()")
        ->transform(size_validator(1, 1 << 20))
        ->capture_default_str();
    sub.add_option("--pause", o_.pause_ms,
                   "How long the reader stops, ms (default 1500); longer if the window has not "
                   "closed, the writer not slept or no zero-window probe gone out by then")
        ->check(CLI::Range(200.0, 60000.0));
    sub.add_option("--read-first", o_.read_first_ms,
                   "Read for this long before the pause, ms (see docs/lab.md: the window may "
                   "then stop a few bytes short of 0)")
        ->check(CLI::Range(0.0, 60000.0))
        ->capture_default_str();
  }

  void run(LabRun& run) override {
    const bool tcp = run.options().tcp;
    TestbedSpec spec{"slow"};
    spec.veth = tcp;
    const Testbed tb(spec);
    const Result g = run_transport(run, tb, Transport::kGlass);
    write_csv(run, g, "");
    report_glass(run, g);
    std::string head = "window closed after " + ms_text(g, first_zero(g)) + " of not reading";
    if (tcp) {
      const Result t = run_transport(run, tb, Transport::kTcp);
      write_csv(run, t, "tcp");
      report_tcp(run, t);
      head += " (TCP: " + ms_text(t, first_zero(t)) +
              "); zero-window probes in the pause: " + std::to_string(probes_in_pause(g)) +
              " (TCP: " + std::to_string(probes_in_pause(t)) + ")";
    }
    run.headline(head);
    run.set_plot(plot(g.ph, tcp));
  }

 private:
  Result run_transport(LabRun& run, const Testbed& tb, Transport t) const {
    const bool quick = run.options().quick;
    const double read_ms = o_.read_first_ms;
    const double pause_ms = o_.pause_ms > 0 ? o_.pause_ms : (quick ? 800 : 1500);
    const double after_ms = quick ? 250 : 400;
    ConnSpec spec;
    spec.server_rcvbuf = o_.rcvbuf;
    spec.client_sndbuf = o_.sndbuf;
    spec.port = t == Transport::kGlass ? 7400 : 7401;
    Connection c = connect_pair(tb, t, spec);
    Result res;
    const SockState s0 = state_of(t, c.client.get());
    res.window = t == Transport::kGlass ? info_of(c.server.get()).gi_rcv_space : s0.snd_wnd;
    run.note(std::string(label_of(t)) + ": reader window " + bytes_text(res.window) +
             ", writer SO_SNDBUF " + bytes_text(o_.sndbuf) + " (doubled by the kernel), MSS " +
             std::to_string(s0.mss) + ", " + std::to_string(o_.chunk) + "-byte writes");

    Writer writer;
    std::atomic<int> phase{0};
    std::atomic<std::uint64_t> read_total{0};
    Stopwatch clock;
    Phases& ph = res.ph;
    {
      const Watch watch(t, tb, c, writer);
      std::atomic<bool> shown{false};
      Sample before;  // the sampler's last sample before the pause
      Sampler sampler(clock, run.options().interval_ms, [&](double now) {
        const Sample x = watch.take(now, phase.load(), read_total.load());
        if (x.phase == 0) before = x;
        if (x.phase == 1 && told(before, x)) shown = true;
        res.samples.push_back(x);
      });
      std::jthread wt([&] { writer.run(c.client.get(), o_.chunk); });
      const Pattern pat(kSeed);
      std::vector<std::byte> buf(16384);
      bool eof = false;
      const auto read_some = [&] {
        const ssize_t n = ::read(c.server.get(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) return;
        if (n < 0) throw_errno("read", errno);
        if (n == 0) {
          eof = true;
          return;
        }
        const auto got = std::span(buf).first(static_cast<std::size_t>(n));
        if (!pat.check(read_total.load(), got)) res.exact = false;
        read_total += static_cast<std::uint64_t>(n);
      };
      try {
        while (clock.ms() < read_ms) read_some();
        ph.pause_at = clock.ms();
        phase = 1;
        sleep_ms(pause_ms);
        // One RTO (200 ms at least) separates the closed window from the
        // first probe, and a busy host stretches RTTs and so the RTO: past
        // --pause, the reader waits (a while) for the story to be told.
        while (!shown.load() && clock.ms() < ph.pause_at + pause_ms + kMaxHoldMs) sleep_ms(5);
        ph.resume_at = clock.ms();
        if (ph.resume_at - ph.pause_at > pause_ms + 50)
          run.note(std::string(label_of(t)) + ": the reader paused " +
                   num(std::round(ph.resume_at - ph.pause_at)) +
                   " ms, longer than asked: the window had not yet closed, the writer not yet "
                   "slept or the persist timer not yet probed (a slow or busy machine)");
        phase = 2;
        while (!eof) {
          if (clock.ms() > ph.resume_at + after_ms) writer.stop = true;
          read_some();
        }
      } catch (...) {
        writer.stop = true;  // unblock the writer before the join
        ::shutdown(c.server.get(), SHUT_RDWR);
        throw;
      }
      wt.join();
      sleep_ms(3 * run.options().interval_ms);
      sampler.stop();
    }
    res.written = writer.written.load();
    res.read = read_total.load();
    res.longest_write_ms = writer.longest_write_ms;
    res.error = writer.error;
    return res;
  }

  // Whether the pause has shown what it is for, from the last sample before
  // it: the window closed at both ends, the writer asleep on its full send
  // buffer and a zero-window probe sent.
  static bool told(const Sample& before, const Sample& x) {
    return x.rcv_wnd == 0 && x.snd_wnd == 0 && x.probes > before.probes &&
           (x.writer_blocked > before.writer_blocked || x.in_write);
  }

  static void write_csv(LabRun& run, const Result& r, const std::string& suffix) {
    Csv csv({"t_ms", "phase", "r_unread", "r_rcv_wnd", "r_zero_wnd_sent", "s_snd_wnd", "s_unsent",
             "s_unacked", "s_writer_blocked", "s_probes", "writer_in_write", "bytes_written",
             "bytes_read"});
    for (const Sample& x : r.samples)
      csv.row({num(x.t), num(x.phase), num(x.unread), num(x.rcv_wnd),
               num(static_cast<double>(x.zero_wnd_sent)), num(x.snd_wnd), num(x.unsent),
               num(x.unacked), num(static_cast<double>(x.writer_blocked)),
               num(static_cast<double>(x.probes)), num(x.in_write ? 1 : 0),
               num(static_cast<double>(x.written)), num(static_cast<double>(x.read))});
    run.write_csv(csv, suffix);
  }

  // Time of the first sample in the pause with the window closed at both
  // ends' view, or -1.
  static double first_zero(const Result& r) {
    for (const Sample& x : r.samples)
      if (x.phase == 1 && x.rcv_wnd == 0 && x.snd_wnd == 0) return x.t;
    return -1;
  }

  static std::string ms_text(const Result& r, double at) {
    return at < 0 ? "never" : num(std::round(at - r.ph.pause_at)) + " ms";
  }

  // Counter growth from the last sample before the pause to the last in it.
  template <typename F>
  static std::uint64_t in_pause(const Result& r, F field) {
    std::uint64_t before = 0, during = 0;
    for (const Sample& x : r.samples) {
      if (x.phase == 0) before = field(x);
      if (x.phase == 1) during = field(x);
    }
    return during > before ? during - before : 0;
  }
  static std::uint64_t blocked_in_pause(const Result& r) {
    return in_pause(r, [](const Sample& x) { return x.writer_blocked; });
  }
  static std::uint64_t probes_in_pause(const Result& r) {
    return in_pause(r, [](const Sample& x) { return x.probes; });
  }

  // Facts of one run, under prefix ("" for glass, "tcp_" for TCP).
  struct Findings {
    double zero_after = -1, reopen_after = -1;
    std::uint32_t max_unread = 0, max_unsent = 0;
    std::uint64_t blocked = 0, blocked_in_pause = 0, probes = 0, probes_in_pause = 0;
    // The writer was inside write() when reading resumed: asleep on the full
    // buffer, maybe since before the pause (then blocked_in_pause is 0).
    bool asleep_at_resume = false;
    std::uint64_t zero_adv = 0;
    bool exact = false, drained = false;
  };

  static Findings analyze(const Result& r) {
    Findings f;
    double reopen_at = -1;
    for (const Sample& x : r.samples) {
      if (x.phase == 1) {
        f.asleep_at_resume = x.in_write;
        f.max_unread = std::max(f.max_unread, x.unread);
        f.max_unsent = std::max(f.max_unsent, x.unsent);
      } else if (x.phase == 2 && reopen_at < 0 && x.snd_wnd > 0) {
        reopen_at = x.t;
      }
    }
    const double zero_at = first_zero(r);
    f.zero_after = zero_at < 0 ? -1 : zero_at - r.ph.pause_at;
    f.reopen_after = reopen_at < 0 ? -1 : reopen_at - r.ph.resume_at;
    const Sample& last = r.samples.back();
    f.blocked = last.writer_blocked;
    f.blocked_in_pause = blocked_in_pause(r);
    f.probes = last.probes;
    f.probes_in_pause = probes_in_pause(r);
    f.zero_adv = last.zero_wnd_sent;
    f.exact = r.exact && r.read == r.written && r.error.empty();
    f.drained = last.unread == 0 && last.unsent == 0;
    return f;
  }

  static void facts(LabRun& run, const std::string& p, const Result& r, const Findings& f) {
    const std::string who = p.empty() ? "" : "TCP: ";
    run.fact(p + "max_unread", f.max_unread,
             who + "receive buffer held up to " + bytes_text(f.max_unread) + " unread (window " +
                 bytes_text(r.window) + ")");
    run.fact(p + "window_zero_after_ms", f.zero_after,
             who + (f.zero_after < 0 ? "window never reached 0"
                                     : "window reached 0 after " + num(std::round(f.zero_after)) +
                                           " ms of not reading"));
    run.fact(p + "max_unsent", f.max_unsent,
             who + "sender's queue grew to " + bytes_text(f.max_unsent) + " unsent");
    run.fact(p + "writer_blocked", static_cast<double>(f.blocked),
             who + "writer blocked " + times_text(f.blocked) + " (" +
                 std::to_string(f.blocked_in_pause) + " during the pause); longest write() took " +
                 num(std::round(r.longest_write_ms)) + " ms");
    run.fact(p + "writer_blocked_in_pause", static_cast<double>(f.blocked_in_pause), "");
    run.fact(p + "writer_asleep_at_resume", f.asleep_at_resume ? 1 : 0, "");
    run.fact(p + "probes", static_cast<double>(f.probes),
             who + std::to_string(f.probes_in_pause) +
                 " zero-window probes while the window was closed (" + std::to_string(f.probes) +
                 " in all)");
    run.fact(p + "probes_in_pause", static_cast<double>(f.probes_in_pause), "");
    run.fact(p + "zero_window_advertised", static_cast<double>(f.zero_adv),
             who + "reader's kernel advertised a zero window " + times_text(f.zero_adv));
    run.fact(p + "window_reopened_after_ms", f.reopen_after,
             who + (f.reopen_after < 0 ? "window did not reopen"
                                       : "window reopened " + num(std::round(f.reopen_after)) +
                                             " ms after reading resumed"));
    run.fact(p + "bytes_written", static_cast<double>(r.written), "");
    run.fact(p + "bytes_read", static_cast<double>(r.read),
             who + bytes_text(static_cast<double>(r.read)) + " read of " +
                 bytes_text(static_cast<double>(r.written)) + " written, " +
                 (r.exact ? "every byte as written" : "CONTENT MISMATCH"));
    run.fact(p + "exact", f.exact ? 1 : 0, "");
    run.fact(p + "pause_ms", r.ph.resume_at - r.ph.pause_at, "");
    if (!r.error.empty()) run.note(who + "writer error: " + r.error);
  }

  static void report_glass(LabRun& run, const Result& r) {
    const Findings f = analyze(r);
    run.fact("rcv_space", r.window, "");
    facts(run, "", r, f);
    if (f.zero_after < 0 && f.max_unread < r.window)
      run.note("the window stayed at " + bytes_text(r.window - f.max_unread) +
               ": the sender does not send less than a segment into it (sender SWS "
               "avoidance); choose --rcvbuf and --chunk as multiples of the MSS");
    run.check(f.zero_after >= 0, "the advertised window reached 0");
    run.check(f.max_unread >= r.window, "the receive buffer filled to the window");
    run.check(f.blocked_in_pause > 0 || f.asleep_at_resume,
              "the writer blocked on a full send buffer");
    run.check(f.probes_in_pause > 0, "zero-window probes were sent");
    run.check(f.reopen_after >= 0, "the window reopened");
    run.check(f.exact, "every byte arrived intact");
    run.check(f.drained, "everything drained");
  }

  static void report_tcp(LabRun& run, const Result& r) {
    const Findings f = analyze(r);
    run.fact("tcp_window", r.window, "");
    facts(run, "tcp_", r, f);
    run.check(f.zero_after >= 0, "TCP: the advertised window reached 0 too");
    run.check(f.blocked_in_pause > 0 || f.asleep_at_resume, "TCP: the writer blocked too");
    run.check(f.exact, "TCP: every byte arrived intact");
  }

  static std::string plot(const Phases& ph, bool tcp) {
    // glass solid, TCP dashed in the same colour.
    const auto both = [&](const std::string& col, const char* style, const std::string& title,
                          int lc, const char* axes = "") {
      std::string p = "'slow-reader.csv' using 't_ms':'" + col + "' " + axes + " with " + style +
                      " lw 2 lc " + std::to_string(lc) + " title 'glass " + title + "'";
      if (tcp)
        p += ", 'slow-reader-tcp.csv' using 't_ms':'" + col + "' " + axes + " with " + style +
             " lw 2 dt 2 lc " + std::to_string(tcp_color(lc)) + " title 'TCP " + title + "'";
      return p;
    };
    return "set multiplot layout 3,1 title 'slow reader: receive buffer fills, window closes, "
           "writer stalls" +
           std::string(tcp ? " (TCP dashed)" : "") +
           "'\n"
           "set object 1 rect from " +
           num(ph.pause_at) + ", graph 0 to " + num(ph.resume_at) +
           ", graph 1 fc rgb '#e8e8e8' behind\n"
           "set xlabel 'time (ms)'\nset key outside right\n"
           // Fixed margins: the panels' time axes line up although the last
           // one has a right-hand axis.
           "set lmargin at screen 0.09\nset rmargin at screen 0.75\n"
           "set ylabel 'bytes'\nset title 'reader (host b): not yet read vs advertised window'\n"
           "plot " +
           both("r_unread", "lines", "unread", 1) + ", " +
           both("r_rcv_wnd", "steps", "rcv_wnd", 2) +
           "\nset title 'writer (host a): send queue and the window it sees'\nplot " +
           both("s_unsent", "lines", "unsent", 1) + ", " +
           both("s_snd_wnd", "steps", "snd_wnd", 2) +
           "\nset ylabel 'writer_blocked'\nset y2label 'probes'\nset y2tics\n"
           "set title 'times the writer slept in write(); zero-window probes (right axis)'\nplot " +
           both("s_writer_blocked", "steps", "writer_blocked", 1) + ", " +
           both("s_probes", "steps", "probes", 2, "axes x1y2") + "\nunset multiplot\n";
  }

  SlowReaderOptions o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_slow_reader() {
  return std::make_unique<lab::SlowReader>();
}
