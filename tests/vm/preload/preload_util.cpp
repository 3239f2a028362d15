// Helpers of the glass run suite (preload_util.hpp).
#include "preload_util.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include <linux/glass.h>

#include <chrono>
#include <cstdio>
#include <cstring>

#include "support.hpp"

namespace pt {

int real_int_opt(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof(v);
  if (syscall(SYS_getsockopt, fd, level, name, &v, &len) != 0) return -1;
  return v;
}

int real_domain(int fd) {
  return real_int_opt(fd, SOL_SOCKET, SO_DOMAIN);
}

int int_opt(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof(v);
  if (getsockopt(fd, level, name, &v, &len) != 0) return -1;
  return v;
}

sockaddr_in sin4(const char* addr, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, addr, &a.sin_addr);
  return a;
}

sockaddr_in6 sin6(const char* addr, uint16_t port) {
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  inet_pton(AF_INET6, addr, &a.sin6_addr);
  return a;
}

std::string text(const sockaddr_in& a) {
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &a.sin_addr, buf, sizeof(buf));
  return buf;
}

std::string text(const sockaddr_in6& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, &a.sin6_addr, buf, sizeof(buf));
  return buf;
}

namespace {

std::string describe(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(ss);
    return "AF_INET " + text(a) + ":" + std::to_string(ntohs(a.sin_port));
  }
  if (ss.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(ss);
    return "AF_INET6 " + text(a) + ":" + std::to_string(ntohs(a.sin6_port));
  }
  return "family " + std::to_string(ss.ss_family);
}

template <typename Fn>
std::string get(int fd, Fn fn) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (fn(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
    return std::string("error ") + strerrorname_np(errno);
  return describe(ss);
}

bool wait_fd(int fd, short events, int ms = 10000) {
  pollfd p{fd, events, 0};
  return poll(&p, 1, ms) == 1;
}

}  // namespace

std::string name(int fd) {
  return get(fd, getsockname);
}

std::string peer(int fd) {
  return get(fd, getpeername);
}

bool echo(int fd, const std::string& msg, bool nonblocking) {
  size_t off = 0;
  std::string back(msg.size(), '\0');
  size_t got = 0;
  while (got < msg.size()) {
    if (off < msg.size()) {
      const ssize_t n = write(fd, msg.data() + off, msg.size() - off);
      if (n > 0) off += static_cast<size_t>(n);
      if (n < 0 && !(nonblocking && errno == EAGAIN)) return false;
    }
    if (nonblocking && !wait_fd(fd, POLLIN)) return false;
    const ssize_t r = read(fd, back.data() + got, back.size() - got);
    if (r == 0) return false;
    if (r > 0) got += static_cast<size_t>(r);
    if (r < 0 && !(nonblocking && errno == EAGAIN)) return false;
  }
  return back == msg;
}

EchoServer::EchoServer(const std::string& ns, const char* addr, uint16_t port) {
  const std::string a = addr;
  acceptor_ = std::thread([this, ns, a, port] {
    gt::InNetns in(ns);
    const int l = gt::listener(a.c_str(), port, 64);
    ready_ = true;
    serve(l);
    close(l);
  });
  while (!ready_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void EchoServer::serve(int l) {
  while (!stop_) {
    if (!wait_fd(l, POLLIN, 50) || stop_) continue;
    const int c = accept4(l, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    conns_.push_back(c);
    threads_.emplace_back([c] {
      char buf[65536];
      ssize_t n = 0;
      while ((n = read(c, buf, sizeof(buf))) > 0) {
        if (!gt::write_all(c, buf, static_cast<size_t>(n))) break;
      }
    });
  }
}

EchoServer::~EchoServer() {
  stop_ = true;
  acceptor_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (int c : conns_) shutdown(c, SHUT_RDWR);
  for (auto& t : threads_) t.join();
  for (int c : conns_) close(c);
}

Client::Client(const std::string& ns, const char* addr, uint16_t port, int n) {
  const std::string a = addr;
  std::atomic<bool> connected{false};
  thread_ = std::thread([this, ns, a, port, n, &connected] {
    gt::InNetns in(ns);
    std::vector<int> fds;
    fds.reserve(n);
    for (int i = 0; i < n; ++i) fds.push_back(gt::connect_to(a.c_str(), port));
    connected = true;
    while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    for (int fd : fds) close(fd);
  });
  while (!connected) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void Client::done() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

StderrCapture::StderrCapture() {
  std::fflush(stderr);
  char path[] = "/tmp/stderr.XXXXXX";
  file_ = mkstemp(path);
  unlink(path);
  saved_ = dup(STDERR_FILENO);
  dup2(file_, STDERR_FILENO);
}

StderrCapture::~StderrCapture() {
  std::fflush(stderr);
  dup2(saved_, STDERR_FILENO);
  close(saved_);
  close(file_);
  // Show what was captured in the test's log, too.
  std::fputs(text().c_str(), stderr);
}

std::string StderrCapture::text() const {
  std::string out;
  char buf[4096];
  off_t off = 0;
  ssize_t n = 0;
  while ((n = pread(file_, buf, sizeof(buf), off)) > 0) {
    out.append(buf, static_cast<size_t>(n));
    off += n;
  }
  return out;
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

namespace {

std::string self_exe() {
  char buf[4096] = {};
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

}  // namespace

std::string run_probe(const std::vector<std::string>& args, const std::string& glass_run_opts,
                      const std::string& ns) {
  std::string cmd;
  if (!ns.empty()) cmd += "/usr/sbin/ip netns exec " + ns + " ";
  if (!ns.empty() || !glass_run_opts.empty()) cmd += "glass run " + glass_run_opts + " -- ";
  cmd += self_exe() + " --probe";
  for (const auto& a : args) cmd += " " + a;
  cmd += " 2>/dev/null";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return "popen failed";
  char buf[1024];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

int probe(int argc, char** argv) {
  const std::string what = argv[0];
  if (what == "names" && argc == 2) {
    const int fd = std::atoi(argv[1]);
    std::printf("domain=%d peer=%s echo=%s\n", int_opt(fd, SOL_SOCKET, SO_DOMAIN), peer(fd).c_str(),
                echo(fd, "exec'd") ? "ok" : "fail");
    return 0;
  }
  if (what == "connect" && argc == 3) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    const timeval tv{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    const sockaddr_in to = sin4(argv[1], static_cast<uint16_t>(std::atoi(argv[2])));
    const int rc = connect(fd, sa(&to), sizeof(to));
    std::printf("domain=%d connect=%s\n", real_domain(fd), rc == 0 ? "0" : strerrorname_np(errno));
    return 0;
  }
  if (what == "listen-any" && argc == 2) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in at = sin4("0.0.0.0", static_cast<uint16_t>(std::atoi(argv[1])));
    if (bind(fd, sa(&at), sizeof(at)) != 0 || listen(fd, 1) != 0) {
      std::printf("error %s\n", strerrorname_np(errno));
      return 1;
    }
    std::printf("domain=%d\n", real_domain(fd));
    return 0;
  }
  std::fprintf(stderr, "unknown probe %s\n", what.c_str());
  return 2;
}

}  // namespace pt
