// `glass lab delack`: Nagle's algorithm meets the delayed ACK. A client sends
// each request as two small writes (header, then body) and waits for the
// reply (write-write-read). The header leaves at once; Nagle holds the body
// until the header is ACKed; the server, still waiting for the body, has
// nothing to send and delays its ACK. Each request stalls for the
// delayed-ACK timer. NODELAY on the client, or quick ACKs on the server,
// remove the stall. The same exchange on glass and on TCP.
#include "transport.hpp"
#include "validators.hpp"

#include <netinet/tcp.h>
#include <sched.h>
#include <unistd.h>

#include <linux/glass.h>

#include <fcntl.h>
#include <cmath>
#include <iostream>
#include <thread>

namespace glass::cli::lab {
namespace {

enum class Mode { kNagle, kNodelay, kQuickack };
constexpr Mode kModes[] = {Mode::kNagle, Mode::kNodelay, Mode::kQuickack};
// Linux TCP's delayed-ACK timer at its minimum (TCP_DELACK_MIN, HZ/25).
constexpr int kTcpDelackMs = 40;

const char* mode_key(Mode m) {
  switch (m) {
    case Mode::kNagle:
      return "nagle";
    case Mode::kNodelay:
      return "nodelay";
    case Mode::kQuickack:
      return "quickack";
  }
  return "";
}

const char* mode_text(Mode m) {
  switch (m) {
    case Mode::kNagle:
      return "Nagle (defaults)";
    case Mode::kNodelay:
      return "NODELAY on the client";
    case Mode::kQuickack:
      return "quick ACKs on the server";
  }
  return "";
}

struct DelackOptions {
  int requests = 0;   // 0: 40 (16 with --quick)
  int header = 64;    // first write of a request
  int body = 200;     // second write
  int reply = 128;    // the server's answer
  int delack_ms = 0;  // 0: leave net.glass.delack_ms as it is
};

// One run of the exchange: one transport, one mode.
struct RunResult {
  Transport t = Transport::kGlass;
  Mode m = Mode::kNagle;
  std::vector<double> latency_ms;  // per request: first write -> reply read
  int held = 0;                    // requests whose body stayed queued after its write()
  int stalls = 0;                  // requests slower than the stall threshold
  std::uint64_t delayed_acks = 0;  // ACKs the server's delayed-ACK timer sent
  std::uint64_t client_segs = 0;   // data segments the client sent
  bool ok = false;                 // every reply arrived, right size
  std::string error;
};

// The server's quick-ACK switch: GLASS_QUICKACK stays set; TCP_QUICKACK only
// lasts until the kernel next decides to delay, so it is set after every read
// (what servers that use it do).
void quickack(Transport t, int fd) {
  if (t == Transport::kGlass)
    set_int_option(fd, SOL_GLASS, GLASS_QUICKACK, 1, "GLASS_QUICKACK");
  else
    set_int_option(fd, IPPROTO_TCP, TCP_QUICKACK, 1, "TCP_QUICKACK");
}

// Keeps the calling thread on one CPU while it lives. Client and server
// threads share CPU 0, so a request's wake-ups never wait for the other
// virtual CPU to be scheduled by the host (under TCG on a busy host that
// costs milliseconds and would blur the delayed-ACK stall).
class OnCpu0 {
 public:
  OnCpu0() {
    has_saved_ = ::sched_getaffinity(0, sizeof(saved_), &saved_) == 0;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    (void)::sched_setaffinity(0, sizeof(one), &one);
  }
  ~OnCpu0() {
    if (has_saved_) (void)::sched_setaffinity(0, sizeof(saved_), &saved_);
  }
  OnCpu0(const OnCpu0&) = delete;
  OnCpu0& operator=(const OnCpu0&) = delete;

