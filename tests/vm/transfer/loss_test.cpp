// Reliability over a bad link: tc netem on the glass devices loses,
// reorders, duplicates, corrupts and delays frames; the data still arrives
// byte-exact, and the counters account for what the engine did about it.
// A peer that vanishes ends the connection with ETIMEDOUT.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>

#include "transfer.hpp"

namespace {

// A transfer's size in bytes, given in MiB for Debian's kernel and for the
// debug kernel: recovery takes the same paths over fewer megabytes there.
uint64_t mib(uint64_t stock, uint64_t debug) {
  return gt::per_kernel(stock, debug) << 20;
}

// A namespace's /proc/net/glass_stat counters from now on: each one's growth.
class StatGrowth {
 public:
  explicit StatGrowth(const gt::Netns& ns) : ns_(ns), base_(tt::stats(ns)) {}
  uint64_t operator()(const std::string& c) const { return tt::stat(ns_, c) - base_.at(c); }

 private:
  const gt::Netns& ns_;
  std::map<std::string, uint64_t> base_;
};

// Sends bytes client -> server (and server -> client when both is set) and
// checks every byte on arrival.
void transfer_checked(tt::Link& link, uint64_t bytes, bool both) {
  std::string why_s, why_c;
  bool ok_s = true, ok_c = true, sent_c = true, sent_s = true;
  std::thread rs([&] { ok_s = tt::recv_pattern(link.server, 11, bytes, &why_s); });
  std::thread rc, ws;
  if (both) {
    rc = std::thread([&] { ok_c = tt::recv_pattern(link.client, 12, bytes, &why_c); });
    ws = std::thread([&] { sent_s = tt::send_pattern(link.server, 12, bytes); });
  }
  sent_c = tt::send_pattern(link.client, 11, bytes);
  rs.join();
  if (both) {
    rc.join();
    ws.join();
  }
  EXPECT_TRUE(sent_c) << strerror(errno);
  EXPECT_TRUE(sent_s) << strerror(errno);
  EXPECT_TRUE(ok_s) << "client -> server: " << why_s;
  EXPECT_TRUE(ok_c) << "server -> client: " << why_c;
  EXPECT_TRUE(tt::wait_all_acked(link.client, 20000));
  if (both) {
    EXPECT_TRUE(tt::wait_all_acked(link.server, 20000));
  }
}

// The Lossy tests share one pair of namespaces; each puts its own netem
// on the devices (replacing the last one) and makes its own connection.
// Counters are compared as deltas over the test. netem drops whole frames
// and a frame may be a train of segments (docs/protocol.md), so the
// devices send one segment per frame: `loss N%` is then a rate per
// segment, which is what these tests are about.
class Lossy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pair_ = new gt::Pair;
    pair_->h1().run("/usr/sbin/ip link set ga gso_max_segs 1");
    pair_->h2().run("/usr/sbin/ip link set gb gso_max_segs 1");
  }
  static void TearDownTestSuite() {
    delete pair_;
    pair_ = nullptr;
  }
  void TearDown() override {
    link.h1().exec([] { gt::qdisc_del_root("ga"); });
    link.h2().exec([] { gt::qdisc_del_root("gb"); });
  }
  // rto_min_ms for the connection, then the connection, then the netem
  // qdiscs (an empty string leaves that end clean).
  void open(int rto_min_ms, const std::string& netem_ga, const std::string& netem_gb = "") {
    tt::sysctl(link.h1(), "rto_min_ms", rto_min_ms);
    tt::sysctl(link.h2(), "rto_min_ms", rto_min_ms);
    link.open();
    ASSERT_GE(link.server, 0);
    c1_ = tt::stats(link.h1());
    c2_ = tt::stats(link.h2());
    if (!netem_ga.empty()) link.h1().exec([&] { gt::netem_replace("ga", netem_ga); });
    if (!netem_gb.empty()) link.h2().exec([&] { gt::netem_replace("gb", netem_gb); });
  }
  // How much a counter of h1 / h2 grew since open().
  uint64_t d1(const std::string& c) { return tt::stat(link.h1(), c) - c1_[c]; }
  uint64_t d2(const std::string& c) { return tt::stat(link.h2(), c) - c2_[c]; }

  static gt::Pair* pair_;
  tt::Link link{*pair_};
  std::map<std::string, uint64_t> c1_, c2_;
};

gt::Pair* Lossy::pair_ = nullptr;

// Every kind of damage on both ends; 2 MiB each way. The RTO floor is
// lowered to 50 ms so lost tails cost less time.
TEST_F(Lossy, NetemOnBothEndsStillDeliversByteExactBothWays) {
  const uint64_t bytes = mib(2, 1);
  const std::string bad = "loss 10% reorder 25% 50% delay 5ms duplicate 5% corrupt 2%";
  ASSERT_NO_FATAL_FAILURE(open(50, bad, bad));
  transfer_checked(link, bytes, true);
  EXPECT_GT(d1("drop_checksum") + d2("drop_checksum"), 0u);
  EXPECT_GT(d1("retransmitted_segments") + d2("retransmitted_segments"), 0u);
  EXPECT_GT(d1("drop_duplicate") + d2("drop_duplicate"), 0u);
  glass_info s = gt::info(link.client), r = gt::info(link.server);
  EXPECT_EQ(r.gi_ooo, 0u);
  EXPECT_EQ(s.gi_ooo, 0u);
  EXPECT_EQ(r.gi_bytes_received, bytes);
  EXPECT_EQ(s.gi_bytes_received, bytes);
  EXPECT_GT(s.gi_retransmits, 0u);
  EXPECT_GT(r.gi_retransmits, 0u);
}

