// Socket options (SOL_SOCKET and SOL_GLASS), GLASS_INFO, and the
// connection states and sequence numbers it reports.
#include <arpa/inet.h>
#include <linux/filter.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "socket_util.hpp"

using st::Fd;

TEST(Options, TypeDomainAndProtocol) {
  Fd s = st::sock();
  EXPECT_EQ(st::int_opt(s, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  EXPECT_EQ(st::int_opt(s, SOL_SOCKET, SO_DOMAIN), AF_GLASS);
  EXPECT_EQ(st::int_opt(s, SOL_SOCKET, SO_PROTOCOL), 0);
}

TEST(Options, AcceptconnOnlyOnListener) {
  st::LoopConn c(5500);
  EXPECT_EQ(st::int_opt(c.listener, SOL_SOCKET, SO_ACCEPTCONN), 1);
  EXPECT_EQ(st::int_opt(c.client, SOL_SOCKET, SO_ACCEPTCONN), 0);
  EXPECT_EQ(st::int_opt(c.server, SOL_SOCKET, SO_ACCEPTCONN), 0);
  Fd fresh = st::sock();
  EXPECT_EQ(st::int_opt(fresh, SOL_SOCKET, SO_ACCEPTCONN), 0);
}

TEST(Options, SndbufAndRcvbufAreDoubled) {
  Fd s = st::sock();
  int v = 65536;
  ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
  ASSERT_EQ(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), 0);
  EXPECT_EQ(st::int_opt(s, SOL_SOCKET, SO_SNDBUF), 2 * v);
  EXPECT_EQ(st::int_opt(s, SOL_SOCKET, SO_RCVBUF), 2 * v);
  glass_info gi = gt::info(s);
  EXPECT_EQ(gi.gi_sndbuf, 2u * v);
  EXPECT_EQ(gi.gi_rcvbuf, 2u * v);
}

TEST(Options, AcceptedSocketInheritsListenerBuffers) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5501));
  int v = 30000;
  ASSERT_EQ(setsockopt(l, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), 0);
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5501));
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  EXPECT_EQ(st::int_opt(a, SOL_SOCKET, SO_RCVBUF), 60000);
}

TEST(Options, AcceptedSocketInheritsMarkPriorityAndBusyPoll) {
  // As TCP's: the mark and priority every segment of the connection
  // carries (tc filters, policy routing), and SO_BUSY_POLL's spin.
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5519));
  const int mark = 42;
  const int prio = 5;
  const int usec = 77;
  ASSERT_EQ(setsockopt(l, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)), 0);
  ASSERT_EQ(setsockopt(l, SOL_SOCKET, SO_PRIORITY, &prio, sizeof(prio)), 0);
  ASSERT_EQ(setsockopt(l, SOL_SOCKET, SO_BUSY_POLL, &usec, sizeof(usec)), 0);
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5519));
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  EXPECT_EQ(st::int_opt(a, SOL_SOCKET, SO_MARK), mark);
  EXPECT_EQ(st::int_opt(a, SOL_SOCKET, SO_PRIORITY), prio);
  EXPECT_EQ(st::int_opt(a, SOL_SOCKET, SO_BUSY_POLL), usec);
  EXPECT_EQ(st::int_opt(c, SOL_SOCKET, SO_MARK), 0) << "the client set none";
}

TEST(Options, SoErrorIsZeroOnHealthySocket) {
  st::LoopConn c(5502);
  EXPECT_EQ(st::so_error(c.client), 0);
  EXPECT_EQ(st::so_error(c.server), 0);
}

TEST(Options, UnknownGlassOptionIsENOPROTOOPT) {
  Fd s = st::sock();
  int v = 1;
  socklen_t l = sizeof(v);
  for (int name : {0, GLASS_CONGESTION + 1, 99, -1}) {
    EXPECT_EQ(getsockopt(s, SOL_GLASS, name, &v, &l), -1) << name;
    EXPECT_EQ(errno, ENOPROTOOPT) << name;
    EXPECT_EQ(setsockopt(s, SOL_GLASS, name, &v, sizeof(v)), -1) << name;
    EXPECT_EQ(errno, ENOPROTOOPT) << name;
  }
  EXPECT_EQ(setsockopt(s, SOL_GLASS, GLASS_INFO, &v, sizeof(v)), -1) << "GLASS_INFO is read-only";
  EXPECT_EQ(errno, ENOPROTOOPT);
}

