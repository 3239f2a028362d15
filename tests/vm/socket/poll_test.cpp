// Readiness: poll, select and epoll (level and edge triggered) report what
// TCP reports in every state, and sleepers wake when it changes.
#include <sys/epoll.h>
#include <sys/select.h>

#include <atomic>
#include <thread>

#include "socket_util.hpp"

using st::Fd;

namespace {

constexpr short kAll = POLLIN | POLLOUT | POLLRDHUP;

// Runs poll(fd, events, timeout) in a thread; reports events and the time taken.
struct PollThread {
  PollThread(int fd, short events, int timeout_ms) {
    t = std::thread([=, this] {
      auto t0 = std::chrono::steady_clock::now();
      got = st::revents(fd, events, timeout_ms);
      ms = st::ms_since(t0);
    });
  }
  void join() { t.join(); }
  std::thread t;
  std::atomic<short> got{-1};
  std::atomic<long> ms{-1};
};

}  // namespace

TEST(Poll, FreshSocketIsPollOutAndPollHup) {
  Fd s = st::sock();
  EXPECT_EQ(st::revents(s, kAll), POLLOUT | POLLHUP) << "as a fresh TCP socket";
}

TEST(Poll, IdleConnectionIsWritableOnly) {
  st::LoopConn c(5400);
  EXPECT_EQ(st::revents(c.client, kAll), POLLOUT);
  EXPECT_EQ(st::revents(c.server, kAll), POLLOUT);
}

TEST(Poll, DataMakesReadable) {
  st::LoopConn c(5401);
  ASSERT_TRUE(gt::write_all(c.server, "d", 1));
  // Wait for the byte on POLLIN alone: POLLOUT, ready all along, would end
  // a wait on kAll before the byte has crossed the device.
  ASSERT_EQ(st::revents(c.client, POLLIN, 3000), POLLIN) << "the byte never arrived";
  EXPECT_EQ(st::revents(c.client, kAll), POLLIN | POLLOUT);
  char b;
  ASSERT_EQ(read(c.client, &b, 1), 1);
  EXPECT_EQ(st::revents(c.client, kAll), POLLOUT);
}

TEST(Poll, PeerFinGivesPollRdhupWithoutPollHup) {
  st::LoopConn c(5402);
  ASSERT_EQ(shutdown(c.server, SHUT_WR), 0);
  ASSERT_TRUE(st::revents(c.client, POLLRDHUP, 3000) & POLLRDHUP);
  EXPECT_EQ(st::revents(c.client, kAll), POLLIN | POLLOUT | POLLRDHUP);
  EXPECT_EQ(gt::info(c.client).gi_state, GLASS_CLOSE_WAIT);
}

