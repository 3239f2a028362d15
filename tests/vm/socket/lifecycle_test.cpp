// shutdown() and close(): half-close in each direction, errors on sockets
// that are not connected, data delivered before the FIN, and the module
// reference each socket holds.
#include <atomic>
#include <fstream>
#include <thread>

#include "socket_util.hpp"

using st::Fd;

namespace {

long module_refcnt() {
  std::ifstream f("/sys/module/glass/refcnt");
  long v = -1;
  f >> v;
  return v;
}

}  // namespace

TEST(Shutdown, ShutWrMakesPeerReadZeroAndPeerCanStillSend) {
  st::LoopConn c(5600);
  ASSERT_TRUE(gt::write_all(c.client, "last", 4));
  ASSERT_EQ(shutdown(c.client, SHUT_WR), 0);
  char b[8];
  ASSERT_TRUE(gt::read_all(c.server, b, 4));
  EXPECT_EQ(std::string(b, 4), "last");
  EXPECT_EQ(read(c.server, b, sizeof(b)), 0);
  // Half-closed: the other direction still works.
  ASSERT_TRUE(gt::write_all(c.server, "reply", 5));
  ASSERT_TRUE(gt::read_all(c.client, b, 5));
  EXPECT_EQ(std::string(b, 5), "reply");
}

TEST(Shutdown, ShutRdwrMakesPeerReadZero) {
  st::LoopConn c(5601);
  ASSERT_EQ(shutdown(c.client, SHUT_RDWR), 0);
  char b;
  EXPECT_EQ(read(c.server, &b, 1), 0);
  EXPECT_EQ(read(c.client, &b, 1), 0);
}

TEST(Shutdown, TwiceIsHarmless) {
  st::LoopConn c(5602);
  ASSERT_EQ(shutdown(c.client, SHUT_WR), 0);
  EXPECT_EQ(shutdown(c.client, SHUT_WR), 0);
  EXPECT_EQ(shutdown(c.client, SHUT_RDWR), 0);
}

TEST(Shutdown, UnconnectedIsENOTCONN) {
  Fd s = st::sock();
  for (int how : {SHUT_RD, SHUT_WR, SHUT_RDWR}) {
    EXPECT_EQ(shutdown(s, how), -1) << how;
    EXPECT_EQ(errno, ENOTCONN) << how;
  }
}

TEST(Shutdown, BadHowIsEINVAL) {
  st::LoopConn c(5603);
  EXPECT_EQ(shutdown(c.client, 3), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(shutdown(c.client, -1), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(Shutdown, AfterPeerResetIsENOTCONN) {
  st::LoopConn c(5604);
  linger lg{1, 0};
  ASSERT_EQ(setsockopt(c.server, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
  c.server.reset();
  ASSERT_TRUE(st::revents(c.client, POLLIN, 3000) & POLLERR);
  EXPECT_EQ(shutdown(c.client, SHUT_WR), -1) << "TCP: the connection is CLOSE";
  EXPECT_EQ(errno, ENOTCONN);
}

TEST(Shutdown, BlockedReaderWakesWithZeroOnPeerShutWr) {
  st::LoopConn c(5605);
  std::atomic<long> r{-2};
  std::thread t([&] {
    char b;
    r = read(c.client, &b, 1);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(r.load(), -2);
  ASSERT_EQ(shutdown(c.server, SHUT_WR), 0);
  t.join();
  EXPECT_EQ(r.load(), 0);
}

TEST(Close, QueuedDataIsDeliveredBeforeFin) {
  st::LoopConn c(5606);
  auto p = st::pattern(300000, 10);
  std::thread t([&] { EXPECT_TRUE(gt::write_all(c.client, p.data(), p.size())); });
  std::vector<char> got(p.size());
  // Let the writer get ahead, then close as soon as write() returned.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  size_t done = 0;
  std::thread reader([&] {
    while (done < got.size()) {
      ssize_t n = read(c.server, got.data() + done, got.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
  });
  t.join();
  c.client.reset();
  reader.join();
  EXPECT_EQ(done, p.size());
  EXPECT_EQ(got, p);
  char b;
  EXPECT_EQ(read(c.server, &b, 1), 0);
}

TEST(Close, ConnectingSocketCloseIsClean) {
  gt::Pair pair;
  pair.h2().exec([] { gt::addr_del("gb", gt::Pair::kAddr2, 24); });
  gt::InNetns in(pair.h1().name());
  Fd s = st::sock(SOCK_NONBLOCK);
  sockaddr_glass a = gt::addr(gt::Pair::kAddr2, 5607);
  ASSERT_EQ(connect(s, st::sa(&a), sizeof(a)), -1);
  ASSERT_EQ(errno, EINPROGRESS);
  EXPECT_EQ(gt::info(s).gi_state, GLASS_SYN_SENT);
  s.reset();
  EXPECT_TRUE(gt::wait_until([] { return st::proc_rows().empty(); }, 3000))
      << "a closed SYN_SENT socket disappears at once, as in TCP";
}

TEST(Close, ShutdownDuringSynSentAbortsConnect) {
  gt::Pair pair;
  pair.h2().exec([] { gt::addr_del("gb", gt::Pair::kAddr2, 24); });
  gt::InNetns in(pair.h1().name());
  Fd s = st::sock(SOCK_NONBLOCK);
  sockaddr_glass a = gt::addr(gt::Pair::kAddr2, 5608);
  ASSERT_EQ(connect(s, st::sa(&a), sizeof(a)), -1);
  ASSERT_EQ(errno, EINPROGRESS);
  EXPECT_EQ(shutdown(s, SHUT_RDWR), 0) << "TCP disconnects a SYN_SENT socket";
  EXPECT_EQ(gt::info(s).gi_state, GLASS_CLOSE);
}

TEST(Module, RefcountFollowsSocketsAndTimeWait) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  st::sysctl("time_wait_ms", 300);
  long before = module_refcnt();
  ASSERT_GE(before, 0) << "/sys/module/glass/refcnt missing";
  {
    std::vector<Fd> socks;
    socks.reserve(10);
    for (int i = 0; i < 10; i++) socks.push_back(st::sock());
    EXPECT_GT(module_refcnt(), before + 10) << "every socket pins the module";
  }
  EXPECT_TRUE(gt::wait_until([&] { return module_refcnt() <= before; }, 3000));
  {
    Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5609));
    Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5609));
    Fd a = Fd(accept(l, nullptr, nullptr));
    ASSERT_EQ(shutdown(c, SHUT_WR), 0);
    char b;
    ASSERT_EQ(read(a, &b, 1), 0);
  }
  // The client's orphan in TIME_WAIT still pins the module, then lets go.
  ASSERT_GE(st::proc_rows().size(), 1u) << "the orphan in TIME_WAIT";
  EXPECT_GT(module_refcnt(), 0);
  EXPECT_TRUE(gt::wait_until([] { return st::proc_rows().empty(); }, 5000));
  EXPECT_TRUE(gt::wait_until([&] { return module_refcnt() <= before; }, 3000))
      << "refcnt " << module_refcnt() << " > " << before << " after every socket ended";
}