TEST(Options, OtherProtocolLevelIsENOPROTOOPT) {
  Fd s = st::sock();
  int v = 1;
  socklen_t l = sizeof(v);
  EXPECT_EQ(getsockopt(s, IPPROTO_TCP, 1, &v, &l), -1);
  EXPECT_EQ(errno, ENOPROTOOPT);
  EXPECT_EQ(setsockopt(s, IPPROTO_TCP, 1, &v, sizeof(v)), -1);
  EXPECT_EQ(errno, ENOPROTOOPT);
}

TEST(Options, NodelayAndCorkRoundTrip) {
  Fd s = st::sock();
  EXPECT_EQ(st::int_opt(s, SOL_GLASS, GLASS_NODELAY), 0);
  int one = 1, zero = 0;
  ASSERT_EQ(setsockopt(s, SOL_GLASS, GLASS_NODELAY, &one, sizeof(one)), 0);
  EXPECT_EQ(st::int_opt(s, SOL_GLASS, GLASS_NODELAY), 1);
  EXPECT_EQ(gt::info(s).gi_nodelay, 1);
  ASSERT_EQ(setsockopt(s, SOL_GLASS, GLASS_CORK, &one, sizeof(one)), 0);
  EXPECT_EQ(st::int_opt(s, SOL_GLASS, GLASS_CORK), 1);
  EXPECT_EQ(gt::info(s).gi_cork, 1);
  ASSERT_EQ(setsockopt(s, SOL_GLASS, GLASS_CORK, &zero, sizeof(zero)), 0);
  EXPECT_EQ(st::int_opt(s, SOL_GLASS, GLASS_CORK), 0);
}

// GLASS_QUICKACK is sticky (unlike TCP_QUICKACK) and shows in gi_delack;
// tests/script/quickack.gs checks what it does to the ACKs on the wire.
TEST(Options, QuickackRoundTrip) {
  st::LoopConn c(5520);
  EXPECT_EQ(st::int_opt(c.server, SOL_GLASS, GLASS_QUICKACK), 0);
  EXPECT_EQ(gt::info(c.server).gi_delack & GLASS_DELACK_QUICK, 0);
  int one = 1, zero = 0;
  ASSERT_EQ(setsockopt(c.server, SOL_GLASS, GLASS_QUICKACK, &one, sizeof(one)), 0);
  EXPECT_EQ(st::int_opt(c.server, SOL_GLASS, GLASS_QUICKACK), 1);
  EXPECT_EQ(gt::info(c.server).gi_delack & GLASS_DELACK_QUICK, GLASS_DELACK_QUICK);
  EXPECT_EQ(st::int_opt(c.client, SOL_GLASS, GLASS_QUICKACK), 0) << "per socket";
  ASSERT_EQ(setsockopt(c.server, SOL_GLASS, GLASS_QUICKACK, &zero, sizeof(zero)), 0);
  EXPECT_EQ(st::int_opt(c.server, SOL_GLASS, GLASS_QUICKACK), 0);
  EXPECT_EQ(gt::info(c.server).gi_delack & GLASS_DELACK_QUICK, 0);
}

TEST(Options, MaxsegOutOfRangeIsEINVAL) {
  Fd s = st::sock();
  int v = 10;
  EXPECT_EQ(setsockopt(s, SOL_GLASS, GLASS_MAXSEG, &v, sizeof(v)), -1);
  EXPECT_EQ(errno, EINVAL);
  v = 1 << 20;
  EXPECT_EQ(setsockopt(s, SOL_GLASS, GLASS_MAXSEG, &v, sizeof(v)), -1);
  EXPECT_EQ(errno, EINVAL);
  v = 500;
  ASSERT_EQ(setsockopt(s, SOL_GLASS, GLASS_MAXSEG, &v, sizeof(v)), 0);
  EXPECT_EQ(st::int_opt(s, SOL_GLASS, GLASS_MAXSEG), 500);
}