 private:
  cpu_set_t saved_{};
  bool has_saved_ = false;
};

int read_sysctl(const std::string& netns, const std::string& path) {
  const NetnsGuard in(netns);
  const std::string text = read_file(path);
  return std::stoi(text);
}

class Delack : public Scenario {
 public:
  const char* name() const override { return "delack"; }
  const char* title() const override {
    return "Nagle meets the delayed ACK: write-write-read stalls";
  }
  const char* help() const override {
    return "A client sends each request as two small writes, a header and then a body, and "
           "waits for the reply; the server reads both before it answers. The header leaves "
           "at once. The body is small too, and Nagle's algorithm holds a small segment while "
           "an earlier small one is unacknowledged, so it waits for the header's ACK. The "
           "server has received only the header: it has nothing to send that could carry the "
           "ACK, and ACKs for a single small segment are delayed (up to the delayed-ACK timer, "
           "40 ms for both glass, net.glass.delack_ms, and Linux TCP) in the hope of riding "
           "on a reply. Each side waits for the other until the timer fires: every request "
           "costs one delayed-ACK timeout. Turning Nagle off on the client (NODELAY) sends the "
           "body at once; quick ACKs on the server remove the delay on the other side; either "
           "removes the stall. glass's GLASS_QUICKACK makes the receiving kernel ACK every "
           "segment as it arrives. Linux TCP ACKs the first segments of a connection at once "
           "and delays only once the exchange looks interactive; TCP_QUICKACK is not sticky "
           "(the server sets it after every read) and does not ACK on arrival: the owed ACK "
           "leaves when the server reads the header, so each request still waits for the "
           "server thread to wake up, but never for the timer. The run counts, per mode, the "
           "bodies Nagle held (unsent right after the write), the server's delayed ACKs "
           "(glass_stat delayed_acks, TcpExt DelayedACKs) and the requests slower than half "
           "the timer (stalls). Client and server threads share one CPU, so the times measure "
           "the protocols, not the virtual machine's scheduling of its CPUs.";
  }

  void add_options(CLI::App& sub) override {
    sub.add_option("--requests", o_.requests, "Requests per mode and transport (default 40)")
        ->check(CLI::Range(4, 10000));
    sub.add_option("--header", o_.header, "Bytes of the first write of a request")
        ->transform(size_validator(1, 1024))
        ->capture_default_str();
    sub.add_option("--body", o_.body, "Bytes of the second write")
        ->transform(size_validator(1, 1024))
        ->capture_default_str();
    sub.add_option("--reply", o_.reply, "Bytes of the server's reply")
        ->transform(size_validator(1, 65536))
        ->capture_default_str();
    sub.add_option("--delack-ms", o_.delack_ms,
                   "glass's delayed-ACK timer in the lab's namespace (net.glass.delack_ms; "
                   "TCP's stays 40 ms)")
        ->check(CLI::Range(1, 1000));
  }

  void run(LabRun& run) override {
    const int requests = o_.requests > 0 ? o_.requests : (run.options().quick ? 16 : 40);
    TestbedSpec spec{"delack"};
    spec.veth = run.options().tcp;
    const Testbed tb(spec);
    if (o_.delack_ms > 0) tb.sysctl(tb.b(), "delack_ms", o_.delack_ms);
    const int delack_ms = read_sysctl(tb.b(), "/proc/sys/net/glass/delack_ms");
    // A stall is a request held for at least half of its transport's timer.
    const double threshold_ms = delack_ms / 2.0;
    run.note(std::to_string(requests) + " requests per mode: write(" + std::to_string(o_.header) +
             " B), write(" + std::to_string(o_.body) + " B), read(" + std::to_string(o_.reply) +
             " B); glass delayed-ACK timer " + std::to_string(delack_ms) +
             " ms (net.glass.delack_ms); a stall is a request slower "
             "than " +
             num(threshold_ms) + " ms (TCP: " + num(kTcpDelackMs / 2.0) + " ms)");
    run.fact("delack_ms", delack_ms, "");
    run.fact("requests", requests, "");

    std::vector<RunResult> results;
    std::uint16_t port = 7450;
    for (const Transport t : kTransports) {
      if (t == Transport::kTcp && !run.options().tcp) continue;
      for (const Mode m : kModes)
        results.push_back(run_one(tb, t, m, requests, port++,
                                  t == Transport::kTcp ? kTcpDelackMs / 2.0 : threshold_ms));
    }
    write_csv(run, results, requests);
    for (const RunResult& r : results) describe(run, r, requests);
    judge(run, results, requests);
    run.set_plot(plot(results), 960, 720);
  }

