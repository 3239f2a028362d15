// listen() and accept()/accept4(): the backlog, flags, blocking and the
// errors TCP gives for the same calls.
#include <arpa/inet.h>

#include <atomic>
#include <thread>

#include "socket_util.hpp"

using st::Fd;

namespace {

Fd nb_connect(const char* ip, uint16_t port) {
  Fd s = st::sock(SOCK_NONBLOCK);
  sockaddr_glass a = gt::addr(ip, port);
  int rc = connect(s, st::sa(&a), sizeof(a));
  EXPECT_EQ(rc, -1);
  EXPECT_EQ(errno, EINPROGRESS);
  return s;
}

}  // namespace

TEST(Listen, BacklogLimitsCompletedConnections) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  st::sysctl("rto_initial_ms", 200);
  constexpr int kBacklog = 2;
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5100, kBacklog));
  uint64_t drops = st::stat("drop_listen_overflow");
  // As TCP: backlog + 1 connections complete without accept().
  std::vector<Fd> done;
  for (int i = 0; i < kBacklog + 1; i++) {
    done.push_back(nb_connect(gt::Loopback::kAddr, 5100));
    EXPECT_EQ(st::revents(done.back(), POLLOUT, 5000), POLLOUT) << "connection " << i + 1;
    EXPECT_EQ(st::so_error(done.back()), 0);
  }
  EXPECT_EQ(st::revents(l, POLLIN), POLLIN);
  Fd late = nb_connect(gt::Loopback::kAddr, 5100);
  EXPECT_EQ(st::revents(late, POLLOUT, 500), 0) << "the connection beyond the backlog completed";
  EXPECT_EQ(gt::info(late).gi_state, GLASS_SYN_SENT);
  EXPECT_GT(st::stat("drop_listen_overflow"), drops);
  // Room in the queue: the retransmitted SYN gets through.
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  EXPECT_EQ(st::revents(late, POLLOUT, 8000), POLLOUT);
  EXPECT_EQ(st::so_error(late), 0);
  EXPECT_EQ(gt::info(late).gi_state, GLASS_ESTABLISHED);
}

TEST(Listen, OnConnectedSocketIsEINVAL) {
  st::LoopConn c(5101);
  EXPECT_EQ(listen(c.client, 4), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(listen(c.server, 4), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(Listen, AgainOnListenerSucceeds) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5102, 1));
  EXPECT_EQ(listen(l, 8), 0) << strerror(errno);
  EXPECT_EQ(st::int_opt(l, SOL_SOCKET, SO_ACCEPTCONN), 1);
}

TEST(Listen, ConnectOnListenerIsEISCONN) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5103));
  Fd other = Fd(gt::listener(gt::Loopback::kAddr, 5104));
  sockaddr_glass a = gt::addr(gt::Loopback::kAddr, 5104);
  EXPECT_EQ(connect(l, st::sa(&a), sizeof(a)), -1);
  EXPECT_EQ(errno, EISCONN);
}

TEST(Listen, ReadOnListenerIsENOTCONN) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5105));
  char b;
  EXPECT_EQ(read(l, &b, 1), -1);
  EXPECT_EQ(errno, ENOTCONN);
  int n;
  EXPECT_EQ(ioctl(l, FIONREAD, &n), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(Accept, ReturnsPeerAddress) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5110));
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5110));
  sockaddr_glass peer{}, mine{};
  socklen_t pl = sizeof(peer), ml = sizeof(mine);
  Fd a = Fd(accept(l, st::sa(&peer), &pl));
  ASSERT_GE(a, 0) << strerror(errno);
  ASSERT_EQ(getsockname(c, st::sa(&mine), &ml), 0);
  EXPECT_EQ(pl, sizeof(peer));
  EXPECT_EQ(peer.sg_family, AF_GLASS);
  EXPECT_EQ(peer.sg_port, mine.sg_port);
  EXPECT_EQ(peer.sg_addr.s_addr, mine.sg_addr.s_addr);
  // The accepted socket's own name is the listener's address and port.
  sockaddr_glass an{};
  socklen_t al = sizeof(an);
  ASSERT_EQ(getsockname(a, st::sa(&an), &al), 0);
  EXPECT_EQ(ntohs(an.sg_port), 5110);
  EXPECT_EQ(gt::info(a).gi_state, GLASS_ESTABLISHED);
  EXPECT_EQ(gt::info(c).gi_state, GLASS_ESTABLISHED);
}

