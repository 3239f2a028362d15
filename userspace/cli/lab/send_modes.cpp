// The four send modes of `glass lab copy` (send_modes.hpp).
#include "send_modes.hpp"

#include "stream.hpp"

#include <time.h>
// After time.h: it needs struct timespec.
#include <liburing.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

namespace glass::cli::lab {
namespace {

[[noreturn]] void fail(const std::string& call, int err) {
  throw std::runtime_error(call + ": " + std::strerror(err));
}

// Page-aligned buffers: slots of chunk bytes, each free or in the kernel's hands.
class Slots {
 public:
  Slots(int chunk, std::size_t n) : chunk_(static_cast<std::size_t>(chunk)), owner_(n, -1) {
    len_ = chunk_ * n;
    mem_ = ::mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem_ == MAP_FAILED) fail("mmap", errno);
  }
  ~Slots() { ::munmap(mem_, len_); }
  Slots(const Slots&) = delete;
  Slots& operator=(const Slots&) = delete;
  std::span<std::byte> at(std::size_t i) {
    return {static_cast<std::byte*>(mem_) + i * chunk_, chunk_};
  }
  std::size_t size() const { return owner_.size(); }
  // The zero-copy call (or request) that holds slot i, -1 if none.
  std::int64_t& owner(std::size_t i) { return owner_[i]; }

