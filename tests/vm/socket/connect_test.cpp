// connect(): blocking and nonblocking, every repeated call, refusal,
// timeouts, routes, and the names getsockname/getpeername report.
#include <arpa/inet.h>

#include "socket_util.hpp"

using st::Fd;

namespace {

int connect_addr(int fd, const char* ip, uint16_t port) {
  sockaddr_glass a = gt::addr(ip, port);
  return connect(fd, st::sa(&a), sizeof(a));
}

}  // namespace

TEST(Connect, BlockingConnectEstablishesBothEnds) {
  st::LoopConn c(5200);
  EXPECT_EQ(gt::info(c.client).gi_state, GLASS_ESTABLISHED);
  EXPECT_EQ(gt::info(c.server).gi_state, GLASS_ESTABLISHED);
  sockaddr_glass peer{};
  socklen_t l = sizeof(peer);
  ASSERT_EQ(getpeername(c.client, st::sa(&peer), &l), 0) << strerror(errno);
  EXPECT_EQ(l, sizeof(peer));
  EXPECT_EQ(peer.sg_family, AF_GLASS);
  EXPECT_EQ(ntohs(peer.sg_port), 5200);
  char ip[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &peer.sg_addr, ip, sizeof(ip));
  EXPECT_STREQ(ip, gt::Loopback::kAddr);
}

TEST(Connect, NonblockingIsEINPROGRESSThenPollOutAndSoErrorZero) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5201));
  Fd s = st::sock(SOCK_NONBLOCK);
  EXPECT_EQ(connect_addr(s, gt::Loopback::kAddr, 5201), -1);
  EXPECT_EQ(errno, EINPROGRESS);
  EXPECT_EQ(st::revents(s, POLLOUT, 5000), POLLOUT);
  EXPECT_EQ(st::so_error(s), 0);
  EXPECT_EQ(gt::info(s).gi_state, GLASS_ESTABLISHED);
}

TEST(Connect, RepeatedConnectWhileInProgressIsEALREADYThenEISCONN) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  gt::netem_add("glass0", "delay 200ms");
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5202));
  Fd s = st::sock(SOCK_NONBLOCK);
  EXPECT_EQ(connect_addr(s, gt::Loopback::kAddr, 5202), -1);
  EXPECT_EQ(errno, EINPROGRESS);
  EXPECT_EQ(connect_addr(s, gt::Loopback::kAddr, 5202), -1);
  EXPECT_EQ(errno, EALREADY);
  sockaddr_glass peer{};
  socklen_t pl = sizeof(peer);
  EXPECT_EQ(getpeername(s, st::sa(&peer), &pl), -1) << "TCP: no peer name while SYN_SENT";
  EXPECT_EQ(errno, ENOTCONN);
  ASSERT_EQ(st::revents(s, POLLOUT, 5000), POLLOUT);
  // As TCP: the first connect() after completion reports success, then EISCONN.
  EXPECT_EQ(connect_addr(s, gt::Loopback::kAddr, 5202), 0) << strerror(errno);
  EXPECT_EQ(connect_addr(s, gt::Loopback::kAddr, 5202), -1);
  EXPECT_EQ(errno, EISCONN);
}

TEST(Connect, AfterBlockingConnectIsEISCONN) {
  st::LoopConn c(5203);
  EXPECT_EQ(connect_addr(c.client, gt::Loopback::kAddr, 5203), -1);
  EXPECT_EQ(errno, EISCONN);
  EXPECT_EQ(connect_addr(c.server, gt::Loopback::kAddr, 5203), -1);
  EXPECT_EQ(errno, EISCONN);
}

