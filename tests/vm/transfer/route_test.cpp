// What a route says to the connections it carries, as TCP reads it: `ip
// route add PEER/32 dev DEV initcwnd N rto_min T advmss N quickack 1`
// sets the congestion window a connection starts with, the floor of its
// retransmission timeout, the MSS its SYN announces and whether it delays
// ACKs, on the connecting side (its route to the peer) and on the
// accepting side (the child's route back).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "transfer.hpp"

namespace {

constexpr uint32_t kInitCwnd = 20;
constexpr uint32_t kRtoMinMs = 300;
// Past the delayed-ACK timer (40 ms): whatever it owed has gone.
constexpr auto kPastDelack = std::chrono::milliseconds(300);

// A connection across a pair of its own whose namespaces route to each
// other with these metrics (host routes, made before the connection).
struct RoutedLink {
  gt::Pair pair;
  tt::Link link{pair};
  RoutedLink(const gt::RouteMetrics& to_server, const gt::RouteMetrics& to_client) {
    pair.h1().exec([&] { gt::route_add_host("ga", gt::Pair::kAddr2, to_server); });
    pair.h2().exec([&] { gt::route_add_host("gb", gt::Pair::kAddr1, to_client); });
    link.open();
  }
};

// Both ends exchange a byte, so each has an RTT sample and its RTO rests
// on the measured RTT and its floor.
void exchange_a_byte(const tt::Link& link) {
  char c = 'x';
  ASSERT_EQ(::write(link.client, &c, 1), 1);
  ASSERT_EQ(::read(link.server, &c, 1), 1);
  ASSERT_EQ(::write(link.server, &c, 1), 1);
  ASSERT_EQ(::read(link.client, &c, 1), 1);
  ASSERT_TRUE(tt::wait_all_acked(link.client));
  ASSERT_TRUE(tt::wait_all_acked(link.server));
}

// Bytes the client sends at once to a peer whose ACKs never come back:
// its initial window (a probe may add one segment of new data later).
uint32_t first_flight(tt::Link& link, uint32_t mss) {
  tt::netem(link.h2(), "gb", "loss 100%");
  const std::vector<char> data(40 * mss, 'f');
  EXPECT_EQ(::write(link.client, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  const glass_info gi = gt::info(link.client);
  return gi.gi_snd_nxt - gi.gi_snd_una;
}

// ACKs the server's delayed-ACK timer sent for one byte it got and never
// answered.
uint64_t delayed_acks_for_a_byte(const tt::Link& link) {
  const uint64_t before = tt::stat(link.h2(), "delayed_acks");
  char c = 'q';
  EXPECT_EQ(::write(link.client, &c, 1), 1);
  EXPECT_EQ(::read(link.server, &c, 1), 1);
  std::this_thread::sleep_for(kPastDelack);
  EXPECT_TRUE(tt::wait_all_acked(link.client));
  return tt::stat(link.h2(), "delayed_acks") - before;
}

}  // namespace

TEST(RouteMetrics, InitcwndAndRtoMinApplyToBothEnds) {
  const gt::RouteMetrics m{.initcwnd = kInitCwnd, .rto_min_ms = kRtoMinMs};
  RoutedLink r(m, m);
  const tt::Link& link = r.link;
  ASSERT_GE(link.server, 0);
  const glass_info c = gt::info(link.client), s = gt::info(link.server);
  EXPECT_EQ(c.gi_cwnd, kInitCwnd * c.gi_mss) << "the connecting side's initial window";
  EXPECT_EQ(s.gi_cwnd, kInitCwnd * s.gi_mss) << "the accepting side's initial window";
  exchange_a_byte(link);
  EXPECT_EQ(gt::info(link.client).gi_rto_us, kRtoMinMs * 1000) << "the connecting side's RTO";
  EXPECT_EQ(gt::info(link.server).gi_rto_us, kRtoMinMs * 1000) << "the accepting side's RTO";
}

TEST(RouteMetrics, TheFirstFlightIsTheRoutesInitcwnd) {
  RoutedLink r({.initcwnd = kInitCwnd}, {});
  tt::Link& link = r.link;
  ASSERT_GE(link.server, 0);
  const uint32_t mss = gt::info(link.client).gi_mss;
  const uint32_t flight = first_flight(link, mss);
  EXPECT_GE(flight, kInitCwnd * mss);
  EXPECT_LE(flight, (kInitCwnd + 1) * mss);
}

TEST(RouteMetrics, QuickackAcksEverySegmentAtOnce) {
  RoutedLink r({}, {.quickack = true});
  const tt::Link& link = r.link;
  ASSERT_GE(link.server, 0);
  int quick = 0;
  socklen_t len = sizeof(quick);
  ASSERT_EQ(::getsockopt(link.server, SOL_GLASS, GLASS_QUICKACK, &quick, &len), 0);
  EXPECT_EQ(quick, 1) << "the accepting side's GLASS_QUICKACK";
  EXPECT_EQ(delayed_acks_for_a_byte(link), 0U) << "the byte's ACK waited for the timer";
}

// A socket whose connect() failed over a quickack route and that then
// connects over another route ACKs as the second says: the first route's
// quickack is taken back (it was sticky before). The server's address on
// the second route is one of its own, off the quickack host route.
TEST(RouteMetrics, AReconnectTakesBackTheFirstRoutesQuickack) {
  constexpr const char* kOtherAddr = "10.7.0.3";
  constexpr uint16_t kReconnectPort = 7990;
  gt::Pair pair;
  pair.h2().exec([&] { ASSERT_EQ(gt::addr_add("gb", kOtherAddr, 32), 0); });
  pair.h1().exec(
      [&] { ASSERT_EQ(gt::route_add_host("ga", gt::Pair::kAddr2, {.quickack = true}), 0); });
  int l = -1, c = -1;
  {
    gt::InNetns in(pair.h2().name());
    l = gt::glass_socket();
    sockaddr_glass a = gt::addr(kOtherAddr, kReconnectPort);
    ASSERT_EQ(::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    ASSERT_EQ(::listen(l, 1), 0);
  }
  {
    gt::InNetns in(pair.h1().name());
    c = gt::glass_socket();
    sockaddr_glass refused = gt::addr(gt::Pair::kAddr2, kReconnectPort);
    EXPECT_EQ(::connect(c, reinterpret_cast<sockaddr*>(&refused), sizeof(refused)), -1);
    EXPECT_EQ(errno, ECONNREFUSED);
    sockaddr_glass other = gt::addr(kOtherAddr, kReconnectPort);
    ASSERT_EQ(::connect(c, reinterpret_cast<sockaddr*>(&other), sizeof(other)), 0)
        << strerror(errno);
  }
  const int s = ::accept(l, nullptr, nullptr);
  ASSERT_GE(s, 0);
  int quick = -1;
  socklen_t len = sizeof(quick);
  ASSERT_EQ(::getsockopt(c, SOL_GLASS, GLASS_QUICKACK, &quick, &len), 0);
  EXPECT_EQ(quick, 0) << "the first route's quickack stayed";
  const uint64_t before = tt::stat(pair.h1(), "delayed_acks");
  char b = 'r';
  ASSERT_EQ(::write(s, &b, 1), 1);
  ASSERT_EQ(::read(c, &b, 1), 1);
  std::this_thread::sleep_for(kPastDelack);
  EXPECT_TRUE(tt::wait_all_acked(s));
  EXPECT_EQ(tt::stat(pair.h1(), "delayed_acks") - before, 1U) << "the byte's ACK did not wait";
  ::close(s);
  ::close(c);
  ::close(l);
}

TEST(RouteMetrics, AdvmssLowersTheMssEachSynAnnounces) {
  RoutedLink r({.advmss = 900}, {.advmss = 1000});
  const tt::Link& link = r.link;
  ASSERT_GE(link.server, 0);
  const glass_info c = gt::info(link.client), s = gt::info(link.server);
  EXPECT_EQ(s.gi_peer_mss, 900U) << "what the client's SYN announced";
  EXPECT_EQ(c.gi_peer_mss, 1000U) << "what the server's SYN-ACK announced";
  EXPECT_LE(c.gi_mss, 1000U);
  EXPECT_LE(s.gi_mss, 900U);
  std::string why;
  std::jthread reader([&] { (void)tt::recv_pattern(link.server, 5, 64 * 1024, &why); });
  EXPECT_TRUE(tt::send_pattern(link.client, 5, 64 * 1024));
  reader.join();
  EXPECT_EQ(why, "");
}

TEST(RouteMetrics, WithoutMetricsTenSegmentsAndTheSysctlsFloor) {
  tt::Link link;
  link.open();
  ASSERT_GE(link.server, 0);
  const uint32_t mss = gt::info(link.client).gi_mss;
  EXPECT_EQ(gt::info(link.client).gi_peer_mss, 1500U - 32) << "the device's MTU less the header";
  EXPECT_EQ(gt::info(link.client).gi_cwnd, 10 * mss);
  EXPECT_EQ(gt::info(link.server).gi_cwnd, 10 * gt::info(link.server).gi_mss);
  exchange_a_byte(link);
  EXPECT_EQ(gt::info(link.client).gi_rto_us, 200000U) << "net.glass.rto_min_ms";
  EXPECT_EQ(delayed_acks_for_a_byte(link), 1U) << "a lone byte's ACK waits for the timer";
  const uint32_t flight = first_flight(link, mss);
  EXPECT_GE(flight, 10 * mss);
  EXPECT_LE(flight, 11 * mss);
}
