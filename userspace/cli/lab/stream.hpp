// glass lab/perf: connections of any family (AF_GLASS, AF_INET, AF_UNIX),
// opened in a chosen network namespace, plus the byte pattern that lets a
// reader check every byte of a stream and a monotonic clock.
#pragma once

#include <glass/fd.hpp>

#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace glass::cli {

// Where a server listens and the namespaces of both ends.
struct Endpoint {
  int family = 0;            // AF_GLASS, AF_INET or AF_UNIX
  std::string host;          // IPv4 address (AF_GLASS, AF_INET)
  std::uint16_t port = 0;    // (AF_GLASS, AF_INET)
  std::string unix_name;     // abstract AF_UNIX name (without the leading NUL)
  std::string server_netns;  // "" = the caller's namespace
  std::string client_netns;
};

// A listening socket (SO_REUSEADDR for TCP) in the server's namespace.
// rcvbuf/sndbuf > 0 are set before listen, so accepted sockets inherit them.
Fd listen_on(const Endpoint& ep, int backlog = 128, int rcvbuf = 0, int sndbuf = 0);
// A blocking connect from the client's namespace.
Fd connect_to(const Endpoint& ep, int rcvbuf = 0, int sndbuf = 0);
// accept(2), retrying EINTR; throws Error.
Fd accept_from(int listen_fd);

// setsockopt of an int; throws Error naming the option.
void set_int_option(int fd, int level, int name, int value, const char* what);
// TCP_NODELAY or GLASS_NODELAY by family (nothing for AF_UNIX).
void set_nodelay(int fd, int family, bool on);
void set_nonblocking(int fd, bool on);

// write(2) until all of buf is written (EINTR retried); throws Error.
void write_all(int fd, std::span<const std::byte> buf);
// Reads exactly buf.size() bytes; false at EOF before that; throws Error.
bool read_exact(int fd, std::span<std::byte> buf);

// A repeating byte pattern, seeded: byte(off) depends on the stream offset,
// so a reader detects lost, duplicated or reordered bytes.
class Pattern {
 public:
  explicit Pattern(std::uint64_t seed);
  void fill(std::uint64_t off, std::span<std::byte> out) const;
  // True when in equals the pattern from offset off.
  bool check(std::uint64_t off, std::span<const std::byte> in) const;

 private:
  std::vector<std::byte> table_;
};

// Monotonic time since construction.
class Stopwatch {
 public:
  Stopwatch() : t0_(std::chrono::steady_clock::now()) {}
  double ms() const { return us() / 1000.0; }
  double us() const {
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0_)
        .count();
  }
  double s() const { return us() / 1e6; }

 private:
  std::chrono::steady_clock::time_point t0_;
};

// CLOCK_MONOTONIC in nanoseconds (comparable across threads).
std::uint64_t mono_ns();
void sleep_ms(double ms);

}  // namespace glass::cli
