// Helpers of the trace suite: `glass trace` run as a child process, its JSON
// lines parsed into flat maps, and a two-host exchange to trace.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support.hpp"

namespace tr {

// One JSON object with scalar values (numbers kept as their text).
using Json = std::map<std::string, std::string>;

// Parses {"k":"v","n":1,...}; nullopt for anything else (nested values too).
std::optional<Json> parse_json(const std::string& line);
// The number at key (0 when absent).
uint64_t num(const Json& j, const std::string& key);
// The value at key ("" when absent).
std::string str(const Json& j, const std::string& key);

// `glass ARGS...` with stdout and stderr captured in files; run as user
// `uid` (and the same gid) when uid is not 0.
class Glass {
 public:
  explicit Glass(const std::vector<std::string>& args, uid_t uid = 0);
  ~Glass();  // SIGKILLs a child still running
  Glass(const Glass&) = delete;
  Glass& operator=(const Glass&) = delete;

  // Waits until stderr says "Tracing glass" (attached); false if the child
  // exited first or ms passed.
  bool attached(int ms = 10000);
  // Sends SIGINT and waits; returns the exit status (-1: no exit in ms).
  int stop(int ms = 10000);
  // Waits without a signal (for -d); returns the exit status or -1.
  int wait(int ms);
  std::string out() const;
  std::string err() const;
  // stdout's lines parsed as JSON; a line that does not parse fails the test.
  std::vector<Json> records() const;

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string out_path_;
  std::string err_path_;
};

// Runs `glass ARGS` to completion; returns the exit status, output in *out.
int run_glass(const std::vector<std::string>& args, std::string* out, int ms = 20000,
              uid_t uid = 0);

// A connection across a gt::Pair: client in h1 (10.7.0.1), server (the
// accepted socket) in h2 (10.7.0.2) on `port`. TIME_WAIT is shortened to
// 100 ms on both hosts so sockets go away quickly.
struct Conn {
  explicit Conn(uint16_t port);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // net.glass.<name> on both hosts.
  void sysctl(const std::string& name, int value) const;
  // Listens, connects and accepts; fails the test on error.
  void open();
  // Closes what is still open and waits until neither host has a socket.
  bool close_all(int ms = 5000);

  gt::Pair pair;
  uint16_t port;
  int listener = -1;
  int client = -1;
  int server = -1;
  uint16_t client_port = 0;
};

// Lines of /proc/net/glass in a namespace ("": the caller's), header included.
int proc_lines(const std::string& ns);
// Waits until fd has nothing unacknowledged or unsent.
bool wait_acked(int fd, int ms = 10000);
// Waits until GLASS_INFO of fd reports state.
bool wait_state(int fd, int state, int ms = 5000);

}  // namespace tr