TEST(Options, MaxsegLimitsSegmentPayload) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5503));
  Fd c = st::sock();
  int v = 300;
  ASSERT_EQ(setsockopt(c, SOL_GLASS, GLASS_MAXSEG, &v, sizeof(v)), 0);
  sockaddr_glass a = gt::addr(gt::Loopback::kAddr, 5503);
  ASSERT_EQ(connect(c, st::sa(&a), sizeof(a)), 0);
  Fd s = Fd(accept(l, nullptr, nullptr));
  EXPECT_EQ(gt::info(c).gi_mss, 300u);
  auto p = st::pattern(3000, 9);
  ASSERT_TRUE(gt::write_all(c, p.data(), p.size()));
  std::vector<char> got(3000);
  ASSERT_TRUE(gt::read_all(s, got.data(), got.size()));
  EXPECT_EQ(got, p);
  EXPECT_GE(gt::info(c).gi_data_segs_out, 10u) << "3000 bytes in segments of at most 300";
}

// GLASS_CONGESTION, as TCP_CONGESTION: a name in, a name out; unknown
// names are ENOENT; the namespace's net.glass.congestion_control (CUBIC
// by default, as Linux's) picks the default of new sockets, and an
// accepted socket inherits its listener's. SACK is agreed between two
// glass ends (gi_sack, the default sysctl).
TEST(Options, CongestionControlByNameAndSysctl) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  auto name = [](int fd) {
    char buf[GLASS_CC_NAME_MAX] = {};
    socklen_t l = sizeof(buf);
    EXPECT_EQ(getsockopt(fd, SOL_GLASS, GLASS_CONGESTION, buf, &l), 0);
    return std::string(buf);
  };
  {
    std::ifstream r("/proc/sys/net/glass/congestion_control");
    std::string v;
    r >> v;
    EXPECT_EQ(v, "cubic");
  }
  Fd s = st::sock();
  EXPECT_EQ(name(s), "cubic");
  EXPECT_EQ(gt::info(s).gi_cc_algo, GLASS_CC_CUBIC);
  ASSERT_EQ(setsockopt(s, SOL_GLASS, GLASS_CONGESTION, "newreno", 7), 0);
  EXPECT_EQ(name(s), "newreno");
  EXPECT_EQ(gt::info(s).gi_cc_algo, GLASS_CC_NEWRENO);
  EXPECT_EQ(setsockopt(s, SOL_GLASS, GLASS_CONGESTION, "vegas", 5), -1);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(name(s), "newreno");
  ASSERT_EQ(setsockopt(s, SOL_GLASS, GLASS_CONGESTION, "cubic", 5), 0);
  EXPECT_EQ(name(s), "cubic");
  ASSERT_EQ(setsockopt(s, SOL_GLASS, GLASS_CONGESTION, "reno", 4), 0);
  EXPECT_EQ(name(s), "newreno");
  {
    std::ofstream f("/proc/sys/net/glass/congestion_control");
    f << "newreno\n";
  }
  std::ifstream r("/proc/sys/net/glass/congestion_control");
  std::string v;
  r >> v;
  EXPECT_EQ(v, "newreno");
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5506));
  EXPECT_EQ(name(l), "newreno");
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5506));
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  EXPECT_EQ(name(a), "newreno");
  EXPECT_EQ(gt::info(a).gi_cc_algo, GLASS_CC_NEWRENO);
  EXPECT_EQ(gt::info(a).gi_sack, 1);
  EXPECT_EQ(gt::info(c).gi_sack, 1);
}

