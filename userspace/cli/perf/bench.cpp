// The three measurements of `glass perf`, the same code for every family.
#include "perf.hpp"

#include <glass/error.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
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

std::vector<PerfFigure> perf_bulk(const PerfTransport& t, const PerfOptions& o) {
  Pair p = open_pair(t.ep, o);
  std::vector<std::byte> wbuf(static_cast<std::size_t>(o.write_size), std::byte{0x5a});
  std::uint64_t written = 0;
  std::string werr;
  const Stopwatch clock;
  std::jthread writer([&, fd = p.client.get()] {
    try {
      while (o.bytes ? written < o.bytes : clock.s() < o.seconds) {
        std::size_t n = wbuf.size();
        if (o.bytes) n = static_cast<std::size_t>(std::min<std::uint64_t>(n, o.bytes - written));
        write_all(fd, std::span(wbuf).first(n));
        written += n;
      }
    } catch (const std::exception& e) {
      werr = e.what();
    }
    ::shutdown(fd, SHUT_WR);
  });
  std::vector<std::byte> rbuf(256 * 1024);
  std::uint64_t got = 0;
  for (;;) {
    const ssize_t n = ::read(p.server.get(), rbuf.data(), rbuf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", errno);
    if (n == 0) break;
    got += static_cast<std::uint64_t>(n);
  }
  const double secs = clock.s();
  writer.join();
  if (!werr.empty()) throw Error("perf bulk " + t.name, EIO, werr);
  if (got != written)
    throw Error("perf bulk " + t.name, EIO,
                "received " + std::to_string(got) + " of " + std::to_string(written) + " bytes");
  char secs_text[32];
  std::snprintf(secs_text, sizeof(secs_text), "%g s", o.seconds);
  const std::string how = (o.bytes ? size_text(o.bytes) : std::string(secs_text)) + " in " +
                          size_text(static_cast<std::uint64_t>(o.write_size)) +
                          " writes; bytes read / time from first write to EOF (" + size_text(got) +
                          " moved)";
  return {{"bulk", t.name, "throughput", static_cast<double>(got) / secs / 1e6, "MB/s", how, NAN}};
}

std::vector<PerfFigure> perf_rr(const PerfTransport& t, const PerfOptions& o) {
  Pair p = open_pair(t.ep, o);
  set_nodelay(p.client.get(), t.ep.family, true);
  set_nodelay(p.server.get(), t.ep.family, true);
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
  const std::string how = std::to_string(o.requests) + " round trips of " + std::to_string(o.size) +
                          " B (after " + std::to_string(warmup) +
                          " warm-up), one outstanding, NODELAY";
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
