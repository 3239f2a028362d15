// Zero-copy send on glass sockets (kmod/glass_zerocopy.c): MSG_ZEROCOPY with
// TCP's API (completions on the error queue) and io_uring's send-zc.
#include <time.h>
// After time.h: it needs struct timespec.
#include <liburing.h>
#include <linux/errqueue.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <thread>

#include "socket_util.hpp"

namespace {

// A completion range [lo, hi] of send calls, and whether the kernel copied.
struct Completion {
  uint32_t lo = 0, hi = 0;
  bool copied = false;
};

// Reads one completion off the error queue; false if none is queued.
bool read_completion(int fd, Completion* c) {
  char control[128];
  msghdr m{};
  m.msg_control = control;
  m.msg_controllen = sizeof(control);
  if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
    EXPECT_EQ(errno, EAGAIN) << strerror(errno);
    return false;
  }
  cmsghdr* cm = CMSG_FIRSTHDR(&m);
  if (cm == nullptr) {
    ADD_FAILURE() << "no control message";
    return false;
  }
  // The control message TCP's programs look for (IPv4).
  EXPECT_EQ(cm->cmsg_level, SOL_IP);
  EXPECT_EQ(cm->cmsg_type, IP_RECVERR);
  sock_extended_err ee{};
  memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
  EXPECT_EQ(ee.ee_errno, 0u);
  EXPECT_EQ(ee.ee_origin, SO_EE_ORIGIN_ZEROCOPY);
  c->lo = ee.ee_info;
  c->hi = ee.ee_data;
  c->copied = ee.ee_code & SO_EE_CODE_ZEROCOPY_COPIED;
  return true;
}

// Waits until completions cover send calls [from, calls): merged, in order.
std::vector<Completion> await_completions(int fd, uint32_t calls, uint32_t from = 0) {
  std::vector<Completion> got;
  uint32_t next = from;
  gt::wait_until([&] {
    Completion c;
    while (read_completion(fd, &c)) {
      EXPECT_EQ(c.lo, next) << "completions out of order";
      next = c.hi + 1;
      got.push_back(c);
    }
    return next >= calls;
  });
  EXPECT_EQ(next, calls);
  return got;
}

void set_zerocopy(int fd, int on) {
  ASSERT_EQ(setsockopt(fd, SOL_GLASS, GLASS_ZEROCOPY, &on, sizeof(on)), 0) << strerror(errno);
}

std::vector<char> random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<char> v(n);
  for (auto& b : v) b = static_cast<char>(rng());
  return v;
}

// Reads exactly n bytes (or fails the test).
std::vector<char> read_exact(int fd, size_t n) {
  std::vector<char> got(n);
  size_t done = 0;
  while (done < n) {
    ssize_t r = recv(fd, got.data() + done, n - done, 0);
    if (r <= 0) {
      ADD_FAILURE() << "recv: " << (r == 0 ? "EOF" : strerror(errno)) << " after " << done;
      break;
    }
    done += static_cast<size_t>(r);
  }
  return got;
}

// Sends all of [p, p + n) with flags, one call at a time; returns the calls.
uint32_t send_all(int fd, const char* p, size_t n, int flags) {
  uint32_t calls = 0;
  size_t done = 0;
  while (done < n) {
    ssize_t r = send(fd, p + done, n - done, flags);
    if (r <= 0) {
      ADD_FAILURE() << "send: " << strerror(errno);
      break;
    }
    done += static_cast<size_t>(r);
    calls++;
  }
  return calls;
}

// Page-aligned memory of n bytes, unmapped on destruction.
class Pages {
 public:
  explicit Pages(size_t n) : n_(n) {
    p_ = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p_ == MAP_FAILED) ADD_FAILURE() << "mmap: " << strerror(errno);
  }
  ~Pages() {
    if (p_ != MAP_FAILED) munmap(p_, n_);
  }
  Pages(const Pages&) = delete;
  Pages& operator=(const Pages&) = delete;
  char* data() const { return static_cast<char*>(p_); }

 private:
  void* p_;
  size_t n_;
};

}  // namespace

