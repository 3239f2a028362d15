// Four echo servers: blocking, poll, epoll, io_uring. The counters are
// incremented next to each system call, so they count exactly what the loop
// does; context switches come from getrusage(RUSAGE_THREAD).
#include "echo_servers.hpp"

#include "stream.hpp"

#include <glass/error.hpp>

#include <liburing.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

namespace glass::cli::lab {
namespace {

// Context switches of the calling thread between construction and add_to().
class ThreadSwitches {
 public:
  ThreadSwitches() { ::getrusage(RUSAGE_THREAD, &start_); }
  void add_to(EchoCounts& c) const {
    rusage now{};
    ::getrusage(RUSAGE_THREAD, &now);
    c.vcsw += now.ru_nvcsw - start_.ru_nvcsw;
    c.ivcsw += now.ru_nivcsw - start_.ru_nivcsw;
  }

 private:
  rusage start_{};
};

// Writes all of buf[0, n) on a socket that may be non-blocking (waits with
// poll on EAGAIN, counting those calls too).
void echo_back(int fd, const std::byte* buf, std::size_t n, EchoCounts& c) {
  while (n > 0) {
    c.syscalls++;
    const ssize_t w = ::write(fd, buf, n);
    if (w < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      c.syscalls++;
      ::poll(&p, 1, -1);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw_errno("write", errno);
    buf += w;
    n -= static_cast<std::size_t>(w);
    c.bytes += static_cast<std::uint64_t>(w);
  }
}

// One non-blocking read and its echo; false when the peer closed.
bool serve_ready(int fd, std::vector<std::byte>& buf, EchoCounts& c) {
  c.syscalls++;
  const ssize_t n = ::read(fd, buf.data(), buf.size());
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
  if (n < 0) throw_errno("read", errno);
  if (n == 0) return false;
  echo_back(fd, buf.data(), static_cast<std::size_t>(n), c);
  return true;
}

}  // namespace

EchoCounts echo_blocking(std::vector<Fd>& conns, std::size_t bufsize) {
  EchoCounts total;
  std::mutex mu;
  std::vector<std::jthread> threads;
  threads.reserve(conns.size());
  for (Fd& conn : conns) {
    threads.emplace_back([&, fd = conn.get()] {
      EchoCounts c;
      const ThreadSwitches sw;
      std::vector<std::byte> buf(bufsize);
      try {
        for (;;) {
          c.syscalls++;
          const ssize_t n = ::read(fd, buf.data(), buf.size());
          c.wakeups++;
          if (n < 0 && errno == EINTR) continue;
          if (n < 0) throw_errno("read", errno);
          if (n == 0) break;
          echo_back(fd, buf.data(), static_cast<std::size_t>(n), c);
        }
      } catch (const std::exception& e) {
        c.error = e.what();
      }
      sw.add_to(c);
      const std::lock_guard lock(mu);
      total.syscalls += c.syscalls;
      total.wakeups += c.wakeups;
      total.bytes += c.bytes;
      total.vcsw += c.vcsw;
      total.ivcsw += c.ivcsw;
      if (!c.error.empty()) total.error = c.error;
    });
  }
  threads.clear();  // joins
  return total;
}

EchoCounts echo_poll(std::vector<Fd>& conns, std::size_t bufsize) {
  EchoCounts c;
  const ThreadSwitches sw;
  std::vector<pollfd> fds;
  for (Fd& f : conns) {
    set_nonblocking(f.get(), true);
    fds.push_back({f.get(), POLLIN, 0});
  }
  std::vector<std::byte> buf(bufsize);
  std::size_t open = fds.size();
  try {
    while (open > 0) {
      c.syscalls++;
      const int n = ::poll(fds.data(), fds.size(), -1);
      c.wakeups++;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("poll", errno);
      for (pollfd& p : fds) {
        if (p.fd < 0 || p.revents == 0) continue;
        if (!serve_ready(p.fd, buf, c)) {
          p.fd = -1;  // poll ignores negative fds
          open--;
        }
      }
    }
  } catch (const std::exception& e) {
    c.error = e.what();
  }
  sw.add_to(c);
  return c;
}

EchoCounts echo_epoll(std::vector<Fd>& conns, std::size_t bufsize) {
  EchoCounts c;
  const Fd ep(::epoll_create1(EPOLL_CLOEXEC));
  if (!ep) throw_errno("epoll_create1", errno);
  for (Fd& f : conns) {
    set_nonblocking(f.get(), true);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = f.get();
    if (::epoll_ctl(ep.get(), EPOLL_CTL_ADD, f.get(), &ev) != 0) throw_errno("epoll_ctl", errno);
  }
  const ThreadSwitches sw;
  std::vector<std::byte> buf(bufsize);
  std::vector<epoll_event> events(conns.size());
  std::size_t open = conns.size();
  try {
    while (open > 0) {
      c.syscalls++;
      const int n = ::epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), -1);
      c.wakeups++;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("epoll_wait", errno);
      for (int i = 0; i < n; i++) {
        const int fd = events[static_cast<std::size_t>(i)].data.fd;
        if (serve_ready(fd, buf, c)) continue;
        ::epoll_ctl(ep.get(), EPOLL_CTL_DEL, fd, nullptr);  // setup/teardown: not counted
        open--;
      }
    }
  } catch (const std::exception& e) {
    c.error = e.what();
  }
  sw.add_to(c);
  return c;
}

