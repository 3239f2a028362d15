// The server loop, the client's test, and the -i reporter they share.
#include "remote.hpp"

#include "iperf.hpp"
#include "json.hpp"
#include "lab/stream.hpp"
#include "netns.hpp"
#include "protocol.hpp"
#include "streams.hpp"
#include "units.hpp"

#include <glass/error.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/glass.h>

#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

namespace glass::cli {
namespace {

constexpr int kControlTimeoutMs = 10000;

double epoch_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void write_text(int fd, const std::string& s) {
  write_all(fd, std::as_bytes(std::span(s.data(), s.size())));
}

// Samples a meter every `interval` seconds on its own thread (-i): keeps
// the per-stream deltas and prints them unless quiet.
class Reporter {
 public:
  Reporter(const StreamMeter& m, double interval, char unit, bool quiet)
      : meter_(m), interval_(interval), unit_(unit), quiet_(quiet) {
    if (interval_ > 0) thread_ = std::jthread([this] { loop(); });
  }
  ~Reporter() { finish(); }
  Reporter(const Reporter&) = delete;
  Reporter& operator=(const Reporter&) = delete;

  // Stops sampling; the last partial interval is kept when it is at least a
  // tenth of one.
  std::vector<IntervalSample> finish() {
    if (thread_.joinable()) {
      {
        std::lock_guard lock(mu_);
        done_ = true;
      }
      cv_.notify_all();
      thread_.join();
      sample(clock_.s(), 0.1 * interval_);
    }
    return samples_;
  }

 private:
  void loop() {
    std::unique_lock lock(mu_);
    for (int k = 1;; k++) {
      const auto until = std::chrono::steady_clock::now() +
                         std::chrono::duration<double>(k * interval_ - clock_.s());
      if (cv_.wait_until(lock, until, [this] { return done_; })) return;
      sample(k * interval_, 0);
    }
  }
  void sample(double now, double min_len) {
    if (now - last_t_ < min_len || now <= last_t_) return;
    IntervalSample s{last_t_, now, meter_.snapshot()};
    for (std::size_t i = 0; i < s.bytes.size(); i++) {
      const std::uint64_t b = s.bytes[i];
      s.bytes[i] -= i < last_.size() ? last_[i] : 0;
      if (i >= last_.size()) last_.resize(i + 1);
      last_[i] = b;
    }
    last_t_ = now;
    if (!quiet_) iperf_text_interval(std::cout, s, unit_);
    samples_.push_back(std::move(s));
  }

