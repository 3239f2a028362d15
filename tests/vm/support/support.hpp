// Shared helpers for the guest test suites: namespaces and glass devices
// (through the real `ip` and `glass` tools), addresses, GLASS_INFO and the
// procfs counters. Every helper fails the current test with a message
// rather than returning a code the caller could forget to check.
#pragma once

#include <linux/glass.h>
#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "topo.hpp"  // namespaces and glass topologies (gt::Netns, gt::Pair, gt::Loopback)

namespace gt {

// Runs a shell command (sh -c); returns its exit status.
int sh(const std::string& cmd);
// Runs a shell command and fails the test (ADD_FAILURE) if it does not exit 0.
void must(const std::string& cmd);

// Switches the calling thread into a namespace; switches back on destruction.
class InNetns {
 public:
  explicit InNetns(const std::string& name);
  ~InNetns();
  InNetns(const InNetns&) = delete;
  InNetns& operator=(const InNetns&) = delete;

 private:
  int saved_ = -1;
};

sockaddr_glass addr(const char* ip, uint16_t port);
// socket(AF_GLASS, SOCK_STREAM | flags, 0), failing the test on error.
int glass_socket(int flags = 0);
glass_info info(int fd);
// The whole of a file ("" if it cannot be read).
std::string read_file(const std::string& path);
// /proc/net/glass_stat of the calling thread's namespace.
std::map<std::string, uint64_t> stats();
// "name value" counters (glass_stat, glass_sockstat) parsed by the library
// (glass::parse_counters); a parse error or no counter at all fails the test.
std::map<std::string, uint64_t> counters_from(const std::string& text, const std::string& source);
// The same, read from a file (/proc/thread-self/net/... for a namespace).
std::map<std::string, uint64_t> counters_file(const std::string& path);
// True in the debug kernel (vm/run --debug: glass_debug=1 on the command line).
bool debug_kernel();
// How much work a test does: `stock` in Debian's kernel, `debug` in the
// debug kernel. The debug suite checks paths, not scale: KASAN, lockdep and
// kmemleak see every path of a smaller run too, at a fraction of its time
// (docs/debug-kernel.md, "What the debug suite scales down").
template <class T>
T per_kernel(T stock, T debug) {
  return debug_kernel() ? debug : stock;
}
// A bound on how long the kernel may take, in ms: ten times longer in the
// debug kernel, which runs glass about ten times slower (KASAN, lockdep).
int scaled_ms(int ms);
// Polls cond every 10 ms for up to scaled_ms(ms); true once it holds.
bool wait_until(const std::function<bool()>& cond, int ms = 5000);
// A listener bound to ip:port with backlog, failing the test on error.
int listener(const char* ip, uint16_t port, int backlog = 16);
// A connected client to ip:port (blocking connect), failing on error.
int connect_to(const char* ip, uint16_t port);
// Writes/reads exactly n bytes; false on error or EOF. Both move data
// under a FaultScope.
bool write_all(int fd, const void* buf, size_t n);
bool read_all(int fd, void* buf, size_t n);

// True in the debug kernel's fault-injection pass (GLASS_FAULT=1, below):
// a test that counts drops for want of memory (drop_nomem) expects some
// there, caused on purpose.
bool fault_pass();

// In the debug kernel's fault-injection pass (GLASS_FAULT=1 in the
// environment), the kernel fails a fraction of the calling thread's memory
// allocations while a FaultScope lives (/proc/thread-self/make-it-fail), and
// restores the thread's previous mark on destruction. Only the code that moves
// data runs under one: a failure injected into the test's setup (fork/exec of
// `ip`, namespaces) or into writing its report would only fail the harness,
// while one injected into send() and recv() (and the backlog they process)
// exercises the protocol's error paths. Elsewhere a FaultScope does nothing.
class FaultScope {
 public:
  FaultScope();
  ~FaultScope();
  FaultScope(const FaultScope&) = delete;
  FaultScope& operator=(const FaultScope&) = delete;

 private:
  // Opened before the thread is marked: reopening the file to unmark it
  // could itself fail once allocations fail.
  int fd_ = -1;
  char previous_ = '0';  // the thread's mark before
};

// One chosen error path, deterministically: while a FailNextSlab lives, the
// calling thread's next slab allocation fails, once (failslab in the debug
// kernel: task-filter, probability 100, times 1). Arm it right before the
// system call whose allocation should fail. Outside the debug kernel, or in
// the fault pass (whose rate it would override), available() is false and
// it does nothing.
class FailNextSlab {
 public:
  static bool available();
  FailNextSlab();
  ~FailNextSlab();
  FailNextSlab(const FailNextSlab&) = delete;
  FailNextSlab& operator=(const FailNextSlab&) = delete;
  // Unmarks the thread and disarms failslab; true if the failure was used.
  // (Reading that while marked would spend the failure on the read.)
  bool release();

 private:
  int fd_ = -1;          // /proc/thread-self/make-it-fail, opened before marking
  char previous_ = '0';  // the thread's mark before
};

}  // namespace gt
