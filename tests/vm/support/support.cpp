// Shared helpers for the guest test suites; see support.hpp.
#include "support.hpp"

#include <glass/procfs.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

namespace gt {

int sh(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

void must(const std::string& cmd) {
  int rc = sh(cmd);
  if (rc != 0) ADD_FAILURE() << "command failed (" << rc << "): " << cmd;
}

InNetns::InNetns(const std::string& name) {
  saved_ = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  int fd = open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) ADD_FAILURE() << "setns " << name;
  if (fd >= 0) close(fd);
}

InNetns::~InNetns() {
  if (saved_ >= 0) {
    setns(saved_, CLONE_NEWNET);
    close(saved_);
  }
}

sockaddr_glass addr(const char* ip, uint16_t port) {
  sockaddr_glass a{};
  a.sg_family = AF_GLASS;
  a.sg_port = htons(port);
  if (inet_pton(AF_INET, ip, &a.sg_addr) != 1) ADD_FAILURE() << "bad address " << ip;
  return a;
}

int glass_socket(int flags) {
  int fd = socket(AF_GLASS, SOCK_STREAM | flags, 0);
  if (fd < 0) ADD_FAILURE() << "socket(AF_GLASS): " << strerror(errno);
  return fd;
}

glass_info info(int fd) {
  glass_info gi{};
  socklen_t len = sizeof(gi);
  if (getsockopt(fd, SOL_GLASS, GLASS_INFO, &gi, &len) != 0)
    ADD_FAILURE() << "GLASS_INFO: " << strerror(errno);
  return gi;
}

std::map<std::string, uint64_t> counters_from(const std::string& text, const std::string& source) {
  std::map<std::string, uint64_t> m;
  try {
    for (const auto& [name, value] : glass::parse_counters(text, source)) m[name] = value;
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
  if (m.empty()) ADD_FAILURE() << source << " is empty or missing";
  return m;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::map<std::string, uint64_t> counters_file(const std::string& path) {
  return counters_from(read_file(path), path);
}

std::map<std::string, uint64_t> stats() {
  return counters_file("/proc/thread-self/net/glass_stat");
}

bool debug_kernel() {
  static const bool on = [] {
    std::ifstream f("/proc/cmdline");
    std::string line;
    std::getline(f, line);
    return (" " + line + " ").find(" glass_debug=1 ") != std::string::npos;
  }();
  return on;
}

int scaled_ms(int ms) {
  return debug_kernel() ? ms * 10 : ms;
}

bool wait_until(const std::function<bool()>& cond, int ms) {
  ms = scaled_ms(ms);
  for (int waited = 0; waited <= ms; waited += 10) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

int listener(const char* ip, uint16_t port, int backlog) {
  int fd = glass_socket();
  sockaddr_glass a = addr(ip, port);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0)
    ADD_FAILURE() << "bind " << ip << ":" << port << ": " << strerror(errno);
  if (listen(fd, backlog) != 0) ADD_FAILURE() << "listen: " << strerror(errno);
  return fd;
}

int connect_to(const char* ip, uint16_t port) {
  int fd = glass_socket();
  sockaddr_glass a = addr(ip, port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0)
    ADD_FAILURE() << "connect " << ip << ":" << port << ": " << strerror(errno);
  return fd;
}

// GLASS_FAULT=1: the runner armed failslab and fail_page_alloc for marked
// tasks (vm/guest/run-vm-tests.sh).
bool fault_pass() {
  static const bool on = [] {
    const char* v = std::getenv("GLASS_FAULT");
    return v != nullptr && std::strcmp(v, "1") == 0;
  }();
  return on;
}

FaultScope::FaultScope() {
  if (!fault_pass()) return;
  fd_ = open("/proc/thread-self/make-it-fail", O_RDWR | O_CLOEXEC);
  const char on = '1';
  if (fd_ < 0 || read(fd_, &previous_, 1) != 1 || pwrite(fd_, &on, 1, 0) != 1)
    ADD_FAILURE() << "/proc/thread-self/make-it-fail: " << strerror(errno);
}

FaultScope::~FaultScope() {
  if (fd_ < 0) return;
  if (pwrite(fd_, &previous_, 1, 0) != 1)
    ADD_FAILURE() << "/proc/thread-self/make-it-fail: " << strerror(errno);
  close(fd_);
}

namespace {

constexpr const char* kFailslab = "/sys/kernel/debug/failslab/";

bool failslab_set(const char* file, const char* value) {
  std::ofstream f(std::string(kFailslab) + file);
  f << value;
  f.flush();
  if (!f) ADD_FAILURE() << kFailslab << file << ": cannot write " << value;
  return static_cast<bool>(f);
}

}  // namespace

bool FailNextSlab::available() {
  return !fault_pass() && access((std::string(kFailslab) + "times").c_str(), W_OK) == 0;
}

FailNextSlab::FailNextSlab() {
  if (!available()) return;
  // Every file is written before the thread is marked: afterwards, opening
  // one would spend the failure.
  static const std::pair<const char*, const char*> kArm[] = {
      {"task-filter", "Y"}, {"ignore-gfp-wait", "N"}, {"verbose", "0"},      {"space", "0"},
      {"interval", "1"},    {"times", "1"},           {"probability", "100"}};
  for (const auto& [file, value] : kArm) {
    if (!failslab_set(file, value)) return;
  }
  fd_ = open("/proc/thread-self/make-it-fail", O_RDWR | O_CLOEXEC);
  const char on = '1';
  if (fd_ < 0 || read(fd_, &previous_, 1) != 1 || pwrite(fd_, &on, 1, 0) != 1)
    ADD_FAILURE() << "/proc/thread-self/make-it-fail: " << strerror(errno);
}

FailNextSlab::~FailNextSlab() {
  release();
}

bool FailNextSlab::release() {
  if (fd_ < 0) return false;
  if (pwrite(fd_, &previous_, 1, 0) != 1)
    ADD_FAILURE() << "/proc/thread-self/make-it-fail: " << strerror(errno);
  close(fd_);
  fd_ = -1;
  failslab_set("probability", "0");
  std::ifstream f(std::string(kFailslab) + "times");
  int left = -1;
  f >> left;
  return left == 0;
}

bool write_all(int fd, const void* buf, size_t n) {
  FaultScope faults;
  const char* p = static_cast<const char*>(buf);
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool read_all(int fd, void* buf, size_t n) {
  FaultScope faults;
  char* p = static_cast<char*>(buf);
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace gt