TEST_F(Lossy, ReorderedSegmentsAreReassembled) {
  // A quarter of the frames skip the 10 ms delay and overtake the others.
  ASSERT_NO_FATAL_FAILURE(open(200, "delay 10ms reorder 25% 50%"));
  const uint64_t bytes = mib(4, 1);
  transfer_checked(link, bytes, false);
  EXPECT_GT(d2("out_of_order_segments"), 0u);
  glass_info r = gt::info(link.server);
  EXPECT_EQ(r.gi_ooo, 0u);
  EXPECT_EQ(r.gi_unread, 0u);
  EXPECT_EQ(r.gi_bytes_received, bytes);
}

TEST_F(Lossy, DuplicatedSegmentsAreDeliveredOnce) {
  ASSERT_NO_FATAL_FAILURE(open(200, "duplicate 50%"));
  const uint64_t bytes = mib(4, 1);
  transfer_checked(link, bytes, false);
  EXPECT_GT(d2("drop_duplicate"), 0u);
  // Frames did arrive twice: more came in than the sender sent.
  EXPECT_GT(d2("segments_in"), d1("segments_out"));
  glass_info r = gt::info(link.server);
  EXPECT_EQ(r.gi_bytes_received, bytes);
}

TEST_F(Lossy, LostSegmentsAreRetransmitted) {
  ASSERT_NO_FATAL_FAILURE(open(50, "loss 10%"));
  const uint64_t bytes = mib(2, 1);
  transfer_checked(link, bytes, false);
  glass_info s = gt::info(link.client);
  EXPECT_GT(s.gi_retransmits, 0u);
  // No other connection of h1 sends data: its counter is this socket's.
  EXPECT_EQ(d1("retransmitted_segments"), uint64_t{s.gi_retransmits});
  EXPECT_EQ(s.gi_bytes_acked, bytes);
  EXPECT_GT(s.gi_bytes_sent, bytes);
}

TEST_F(Lossy, ModerateLossTriggersFastRetransmit) {
  ASSERT_NO_FATAL_FAILURE(open(200, "loss 2%"));
  transfer_checked(link, mib(8, 2), false);
  glass_info s = gt::info(link.client);
  EXPECT_GT(s.gi_fast_retrans, 0u);
  EXPECT_GE(s.gi_dupacks, 3u);
  EXPECT_EQ(d1("fast_retransmits"), uint64_t{s.gi_fast_retrans});
  EXPECT_GE(s.gi_retransmits, s.gi_fast_retrans);
  EXPECT_GT(d2("out_of_order_segments"), 0u);
  EXPECT_EQ(gt::info(link.server).gi_ooo, 0u);
}

// The out-of-order set and the SACK scoreboard's set exist only while
// holes are open (kmod/glass_mem.c): reordering and loss bring them, and
// they go once every hole is filled, many times over one connection. The
// bytes stay exact, no segment is dropped for want of a set (but in the
// fault pass, which fails allocations on purpose), SACK recovery still
// runs, and between transfers the connection holds no set (range_sets,
// global, back to where it was before the connection).
TEST_F(Lossy, RangeSetsComeAndGoWithTheHoles) {
  const auto sets = [] { return gt::counters_file("/proc/net/glass_sockstat").at("range_sets"); };
  const uint64_t base = sets();
  ASSERT_NO_FATAL_FAILURE(open(50, "delay 5ms reorder 25% 50% loss 3%"));
  for (int round = 0; round < 3; round++) {
    transfer_checked(link, 1 << 20, false);
    EXPECT_EQ(sets(), base) << "round " << round;
  }
  EXPECT_GT(d2("out_of_order_segments"), 0u);
  EXPECT_GT(d1("sack_recoveries"), 0u);
  EXPECT_GT(d1("sack_retrans_segs"), 0u);
  // The fault pass fails some of the sets' allocations on purpose: those
  // segments are dropped and counted, and resent.
  if (!gt::fault_pass()) {
    EXPECT_EQ(d1("drop_nomem") + d2("drop_nomem"), 0u);
  }
  const glass_info s = gt::info(link.client), r = gt::info(link.server);
  EXPECT_EQ(r.gi_bytes_received, 3u << 20);
  EXPECT_EQ(s.gi_bytes_acked, 3u << 20);
  EXPECT_EQ(r.gi_ooo, 0u);
  EXPECT_EQ(s.gi_sacked, 0u);
}

