// `glass lab slow-reader`: the receiver stops reading. Its receive buffer
// fills, the window it advertises falls to 0, the sender's send buffer fills
// and its write() sleeps; the persist timer probes the closed window. Then
// the reader resumes, the window reopens and everything drains, byte-exact.
#include "common.hpp"
#include "validators.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <iostream>
#include <thread>

namespace glass::cli::lab {
namespace {

constexpr std::uint64_t kSeed = 11;

// Whole segments: 22 x MSS (1468) for the window, 4 x MSS per write, so the
// window fills to its last byte with full-sized segments (docs/lab.md says
// what happens when it does not).
constexpr int kMss = 1468;

struct Options {
  int rcvbuf = 22 * kMss;    // receive window (payload bytes)
  int sndbuf = 32 * 1024;    // SO_SNDBUF of the writer (the kernel doubles it)
  int chunk = 4 * kMss;      // bytes per write()
  double pause_ms = 0;       // 0: 1500 (800 with --quick)
  double read_first_ms = 0;  // reading before the pause
};

// What the writer thread did, read by the sampler and the reader.
struct Writer {
  std::atomic<std::uint64_t> written{0};
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
        write_all(fd, buf);
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
           "writer wakes up. Every byte is checked against the pattern it was written with.";
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
    sub.add_option("--pause", o_.pause_ms, "How long the reader stops, ms (default 1500)")
        ->check(CLI::Range(200.0, 60000.0));
    sub.add_option("--read-first", o_.read_first_ms,
                   "Read for this long before the pause, ms (see docs/lab.md: the window may "
                   "then stop a few bytes short of 0)")
        ->check(CLI::Range(0.0, 60000.0))
        ->capture_default_str();
  }