TEST(Options, ShortOptlenOnSetIsEINVAL) {
  Fd s = st::sock();
  char one = 1;
  EXPECT_EQ(setsockopt(s, SOL_GLASS, GLASS_NODELAY, &one, 1), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(Options, GlassInfoReportsItsLength) {
  st::LoopConn c(5504);
  glass_info gi{};
  socklen_t l = sizeof(gi);
  ASSERT_EQ(getsockopt(c.client, SOL_GLASS, GLASS_INFO, &gi, &l), 0);
  EXPECT_EQ(l, sizeof(glass_info));
  EXPECT_EQ(gi.gi_len, sizeof(glass_info));
  EXPECT_EQ(gi.gi_state, GLASS_ESTABLISHED);
}

TEST(Options, GlassInfoShortOptlenGetsTruncatedCopy) {
  st::LoopConn c(5505);
  unsigned char buf[sizeof(glass_info) + 64];
  memset(buf, 0xAB, sizeof(buf));
  socklen_t l = 8;
  ASSERT_EQ(getsockopt(c.client, SOL_GLASS, GLASS_INFO, buf, &l), 0);
  EXPECT_EQ(l, 8u) << "optlen says how many bytes were filled";
  glass_info head{};
  memcpy(&head, buf, 8);
  EXPECT_EQ(head.gi_len, sizeof(glass_info));
  EXPECT_EQ(head.gi_state, GLASS_ESTABLISHED);
  for (size_t i = 8; i < sizeof(buf); i++) ASSERT_EQ(buf[i], 0xAB) << "byte " << i << " written";
  // A longer buffer gets the whole structure, and optlen is cut to it.
  l = sizeof(buf);
  ASSERT_EQ(getsockopt(c.client, SOL_GLASS, GLASS_INFO, buf, &l), 0);
  EXPECT_EQ(l, sizeof(glass_info));
  EXPECT_EQ(buf[sizeof(glass_info)], 0xAB);
  // Zero length: nothing copied.
  l = 0;
  EXPECT_EQ(getsockopt(c.client, SOL_GLASS, GLASS_INFO, buf, &l), 0);
  EXPECT_EQ(l, 0u);
}

TEST(Options, GlassInfoNegativeOptlenIsEINVAL) {
  Fd s = st::sock();
  glass_info gi{};
  int l = -1;
  EXPECT_EQ(getsockopt(s, SOL_GLASS, GLASS_INFO, &gi, reinterpret_cast<socklen_t*>(&l)), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(State, HandshakeSequenceNumbersMatchAndIsnIsRandom) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5510));
  std::vector<uint32_t> isns;
  for (int i = 0; i < 4; i++) {
    Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5510));
    Fd a = Fd(accept(l, nullptr, nullptr));
    ASSERT_GE(a, 0);
    glass_info ci = gt::info(c), ai = gt::info(a);
    EXPECT_EQ(ci.gi_irs, ai.gi_iss);
    EXPECT_EQ(ai.gi_irs, ci.gi_iss);
    EXPECT_EQ(ci.gi_snd_nxt, ci.gi_iss + 1) << "the SYN takes one sequence number";
    EXPECT_EQ(ci.gi_rcv_nxt, ai.gi_iss + 1);
    EXPECT_NE(ci.gi_iss, ai.gi_iss);
    isns.push_back(ci.gi_iss);
    isns.push_back(ai.gi_iss);
  }
  std::sort(isns.begin(), isns.end());
  EXPECT_EQ(std::unique(isns.begin(), isns.end()), isns.end()) << "ISNs repeat";
}

TEST(State, ActiveCloserEntersTimeWait) {
  st::LoopConn c(5511);
  ASSERT_EQ(shutdown(c.client, SHUT_WR), 0);
  EXPECT_TRUE(gt::wait_until([&] { return gt::info(c.client).gi_state == GLASS_FIN_WAIT2; }));
  EXPECT_EQ(gt::info(c.server).gi_state, GLASS_CLOSE_WAIT);
  char b;
  ASSERT_EQ(read(c.server, &b, 1), 0);
  ASSERT_EQ(shutdown(c.server, SHUT_WR), 0);
  EXPECT_TRUE(gt::wait_until([&] { return gt::info(c.client).gi_state == GLASS_TIME_WAIT; }));
  EXPECT_TRUE(gt::wait_until([&] { return gt::info(c.server).gi_state == GLASS_CLOSE; }))
      << "the passive closer goes LAST_ACK -> CLOSE";
  sockaddr_glass me{};
  socklen_t l = sizeof(me);
  ASSERT_EQ(getsockname(c.client, st::sa(&me), &l), 0);
  std::string local = std::string(gt::Loopback::kAddr) + ":" + std::to_string(ntohs(me.sg_port));
  c.client.reset();
  // The orphan stays in TIME_WAIT, visible in /proc/net/glass.
  bool found = false;
  for (const auto& row : st::proc_rows()) {
    if (row.rfind(local + " ", 0) == 0) {
      found = true;
      std::istringstream is(row);
      std::string lo, re;
      int state = -1;
      is >> lo >> re >> state;
      EXPECT_EQ(state, GLASS_TIME_WAIT) << row;
      EXPECT_NE(row.find("timewait"), std::string::npos) << row;
    }
  }
  EXPECT_TRUE(found) << "no /proc/net/glass row for " << local;
}