TEST(Connect, NobodyListeningIsECONNREFUSED) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  uint64_t rst_sent = st::stat("resets_sent"), fails = st::stat("attempt_fails");
  uint64_t no_sock = st::stat("drop_no_socket");
  Fd s = st::sock();
  EXPECT_EQ(connect_addr(s, gt::Loopback::kAddr, 5204), -1);
  EXPECT_EQ(errno, ECONNREFUSED);
  EXPECT_EQ(st::stat("resets_sent"), rst_sent + 1);
  EXPECT_EQ(st::stat("attempt_fails"), fails + 1);
  EXPECT_EQ(st::stat("drop_no_socket"), no_sock + 1);
  EXPECT_EQ(st::so_error(s), 0) << "the error was reported by connect() itself";
  EXPECT_EQ(gt::info(s).gi_state, GLASS_CLOSE);
}

TEST(Connect, NonblockingRefusedReportsSoError) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd s = st::sock(SOCK_NONBLOCK);
  int rc = connect_addr(s, gt::Loopback::kAddr, 5205);
  if (rc == -1 && errno == ECONNREFUSED) GTEST_SKIP() << "refused before connect() returned";
  ASSERT_EQ(rc, -1);
  ASSERT_EQ(errno, EINPROGRESS);
  short ev = st::revents(s, POLLOUT, 5000);
  EXPECT_TRUE(ev & POLLERR) << ev;
  EXPECT_TRUE(ev & POLLHUP) << ev;
  EXPECT_EQ(st::so_error(s), ECONNREFUSED);
  EXPECT_EQ(st::so_error(s), 0) << "SO_ERROR clears the error";
}

TEST(Connect, RetryAfterRefusedSucceeds) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd s = st::sock();
  ASSERT_EQ(connect_addr(s, gt::Loopback::kAddr, 5206), -1);
  ASSERT_EQ(errno, ECONNREFUSED);
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5206));
  EXPECT_EQ(connect_addr(s, gt::Loopback::kAddr, 5206), 0) << strerror(errno);
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  EXPECT_EQ(gt::info(s).gi_state, GLASS_ESTABLISHED);
  EXPECT_EQ(send(s, "x", 1, MSG_NOSIGNAL), 1)
      << "TCP: the retried connection works: " << strerror(errno);
  char b;
  EXPECT_TRUE(st::revents(a, POLLIN, 3000) & POLLIN);
  EXPECT_EQ(recv(a, &b, 1, MSG_DONTWAIT), 1);
  EXPECT_EQ(st::revents(s, POLLIN | POLLOUT | POLLRDHUP), POLLOUT)
      << "no leftover shutdown state from the refused attempt";
}

TEST(Connect, SilentPeerTimesOutAfterSynRetries) {
  gt::Pair pair;
  // The peer loses its address: SYNs arrive there and are dropped unanswered.
  pair.h2().exec([] { gt::addr_del("gb", gt::Pair::kAddr2, 24); });
  uint64_t not_local;
  {
    gt::InNetns in(pair.h2().name());
    not_local = st::stat("drop_not_local");
  }
  gt::InNetns in(pair.h1().name());
  st::sysctl("rto_initial_ms", 200);
  st::sysctl("syn_retries", 1);
  uint64_t timeouts = st::stat("connection_timeouts"), fails = st::stat("attempt_fails");
  Fd s = st::sock();
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(connect_addr(s, gt::Pair::kAddr2, 5207), -1);
  EXPECT_EQ(errno, ETIMEDOUT);
  long ms = st::ms_since(t0);
  EXPECT_GE(ms, 500) << "SYN, one retransmission after 200 ms, then 400 ms";
  EXPECT_LT(ms, 5000);
  EXPECT_EQ(st::stat("connection_timeouts"), timeouts + 1);
  EXPECT_EQ(st::stat("attempt_fails"), fails + 1);
  {
    gt::InNetns in2(pair.h2().name());
    EXPECT_EQ(st::stat("drop_not_local"), not_local + 2) << "the SYN and its one retransmission";
  }
}