TEST(Poll, BothDirectionsShutGivesPollHup) {
  st::LoopConn c(5403);
  ASSERT_EQ(shutdown(c.client, SHUT_WR), 0);
  ASSERT_EQ(shutdown(c.server, SHUT_WR), 0);
  ASSERT_TRUE(gt::wait_until([&] { return st::revents(c.client, kAll) & POLLHUP; }));
  EXPECT_EQ(st::revents(c.client, kAll), POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
  ASSERT_TRUE(gt::wait_until([&] { return st::revents(c.server, kAll) & POLLHUP; }));
  EXPECT_EQ(st::revents(c.server, kAll), POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
}

TEST(Poll, LocalShutRdwrGivesPollHup) {
  st::LoopConn c(5404);
  ASSERT_EQ(shutdown(c.client, SHUT_RDWR), 0);
  EXPECT_EQ(st::revents(c.client, kAll), POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
}

TEST(Poll, LocalShutRdGivesPollInAndRdhup) {
  st::LoopConn c(5405);
  ASSERT_EQ(shutdown(c.client, SHUT_RD), 0);
  EXPECT_EQ(st::revents(c.client, kAll), POLLIN | POLLOUT | POLLRDHUP);
  char b;
  EXPECT_EQ(read(c.client, &b, 1), 0) << "TCP: read after SHUT_RD returns 0 at once";
}

TEST(Poll, ResetGivesPollErrUntilErrorIsRead) {
  st::LoopConn c(5406);
  linger lg{1, 0};
  ASSERT_EQ(setsockopt(c.server, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
  c.server.reset();
  ASSERT_TRUE(gt::wait_until([&] { return st::revents(c.client, kAll) & POLLERR; }));
  EXPECT_EQ(st::revents(c.client, kAll), POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR)
      << "as TCP after RST";
  EXPECT_EQ(st::so_error(c.client), ECONNRESET);
  EXPECT_EQ(st::revents(c.client, kAll), POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
}

TEST(Poll, BlockedPollWakesWhenDataArrives) {
  st::LoopConn c(5407);
  PollThread p(c.client, POLLIN, 10000);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(gt::write_all(c.server, "w", 1));
  p.join();
  EXPECT_EQ(p.got.load(), POLLIN);
  EXPECT_GE(p.ms.load(), 150);
  EXPECT_LT(p.ms.load(), 3000) << "the poller was not woken by the data";
}

TEST(Poll, BlockedPollWakesOnPeerFin) {
  st::LoopConn c(5408);
  PollThread p(c.client, POLLRDHUP, 10000);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(shutdown(c.server, SHUT_WR), 0);
  p.join();
  EXPECT_EQ(p.got.load(), POLLRDHUP);
  EXPECT_LT(p.ms.load(), 3000);
}

TEST(Poll, BlockedPollWakesOnReset) {
  st::LoopConn c(5409);
  PollThread p(c.client, POLLIN, 10000);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  linger lg{1, 0};
  ASSERT_EQ(setsockopt(c.server, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
  c.server.reset();
  p.join();
  EXPECT_EQ(p.got.load(), POLLIN | POLLHUP | POLLERR);
  EXPECT_LT(p.ms.load(), 3000);
}

TEST(Poll, BlockedPollWakesWhenSendBufferDrains) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5410));
  int v = 8192;
  setsockopt(l, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
  Fd cl = st::sock(SOCK_NONBLOCK);
  setsockopt(cl, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
  sockaddr_glass a = gt::addr(gt::Loopback::kAddr, 5410);
  ASSERT_EQ(connect(cl, st::sa(&a), sizeof(a)), -1);
  ASSERT_EQ(errno, EINPROGRESS);
  ASSERT_EQ(st::revents(cl, POLLOUT, 5000), POLLOUT);
  Fd sv = Fd(accept(l, nullptr, nullptr));
  std::vector<char> chunk(4096, 'q');
  size_t total = 0;
  // Fill until the sender stays unwritable.
  for (int round = 0; round < 50; round++) {
    ssize_t w;
    while ((w = write(cl, chunk.data(), chunk.size())) > 0) total += static_cast<size_t>(w);
    ASSERT_EQ(errno, EAGAIN);
    if (!(st::revents(cl, POLLOUT, 300) & POLLOUT)) break;
  }
  ASSERT_FALSE(st::revents(cl, POLLOUT) & POLLOUT);
  PollThread p(cl, POLLOUT, 10000);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::vector<char> got(total);
  ASSERT_TRUE(gt::read_all(sv, got.data(), got.size()));
  p.join();
  EXPECT_EQ(p.got.load(), POLLOUT);
  EXPECT_LT(p.ms.load(), 5000);
}

TEST(Poll, RcvlowatHoldsReadinessUntilLowatBytes) {
  st::LoopConn c(5411);
  int lowat = 100;
  ASSERT_EQ(setsockopt(c.client, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)), 0);
  EXPECT_EQ(st::int_opt(c.client, SOL_SOCKET, SO_RCVLOWAT), 100);
  auto p = st::pattern(100, 8);
  ASSERT_TRUE(gt::write_all(c.server, p.data(), 50));
  ASSERT_TRUE(gt::wait_until([&] { return st::unread(c.client) == 50; }));
  EXPECT_EQ(st::revents(c.client, POLLIN, 200), 0) << "50 bytes are below SO_RCVLOWAT";
  PollThread waiter(c.client, POLLIN, 10000);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(gt::write_all(c.server, p.data() + 50, 50));
  waiter.join();
  EXPECT_EQ(waiter.got.load(), POLLIN);
  std::vector<char> got(100);
  EXPECT_EQ(read(c.client, got.data(), got.size()), 100);
  EXPECT_EQ(got, p);
}

TEST(Poll, RcvlowatMakesBlockingReadWaitForLowatBytes) {
  st::LoopConn c(5412);
  int lowat = 10;
  ASSERT_EQ(setsockopt(c.client, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)), 0);
  std::thread t([&] {
    // The reader blocks first; then the bytes trickle in one by one.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    for (int i = 0; i < 10; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      EXPECT_TRUE(gt::write_all(c.server, "0123456789" + i, 1));
    }
  });
  char b[64];
  EXPECT_EQ(recv(c.client, b, sizeof(b), 0), 10) << "TCP returns once SO_RCVLOWAT bytes are there";
  t.join();
  EXPECT_EQ(std::string(b, 10), "0123456789");
}

TEST(Select, ReportsReadableAndWritable) {
  st::LoopConn c(5413);
  fd_set r, w;
  FD_ZERO(&r);
  FD_ZERO(&w);
  FD_SET(c.client.get(), &r);
  FD_SET(c.client.get(), &w);
  timeval tv{0, 0};
  ASSERT_EQ(select(c.client + 1, &r, &w, nullptr, &tv), 1);
  EXPECT_FALSE(FD_ISSET(c.client.get(), &r));
  EXPECT_TRUE(FD_ISSET(c.client.get(), &w));
  ASSERT_TRUE(gt::write_all(c.server, "s", 1));
  FD_ZERO(&r);
  FD_SET(c.client.get(), &r);
  tv = {3, 0};
  ASSERT_EQ(select(c.client + 1, &r, nullptr, nullptr, &tv), 1);
  EXPECT_TRUE(FD_ISSET(c.client.get(), &r));
}

TEST(Epoll, LevelTriggeredReportsUntilRead) {
  st::LoopConn c(5414);
  Fd ep = Fd(epoll_create1(EPOLL_CLOEXEC));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = c.client;
  ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, c.client, &ev), 0);
  epoll_event out[4];
  EXPECT_EQ(epoll_wait(ep, out, 4, 100), 0);
  ASSERT_TRUE(gt::write_all(c.server, "lt", 2));
  ASSERT_EQ(epoll_wait(ep, out, 4, 3000), 1);
  EXPECT_EQ(out[0].events, static_cast<uint32_t>(EPOLLIN));
  EXPECT_EQ(epoll_wait(ep, out, 4, 0), 1) << "level triggered: still readable";
  char b[2];
  ASSERT_EQ(read(c.client, b, 2), 2);
  EXPECT_EQ(epoll_wait(ep, out, 4, 0), 0);
}

TEST(Epoll, EdgeTriggeredGivesOneEventPerArrival) {
  st::LoopConn c(5415);
  Fd ep = Fd(epoll_create1(EPOLL_CLOEXEC));
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.fd = c.client;
  ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, c.client, &ev), 0);
  epoll_event out[4];
  for (int i = 0; i < 3; i++) {
    ASSERT_TRUE(gt::write_all(c.server, "e", 1));
    ASSERT_EQ(epoll_wait(ep, out, 4, 3000), 1) << "arrival " << i;
    EXPECT_EQ(out[0].events, static_cast<uint32_t>(EPOLLIN));
    EXPECT_EQ(epoll_wait(ep, out, 4, 100), 0) << "edge triggered: no new event without new data";
  }
  EXPECT_EQ(st::unread(c.client), 3);
}

TEST(Epoll, RdhupAndHupEvents) {
  st::LoopConn c(5416);
  Fd ep = Fd(epoll_create1(EPOLL_CLOEXEC));
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  ev.data.fd = c.client;
  ASSERT_EQ(epoll_ctl(ep, EPOLL_CTL_ADD, c.client, &ev), 0);
  ASSERT_EQ(shutdown(c.server, SHUT_WR), 0);
  epoll_event out[4];
  ASSERT_EQ(epoll_wait(ep, out, 4, 3000), 1);
  EXPECT_EQ(out[0].events, static_cast<uint32_t>(EPOLLIN | EPOLLRDHUP));
  ASSERT_EQ(shutdown(c.client, SHUT_WR), 0);
  ASSERT_EQ(epoll_wait(ep, out, 4, 3000), 1);
  EXPECT_EQ(out[0].events, static_cast<uint32_t>(EPOLLIN | EPOLLRDHUP | EPOLLHUP));
}