  void run(LabRun& run) override {
    const bool quick = run.options().quick;
    const double read_ms = o_.read_first_ms;
    const double pause_ms = o_.pause_ms > 0 ? o_.pause_ms : (quick ? 800 : 1500);
    const double after_ms = quick ? 250 : 400;

    Testbed tb({"slow"});
    ConnSpec spec;
    spec.server_rcvbuf = o_.rcvbuf;
    spec.client_sndbuf = o_.sndbuf;
    Connection c = connect_glass(tb, spec);
    const glass_info r0 = info_of(c.server.get());
    const glass_info s0 = info_of(c.client.get());
    run.note("reader window (rcv_space) " + bytes_text(r0.gi_rcv_space) + ", writer sndbuf " +
             bytes_text(s0.gi_sndbuf) + ", MSS " + std::to_string(s0.gi_mss) + ", " +
             std::to_string(o_.chunk) + "-byte writes");

    Csv csv({"t_ms", "phase", "r_unread", "r_rcv_wnd", "r_zero_wnd_sent", "s_snd_wnd", "s_unsent",
             "s_unacked", "s_writer_blocked", "s_probes", "writer_in_write", "bytes_written",
             "bytes_read"});
    Writer writer;
    std::atomic<int> phase{0};
    std::atomic<std::uint64_t> read_total{0};
    std::vector<std::pair<double, std::pair<glass_info, glass_info>>> samples;
    Stopwatch clock;
    Phases ph;
    std::string read_error;
    bool exact = true;
    {
      Sampler sampler(clock, run.options().interval_ms, [&](double t) {
        const glass_info r = info_of(c.server.get());
        const glass_info s = info_of(c.client.get());
        samples.push_back({t, {r, s}});
        csv.row({num(t), num(phase.load()), num(r.gi_unread), num(r.gi_rcv_wnd),
                 num(r.gi_zero_wnd_sent), num(s.gi_snd_wnd), num(s.gi_unsent), num(s.gi_unacked),
                 num(static_cast<double>(s.gi_writer_blocked)), num(s.gi_probes),
                 num(writer.in_write.load()), num(static_cast<double>(writer.written.load())),
                 num(static_cast<double>(read_total.load()))});
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
        if (!pat.check(read_total.load(), got)) exact = false;
        read_total += static_cast<std::uint64_t>(n);
      };
      try {
        while (clock.ms() < read_ms) read_some();
        ph.pause_at = clock.ms();
        phase = 1;
        sleep_ms(pause_ms);
        ph.resume_at = clock.ms();
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
    run.write_csv(csv);
    report(run, samples, ph, writer, read_total.load(), exact, r0);
    run.set_plot(plot(ph));
  }

 private:
  static void report(LabRun& run,
                     const std::vector<std::pair<double, std::pair<glass_info, glass_info>>>& smp,
                     const Phases& ph, const Writer& w, std::uint64_t read, bool exact,
                     const glass_info& r0) {
    double zero_at = -1, reopen_at = -1, full_at = -1;
    std::uint32_t max_unread = 0, max_unsent = 0;
    std::uint64_t blocked_before = 0, blocked_after = 0;
    std::uint32_t probes_before = 0, probes_after = 0;
    for (const auto& [t, rs] : smp) {
      const auto& [r, s] = rs;
      if (t < ph.pause_at) {
        blocked_before = s.gi_writer_blocked;
        probes_before = s.gi_probes;
        continue;
      }
      if (t <= ph.resume_at) {
        max_unread = std::max(max_unread, r.gi_unread);
        max_unsent = std::max(max_unsent, s.gi_unsent);
        if (zero_at < 0 && r.gi_rcv_wnd == 0 && s.gi_snd_wnd == 0) zero_at = t;
        if (full_at < 0 && r.gi_unread >= r0.gi_rcv_space) full_at = t;
        blocked_after = s.gi_writer_blocked;
        probes_after = s.gi_probes;
      } else if (reopen_at < 0 && s.gi_snd_wnd > 0) {
        reopen_at = t;
      }
    }
    const glass_info last_r = smp.back().second.first;
    const glass_info last_s = smp.back().second.second;
    run.fact("rcv_space", r0.gi_rcv_space, "");
    run.fact("max_unread", max_unread,
             "receive buffer held up to " + bytes_text(max_unread) + " unread (window " +
                 bytes_text(r0.gi_rcv_space) + ")");
    run.fact("window_zero_after_ms", zero_at < 0 ? -1 : zero_at - ph.pause_at,
             zero_at < 0 ? "window never reached 0"
                         : "window reached 0 after " + num(std::round(zero_at - ph.pause_at)) +
                               " ms of not reading");
    run.fact("max_unsent", max_unsent,
             "sender's queue grew to " + bytes_text(max_unsent) + " unsent (sndbuf " +
                 bytes_text(last_s.gi_sndbuf) + ")");
    run.fact("writer_blocked", static_cast<double>(last_s.gi_writer_blocked),
             "writer blocked " + std::to_string(last_s.gi_writer_blocked) + " times (" +
                 std::to_string(blocked_after - blocked_before) +
                 " during the pause); longest write() took " + num(std::round(w.longest_write_ms)) +
                 " ms");
    run.fact("writer_blocked_in_pause", static_cast<double>(blocked_after - blocked_before), "");
    run.fact("probes", last_s.gi_probes,
             std::to_string(probes_after - probes_before) +
                 " zero-window probes while the window was closed (" +
                 std::to_string(last_s.gi_probes) + " in all)");
    run.fact("probes_in_pause", probes_after - probes_before, "");
    run.fact("zero_window_advertised", last_r.gi_zero_wnd_sent,
             "reader's kernel advertised a zero window " + std::to_string(last_r.gi_zero_wnd_sent) +
                 " times");
    run.fact("window_reopened_after_ms", reopen_at < 0 ? -1 : reopen_at - ph.resume_at,
             reopen_at < 0 ? "window did not reopen"
                           : "window reopened " + num(std::round(reopen_at - ph.resume_at)) +
                                 " ms after reading resumed");
    run.fact("bytes_written", static_cast<double>(w.written.load()), "");
    run.fact("bytes_read", static_cast<double>(read),
             bytes_text(static_cast<double>(read)) + " read of " +
                 bytes_text(static_cast<double>(w.written.load())) + " written, " +
                 (exact ? "every byte as written" : "CONTENT MISMATCH"));
    run.fact("exact", exact && read == w.written.load() ? 1 : 0, "");
    run.fact("pause_ms", ph.resume_at - ph.pause_at, "");
    if (!w.error.empty()) run.note("writer error: " + w.error);
    if (zero_at < 0 && max_unread < r0.gi_rcv_space)
      run.note("the window stayed at " + bytes_text(r0.gi_rcv_space - max_unread) +
               ": the sender does not send less than a segment into it (sender SWS "
               "avoidance); choose --rcvbuf and --chunk as multiples of the MSS");
    run.check(zero_at >= 0, "the advertised window reached 0");
    run.check(max_unread >= r0.gi_rcv_space, "the receive buffer filled to the window");
    run.check(blocked_after > blocked_before, "the writer blocked on a full send buffer");
    run.check(probes_after > probes_before, "zero-window probes were sent");
    run.check(reopen_at >= 0, "the window reopened");
    run.check(exact && read == w.written.load() && w.error.empty(), "every byte arrived intact");
    run.check(last_r.gi_unread == 0 && last_s.gi_unsent == 0, "everything drained");
  }

  static std::string plot(const Phases& ph) {
    return "set multiplot layout 3,1 title 'slow reader: receive buffer fills, window closes, "
           "writer stalls'\n"
           "set object 1 rect from " +
           num(ph.pause_at) + ", graph 0 to " + num(ph.resume_at) +
           ", graph 1 fc rgb '#e8e8e8' behind\n"
           "set xlabel 'time (ms)'\nset key outside right\n"
           "set ylabel 'bytes'\nset title 'reader (host b): not yet read vs advertised window'\n"
           "plot 'slow-reader.csv' using 't_ms':'r_unread' with lines lw 2 title 'unread', "
           "'' using 't_ms':'r_rcv_wnd' with steps lw 2 title 'rcv_wnd advertised'\n"
           "set title 'writer (host a): send queue and the window it sees'\n"
           "plot 'slow-reader.csv' using 't_ms':'s_unsent' with lines lw 2 title 'unsent', "
           "'' using 't_ms':'s_unacked' with lines title 'unacked', "
           "'' using 't_ms':'s_snd_wnd' with steps lw 2 title 'snd_wnd (peer)'\n"
           "set ylabel 'writer_blocked'\nset y2label 'probes'\nset y2tics\n"
           "set title 'times the writer slept in write(); zero-window probes (right axis)'\n"
           "plot 'slow-reader.csv' using 't_ms':'s_writer_blocked' with steps lw 2 title "
           "'writer_blocked', '' using 't_ms':'s_probes' axes x1y2 with steps lw 2 title "
           "'probes'\n"
           "unset multiplot\n";
  }

  Options o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_slow_reader() {
  return std::make_unique<lab::SlowReader>();
}
