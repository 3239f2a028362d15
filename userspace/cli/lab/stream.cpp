// Endpoints of every family, the checking pattern, time helpers.
#include "stream.hpp"

#include "testbed.hpp"

#include <glass/address.hpp>
#include <glass/error.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/glass.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace glass::cli {
namespace {

constexpr std::size_t kPatternLen = 65521;  // prime: no alignment with write sizes

struct SockAddr {
  sockaddr_storage ss{};
  socklen_t len = 0;
  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&ss); }
};

SockAddr make_addr(const Endpoint& ep) {
  SockAddr a;
  if (ep.family == AF_UNIX) {
    auto* un = reinterpret_cast<sockaddr_un*>(&a.ss);
    un->sun_family = AF_UNIX;
    const std::size_t n = std::min(ep.unix_name.size(), sizeof(un->sun_path) - 2);
    std::memcpy(un->sun_path + 1, ep.unix_name.data(), n);  // abstract: sun_path[0] = 0
    a.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + n);
    return a;
  }
  // sockaddr_glass has sockaddr_in's layout.
  auto* in = reinterpret_cast<sockaddr_in*>(&a.ss);
  in->sin_family = static_cast<sa_family_t>(ep.family);
  in->sin_port = htons(ep.port);
  in->sin_addr.s_addr = htonl(parse_ipv4(ep.host));
  a.len = sizeof(sockaddr_in);
  return a;
}

std::string describe(const Endpoint& ep) {
  if (ep.family == AF_UNIX) return "@" + ep.unix_name;
  return ep.host + ":" + std::to_string(ep.port);
}

Fd new_socket(const Endpoint& ep) {
  const int fd = ::socket(ep.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0) return Fd(fd);
  const int err = errno;
  if (ep.family == AF_GLASS && err == EAFNOSUPPORT)
    throw Error("socket(AF_GLASS)", err, std::string(kModuleNotLoaded));
  throw_errno("socket(family " + std::to_string(ep.family) + ")", err);
}

void set_buffers(int fd, int rcvbuf, int sndbuf) {
  if (rcvbuf > 0) set_int_option(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, "SO_RCVBUF");
  if (sndbuf > 0) set_int_option(fd, SOL_SOCKET, SO_SNDBUF, sndbuf, "SO_SNDBUF");
}

}  // namespace

Fd listen_on(const Endpoint& ep, int backlog, int rcvbuf, int sndbuf) {
  NetnsGuard in(ep.server_netns);
  Fd s = new_socket(ep);
  if (ep.family == AF_INET) set_int_option(s.get(), SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
  set_buffers(s.get(), rcvbuf, sndbuf);
  const SockAddr a = make_addr(ep);
  if (::bind(s.get(), a.sa(), a.len) != 0) throw_errno("bind(" + describe(ep) + ")", errno);
  if (::listen(s.get(), backlog) != 0) throw_errno("listen(" + describe(ep) + ")", errno);
  return s;
}

Fd connect_to(const Endpoint& ep, int rcvbuf, int sndbuf) {
  NetnsGuard in(ep.client_netns);
  Fd s = new_socket(ep);
  set_buffers(s.get(), rcvbuf, sndbuf);
  const SockAddr a = make_addr(ep);
  while (::connect(s.get(), a.sa(), a.len) != 0) {
    if (errno != EINTR) throw_errno("connect(" + describe(ep) + ")", errno);
  }
  return s;
}

Fd accept_from(int listen_fd) {
  for (;;) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) return Fd(fd);
    if (errno != EINTR) throw_errno("accept", errno);
  }
}

void set_int_option(int fd, int level, int name, int value, const char* what) {
  if (::setsockopt(fd, level, name, &value, sizeof(value)) != 0)
    throw_errno(std::string("setsockopt(") + what + ")", errno);
}

void set_nodelay(int fd, int family, bool on) {
  if (family == AF_GLASS) set_int_option(fd, SOL_GLASS, GLASS_NODELAY, on, "GLASS_NODELAY");
  if (family == AF_INET) set_int_option(fd, IPPROTO_TCP, TCP_NODELAY, on, "TCP_NODELAY");
}

void set_nonblocking(int fd, bool on) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK) != 0)
    throw_errno("fcntl(O_NONBLOCK)", errno);
}

void write_all(int fd, std::span<const std::byte> buf) {
  while (!buf.empty()) {
    const ssize_t n = ::write(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write", errno);
    }
    buf = buf.subspan(static_cast<std::size_t>(n));
  }
}

bool read_exact(int fd, std::span<std::byte> buf) {
  while (!buf.empty()) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read", errno);
    }
    if (n == 0) return false;
    buf = buf.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

Pattern::Pattern(std::uint64_t seed) : table_(kPatternLen) {
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
  for (auto& b : table_) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b = static_cast<std::byte>(x >> 24);
  }
}

void Pattern::fill(std::uint64_t off, std::span<std::byte> out) const {
  std::size_t pos = off % kPatternLen;
  while (!out.empty()) {
    const std::size_t n = std::min(out.size(), kPatternLen - pos);
    std::memcpy(out.data(), table_.data() + pos, n);
    out = out.subspan(n);
    pos = 0;
  }
}

bool Pattern::check(std::uint64_t off, std::span<const std::byte> in) const {
  std::size_t pos = off % kPatternLen;
  while (!in.empty()) {
    const std::size_t n = std::min(in.size(), kPatternLen - pos);
    if (std::memcmp(in.data(), table_.data() + pos, n) != 0) return false;
    in = in.subspan(n);
    pos = 0;
  }
  return true;
}

std::uint64_t mono_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

void sleep_ms(double ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(ms));
}

}  // namespace glass::cli
