// send_streams/recv_streams: one thread per direction, epoll over every
// stream when there are several, blocking calls for one.
#include "streams.hpp"

#include "lab/stream.hpp"
#include "perf.hpp"

#include <glass/error.hpp>

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <numeric>

namespace glass::cli {
namespace {

constexpr std::size_t kReadLen = 256 * 1024;
constexpr int kBatch = 256;

double timeval_s(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

// An epoll instance watching every fd for events, data.u64 = its index.
Fd watch_all(std::span<const int> fds, std::uint32_t events) {
  Fd ep(::epoll_create1(EPOLL_CLOEXEC));
  if (!ep) throw_errno("epoll_create1", errno);
  for (std::size_t i = 0; i < fds.size(); i++) {
    set_nonblocking(fds[i], true);
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = i;
    if (::epoll_ctl(ep.get(), EPOLL_CTL_ADD, fds[i], &ev) != 0) throw_errno("epoll_ctl", errno);
  }
  return ep;
}

// Bytes stream i may still send under a byte budget (even split, the
// first streams take the remainder).
std::uint64_t quota(const SendPlan& plan, std::size_t i, std::size_t n) {
  const std::uint64_t each = plan.bytes / n;
  return each + (i < plan.bytes % n ? 1 : 0);
}

void send_one(int fd, const SendPlan& plan, StreamMeter& meter, std::span<const std::byte> buf,
              const Stopwatch& clock) {
  std::uint64_t sent = 0;
  while (plan.bytes ? sent < plan.bytes : clock.s() < plan.seconds) {
    std::size_t n = buf.size();
    if (plan.bytes) n = static_cast<std::size_t>(std::min<std::uint64_t>(n, plan.bytes - sent));
    write_all(fd, buf.first(n));
    sent += n;
    meter.add(0, n);
  }
}

void send_many(std::span<const int> fds, const SendPlan& plan, StreamMeter& meter,
               std::span<const std::byte> buf, const Stopwatch& clock) {
  const Fd ep = watch_all(fds, EPOLLOUT);
  std::vector<std::uint64_t> left(fds.size());
  for (std::size_t i = 0; i < fds.size(); i++) left[i] = quota(plan, i, fds.size());
  std::size_t active = fds.size();
  std::vector<epoll_event> evs(kBatch);
  while (active > 0 && (plan.bytes || clock.s() < plan.seconds)) {
    const int n = ::epoll_wait(ep.get(), evs.data(), kBatch, 50);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("epoll_wait", errno);
    for (int k = 0; k < n; k++) {
      const std::size_t i = evs[static_cast<std::size_t>(k)].data.u64;
      if (!send_burst(fds[i], plan, meter, i, buf, left[i])) continue;
      (void)::epoll_ctl(ep.get(), EPOLL_CTL_DEL, fds[i], nullptr);
      active--;
    }
  }
}

void recv_one(int fd, StreamMeter& meter, std::vector<std::byte>& buf) {
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", errno);
    if (n == 0) return;
    meter.add(0, static_cast<std::uint64_t>(n));
  }
}

void recv_many(std::span<const int> fds, StreamMeter& meter, std::vector<std::byte>& buf) {
  const Fd ep = watch_all(fds, EPOLLIN);
  std::size_t open = fds.size();
  std::vector<epoll_event> evs(kBatch);
  while (open > 0) {
    const int n = ::epoll_wait(ep.get(), evs.data(), kBatch, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("epoll_wait", errno);
    for (int k = 0; k < n; k++) {
      const std::size_t i = evs[static_cast<std::size_t>(k)].data.u64;
      const ssize_t r = ::read(fds[i], buf.data(), buf.size());
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (r < 0) throw_errno("read", errno);
      if (r > 0) {
        meter.add(i, static_cast<std::uint64_t>(r));
        continue;
      }
      (void)::epoll_ctl(ep.get(), EPOLL_CTL_DEL, fds[i], nullptr);
      open--;
    }
  }
}

}  // namespace

std::vector<std::uint64_t> StreamMeter::snapshot() const {
  std::vector<std::uint64_t> v(n_);
  for (std::size_t i = 0; i < n_; i++) v[i] = get(i);
  return v;
}

std::uint64_t StreamMeter::total() const {
  std::uint64_t t = 0;
  for (std::size_t i = 0; i < n_; i++) t += get(i);
  return t;
}

std::uint64_t SideResult::total() const {
  return std::accumulate(bytes.begin(), bytes.end(), std::uint64_t{0});
}

double thread_cpu_seconds() {
  rusage ru{};
  if (::getrusage(RUSAGE_THREAD, &ru) != 0) return 0;
  return timeval_s(ru.ru_utime) + timeval_s(ru.ru_stime);
}

SendPlan send_plan(const PerfOptions& o) {
  return {o.seconds, o.bytes, static_cast<std::size_t>(o.write_size), o.writes_per_wake};
}

// A write that falls short found the send buffer full: the next would
// only return EAGAIN, so the stream waits for epoll again.
bool send_burst(int fd, const SendPlan& plan, StreamMeter& meter, std::size_t i,
                std::span<const std::byte> buf, std::uint64_t& left) {
  for (int b = 0; b < plan.writes_per_wake; b++) {
    std::size_t len = buf.size();
    if (plan.bytes) len = static_cast<std::size_t>(std::min<std::uint64_t>(len, left));
    const ssize_t w = ::write(fd, buf.data(), len);
    if (w < 0 && (errno == EAGAIN || errno == EINTR)) return false;
    if (w < 0) throw_errno("write", errno);
    meter.add(i, static_cast<std::uint64_t>(w));
    if (plan.bytes) {
      left -= static_cast<std::uint64_t>(w);
      if (left == 0) return true;
    }
    if (static_cast<std::size_t>(w) < len) return false;
  }
  return false;
}

SideResult send_streams(std::span<const int> fds, const SendPlan& plan, StreamMeter& meter,
                        const std::function<void()>& done_writing) {
  const std::vector<std::byte> buf(std::max<std::size_t>(plan.write_len, 1), std::byte{0x5a});
  const double cpu0 = thread_cpu_seconds();
  const Stopwatch clock;
  std::string err;
  try {
    if (fds.size() == 1) {
      send_one(fds[0], plan, meter, buf, clock);
    } else {
      send_many(fds, plan, meter, buf, clock);
    }
  } catch (const std::exception& e) {
    err = e.what();
  }
  if (done_writing) done_writing();
  for (const int fd : fds) ::shutdown(fd, SHUT_WR);  // the receivers see EOF even after an error
  if (!err.empty()) throw Error("perf send", EIO, err);
  return {clock.s(), thread_cpu_seconds() - cpu0, meter.snapshot()};
}

SideResult recv_streams(std::span<const int> fds, StreamMeter& meter) {
  std::vector<std::byte> buf(kReadLen);
  const double cpu0 = thread_cpu_seconds();
  const Stopwatch clock;
  if (fds.size() == 1) {
    recv_one(fds[0], meter, buf);
  } else {
    recv_many(fds, meter, buf);
  }
  return {clock.s(), thread_cpu_seconds() - cpu0, meter.snapshot()};
}

}  // namespace glass::cli