TEST(Accept, Accept4FlagsAreVisibleWithFcntl) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5111));
  Fd c1 = Fd(gt::connect_to(gt::Loopback::kAddr, 5111));
  Fd c2 = Fd(gt::connect_to(gt::Loopback::kAddr, 5111));
  Fd a = Fd(accept4(l, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
  ASSERT_GE(a, 0) << strerror(errno);
  EXPECT_TRUE(fcntl(a, F_GETFL) & O_NONBLOCK);
  EXPECT_TRUE(fcntl(a, F_GETFD) & FD_CLOEXEC);
  Fd b = Fd(accept4(l, nullptr, nullptr, 0));
  ASSERT_GE(b, 0) << strerror(errno);
  EXPECT_FALSE(fcntl(b, F_GETFL) & O_NONBLOCK);
  EXPECT_FALSE(fcntl(b, F_GETFD) & FD_CLOEXEC);
  char x;
  EXPECT_EQ(read(a, &x, 1), -1) << "the nonblocking accepted socket must not block";
  EXPECT_EQ(errno, EAGAIN);
}

TEST(Accept, BadAccept4FlagsAreEINVAL) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5112));
  EXPECT_EQ(accept4(l, nullptr, nullptr, 0x40000000), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(Accept, NonblockingWithNothingPendingIsEAGAIN) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5113));
  ASSERT_EQ(fcntl(l, F_SETFL, O_NONBLOCK), 0);
  EXPECT_EQ(accept(l, nullptr, nullptr), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(st::revents(l, POLLIN), 0);
}

TEST(Accept, OnNonListenerIsEINVAL) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd fresh = st::sock();
  EXPECT_EQ(accept(fresh, nullptr, nullptr), -1);
  EXPECT_EQ(errno, EINVAL);
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5114));
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5114));
  EXPECT_EQ(accept(c, nullptr, nullptr), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(Accept, BlockedAcceptWakesOnConnection) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5115));
  std::atomic<int> got{-2};
  std::thread t([&] { got = accept(l, nullptr, nullptr); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(got.load(), -2) << "accept returned with nothing pending";
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5115));
  t.join();
  Fd a = Fd(got.load());
  EXPECT_GE(a, 0);
}

TEST(Accept, RcvtimeoGivesEAGAIN) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5116));
  timeval tv{0, 200000};
  ASSERT_EQ(setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(accept(l, nullptr, nullptr), -1);
  EXPECT_EQ(errno, EAGAIN);
  long ms = st::ms_since(t0);
  EXPECT_GE(ms, 180);
  EXPECT_LT(ms, 3000);
}

TEST(Accept, ListenerShutRdWakesBlockedAcceptWithEINVAL) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5117));
  std::atomic<int> rc{-2}, err{0};
  std::thread t([&] {
    int r = accept(l, nullptr, nullptr);
    err = errno;
    rc = r;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(shutdown(l, SHUT_WR), 0) << "TCP: SHUT_WR on a listener is a no-op";
  EXPECT_EQ(shutdown(l, SHUT_RD), 0) << strerror(errno);
  t.join();
  EXPECT_EQ(rc.load(), -1);
  EXPECT_EQ(err.load(), EINVAL);
  EXPECT_EQ(st::int_opt(l, SOL_SOCKET, SO_ACCEPTCONN), 0);
  EXPECT_EQ(st::revents(l), POLLOUT | POLLHUP) << "as a TCP listener after SHUT_RD";
}

TEST(Accept, ClosedListenerResetsUnacceptedConnection) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5118));
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5118));
  l.reset();
  ASSERT_TRUE(st::revents(c, POLLIN, 3000) & POLLIN);
  char b;
  EXPECT_EQ(read(c, &b, 1), -1);
  EXPECT_EQ(errno, ECONNRESET);
}