 private:
  RunResult run_one(const Testbed& tb, Transport t, Mode m, int requests, std::uint16_t port,
                    double threshold_ms) const {
    ConnSpec spec;
    spec.port = port;
    spec.nodelay = m == Mode::kNodelay;
    Connection c = connect_pair(tb, t, spec);
    const NetCounters server_ns(t, tb.b());
    const std::uint64_t acks0 = server_ns.get(Counter::kDelayedAcks);
    const SockState c0 = state_of(t, c.client.get());
    RunResult r;
    r.t = t;
    r.m = m;
    const OnCpu0 pin;
    std::jthread server([&, fd = c.server.get()] {
      const OnCpu0 server_pin;
      std::vector<std::byte> head(static_cast<std::size_t>(o_.header));
      std::vector<std::byte> body(static_cast<std::size_t>(o_.body));
      std::vector<std::byte> reply(static_cast<std::size_t>(o_.reply), std::byte{'r'});
      try {
        if (m == Mode::kQuickack) quickack(t, fd);
        for (;;) {
          if (!read_exact(fd, head)) break;
          if (m == Mode::kQuickack && t == Transport::kTcp) quickack(t, fd);
          if (!read_exact(fd, body)) break;
          if (m == Mode::kQuickack && t == Transport::kTcp) quickack(t, fd);
          write_all(fd, reply);
        }
      } catch (const std::exception& e) {
        r.error = std::string("server: ") + e.what();
      }
      ::shutdown(fd, SHUT_WR);
    });
    std::vector<std::byte> head(static_cast<std::size_t>(o_.header), std::byte{'h'});
    std::vector<std::byte> body(static_cast<std::size_t>(o_.body), std::byte{'b'});
    std::vector<std::byte> reply(static_cast<std::size_t>(o_.reply));
    int answered = 0;
    try {
      for (int i = 0; i < requests; i++) {
        const Stopwatch w;
        write_all(c.client.get(), head);
        write_all(c.client.get(), body);
        if (state_of(t, c.client.get()).unsent > 0) r.held++;
        if (!read_exact(c.client.get(), reply)) break;
        r.latency_ms.push_back(w.ms());
        if (r.latency_ms.back() >= threshold_ms) r.stalls++;
        answered++;
      }
    } catch (const std::exception& e) {
      r.error += std::string(r.error.empty() ? "" : "; ") + "client: " + e.what();
    }
    ::shutdown(c.client.get(), SHUT_WR);
    server.join();
    r.client_segs = state_of(t, c.client.get()).data_segs_out - c0.data_segs_out;
    r.delayed_acks = server_ns.get(Counter::kDelayedAcks) - acks0;
    r.ok = answered == requests && r.error.empty();
    return r;
  }

  static std::string key(const RunResult& r) {
    return std::string(key_of(r.t)) + "_" + mode_key(r.m);
  }

  static void write_csv(LabRun& run, const std::vector<RunResult>& results, int requests) {
    std::vector<std::string> cols{"request"};
    for (const RunResult& r : results) cols.push_back(key(r) + "_ms");
    Csv csv(cols);
    for (int i = 0; i < requests; i++) {
      std::vector<std::string> row{num(i + 1)};
      for (const RunResult& r : results)
        row.push_back(static_cast<std::size_t>(i) < r.latency_ms.size() ? num(r.latency_ms[i])
                                                                        : "NaN");
      csv.row(row);
    }
    run.write_csv(csv);
    Csv summary({"run", "transport", "mode", "p50_ms", "stalls", "held", "delayed_acks"});
    for (const RunResult& r : results)
      summary.row({std::string(label_of(r.t)) + " " + mode_key(r.m), key_of(r.t), mode_key(r.m),
                   num(quantile(r.latency_ms, 0.5)), num(r.stalls), num(r.held),
                   num(static_cast<double>(r.delayed_acks))});
    run.write_csv(summary, "summary");
  }

  static void describe(LabRun& run, const RunResult& r, int requests) {
    const std::string k = key(r);
    const double p50 = quantile(r.latency_ms, 0.5);
    run.fact(k + "_p50_ms", p50, "");
    run.fact(k + "_stalls", r.stalls, "");
    run.fact(k + "_held", r.held, "");
    run.fact(k + "_delayed_acks", static_cast<double>(r.delayed_acks), "");
    run.fact(k + "_answered", static_cast<double>(r.latency_ms.size()), "");
    run.note(std::string(label_of(r.t)) + ", " + mode_text(r.m) + ": median " +
             num(std::round(p50 * 10) / 10) + " ms per request; " + std::to_string(r.stalls) + "/" +
             std::to_string(requests) + " stalled; body held by Nagle " +
             times_text(static_cast<std::uint64_t>(r.held)) + "; " +
             std::to_string(r.delayed_acks) + " delayed ACKs from the server; " +
             std::to_string(r.client_segs) + " client data segments");
    if (!r.error.empty())
      run.note(std::string(label_of(r.t)) + " " + mode_key(r.m) + ": " + r.error);
  }

