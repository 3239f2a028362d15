// The measurements of `glass perf`'s one-host run, the same code for every family.
#include "iperf.hpp"
#include "perf.hpp"
#include "streams.hpp"
#include "units.hpp"

#include <glass/error.hpp>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace glass::cli {
namespace {

double quantile_of(std::vector<double>& v, double q) {
  const auto k = static_cast<std::size_t>(std::min<double>(
      static_cast<double>(v.size() - 1), std::floor(q * static_cast<double>(v.size()))));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

std::string size_text(std::uint64_t n) {
  if (n % (1 << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n >= (1 << 20)) return three_digits(static_cast<double>(n) / (1 << 20)) + " MiB";
  if (n % 1024 == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " B";
}

// A connected pair: client in the client namespace, server accepted.
struct Pair {
  Fd client, server;
};

Pair open_pair(const Endpoint& ep, const PerfOptions& o) {
  const Fd l = listen_on(ep, 8, o.rcvbuf, o.sndbuf);
  Pair p;
  p.client = connect_to(ep, o.rcvbuf, o.sndbuf);
  p.server = accept_from(l.get());
  return p;
}

}  // namespace

namespace {

// Room for n connected pairs: RLIMIT_NOFILE raised to what they need (up to
// the hard limit; root may raise that too).
void ensure_fds(std::size_t pairs) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
  const rlim_t need = 2 * pairs + 64;
  if (rl.rlim_cur >= need) return;
  rl.rlim_cur = need;
  if (rl.rlim_max < need) rl.rlim_max = need;
  if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) throw_errno("setrlimit(RLIMIT_NOFILE)", errno);
}

// The throughput figure in MB/s, or in -f's unit.
PerfFigure rate_figure(const std::string& test, const std::string& transport,
                       const std::string& figure, double bytes_per_s, const PerfOptions& o,
                       const std::string& how) {
  if (!o.format) return {test, transport, figure, bytes_per_s / 1e6, "MB/s", how, NAN};
  const RateUnit u = rate_unit(o.format);
  return {test, transport, figure, bytes_per_s / u.per_second, u.name, how, NAN};
}

// n connections from client to server, each written for --time (or its
// share of --bytes) by one thread and read by another; figures for the sum,
// the slowest and fastest stream, and CPU per MB on each side.
std::vector<PerfFigure> move_streams(const std::string& test, const PerfTransport& t,
                                     const PerfOptions& o, int n) {
  ensure_fds(static_cast<std::size_t>(n));
  const Fd l = listen_on(t.ep, std::min(n, 4096), o.rcvbuf, o.sndbuf);
  std::vector<Fd> clients, servers;
  std::vector<int> cfds, sfds;
  for (int i = 0; i < n; i++) {
    clients.push_back(connect_to(t.ep, o.rcvbuf, o.sndbuf));
    servers.push_back(accept_from(l.get()));
    cfds.push_back(clients.back().get());
    sfds.push_back(servers.back().get());
  }
  StreamMeter sent(cfds.size()), got(sfds.size());
  SideResult tx;
  std::string werr;
  const SendPlan plan = send_plan(o);
  // The data phase: bytes read by the time the writer stops writing.
  const Stopwatch clock;
  double writing_s = 0;
  std::uint64_t read_while_writing = 0;
  std::jthread writer([&] {
    try {
      tx = send_streams(cfds, plan, sent, [&] {
        read_while_writing = got.total();
        writing_s = clock.s();
      });
    } catch (const std::exception& e) {
      werr = e.what();
    }
  });
  const SideResult rx = recv_streams(sfds, got);
  writer.join();
  if (!werr.empty()) throw Error("perf " + test + " " + t.name, EIO, werr);
  if (rx.total() != tx.total())
    throw Error(
        "perf " + test + " " + t.name, EIO,
        "received " + std::to_string(rx.total()) + " of " + std::to_string(tx.total()) + " bytes");
  char secs_text[32];
  std::snprintf(secs_text, sizeof(secs_text), "%g s", o.seconds);
  const std::string streams = n == 1 ? "one connection" : std::to_string(n) + " connections";
  const std::string how = streams + ", " + (o.bytes ? size_text(o.bytes) : std::string(secs_text)) +
                          " in " + size_text(static_cast<std::uint64_t>(o.write_size)) +
                          " writes; bytes read / time from first write to EOF (" +
                          size_text(rx.total()) + " moved)";
  std::vector<PerfFigure> f{rate_figure(test, t.name, "throughput",
                                        static_cast<double>(rx.total()) / rx.seconds, o, how)};
  if (n > 1) {
    f.push_back(rate_figure(test, t.name, "while-writing",
                            writing_s > 0 ? static_cast<double>(read_while_writing) / writing_s : 0,
                            o,
                            "bytes read by the time the writer stopped / that time: the data phase "
                            "alone, without the last queued bytes and the FIN and EOF of every "
                            "connection"));
    const auto [lo, hi] = std::minmax_element(rx.bytes.begin(), rx.bytes.end());
    const std::string per = "bytes read on one connection / the same time (starvation shows here)";
    f.push_back(rate_figure(test, t.name, "stream-min", static_cast<double>(*lo) / rx.seconds, o,
                            "slowest connection: " + per));
    f.push_back(rate_figure(test, t.name, "stream-max", static_cast<double>(*hi) / rx.seconds, o,
                            "fastest connection: " + per));
  }
  const std::string cpu = "user+system CPU time of the thread, per 10^6 bytes moved";
  f.push_back({test, t.name, "cpu-send", cpu_us_per_mb(tx.cpu_seconds, tx.total()), "us/MB",
               "sending " + cpu, NAN});
  f.push_back({test, t.name, "cpu-recv", cpu_us_per_mb(rx.cpu_seconds, rx.total()), "us/MB",
               "receiving " + cpu, NAN});
  return f;
}

}  // namespace

std::vector<PerfFigure> perf_bulk(const PerfTransport& t, const PerfOptions& o) {
  return move_streams("bulk", t, o, o.parallel);
}

std::vector<PerfFigure> perf_many(const PerfTransport& t, const PerfOptions& o) {
  return move_streams("many", t, o, o.many);
}

std::vector<PerfFigure> perf_rr(const PerfTransport& t, const PerfOptions& o) {
  Pair p = open_pair(t.ep, o);
  set_nodelay(p.client.get(), t.ep.family, true);
  set_nodelay(p.server.get(), t.ep.family, true);
  if (o.busy_poll > 0) {
    set_int_option(p.client.get(), SOL_SOCKET, SO_BUSY_POLL, o.busy_poll, "SO_BUSY_POLL");
    set_int_option(p.server.get(), SOL_SOCKET, SO_BUSY_POLL, o.busy_poll, "SO_BUSY_POLL");
  }
  const std::size_t size = static_cast<std::size_t>(o.size);
  std::string serr;
  std::jthread server([&, fd = p.server.get()] {
    std::vector<std::byte> buf(size);
    try {
      while (read_exact(fd, buf)) write_all(fd, buf);
    } catch (const std::exception& e) {
      serr = e.what();
    }
  });
  const int warmup = std::max(1, o.requests / 10);
  std::vector<std::byte> req(size, std::byte{1}), resp(size);
  std::vector<double> lat;
  lat.reserve(static_cast<std::size_t>(o.requests));
  for (int i = 0; i < warmup + o.requests; i++) {
    const Stopwatch w;
    write_all(p.client.get(), req);
    if (!read_exact(p.client.get(), resp)) throw Error("perf rr " + t.name, EPIPE, "server closed");
    if (i >= warmup) lat.push_back(w.us());
  }
  ::shutdown(p.client.get(), SHUT_WR);
  server.join();
  if (!serr.empty()) throw Error("perf rr " + t.name, EIO, serr);
  std::string how = std::to_string(o.requests) + " round trips of " + std::to_string(o.size) +
                    " B (after " + std::to_string(warmup) + " warm-up), one outstanding, NODELAY";
  if (o.busy_poll > 0) how += ", SO_BUSY_POLL " + std::to_string(o.busy_poll) + " us";
  std::vector<PerfFigure> f;
  for (const auto& [name, q] : {std::pair{"p50", 0.5}, {"p99", 0.99}, {"p99.9", 0.999}})
    f.push_back({"rr", t.name, name, quantile_of(lat, q), "us", how, NAN});
  return f;
}

std::vector<PerfFigure> perf_connect(const PerfTransport& t, const PerfOptions& o) {
  const Fd l = listen_on(t.ep, 128);
  std::string serr;
  std::jthread server([&] {
    try {
      for (int i = 0; i < o.connections; i++) accept_from(l.get());  // closed at once
    } catch (const std::exception& e) {
      serr = e.what();
    }
  });
  const Stopwatch clock;
  for (int i = 0; i < o.connections; i++) connect_to(t.ep);  // closed at once
  server.join();
  const double secs = clock.s();
  if (!serr.empty()) throw Error("perf connect " + t.name, EIO, serr);
  const std::string how = std::to_string(o.connections) +
                          " x socket+connect+close (server: accept+close), one at a time";
  return {{"connect", t.name, "rate", o.connections / secs, "conn/s", how, NAN}};
}

namespace {

// /proc/meminfo's fields, in KiB.
std::map<std::string, long> meminfo() {
  std::ifstream f("/proc/meminfo");
  std::map<std::string, long> m;
  std::string name, unit;
  long v = 0;
  while (f >> name >> v) {
    m[name.substr(0, name.size() - 1)] = v;
    if (f.peek() == ' ') f >> unit;
  }
  return m;
}

// /proc/slabinfo (root only): bytes in use per cache, active objects times
// the slot size (object, alignment and metadata). Empty if unreadable.
std::map<std::string, double> slab_bytes() {
  std::ifstream f("/proc/slabinfo");
  std::map<std::string, double> m;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line.starts_with("slabinfo") || line.starts_with('#')) continue;
    std::istringstream in(line);
    std::string name;
    double active = 0, total = 0, size = 0;
    if (in >> name >> active >> total >> size) m[name] += active * size;
  }
  return m;
}