 private:
  std::size_t chunk_, len_;
  void* mem_;
  std::vector<std::int64_t> owner_;
};

double thread_cpu(bool sys) {
  rusage ru{};
  ::getrusage(RUSAGE_THREAD, &ru);
  const timeval& tv = sys ? ru.ru_stime : ru.ru_utime;
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

// MSG_ZEROCOPY's bookkeeping: which send calls the kernel has let go of.
class ErrQueue {
 public:
  explicit ErrQueue(int fd) : fd_(fd) {}
  // Reads every queued completion; with wait, sleeps until one comes.
  void drain(bool wait, ModeResult& r) {
    for (;;) {
      char control[128];
      msghdr m{};
      m.msg_control = control;
      m.msg_controllen = sizeof(control);
      if (::recvmsg(fd_, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
        if (errno != EAGAIN) fail("recvmsg(MSG_ERRQUEUE)", errno);
        if (!wait) return;
        pollfd p{fd_, 0, 0};
        if (::poll(&p, 1, 1000) < 0 && errno != EINTR) fail("poll", errno);
        wait = false;
        continue;
      }
      const cmsghdr* cm = CMSG_FIRSTHDR(&m);
      if (cm == nullptr || cm->cmsg_level != SOL_IP || cm->cmsg_type != IP_RECVERR)
        throw std::runtime_error("MSG_ERRQUEUE: not an IP_RECVERR message");
      sock_extended_err ee{};
      std::memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
      if (ee.ee_origin != SO_EE_ORIGIN_ZEROCOPY)
        throw std::runtime_error("MSG_ERRQUEUE: not a zero-copy completion");
      for (std::uint32_t id = ee.ee_info; id != ee.ee_data + 1; id++) {
        if (id >= done_.size()) done_.resize(id + 1024, false);
        done_[id] = true;
      }
      r.completions++;
      if (ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED) r.copied++;
    }
  }
  bool done(std::int64_t id) const {
    return id < 0 || (static_cast<std::size_t>(id) < done_.size() && done_[id]);
  }

 private:
  int fd_;
  std::vector<bool> done_;
};

// write() and send(MSG_ZEROCOPY): one call per chunk (again for a short one).
void send_loop(int fd, bool zc, Slots& slots, const Pattern& pat, const std::atomic<bool>& stop,
               ModeResult& r) {
  ErrQueue eq(fd);
  std::int64_t next_id = 0;
  for (std::size_t i = 0; !stop.load(); i = (i + 1) % slots.size()) {
    while (!eq.done(slots.owner(i))) eq.drain(true, r);
    auto buf = slots.at(i);
    pat.fill(r.bytes, buf);
    std::size_t off = 0;
    while (off < buf.size()) {
      const ssize_t n = ::send(fd, buf.data() + off, buf.size() - off, zc ? MSG_ZEROCOPY : 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && zc && errno == ENOBUFS) {  // optmem: wait for completions
        eq.drain(true, r);
        continue;
      }
      if (n <= 0) fail(zc ? "send(MSG_ZEROCOPY)" : "write", errno);
      off += static_cast<std::size_t>(n);
      r.calls++;
      if (zc) slots.owner(i) = next_id++;
    }
    r.bytes += buf.size();
    if (zc) eq.drain(false, r);
  }
  while (zc && !eq.done(next_id - 1)) eq.drain(true, r);
}

// io_uring send and send-zc, one request at a time; send-zc's slots come
// back with their notification CQEs.
void uring_loop(int fd, bool zc, Slots& slots, const Pattern& pat, const std::atomic<bool>& stop,
                ModeResult& r) {
  io_uring ring{};
  if (const int e = io_uring_queue_init(64, &ring, 0); e < 0) fail("io_uring_queue_init", -e);
  std::size_t pending = 0;  // notifications not yet seen
  bool sent = false;
  int res = 0;
  // Reaps one CQE: a send's result (sets sent and res) or a notification.
  const auto reap = [&] {
    io_uring_cqe* cqe = nullptr;
    if (const int e = io_uring_wait_cqe(&ring, &cqe); e < 0) fail("io_uring_wait_cqe", -e);
    // A slot's owner counts the notifications it waits for (-1: none).
    auto& owner = slots.owner(cqe->user_data);
    if (cqe->flags & IORING_CQE_F_NOTIF) {
      if (--owner == 0) owner = -1;
      pending--;
      r.completions++;
    } else {
      sent = true;
      res = cqe->res;
      if (zc && (cqe->flags & IORING_CQE_F_MORE))
        pending++;
      else if (zc && --owner == 0)
        owner = -1;
    }
    io_uring_cqe_seen(&ring, cqe);
  };
  try {
    for (std::size_t i = 0; !stop.load(); i = (i + 1) % slots.size()) {
      while (slots.owner(i) >= 0) reap();
      auto buf = slots.at(i);
      pat.fill(r.bytes, buf);
      std::size_t off = 0;
      while (off < buf.size()) {
        io_uring_sqe* sqe = io_uring_get_sqe(&ring);
        if (zc) {
          io_uring_prep_send_zc(sqe, fd, buf.data() + off, buf.size() - off, 0, 0);
          slots.owner(i) = std::max<std::int64_t>(slots.owner(i), 0) + 1;
        } else {
          io_uring_prep_send(sqe, fd, buf.data() + off, buf.size() - off, 0);
        }
        sqe->user_data = i;
        if (const int e = io_uring_submit(&ring); e < 0) fail("io_uring_submit", -e);
        sent = false;
        while (!sent) reap();
        if (res == -EINTR || res == -EAGAIN) continue;
        if (res <= 0) fail(zc ? "IORING_OP_SEND_ZC" : "IORING_OP_SEND", res ? -res : EPIPE);
        off += static_cast<std::size_t>(res);
        r.calls++;
      }
      r.bytes += buf.size();
    }
    while (pending) reap();
  } catch (...) {
    io_uring_queue_exit(&ring);
    throw;
  }
  io_uring_queue_exit(&ring);
}

}  // namespace

const char* mode_key(SendMode m) {
  switch (m) {
    case SendMode::kWrite:
      return "write";
    case SendMode::kMsgZerocopy:
      return "msg_zerocopy";
    case SendMode::kUring:
      return "uring_send";
    case SendMode::kUringZc:
      return "uring_send_zc";
  }
  return "?";
}

ModeResult run_send_mode(Connection& c, SendMode m, int chunk, double secs, std::uint64_t seed) {
  const Pattern pat(seed);
  const int wfd = c.client.get(), rfd = c.server.get();
  if (m == SendMode::kMsgZerocopy) {
    const int one = 1;
    if (::setsockopt(wfd, SOL_GLASS, GLASS_ZEROCOPY, &one, sizeof(one)) != 0)
      fail("setsockopt GLASS_ZEROCOPY", errno);
  }
  // About 4 MiB of buffers in the kernel's hands at most, 4 at least.
  Slots slots(chunk, std::max<std::size_t>(4, std::min<std::size_t>(4096, (4u << 20) / chunk)));
  ModeResult r;
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> received{0};
  bool exact = true;
  std::string read_error;
  std::jthread reader([&] {
    std::vector<std::byte> buf(256 * 1024);
    for (;;) {
      const ssize_t n = ::read(rfd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) read_error = std::string("read: ") + std::strerror(errno);
      if (n <= 0) break;
      const auto got = std::span(buf).first(static_cast<std::size_t>(n));
      if (!pat.check(received.load(), got)) exact = false;
      received += static_cast<std::uint64_t>(n);
    }
  });
  const Stopwatch clock;
  std::jthread writer([&] {
    const double u0 = thread_cpu(false), s0 = thread_cpu(true);
    try {
      if (m == SendMode::kWrite || m == SendMode::kMsgZerocopy)
        send_loop(wfd, m == SendMode::kMsgZerocopy, slots, pat, stop, r);
      else
        uring_loop(wfd, m == SendMode::kUringZc, slots, pat, stop, r);
    } catch (const std::exception& e) {
      r.error = std::string(mode_key(m)) + ": " + e.what();
    }
    r.sender_user_s = thread_cpu(false) - u0;
    r.sender_sys_s = thread_cpu(true) - s0;
    ::shutdown(wfd, SHUT_WR);
  });
  sleep_ms(secs * 1000);
  stop = true;
  writer.join();
  reader.join();
  r.seconds = clock.s();
  r.error += read_error;
  r.exact = exact && r.error.empty() && received.load() == r.bytes;
  return r;
}

}  // namespace glass::cli::lab
