// Helpers of the unmodified-programs suite: background programs in a
// namespace, command output, and what /proc/net/{glass,tcp} of a namespace
// say about a port.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

namespace prog {

// Runs cmd with sh -c and returns its stdout; *status gets the exit status.
std::string capture(const std::string& cmd, int* status = nullptr);

// A program started in the background (sh -c "exec CMD"), in its own
// process group, stdout and stderr to log; killed (the whole group) and
// reaped on destruction. log() reads what it wrote so far.
class Background {
 public:
  Background(const std::string& cmd, std::string log);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;
  std::string log() const;
  bool running();

 private:
  pid_t pid_ = -1;
  std::string log_;
};

// /proc/net/glass of namespace ns has a LISTEN row on port.
bool glass_listening(const std::string& ns, uint16_t port);
// Rows of /proc/net/glass of ns whose local address ends in ":port".
std::string glass_rows(const std::string& ns, uint16_t port);
// /proc/net/tcp or tcp6 of ns has any row (listening or not) on port.
bool tcp_uses_port(const std::string& ns, uint16_t port);
// /proc/net/glass_stat of ns.
std::map<std::string, uint64_t> glass_stat(const std::string& ns);

// Waits up to secs for cond; true once it holds.
template <typename Cond>
bool wait_for(Cond cond, int secs);

}  // namespace prog

#include <chrono>
#include <thread>

template <typename Cond>
bool prog::wait_for(Cond cond, int secs) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(secs);
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return cond();
}
