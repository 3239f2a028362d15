// The same echo server written four ways, each counting, in its own loop,
// the system calls it makes and the times it wakes up (returns from the
// call that waits). It serves its connections until every one is closed.
#pragma once

#include <glass/fd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace glass::cli::lab {

struct EchoCounts {
  std::uint64_t syscalls = 0;  // read/write/poll/epoll_wait/io_uring_enter
  std::uint64_t wakeups = 0;   // returns of the waiting call
  std::uint64_t bytes = 0;     // bytes echoed
  long vcsw = 0;               // voluntary context switches of the serving thread(s)
  long ivcsw = 0;              // involuntary ones
  std::string error;
};

// One thread per connection, blocking read() then write().
EchoCounts echo_blocking(std::vector<Fd>& conns, std::size_t bufsize);
// One thread, non-blocking sockets, poll() for readability.
EchoCounts echo_poll(std::vector<Fd>& conns, std::size_t bufsize);
// One thread, epoll_wait() (level-triggered).
EchoCounts echo_epoll(std::vector<Fd>& conns, std::size_t bufsize);
// One thread, io_uring: a recv per connection in flight, a send on completion.
EchoCounts echo_uring(std::vector<Fd>& conns, std::size_t bufsize);

}  // namespace glass::cli::lab
