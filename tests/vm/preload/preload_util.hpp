// Helpers of the glass run suite (vmtest_preload): raw views of a socket
// that bypass the preload library, addresses, an echo server and a client
// on native glass sockets in a namespace, stderr capture, and probes
// (this binary run again with other glass run settings).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace pt {

// An owned file descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// SO_DOMAIN / any int option through the raw system call: what the socket
// really is, whatever the preload library answers the program.
int real_domain(int fd);
int real_int_opt(int fd, int level, int name);
// An int option through libc (the program's view); -1 on error.
int int_opt(int fd, int level, int name);

sockaddr_in sin4(const char* addr, uint16_t port);
sockaddr_in6 sin6(const char* addr, uint16_t port);
template <typename T>
const sockaddr* sa(const T* a) {
  return reinterpret_cast<const sockaddr*>(a);
}
template <typename T>
sockaddr* sa(T* a) {
  return reinterpret_cast<sockaddr*>(a);
}
std::string text(const sockaddr_in& a);
std::string text(const sockaddr_in6& a);
// getsockname / getpeername as the program sees them: "AF_INET 10.7.0.1:7000",
// "AF_INET6 ::ffff:10.7.0.1:7000", or "error ERRNO".
std::string name(int fd);
std::string peer(int fd);

// Writes msg and reads the same bytes back; nonblocking sockets wait in poll.
bool echo(int fd, const std::string& msg, bool nonblocking = false);

// A glass echo server on addr:port in namespace ns (native AF_GLASS
// sockets), one thread per connection, stopped on destruction.
class EchoServer {
 public:
  EchoServer(const std::string& ns, const char* addr, uint16_t port);
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

 private:
  void serve(int listener);
  std::atomic<bool> stop_{false};
  std::atomic<bool> ready_{false};
  std::mutex mu_;
  std::vector<int> conns_;  // guarded by mu_
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

// n native glass connections from namespace ns to addr:port, held open
// until done() (or destruction).
class Client {
 public:
  Client(const std::string& ns, const char* addr, uint16_t port, int n = 2);
  ~Client() { done(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  void done();

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Redirects stderr (fd 2) to a file while alive; text() is what was written.
class StderrCapture {
 public:
  StderrCapture();
  ~StderrCapture();
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;
  std::string text() const;

 private:
  int saved_ = -1;
  int file_ = -1;
};

int count(const std::string& text, const std::string& needle);

// Runs this binary as a probe (`--probe ARGS...`) and returns its stdout.
// With glass_run_opts or ns: through `ip netns exec NS glass run OPTS --`;
// without: directly (the child inherits this process's LD_PRELOAD, fds
// without FD_CLOEXEC and the calling thread's namespace).
std::string run_probe(const std::vector<std::string>& args, const std::string& glass_run_opts = "",
                      const std::string& ns = "");
// The probes themselves (main dispatches `--probe`).
int probe(int argc, char** argv);

}  // namespace pt