namespace {

// One connection of the io_uring server: a buffer, what is left to send.
struct UringConn {
  int fd = -1;
  std::vector<std::byte> buf;
  std::size_t sent = 0, len = 0;
};

void prep(io_uring& ring, UringConn& u, std::size_t idx, bool send) {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring);
  if (sqe == nullptr) throw Error("io_uring_get_sqe", EBUSY, "submission queue full");
  if (send) {
    io_uring_prep_send(sqe, u.fd, u.buf.data() + u.sent, u.len - u.sent, MSG_NOSIGNAL);
  } else {
    io_uring_prep_recv(sqe, u.fd, u.buf.data(), u.buf.size(), 0);
  }
  io_uring_sqe_set_data64(sqe, idx * 2 + (send ? 1 : 0));
}

}  // namespace

EchoCounts echo_uring(std::vector<Fd>& conns, std::size_t bufsize) {
  EchoCounts c;
  io_uring ring{};
  const int rc = io_uring_queue_init(static_cast<unsigned>(2 * conns.size() + 8), &ring, 0);
  if (rc < 0) throw Error("io_uring_queue_init", -rc);
  std::vector<UringConn> us(conns.size());
  for (std::size_t i = 0; i < conns.size(); i++) {
    us[i].fd = conns[i].get();
    us[i].buf.resize(bufsize);
    prep(ring, us[i], i, false);
  }
  const ThreadSwitches sw;
  std::size_t open = conns.size();
  try {
    while (open > 0) {
      c.syscalls++;  // io_uring_submit_and_wait: one io_uring_enter
      const int r = io_uring_submit_and_wait(&ring, 1);
      c.wakeups++;
      if (r < 0 && r != -EINTR) throw Error("io_uring_enter", -r);
      io_uring_cqe* cqe = nullptr;
      unsigned head = 0, seen = 0;
      io_uring_for_each_cqe(&ring, head, cqe) {
        seen++;
        const std::size_t idx = cqe->user_data / 2;
        const bool was_send = cqe->user_data % 2 == 1;
        UringConn& u = us[idx];
        if (cqe->res < 0) throw Error(was_send ? "io_uring send" : "io_uring recv", -cqe->res);
        if (!was_send && cqe->res == 0) {
          open--;
          continue;
        }
        if (was_send) {
          u.sent += static_cast<std::size_t>(cqe->res);
          c.bytes += static_cast<std::uint64_t>(cqe->res);
        } else {
          u.len = static_cast<std::size_t>(cqe->res);
          u.sent = 0;
        }
        prep(ring, u, idx, u.sent < u.len);
      }
      io_uring_cq_advance(&ring, seen);
    }
  } catch (const std::exception& e) {
    c.error = e.what();
  }
  sw.add_to(c);
  io_uring_queue_exit(&ring);
  return c;
}

}  // namespace glass::cli::lab