  static const RunResult* find(const std::vector<RunResult>& v, Transport t, Mode m) {
    for (const RunResult& r : v)
      if (r.t == t && r.m == m) return &r;
    return nullptr;
  }

  static double median(const RunResult& r) { return quantile(r.latency_ms, 0.5); }

  // The checks count events (bodies held, delayed ACKs) and order medians
  // (a cut of any size: on a debug kernel a request without a stall costs
  // half of TCP's timer);
  // only "a request held behind the timer took at least half of it" is a
  // time, and the timer guarantees it.
  static void judge(LabRun& run, const std::vector<RunResult>& results, int requests) {
    bool all_ok = true;
    for (const RunResult& r : results) all_ok = all_ok && r.ok;
    run.check(all_ok, "every request got its reply");
    // Most, not all: TCP ACKs the first requests at once; a reply may carry
    // an ACK early.
    const int most = requests * 3 / 4;
    const std::uint64_t few = std::max(1, requests / 8);
    std::string head;
    for (const Transport t : kTransports) {
      const RunResult* n = find(results, t, Mode::kNagle);
      if (n == nullptr) continue;
      const RunResult& d = *find(results, t, Mode::kNodelay);
      const RunResult& q = *find(results, t, Mode::kQuickack);
      const std::string who = label_of(t);
      const int need = t == Transport::kGlass ? most : requests / 2;
      run.check(n->held >= need, who + " with Nagle: the body waited in the send queue");
      run.check(n->delayed_acks >= static_cast<std::uint64_t>(need),
                who + " with Nagle: the server's delayed-ACK timer released the requests");
      run.check(n->stalls >= need, who + " with Nagle: requests stalled for the timer");
      run.check(d.held == 0 && d.delayed_acks <= few,
                who + " with NODELAY: no body held, no delayed ACK");
      run.check(q.delayed_acks <= few, who + " with quick ACKs: no delayed ACK");
      run.check(median(d) < median(*n) && median(q) < median(*n),
                who + ": NODELAY and quick ACKs cut the median time per request");
      head += std::string(head.empty() ? "" : "; ") + who + " " +
              num(std::round(median(*n) * 10) / 10) + " ms per request with Nagle, " +
              num(std::round(median(d) * 10) / 10) + " with NODELAY, " +
              num(std::round(median(q) * 10) / 10) + " with quick ACKs";
    }
    run.headline(head);
  }

  static std::string plot(const std::vector<RunResult>& results) {
    std::string lines;
    int i = 0;
    for (const RunResult& r : results) {
      const bool tcp = r.t == Transport::kTcp;
      const int color = static_cast<int>(r.m) + 1;
      lines += std::string(i++ ? ", " : "") + "'delack.csv' using 'request':'" + key(r) +
               "_ms' with linespoints lc " + std::to_string(color) + " pt " + (tcp ? "6" : "7") +
               " ps 0.6 dt " + (tcp ? "2" : "1") + " title '" + label_of(r.t) + " " +
               mode_key(r.m) + "'";
    }
    return "set multiplot layout 2,1 title 'write-write-read: Nagle meets the delayed ACK'\n"
           "set key outside right\nset xlabel 'request #'\nset ylabel 'ms'\n"
           "set logscale y\nset title 'time per request (write header, write body, read "
           "reply); log scale'\nplot " +
           lines +
           "\nunset logscale y\n"
           "set style data histograms\nset style histogram clustered gap 1\n"
           "set style fill solid 0.8 border -1\nset boxwidth 0.9\nset xlabel ''\n"
           "set ylabel 'requests'\nset yrange [0:*]\nset xtics rotate by -20\n"
           "set title 'per run: stalled requests, bodies held by Nagle, server delayed ACKs'\n"
           "plot 'delack-summary.csv' using 'stalls':xtic(1) title 'stalls', '' using 'held' "
           "title 'bodies held', '' using 'delayed_acks' title 'delayed ACKs'\n"
           "unset multiplot\n";
  }

  DelackOptions o_;
};

}  // namespace
}  // namespace glass::cli::lab

std::unique_ptr<glass::cli::Scenario> glass::cli::make_delack() {
  return std::make_unique<lab::Delack>();
}
