// Helpers shared by the socket API suite (vmtest_socket): an owning fd, a
// connected glass pair of sockets on a loopback device, poll masks, sysctls
// and device counters of a namespace, and small byte-pattern helpers.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/glass.h>
#include <linux/glass_wire.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "support.hpp"

namespace st {

// An owned file descriptor, closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  operator int() const { return fd_; }  // NOLINT(google-explicit-constructor)
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

inline sockaddr* sa(sockaddr_glass* a) {
  return reinterpret_cast<sockaddr*>(a);
}

// A socket of the calling thread's namespace, owned.
inline Fd sock(int flags = 0) {
  return Fd(gt::glass_socket(flags));
}

// A client connected to a server over a loopback glass device in its own
// namespace; the calling thread stays in that namespace for the object's
// life (tests create it first, before any other socket).
struct LoopConn {
  explicit LoopConn(uint16_t port = 5000) : in(lo.ns().name()) {
    listener = Fd(gt::listener(gt::Loopback::kAddr, port));
    client = Fd(gt::connect_to(gt::Loopback::kAddr, port));
    server = Fd(accept(listener, nullptr, nullptr));
    if (server < 0) ADD_FAILURE() << "accept: " << strerror(errno);
  }
  gt::Loopback lo;
  gt::InNetns in;
  Fd listener, client, server;
};

// poll() on one fd: the returned events (0 on timeout). A wait (timeout_ms
// > 0) is a bound on the kernel, scaled in the debug kernel.
inline short revents(int fd, short events = POLLIN | POLLOUT | POLLRDHUP, int timeout_ms = 0) {
  pollfd p{fd, events, 0};
  int n = poll(&p, 1, timeout_ms > 0 ? gt::scaled_ms(timeout_ms) : timeout_ms);
  return n > 0 ? p.revents : 0;
}

inline int so_error(int fd) {
  int e = -1;
  socklen_t l = sizeof(e);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l) != 0) ADD_FAILURE() << "SO_ERROR";
  return e;
}

inline int int_opt(int fd, int level, int name) {
  int v = -1;
  socklen_t l = sizeof(v);
  if (getsockopt(fd, level, name, &v, &l) != 0)
    ADD_FAILURE() << "getsockopt " << level << "/" << name << ": " << strerror(errno);
  return v;
}

inline uint64_t stat(const std::string& name) {
  auto m = gt::stats();
  auto it = m.find(name);
  if (it == m.end()) {
    ADD_FAILURE() << "no counter " << name;
    return 0;
  }
  return it->second;
}

// Writes net.glass.<name> of the calling thread's namespace.
inline void sysctl(const std::string& name, int value) {
  std::ofstream f("/proc/sys/net/glass/" + name);
  f << value;
  f.flush();
  if (!f) ADD_FAILURE() << "cannot write net.glass." << name;
}

// Output of a shell command (trailing newline trimmed).
inline std::string capture(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// A counter of /sys/class/net/<dev>/statistics in namespace ns.
inline uint64_t dev_stat(const std::string& ns, const std::string& dev, const std::string& name) {
  std::string v = capture("/usr/sbin/ip netns exec " + ns + " cat /sys/class/net/" + dev +
                          "/statistics/" + name);
  return v.empty() ? ~0ULL : std::stoull(v);
}

inline std::vector<char> pattern(size_t n, unsigned seed) {
  std::vector<char> v(n);
  for (size_t i = 0; i < n; i++)
    v[i] = static_cast<char>((i * 131 + seed * 7919 + (i >> 8)) & 0xff);
  return v;
}

inline int unread(int fd) {
  int n = -1;
  if (ioctl(fd, FIONREAD, &n) != 0) ADD_FAILURE() << "FIONREAD: " << strerror(errno);
  return n;
}

inline int outq(int fd) {
  int n = -1;
  if (ioctl(fd, TIOCOUTQ, &n) != 0) ADD_FAILURE() << "SIOCOUTQ: " << strerror(errno);
  return n;
}

inline long ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               t0)
      .count();
}

// Ends a connection with `closer` closing first: it sends its FIN, the peer
// reads the end of stream and closes (peer is reset), and closer's end,
// still open, waits in TIME_WAIT. Success once it is there.
inline testing::AssertionResult close_into_time_wait(Fd& closer, Fd& peer) {
  if (shutdown(closer, SHUT_WR) != 0)
    return testing::AssertionFailure() << "shutdown: " << strerror(errno);
  char b = 0;
  if (read(peer, &b, 1) != 0)
    return testing::AssertionFailure() << "the peer read no end of stream";
  peer.reset();
  if (!gt::wait_until([&] { return gt::info(closer).gi_state == GLASS_TIME_WAIT; }))
    return testing::AssertionFailure() << "the closer never reached TIME_WAIT";
  return testing::AssertionSuccess();
}

// The /proc/net/glass rows of the calling thread's namespace (header skipped).
inline std::vector<std::string> proc_rows() {
  std::vector<std::string> rows;
  std::ifstream f("/proc/thread-self/net/glass");
  std::string line;
  bool first = true;
  while (std::getline(f, line)) {
    if (first) {
      first = false;
      continue;
    }
    rows.push_back(line);
  }
  return rows;
}

}  // namespace st