// The fd table grows once, for whichever transport is weighed first: grow
// it now (dup2 to the highest fd needed), so no transport pays for it.
void grow_fd_table(std::size_t pairs) {
  const int top = static_cast<int>(2 * pairs + 32);
  if (::dup2(0, top) == top) ::close(top);
}

// Close with a reset (SO_LINGER 0), so that no socket of this transport is
// left closing (FIN_WAIT, TIME_WAIT) and being freed while the next one is
// weighed: its frees would be counted against the next transport.
void reset_all(std::vector<Fd>& fds) {
  const linger abort{1, 0};
  for (const Fd& fd : fds)
    (void)::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
  fds.clear();
}

}  // namespace

// --idle pairs connected and left idle, both ends and their files. Three
// measures per pair: the growth of the slab caches' objects in use
// (/proc/slabinfo: sockets, inodes, dentries, files, everything either
// transport allocates from a slab, whichever cache it is), the drop of
// MemFree (everything the kernel took, slab pages included) and the growth
// of /proc/meminfo's Slab (whole slab pages, so it moves in steps). The
// slab objects' figure is the stable one; the largest caches' shares
// follow it. The process's own share (an fd table, grown beforehand; two
// small vectors) is the same for every transport.
std::vector<PerfFigure> perf_idle(const PerfTransport& t, const PerfOptions& o) {
  const auto n = static_cast<std::size_t>(o.idle);
  ensure_fds(n);
  grow_fd_table(n);
  std::vector<Fd> clients, servers;
  clients.reserve(n);
  servers.reserve(n);
  const Fd l = listen_on(t.ep, 4096, o.rcvbuf, o.sndbuf);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto before = meminfo();
  const auto slab_before = slab_bytes();
  for (std::size_t i = 0; i < n; i++) {
    clients.push_back(connect_to(t.ep, o.rcvbuf, o.sndbuf));
    servers.push_back(accept_from(l.get()));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto after = meminfo();
  const auto slab_after = slab_bytes();
  const auto pairs = static_cast<double>(n);
  const auto per_pair = [&](const char* field) {
    return static_cast<double>(before.at(field) - after.at(field)) * 1024.0 / pairs / 1000.0;
  };
  const std::string how = std::to_string(n) + " connected pairs (both ends) held open, idle: ";
  std::vector<PerfFigure> f;
  if (!slab_after.empty()) {
    std::vector<std::pair<double, std::string>> grew;
    double total = 0;
    for (const auto& [name, bytes] : slab_after) {
      const auto it = slab_before.find(name);
      const double d = bytes - (it == slab_before.end() ? 0.0 : it->second);
      total += d;
      if (d / pairs >= 50) grew.emplace_back(d, name);
    }
    std::sort(grew.rbegin(), grew.rend());
    f.push_back({"idle", t.name, "slab-objs-per-pair", total / pairs / 1000.0, "KB",
                 how + "growth of /proc/slabinfo active_objs x objsize, all caches, / pairs", NAN});
    for (const auto& [d, name] : grew)
      f.push_back({"idle", t.name, "slab:" + name, d / pairs / 1000.0, "KB",
                   how + "growth of this cache's active_objs x objsize / pairs", NAN});
  }
  f.push_back({"idle", t.name, "mem-per-pair", per_pair("MemFree"), "KB",
               how + "drop of /proc/meminfo MemFree / pairs", NAN});
  f.push_back({"idle", t.name, "slab-per-pair", -per_pair("Slab"), "KB",
               how + "growth of /proc/meminfo Slab / pairs", NAN});
  reset_all(clients);
  reset_all(servers);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // RCU-deferred frees
  return f;
}

void perf_ratios(std::vector<PerfFigure>& figs, const std::string& baseline) {
  for (auto& f : figs) {
    f.ratio = NAN;
    for (const auto& b : figs) {
      if (b.transport == baseline && b.test == f.test && b.figure == f.figure && b.value > 0)
        f.ratio = f.value / b.value;
    }
  }
}

}  // namespace glass::cli