  const StreamMeter& meter_;
  double interval_;
  char unit_;
  bool quiet_;
  Stopwatch clock_;
  std::vector<std::uint64_t> last_;
  double last_t_ = 0;
  std::vector<IntervalSample> samples_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::jthread thread_;
};

// Accepts one connection on l within the control timeout.
Fd accept_within(int l) {
  pollfd p{l, POLLIN, 0};
  for (;;) {
    const int n = ::poll(&p, 1, kControlTimeoutMs);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("poll", errno);
    if (n == 0) throw Error("accept", ETIMEDOUT, "the client opened too few data connections");
    return accept_from(l);
  }
}

std::vector<int> raw(const std::vector<Fd>& fds) {
  std::vector<int> v;
  v.reserve(fds.size());
  for (const Fd& f : fds) v.push_back(f.get());
  return v;
}

void set_timeout(int fd) {
  timeval tv{kControlTimeoutMs / 1000, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

// Serves one client whose control connection arrived on listener l.
void serve(const PerfOptions& o, int l, Fd ctl, const std::string& transport) {
  set_timeout(ctl.get());
  std::string why;
  const auto hello = parse_hello(read_line(ctl.get()), &why);
  if (!hello) {
    write_text(ctl.get(), "error " + why + "\n");
    throw Error("perf server", EPROTO, why);
  }
  write_text(ctl.get(), "ok\n");
  std::vector<Fd> data;
  data.reserve(static_cast<std::size_t>(hello->streams));
  int strangers = 0;  // connections without the cookie: closed, not counted
  while (data.size() < static_cast<std::size_t>(hello->streams)) {
    Fd c = accept_within(l);
    set_timeout(c.get());
    std::string cookie;
    try {
      cookie = read_line(c.get());
    } catch (const Error&) {
      // Counted below as a stranger.
    }
    if (cookie != hello->cookie) {
      if (++strangers > hello->streams) throw Error("perf server", EPROTO, "data without cookie");
      continue;
    }
    timeval none{};
    ::setsockopt(c.get(), SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
    data.push_back(std::move(c));
  }
  IperfRun r{transport,    "",
             o.port,       hello->streams,
             hello->len,   hello->bytes ? 0 : hello->seconds,
             hello->bytes, hello->reverse,
             epoch_s(),    {},
             {},           {}};
  if (!o.json) iperf_text_start(std::cout, r, true);
  StreamMeter meter(data.size());
  Reporter rep(meter, o.interval, o.format, o.json);
  const std::vector<int> fds = raw(data);
  SideResult mine =
      hello->reverse
          ? send_streams(fds, {hello->seconds, hello->bytes, hello->len, hello->writes_per_wake},
                         meter)
          : recv_streams(fds, meter);
  r.intervals = rep.finish();
  // Results both ways, as iperf3 exchanges them: ours first, then theirs.
  write_text(ctl.get(), format_result({mine.seconds, mine.cpu_seconds, mine.bytes}));
  const auto theirs = parse_result(read_line(ctl.get()), data.size());
  if (!theirs) throw Error("perf server", EPROTO, "malformed result from the client");
  const SideResult remote{theirs->seconds, theirs->cpu_seconds, theirs->bytes};
  r.sent = hello->reverse ? mine : remote;
  r.received = hello->reverse ? remote : mine;
  if (o.json) {
    std::cout << iperf_json(r) << "\n" << std::flush;
  } else {
    iperf_text_end(std::cout, r, o.format, true);
    std::cout << std::flush;
  }
}

Endpoint client_endpoint(const PerfOptions& o, bool tcp) {
  Endpoint ep;
  ep.family = tcp ? AF_INET : AF_GLASS;
  ep.host = tcp && !o.tcp_addr.empty() ? o.tcp_addr : o.client;
  ep.port = o.port;
  ep.client_netns = o.netns;
  return ep;
}

// One test against the server over one transport.
IperfRun run_test(const PerfOptions& o, bool tcp) {
  const Endpoint ep = client_endpoint(o, tcp);
  IperfRun r{tcp ? "tcp" : "glass",
             ep.host,
             ep.port,
             o.parallel,
             static_cast<std::size_t>(o.write_size),
             o.bytes ? 0 : o.seconds,
             o.bytes,
             o.reverse,
             epoch_s(),
             {},
             {},
             {}};
  if (!o.json) iperf_text_start(std::cout, r, false);
  const Fd ctl = connect_to(ep);
  set_timeout(ctl.get());
  const PerfHello hello{
      o.parallel,    o.reverse,        o.seconds, o.bytes, static_cast<std::size_t>(o.write_size),
      make_cookie(), o.writes_per_wake};
  write_text(ctl.get(), format_hello(hello));
  const std::string answer = read_line(ctl.get());
  if (answer != "ok") throw Error("perf client", EPROTO, "the server said: " + answer);
  std::vector<Fd> data;
  data.reserve(static_cast<std::size_t>(o.parallel));
  for (int i = 0; i < o.parallel; i++) {
    data.push_back(connect_to(ep, o.rcvbuf, o.sndbuf));
    write_text(data.back().get(), hello.cookie + "\n");
  }
  StreamMeter meter(data.size());
  Reporter rep(meter, o.interval, o.format, o.json);
  const std::vector<int> fds = raw(data);
  SideResult mine = o.reverse ? recv_streams(fds, meter) : send_streams(fds, send_plan(o), meter);
  r.intervals = rep.finish();
  ::timeval tv{60, 0};  // the server answers once its last byte arrived
  ::setsockopt(ctl.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  const auto theirs = parse_result(read_line(ctl.get()), data.size());
  if (!theirs) throw Error("perf client", EPROTO, "malformed result from the server");
  write_text(ctl.get(), format_result({mine.seconds, mine.cpu_seconds, mine.bytes}));
  const SideResult remote{theirs->seconds, theirs->cpu_seconds, theirs->bytes};
  r.sent = o.reverse ? remote : mine;
  r.received = o.reverse ? mine : remote;
  if (!o.json) iperf_text_end(std::cout, r, o.format, false);
  return r;
}

}  // namespace

int run_perf_server(const PerfOptions& o) {
  NetnsGuard in(o.netns);
  Endpoint ge{AF_GLASS, "0.0.0.0", o.port, "", "", ""};
  Endpoint te{AF_INET, "0.0.0.0", o.port, "", "", ""};
  const Fd gl = listen_on(ge, 1024, o.rcvbuf, o.sndbuf);
  const Fd tl = listen_on(te, 1024, o.rcvbuf, o.sndbuf);
  if (!o.json) std::cout << "Server listening on " << o.port << " (glass and TCP)\n" << std::flush;
  for (;;) {
    pollfd p[2] = {{gl.get(), POLLIN, 0}, {tl.get(), POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll", errno);
    }
    const bool glass = (p[0].revents & POLLIN) != 0;
    const int l = glass ? gl.get() : tl.get();
    try {
      serve(o, l, accept_from(l), glass ? "glass" : "tcp");
    } catch (const std::exception& e) {
      if (o.one_off) throw;
      std::cerr << "glass: perf server: " << e.what() << "\n";
    }
    if (o.one_off) return kExitOk;
  }
}

int run_perf_client(const PerfOptions& o) {
  std::vector<IperfRun> runs;
  runs.push_back(run_test(o, false));
  if (o.tcp) {
    if (!o.json) std::cout << "\n";
    runs.push_back(run_test(o, true));
  }
  const auto rx = [](const IperfRun& r) {
    return bits_per_second(r.received.total(), r.received.seconds);
  };
  const double ratio = runs.size() == 2 && rx(runs[1]) > 0 ? rx(runs[0]) / rx(runs[1]) : NAN;
  if (o.json) {
    if (runs.size() == 1) {
      std::cout << iperf_json(runs[0]) << "\n";
    } else {
      std::cout << "{\"glass\":" << iperf_json(runs[0]) << ",\n\"tcp\":" << iperf_json(runs[1])
                << ",\n\"ratio\":{\"bits_per_second\":" << json_number(ratio) << "}}\n";
    }
  } else if (runs.size() == 2) {
    std::cout << "\nglass / TCP: " << three_digits(ratio)
              << "x (receiver bits/s, same server, same run)\n";
  }
  return kExitOk;
}

}  // namespace glass::cli
