// Network namespaces: each is its own host, with its own ports, listeners,
// /proc/net/glass rows, counters and sysctls.
#include <arpa/inet.h>

#include <fstream>

#include "socket_util.hpp"

using st::Fd;

namespace {

int read_sysctl(const std::string& name) {
  std::ifstream f("/proc/sys/net/glass/" + name);
  int v = -1;
  f >> v;
  return v;
}

}  // namespace

TEST(Netns, SamePortBindsInTwoNamespaces) {
  gt::Loopback a, b;
  Fd la, lb;
  {
    gt::InNetns in(a.ns().name());
    la = Fd(gt::listener(gt::Loopback::kAddr, 5700));
  }
  {
    gt::InNetns in(b.ns().name());
    Fd s = st::sock();
    sockaddr_glass ad = gt::addr(gt::Loopback::kAddr, 5700);
    ASSERT_EQ(bind(s, st::sa(&ad), sizeof(ad)), 0) << strerror(errno);
    ASSERT_EQ(listen(s, 4), 0);
    lb = std::move(s);
  }
  // Each listener answers only in its own namespace.
  for (auto* ns : {&a, &b}) {
    gt::InNetns in(ns->ns().name());
    Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5700));
    ASSERT_GE(c, 0);
  }
  // connect() returns at the SYN-ACK; the listener queues the child when
  // the final ACK lands, a moment later. Wait for it, then accept.
  EXPECT_TRUE(st::revents(la, POLLIN, 3000) & POLLIN);
  EXPECT_TRUE(st::revents(lb, POLLIN, 3000) & POLLIN);
  ASSERT_EQ(fcntl(la, F_SETFL, O_NONBLOCK), 0);
  ASSERT_EQ(fcntl(lb, F_SETFL, O_NONBLOCK), 0);
  Fd aa = Fd(accept(la, nullptr, nullptr));
  Fd ab = Fd(accept(lb, nullptr, nullptr));
  EXPECT_GE(aa, 0);
  EXPECT_GE(ab, 0);
  EXPECT_EQ(accept(la, nullptr, nullptr), -1) << "one connection each";
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(accept(lb, nullptr, nullptr), -1) << "one connection each";
  EXPECT_EQ(errno, EAGAIN);
}

TEST(Netns, OtherNamespaceListenerIsInvisible) {
  gt::Loopback a, b;
  Fd lb;
  {
    gt::InNetns in(b.ns().name());
    lb = Fd(gt::listener(gt::Loopback::kAddr, 5701));
  }
  gt::InNetns in(a.ns().name());
  Fd c = st::sock();
  sockaddr_glass ad = gt::addr(gt::Loopback::kAddr, 5701);
  EXPECT_EQ(connect(c, st::sa(&ad), sizeof(ad)), -1);
  EXPECT_EQ(errno, ECONNREFUSED);
  EXPECT_EQ(st::revents(lb, POLLIN), 0);
}

TEST(Netns, ProcShowsOnlyOwnNamespaceRows) {
  gt::Loopback a, b;
  Fd la, lb;
  {
    gt::InNetns in(a.ns().name());
    la = Fd(gt::listener(gt::Loopback::kAddr, 5702));
  }
  {
    gt::InNetns in(b.ns().name());
    lb = Fd(gt::listener(gt::Loopback::kAddr, 5703));
    auto rows = st::proc_rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].rfind("10.7.9.1:5703 0.0.0.0:0 10 ", 0), 0u) << rows[0];
  }
  {
    gt::InNetns in(a.ns().name());
    auto rows = st::proc_rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].rfind("10.7.9.1:5702 ", 0), 0u) << rows[0];
  }
}

TEST(Netns, CountersArePerNamespace) {
  gt::Loopback a, b;
  uint64_t b_opens;
  {
    gt::InNetns in(b.ns().name());
    b_opens = st::stat("active_opens");
  }
  gt::InNetns in(a.ns().name());
  uint64_t a_opens = st::stat("active_opens");
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5704));
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5704));
  EXPECT_EQ(st::stat("active_opens"), a_opens + 1);
  EXPECT_EQ(st::stat("passive_opens"), 1u);
  gt::InNetns inb(b.ns().name());
  EXPECT_EQ(st::stat("active_opens"), b_opens);
  EXPECT_EQ(st::stat("passive_opens"), 0u);
}

TEST(Netns, SysctlsArePerNamespace) {
  gt::Loopback a, b;
  {
    gt::InNetns in(a.ns().name());
    st::sysctl("syn_retries", 2);
    EXPECT_EQ(read_sysctl("syn_retries"), 2);
  }
  gt::InNetns in(b.ns().name());
  EXPECT_EQ(read_sysctl("syn_retries"), 5) << "a new namespace starts from the default";
}

TEST(Netns, PairCarriesConnectionBetweenNamespaces) {
  gt::Pair pair;
  Fd l;
  {
    gt::InNetns in(pair.h2().name());
    l = Fd(gt::listener(gt::Pair::kAddr2, 5705));
  }
  Fd c;
  {
    gt::InNetns in(pair.h1().name());
    c = Fd(gt::connect_to(gt::Pair::kAddr2, 5705));
    // The client's namespace has no row for the server, and vice versa.
    auto rows = st::proc_rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].find("10.7.0.1:"), 0u) << rows[0];
  }
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  auto p = st::pattern(50000, 11);
  ASSERT_TRUE(gt::write_all(c, p.data(), p.size()));
  std::vector<char> got(p.size());
  ASSERT_TRUE(gt::read_all(a, got.data(), got.size()));
  EXPECT_EQ(got, p);
  gt::InNetns in(pair.h2().name());
  auto rows = st::proc_rows();
  EXPECT_EQ(rows.size(), 2u) << "the listener and the accepted connection";
}