TEST(ZeroCopy, OptionIsGlassLevelAndReadsBackAsSoZerocopy) {
  st::LoopConn c(7000);
  EXPECT_EQ(st::int_opt(c.client, SOL_SOCKET, SO_ZEROCOPY), 0);
  EXPECT_EQ(st::int_opt(c.client, SOL_GLASS, GLASS_ZEROCOPY), 0);
  set_zerocopy(c.client, 1);
  EXPECT_EQ(st::int_opt(c.client, SOL_SOCKET, SO_ZEROCOPY), 1);
  EXPECT_EQ(st::int_opt(c.client, SOL_GLASS, GLASS_ZEROCOPY), 1);
  set_zerocopy(c.client, 0);
  EXPECT_EQ(st::int_opt(c.client, SOL_SOCKET, SO_ZEROCOPY), 0);
  // Linux 6.1's sock_setsockopt() takes SO_ZEROCOPY for INET, INET6 and RDS only.
  int one = 1;
  EXPECT_EQ(setsockopt(c.client, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)), -1);
  EXPECT_EQ(errno, EOPNOTSUPP);
}

TEST(ZeroCopy, BadValuesAreRefusedAsSockSetsockopt) {
  st::LoopConn c(7001);
  for (int v : {-1, 2, 1000}) {
    EXPECT_EQ(setsockopt(c.client, SOL_GLASS, GLASS_ZEROCOPY, &v, sizeof(v)), -1) << v;
    EXPECT_EQ(errno, EINVAL) << v;
  }
  char small = 1;
  EXPECT_EQ(setsockopt(c.client, SOL_GLASS, GLASS_ZEROCOPY, &small, sizeof(small)), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(st::int_opt(c.client, SOL_SOCKET, SO_ZEROCOPY), 0);
}

// TCP accepts SO_ZEROCOPY on a listener and its children inherit it.
TEST(ZeroCopy, ListenerMaySetItAndChildrenInherit) {
  st::LoopConn c(7002);
  set_zerocopy(c.listener, 1);
  st::Fd client(gt::connect_to(gt::Loopback::kAddr, 7002));
  st::Fd child(accept(c.listener, nullptr, nullptr));
  ASSERT_GE(child, 0) << strerror(errno);
  EXPECT_EQ(st::int_opt(child, SOL_SOCKET, SO_ZEROCOPY), 1);
  EXPECT_EQ(st::int_opt(client, SOL_SOCKET, SO_ZEROCOPY), 0);
}

// As TCP (tcp_sendmsg_locked): MSG_ZEROCOPY without SO_ZEROCOPY is a plain send.
TEST(ZeroCopy, FlagWithoutOptionIsAnOrdinaryCopyingSend) {
  st::LoopConn c(7003);
  auto p = random_bytes(100000, 3);
  std::vector<char> got;
  std::thread reader([&] { got = read_exact(c.server, p.size()); });
  send_all(c.client, p.data(), p.size(), MSG_ZEROCOPY);
  reader.join();
  EXPECT_EQ(got, p);
  Completion none;
  EXPECT_FALSE(read_completion(c.client, &none));
  EXPECT_FALSE(st::revents(c.client, POLLIN) & POLLERR);
}

TEST(ZeroCopy, BytesArriveExactAndCompletionsCoverEveryCall) {
  st::LoopConn c(7004);
  set_zerocopy(c.client, 1);
  // Tiny, unaligned, a page, across pages, a train, many trains.
  const std::vector<size_t> sizes{1, 100, 4095, 4096, 5000, 65536, 65537, 300001, 1 << 20};
  const std::vector<size_t> offsets{0, 1, 333, 4095};
  size_t total = 0;
  for (size_t s : sizes) total += s;
  Pages mem(total + 4096 * sizes.size() + (1 << 21));
  std::vector<char> want;
  std::vector<char> got;
  std::thread reader([&] {
    size_t all = 0;
    for (size_t s : sizes) all += s;
    got = read_exact(c.server, all);
  });
  uint32_t calls = 0;
  char* at = mem.data();
  for (size_t i = 0; i < sizes.size(); i++) {
    char* buf = at + offsets[i % offsets.size()];
    auto bytes = random_bytes(sizes[i], static_cast<unsigned>(i) + 10);
    memcpy(buf, bytes.data(), bytes.size());
    want.insert(want.end(), bytes.begin(), bytes.end());
    calls += send_all(c.client, buf, bytes.size(), MSG_ZEROCOPY);
    at = buf + bytes.size();
    at += 4096 - reinterpret_cast<uintptr_t>(at) % 4096;
  }
  reader.join();
  EXPECT_EQ(got.size(), want.size());
  EXPECT_TRUE(got == want) << "bytes differ";
  auto comps = await_completions(c.client, calls);
  // glass's receiver read the sender's pages: nothing was copied for them.
  for (const auto& comp : comps) EXPECT_FALSE(comp.copied) << comp.lo << "-" << comp.hi;
}

// The pages stay pinned until the reader has them; then the buffer is free.
TEST(ZeroCopy, CompletionWaitsForTheReaderThenTheBufferIsReusable) {
  st::LoopConn c(7005);
  set_zerocopy(c.client, 1);
  const size_t n = 256 * 1024;
  Pages mem(n);
  memset(mem.data(), 'a', n);
  ASSERT_EQ(send_all(c.client, mem.data(), n, MSG_ZEROCOPY), 1u);
  // ACKed, but still on the receiver's queue, so not complete.
  ASSERT_TRUE(gt::wait_until([&] { return gt::info(c.client).gi_unacked == 0; }));
  Completion early;
  EXPECT_FALSE(read_completion(c.client, &early));
  EXPECT_FALSE(st::revents(c.client, POLLIN) & POLLERR);
  auto first = read_exact(c.server, n);
  EXPECT_EQ(first, std::vector<char>(n, 'a'));
  ASSERT_TRUE(gt::wait_until([&] { return st::revents(c.client, POLLIN) & POLLERR; }));
  auto comps = await_completions(c.client, 1);
  ASSERT_EQ(comps.size(), 1u);
  // Complete: the same buffer carries new bytes, and only those arrive.
  memset(mem.data(), 'b', n);
  ASSERT_EQ(send_all(c.client, mem.data(), n, MSG_ZEROCOPY), 1u);
  auto second = read_exact(c.server, n);
  EXPECT_EQ(second, std::vector<char>(n, 'b'));
  auto more = await_completions(c.client, 2, 1);
  ASSERT_FALSE(more.empty());
  EXPECT_EQ(more.back().hi, 1u);
}

// Closing both ends with zero-copy bytes unread and unacked frees them all
// (kmemleak checks it under the debug kernel); the pages are the process's
// again once the completion would have come.
TEST(ZeroCopy, CloseWithPendingZeroCopySendsFreesEverything) {
  const size_t n = 512 * 1024;
  Pages mem(n);
  memset(mem.data(), 'z', n);
  {
    st::LoopConn c(7006);
    set_zerocopy(c.client, 1);
    int fl = fcntl(c.client, F_GETFL);
    ASSERT_EQ(fcntl(c.client, F_SETFL, fl | O_NONBLOCK), 0);
    size_t sent = 0;
    for (int i = 0; i < 64 && sent < n; i++) {
      ssize_t r = send(c.client, mem.data() + sent, n - sent, MSG_ZEROCOPY);
      if (r <= 0) break;
      sent += static_cast<size_t>(r);
    }
    EXPECT_GT(sent, 0u);
    c.server.reset();
    c.client.reset();
    c.listener.reset();
    // Every socket of the namespace gone, with what it held.
    EXPECT_TRUE(gt::wait_until([] { return st::proc_rows().empty(); }, 10000));
  }
  // Writing what was pinned, after the sockets went, is harmless.
  memset(mem.data(), 'y', n);
}

TEST(ZeroCopy, ErrorQueueOfAListenerIsEmpty) {
  st::LoopConn c(7007);
  char buf[16];
  msghdr m{};
  iovec v{buf, sizeof(buf)};
  m.msg_iov = &v;
  m.msg_iovlen = 1;
  EXPECT_EQ(recvmsg(c.listener, &m, MSG_ERRQUEUE), -1);
  EXPECT_EQ(errno, EAGAIN);
}

namespace {

class Uring {
 public:
  Uring() { ok_ = io_uring_queue_init(8, &ring_, 0) == 0; }
  ~Uring() {
    if (ok_) io_uring_queue_exit(&ring_);
  }
  Uring(const Uring&) = delete;
  Uring& operator=(const Uring&) = delete;
  bool ok() const { return ok_; }
  io_uring* get() { return &ring_; }
  // The next completion: res and flags.
  std::pair<int, unsigned> wait() {
    io_uring_cqe* cqe = nullptr;
    int r = io_uring_wait_cqe(&ring_, &cqe);
    if (r < 0) {
      ADD_FAILURE() << "io_uring_wait_cqe: " << strerror(-r);
      return {r, 0};
    }
    std::pair<int, unsigned> out{cqe->res, cqe->flags};
    io_uring_cqe_seen(&ring_, cqe);
    return out;
  }

 private:
  io_uring ring_{};
  bool ok_ = false;
};

}  // namespace

TEST(ZeroCopyUring, SendZcMovesExactBytesAndPostsItsNotification) {
  st::LoopConn c(7010);
  Uring r;
  if (!r.ok()) GTEST_SKIP() << "io_uring unavailable";
  const size_t n = 200000;
  Pages mem(n + 4096);
  char* buf = mem.data() + 17;
  auto p = random_bytes(n, 77);
  memcpy(buf, p.data(), n);
  std::vector<char> got;
  std::thread reader([&] { got = read_exact(c.server, n); });
  io_uring_sqe* sqe = io_uring_get_sqe(r.get());
  io_uring_prep_send_zc(sqe, c.client, buf, n, 0, 0);
  ASSERT_EQ(io_uring_submit(r.get()), 1);
  auto [res, flags] = r.wait();
  ASSERT_EQ(res, static_cast<int>(n)) << strerror(-res);
  EXPECT_TRUE(flags & IORING_CQE_F_MORE) << "a notification must follow";
  reader.join();
  EXPECT_TRUE(got == p) << "bytes differ";
  auto [nres, nflags] = r.wait();
  EXPECT_TRUE(nflags & IORING_CQE_F_NOTIF);
  EXPECT_EQ(nres, 0);
  // io_uring notifies through its own ring, never the error queue.
  Completion none;
  EXPECT_FALSE(read_completion(c.client, &none));
}

TEST(ZeroCopyUring, SendAndSendZcInterleaveInOrder) {
  st::LoopConn c(7011);
  Uring r;
  if (!r.ok()) GTEST_SKIP() << "io_uring unavailable";
  auto a = random_bytes(70000, 1), b = random_bytes(5000, 2);
  std::vector<char> want = a;
  want.insert(want.end(), b.begin(), b.end());
  std::vector<char> got;
  std::thread reader([&] { got = read_exact(c.server, want.size()); });
  io_uring_prep_send_zc(io_uring_get_sqe(r.get()), c.client, a.data(), a.size(), 0, 0);
  ASSERT_EQ(io_uring_submit(r.get()), 1);
  auto [res, flags] = r.wait();
  ASSERT_EQ(res, static_cast<int>(a.size())) << strerror(-res);
  io_uring_prep_send(io_uring_get_sqe(r.get()), c.client, b.data(), b.size(), 0);
  ASSERT_EQ(io_uring_submit(r.get()), 1);
  reader.join();
  EXPECT_TRUE(got == want);
  // The send's CQE and the send-zc's notification, in either order.
  bool notif = false, sent = false;
  for (int i = 0; i < 2; i++) {
    auto [x, f] = r.wait();
    if (f & IORING_CQE_F_NOTIF)
      notif = true;
    else
      sent = x == static_cast<int>(b.size());
  }
  EXPECT_TRUE(notif);
  EXPECT_TRUE(sent);
  (void)flags;
}