TEST(State, TimeWaitEndsAfterTimeWaitMs) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  st::sysctl("time_wait_ms", 300);
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5512));
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5512));
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_TRUE(st::close_into_time_wait(c, a));
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(gt::wait_until([&] { return gt::info(c).gi_state == GLASS_CLOSE; }, 5000));
  EXPECT_GE(st::ms_since(t0), 200);
  c.reset();
  l.reset();
  EXPECT_TRUE(gt::wait_until([] { return st::proc_rows().empty(); }, 3000));
}

// As TCP's: a SYN above the sequence numbers a TIME_WAIT received opens a
// new connection on the same four-tuple at once (ISNs grow with time, RFC
// 6528): no RST dance, no SYN retransmission a second later.
TEST(State, SynAboveTimeWaitOpensANewConnection) {
  gt::Pair p;
  constexpr uint16_t kClientPort = 40123;
  constexpr uint16_t kPort = 5513;
  Fd l;
  {
    gt::InNetns in(p.h2().name());
    l = Fd(gt::listener(gt::Pair::kAddr2, kPort));
  }
  auto connect_from_client_port = [&](Fd& c) {
    gt::InNetns in(p.h1().name());
    c = st::sock();
    sockaddr_glass me = gt::addr(gt::Pair::kAddr1, kClientPort);
    ASSERT_EQ(bind(c, st::sa(&me), sizeof(me)), 0) << strerror(errno);
    sockaddr_glass to = gt::addr(gt::Pair::kAddr2, kPort);
    ASSERT_EQ(connect(c, st::sa(&to), sizeof(to)), 0) << strerror(errno);
  };
  Fd c1;
  connect_from_client_port(c1);
  Fd a1 = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a1, 0);
  // The server closes first, so its end waits in TIME_WAIT; the client's
  // end closes for good.
  ASSERT_TRUE(st::close_into_time_wait(a1, c1));
  a1.reset();
  uint64_t reused0 = 0, retrans0 = 0;
  p.h2().exec([&] { reused0 = st::stat("timewait_reused"); });
  p.h1().exec([&] {
    ASSERT_TRUE(gt::wait_until([] { return st::proc_rows().empty(); }));
    retrans0 = st::stat("retransmitted_segments");
  });

  Fd c2;
  connect_from_client_port(c2);
  Fd a2 = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a2, 0);
  sockaddr_glass peer{};
  socklen_t pl = sizeof(peer);
  ASSERT_EQ(getpeername(a2, st::sa(&peer), &pl), 0);
  EXPECT_EQ(ntohs(peer.sg_port), kClientPort);
  EXPECT_EQ(gt::info(a2).gi_state, GLASS_ESTABLISHED);
  p.h2().exec([&] { EXPECT_EQ(st::stat("timewait_reused"), reused0 + 1); });
  p.h1().exec(
      [&] { EXPECT_EQ(st::stat("retransmitted_segments"), retrans0) << "the SYN was sent again"; });
  ASSERT_EQ(write(c2, "x", 1), 1);
  char b = 0;
  EXPECT_EQ(read(a2, &b, 1), 1);
}

// SO_ATTACH_FILTER applies to glass frames as to TCP segments: a filter
// that refuses everything keeps the data out (counted as drop_filter), and
// once it is detached the retransmissions get in.
TEST(Options, AttachedFilterDropsFramesUntilDetached) {
  st::LoopConn c(5590);
  sock_filter drop_all[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
  sock_fprog prog{1, drop_all};
  ASSERT_EQ(setsockopt(c.server, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)), 0);
  const uint64_t before = gt::stats()["drop_filter"];
  ASSERT_EQ(write(c.client, "filtered", 8), 8);
  EXPECT_EQ(st::revents(c.server, POLLIN, 500), 0) << "data passed a filter refusing all";
  EXPECT_GT(gt::stats()["drop_filter"], before);
  int zero = 0;
  ASSERT_EQ(setsockopt(c.server, SOL_SOCKET, SO_DETACH_FILTER, &zero, sizeof(zero)), 0);
  timeval tv{10, 0};
  ASSERT_EQ(setsockopt(c.server, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
  char buf[16] = {};
  ASSERT_EQ(read(c.server, buf, sizeof(buf)), 8);
  EXPECT_EQ(std::string(buf, 8), "filtered");
}