// A tail that netem still holds in this host is late, not lost: the probe
// timeout (2 RTTs of the handshake, far under netem's 200 ms) finds its
// clone alive and sends no probe, only arming the RTO (2 s here, so it
// never fires), as TCP skips a retransmission still in a host queue. The
// receiver ACKs at once (delack_ms 1): a late ACK would make a later,
// genuinely spurious probe.
TEST(TailProbe, ATailStillInThisHostIsNotProbed) {
  tt::Link link;
  tt::sysctl(link.h1(), "rto_min_ms", 2000);
  tt::sysctl(link.h2(), "delack_ms", 1);
  link.open();
  ASSERT_GE(link.server, 0);
  const StatGrowth d1(link.h1()), d2(link.h2());
  link.h1().exec([] { gt::netem_replace("ga", "delay 200ms"); });
  transfer_checked(link, 8 * 1024, false);  // several segments: PTO of 2 RTTs
  EXPECT_GE(d1("tlp_tail_in_host"), 1U) << "the probe timeout never found the tail held";
  EXPECT_EQ(d1("tlp_probes"), 0U) << "a probe was sent for a tail netem held";
  EXPECT_EQ(d1("retransmitted_segments"), 0U);
  EXPECT_EQ(d2("drop_duplicate"), 0U);
}

// A first write longer than the initial window (ten segments; 16 KiB is
// eleven and a bit) leaves as a train and, once that is ACKed, its short
// tail. The receiver ACKs more than a full segment at once, as TCP does,
// so the tail does not wait for the delayed-ACK timer (300 ms here) and
// the sender's probe timeout (two RTTs) finds nothing to probe. A receiver
// that waited for two full segments left every such tail to its timer,
// and each was probed first: a needless retransmission per connection
// (5,500-8,700 in a 10,000-connection run of glass perf).
TEST(TailProbe, AFirstWritesShortTailIsAckedBeforeAnyProbe) {
  tt::Link link;
  tt::sysctl(link.h2(), "delack_ms", 300);
  link.open();
  ASSERT_GE(link.server, 0);
  const StatGrowth d1(link.h1()), d2(link.h2());
  transfer_checked(link, 16 * 1024, false);
  // Past the delayed-ACK timer: whatever was owed has gone by now.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(d1("tlp_probes"), 0U) << "the tail was probed before its ACK came";
  EXPECT_EQ(d1("retransmitted_segments"), 0U);
  EXPECT_EQ(d2("delayed_acks"), 0U) << "the tail's ACK waited for the timer";
  EXPECT_EQ(gt::info(link.client).gi_bytes_acked, 16U * 1024);
}

TEST(Rtt, SmoothedRttFollowsPathDelay) {
  tt::Link link;
  // 50 ms one way, before the handshake, so every sample includes it.
  tt::netem(link.h1(), "ga", "delay 50ms");
  link.open();
  ASSERT_GE(link.server, 0);
  transfer_checked(link, 256 * 1024, false);
  glass_info s = gt::info(link.client);
  EXPECT_GE(s.gi_srtt_us, 50000u);
  EXPECT_GE(s.gi_rto_us, s.gi_srtt_us);
  EXPECT_GE(s.gi_rto_us, 200000u);  // never under rto_min_ms
  EXPECT_EQ(s.gi_backoff, 0u);
}

TEST(Vanish, SilentPeerEndsConnectionWithEtimedoutAfterRetries) {
  constexpr int kRetries = 3;
  tt::Link link;
  tt::sysctl(link.h1(), "retries", kRetries);
  tt::sysctl(link.h1(), "rto_min_ms", 100);
  link.open();
  ASSERT_GE(link.server, 0);
  // Some traffic first, so the RTO rests on measured RTTs.
  transfer_checked(link, 64 * 1024, false);
  const uint64_t ct0 = tt::stat(link.h1(), "connection_timeouts");
  const uint64_t to0 = tt::stat(link.h1(), "timeouts");
  const uint32_t gto0 = gt::info(link.client).gi_timeouts;
  // The peer disappears: nothing h1 sends arrives any more.
  tt::netem(link.h1(), "ga", "loss 100%");
  timeval tv{20, 0};
  ASSERT_EQ(setsockopt(link.client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
  ASSERT_EQ(write(link.client, "ping", 4), 4);
  char c;
  errno = 0;
  ssize_t r = read(link.client, &c, 1);
  int err = errno;
  EXPECT_EQ(r, -1);
  EXPECT_EQ(err, ETIMEDOUT) << strerror(err);
  glass_info s = gt::info(link.client);
  EXPECT_EQ(s.gi_state, GLASS_CLOSE);
  // Exactly `retries` timeouts retransmitted; the next one gave up.
  EXPECT_EQ(s.gi_timeouts - gto0, static_cast<uint32_t>(kRetries));
  EXPECT_EQ(tt::stat(link.h1(), "connection_timeouts"), ct0 + 1);
  EXPECT_EQ(tt::stat(link.h1(), "timeouts") - to0, uint64_t{kRetries});
  // The error is reported once; later calls see a closed connection.
  EXPECT_EQ(send(link.client, "x", 1, MSG_NOSIGNAL), -1);
  EXPECT_EQ(errno, EPIPE);
}

}  // namespace