TEST(Connect, NonblockingSilentPeerReportsETIMEDOUT) {
  gt::Pair pair;
  pair.h2().exec([] { gt::addr_del("gb", gt::Pair::kAddr2, 24); });
  gt::InNetns in(pair.h1().name());
  st::sysctl("rto_initial_ms", 100);
  st::sysctl("syn_retries", 1);
  Fd s = st::sock(SOCK_NONBLOCK);
  ASSERT_EQ(connect_addr(s, gt::Pair::kAddr2, 5208), -1);
  ASSERT_EQ(errno, EINPROGRESS);
  char b = 0;
  EXPECT_EQ(write(s, &b, 1), -1) << "TCP: writing while SYN_SENT without blocking";
  EXPECT_EQ(errno, EAGAIN);
  short ev = st::revents(s, POLLOUT, 5000);
  EXPECT_TRUE(ev & POLLERR) << ev;
  EXPECT_EQ(st::so_error(s), ETIMEDOUT);
}

TEST(Connect, NoRouteIsENETUNREACH) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd s = st::sock();
  EXPECT_EQ(connect_addr(s, "10.99.0.1", 5209), -1);
  EXPECT_EQ(errno, ENETUNREACH);
  EXPECT_EQ(gt::info(s).gi_state, GLASS_CLOSE);
}

TEST(Connect, RouteOverNonGlassDeviceIsENETUNREACH) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd s = st::sock();
  EXPECT_EQ(connect_addr(s, "127.0.0.1", 5210), -1);
  EXPECT_EQ(errno, ENETUNREACH);
}

TEST(Connect, AcrossPairBothNamesMatch) {
  gt::Pair pair;
  Fd l;
  {
    gt::InNetns in(pair.h2().name());
    l = Fd(gt::listener(gt::Pair::kAddr2, 5211));
  }
  Fd c;
  {
    gt::InNetns in(pair.h1().name());
    c = Fd(gt::connect_to(gt::Pair::kAddr2, 5211));
  }
  sockaddr_glass peer{};
  socklen_t pl = sizeof(peer);
  Fd a = Fd(accept(l, st::sa(&peer), &pl));
  ASSERT_GE(a, 0);
  sockaddr_glass cn{}, cp{}, an{};
  socklen_t l1 = sizeof(cn), l2 = sizeof(cp), l3 = sizeof(an);
  ASSERT_EQ(getsockname(c, st::sa(&cn), &l1), 0);
  ASSERT_EQ(getpeername(c, st::sa(&cp), &l2), 0);
  ASSERT_EQ(getsockname(a, st::sa(&an), &l3), 0);
  EXPECT_EQ(cn.sg_addr.s_addr, inet_addr(gt::Pair::kAddr1));
  EXPECT_EQ(peer.sg_addr.s_addr, cn.sg_addr.s_addr);
  EXPECT_EQ(peer.sg_port, cn.sg_port);
  EXPECT_EQ(cp.sg_addr.s_addr, an.sg_addr.s_addr);
  EXPECT_EQ(cp.sg_port, an.sg_port);
}

TEST(Getpeername, BeforeConnectIsENOTCONN) {
  Fd s = st::sock();
  sockaddr_glass a{};
  socklen_t l = sizeof(a);
  EXPECT_EQ(getpeername(s, st::sa(&a), &l), -1);
  EXPECT_EQ(errno, ENOTCONN);
}

TEST(Getpeername, ListenerIsENOTCONN) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5212));
  sockaddr_glass a{};
  socklen_t len = sizeof(a);
  EXPECT_EQ(getpeername(l, st::sa(&a), &len), -1);
  EXPECT_EQ(errno, ENOTCONN);
}

TEST(Getsockname, ShortBufferIsTruncatedAndFullLengthReported) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5213));
  char buf[4] = {};
  socklen_t len = sizeof(buf);
  ASSERT_EQ(getsockname(l, reinterpret_cast<sockaddr*>(buf), &len), 0);
  EXPECT_EQ(len, sizeof(sockaddr_glass));
  sa_family_t fam;
  memcpy(&fam, buf, sizeof(fam));
  EXPECT_EQ(fam, AF_GLASS);
  uint16_t port;
  memcpy(&port, buf + 2, 2);
  EXPECT_EQ(ntohs(port), 5213);
}
