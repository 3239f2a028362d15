// Segmentation of small writes: Nagle's algorithm, GLASS_NODELAY,
// GLASS_CORK and its 200 ms ceiling, GLASS_MAXSEG, and the delayed ACK
// that makes Nagle wait. The receiver's delayed-ACK timer is raised to
// 500 ms so "while the first segment is unacknowledged" is a wide window,
// and the sender's RTO floor to 3 s so no retransmission races the ACK.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "transfer.hpp"

namespace {

// The packet tap's copy of a frame is allocated in the sending thread, so
// in the fault-injection pass (GLASS_FAULT=1) the tap can miss frames the
// kernel did send: there it may see fewer, never more.
void expect_tap_saw(uint64_t tapped, uint64_t sent) {
  if (gt::fault_pass())
    EXPECT_LE(tapped, sent);
  else
    EXPECT_EQ(tapped, sent);
}

constexpr int kDelackMs = 500;

// The suite's tests share one pair of namespaces, one connection each.
class Small : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pair_ = new gt::Pair;
    tt::sysctl(pair_->h2(), "delack_ms", kDelackMs);
    tt::sysctl(pair_->h1(), "rto_min_ms", 3000);
  }
  static void TearDownTestSuite() {
    delete pair_;
    pair_ = nullptr;
  }
  void open(tt::Options o = {}) {
    link.open(o);
    ASSERT_GE(link.server, 0);
  }
  uint64_t data_segs() { return gt::info(link.client).gi_data_segs_out; }
  void write_str(const std::string& s) {
    ASSERT_EQ(write(link.client, s.data(), s.size()), static_cast<ssize_t>(s.size()));
  }
  std::string read_n(size_t n) {
    std::string s(n, '\0');
    EXPECT_TRUE(gt::read_all(link.server, s.data(), n));
    return s;
  }
  // Sends bytes of pattern to the server, all read back and ACKed, then
  // reads what cap saw of it.
  void send_and_capture(tt::Capture& cap, uint64_t pattern, uint64_t bytes) {
    ASSERT_TRUE(tt::send_pattern(link.client, pattern, bytes));
    std::string why;
    EXPECT_TRUE(tt::recv_pattern(link.server, pattern, bytes, &why)) << why;
    ASSERT_TRUE(tt::wait_all_acked(link.client));
    cap.drain();
  }
  static gt::Pair* pair_;
  tt::Link link{*pair_};
};

gt::Pair* Small::pair_ = nullptr;

TEST_F(Small, NagleSendsFirstByteAloneAndCoalescesTheRest) {
  ASSERT_NO_FATAL_FAILURE(open());
  const uint64_t d0 = data_segs();
  write_str("a");
  ASSERT_TRUE(gt::wait_until([&] { return gt::info(link.server).gi_unread == 1; }));
  // The receiver owes an ACK and delays it; meanwhile nine more bytes come.
  for (char c : std::string("bcdefghij")) write_str(std::string(1, c));
  glass_info s = gt::info(link.client);
  EXPECT_EQ(s.gi_data_segs_out - d0, 1u);
  EXPECT_EQ(s.gi_unacked, 1u);
  EXPECT_EQ(s.gi_unsent, 9u);
  EXPECT_EQ(s.gi_nagle_held, 9u);
  // The delayed ACK releases the nine bytes as one segment.
  ASSERT_TRUE(tt::wait_all_acked(link.client, 5000));
  EXPECT_EQ(data_segs() - d0, 2u);
  EXPECT_EQ(read_n(10), "abcdefghij");
  EXPECT_EQ(gt::info(link.server).gi_data_segs_in, 2u);
}

TEST_F(Small, NodelaySendsEveryWriteAtOnce) {
  tt::Options o;
  o.client_nodelay = true;
  ASSERT_NO_FATAL_FAILURE(open(o));
  const uint64_t d0 = data_segs();
  for (char c : std::string("abcdefghij")) write_str(std::string(1, c));
  glass_info s = gt::info(link.client);
  EXPECT_EQ(s.gi_nodelay, 1);
  EXPECT_EQ(s.gi_unsent, 0u);
  EXPECT_EQ(s.gi_nagle_held, 0u);
  EXPECT_EQ(s.gi_data_segs_out - d0, 10u);
  ASSERT_TRUE(tt::wait_all_acked(link.client, 5000));
  EXPECT_EQ(data_segs() - d0, 10u);
  EXPECT_EQ(read_n(10), "abcdefghij");
  EXPECT_EQ(gt::info(link.server).gi_data_segs_in, 10u);
}

TEST_F(Small, NodelaySetLaterPushesWhatNagleHolds) {
  ASSERT_NO_FATAL_FAILURE(open());
  const uint64_t d0 = data_segs();
  write_str("a");
  ASSERT_TRUE(gt::wait_until([&] { return gt::info(link.server).gi_unread == 1; }));
  write_str("bc");
  ASSERT_EQ(gt::info(link.client).gi_nagle_held, 2u);
  tt::set_int(link.client, SOL_GLASS, GLASS_NODELAY, 1);
  glass_info s = gt::info(link.client);
  EXPECT_EQ(s.gi_unsent, 0u);
  EXPECT_EQ(s.gi_data_segs_out - d0, 2u);
  EXPECT_EQ(read_n(3), "abc");
}

TEST_F(Small, CorkHoldsWritesUntilUncork) {
  ASSERT_NO_FATAL_FAILURE(open());
  const uint64_t d0 = data_segs();
  tt::set_int(link.client, SOL_GLASS, GLASS_CORK, 1);
  std::string msg;
  for (char c : std::string("xyz")) {
    std::string part(100, c);
    write_str(part);
    msg += part;
  }
  glass_info s = gt::info(link.client);
  EXPECT_EQ(s.gi_cork, 1);
  EXPECT_EQ(s.gi_unsent, 300u);
  EXPECT_EQ(s.gi_nagle_held, 300u);
  EXPECT_EQ(s.gi_data_segs_out - d0, 0u);
  tt::set_int(link.client, SOL_GLASS, GLASS_CORK, 0);
  s = gt::info(link.client);
  EXPECT_EQ(s.gi_unsent, 0u);
  EXPECT_EQ(s.gi_data_segs_out - d0, 1u);
  ASSERT_TRUE(tt::wait_all_acked(link.client, 5000));
  EXPECT_EQ(data_segs() - d0, 1u);
  EXPECT_EQ(read_n(300), msg);
}

TEST_F(Small, CorkCeilingSendsHeldBytesWithoutUncork) {
  ASSERT_NO_FATAL_FAILURE(open());
  const uint64_t d0 = data_segs();
  tt::set_int(link.client, SOL_GLASS, GLASS_CORK, 1);
  std::string msg;
  for (char c : std::string("xyz")) {
    std::string part(100, c);
    write_str(part);
    msg += part;
  }
  ASSERT_EQ(gt::info(link.client).gi_nagle_held, 300u);
  // 200 ms after corking the held bytes leave on their own, as one segment.
  EXPECT_TRUE(gt::wait_until([&] { return gt::info(link.client).gi_unsent == 0; }, 2000));
  glass_info s = gt::info(link.client);
  EXPECT_EQ(s.gi_cork, 1);
  EXPECT_EQ(s.gi_data_segs_out - d0, 1u);
  EXPECT_EQ(read_n(300), msg);
}

// Data memory kept back, with nothing in flight, leaves on a timer (TCP's
// tcp_check_probe_timer()): the writer may be done and no ACK is coming to
// push it. A segment's worth is queued unpushed (MSG_MORE), cork is set
// and the MSS lowered, so that the next push must cut the skb before it
// sends (Nagle holds the tail); that push's first slab allocation fails.
TEST_F(Small, DataKeptBackByMemoryLeavesOnATimer) {
  if (!gt::FailNextSlab::available())
    GTEST_SKIP() << "needs failslab (the debug kernel: make test-debug)";
  ASSERT_NO_FATAL_FAILURE(open());
  const uint32_t mss = gt::info(link.client).gi_mss;
  const std::string msg(mss, 'k');
  ASSERT_EQ(send(link.client, msg.data(), msg.size(), MSG_MORE), static_cast<ssize_t>(mss));
  tt::set_int(link.client, SOL_GLASS, GLASS_CORK, 1);
  tt::set_int(link.client, SOL_GLASS, GLASS_MAXSEG, 536);
  const uint64_t d0 = data_segs();
  ASSERT_EQ(gt::info(link.client).gi_unsent, mss);
  bool failed = false;
  {
    gt::FailNextSlab fail;
    ASSERT_EQ(send(link.client, msg.data(), 0, 0), 0);
    failed = fail.release();
  }
  ASSERT_TRUE(failed) << "no allocation failed in the push";
  glass_info s = gt::info(link.client);
  ASSERT_EQ(s.gi_unsent, mss) << "sent although the push failed";
  ASSERT_EQ(s.gi_data_segs_out, d0);
  // The persist timer (one RTO: the suite's 3 s floor) pushes again, and
  // the bytes leave as data, not as a window probe: the window is open.
  ASSERT_TRUE(gt::wait_until([&] { return gt::info(link.server).gi_unread == mss; }, 10000))
      << "the kept-back data never left";
  EXPECT_EQ(read_n(mss), msg);
  s = gt::info(link.client);
  EXPECT_EQ(s.gi_unsent, 0u);
  EXPECT_GT(s.gi_data_segs_out, d0);
  EXPECT_EQ(s.gi_probes, 0u);
  EXPECT_TRUE(tt::wait_all_acked(link.client, 5000));
}

TEST_F(Small, DelayedAckIsPendingThenSentByTimer) {
  ASSERT_NO_FATAL_FAILURE(open());
  const uint64_t da0 = tt::stat(link.h2(), "delayed_acks");
  write_str("hello");
  ASSERT_TRUE(gt::wait_until([&] { return gt::info(link.server).gi_unread == 5; }));
  // Arrived, not yet acknowledged: the receiver holds a pending delayed ACK.
  glass_info r = gt::info(link.server);
  EXPECT_TRUE(r.gi_delack & GLASS_DELACK_PENDING) << "gi_delack " << int{r.gi_delack};
  EXPECT_EQ(gt::info(link.client).gi_unacked, 5u);
  // The delayed-ACK timer sends it.
  ASSERT_TRUE(tt::wait_all_acked(link.client, 5000));
  EXPECT_FALSE(gt::info(link.server).gi_delack & GLASS_DELACK_PENDING);
  EXPECT_EQ(tt::stat(link.h2(), "delayed_acks"), da0 + 1);
  EXPECT_EQ(read_n(5), "hello");
}

TEST_F(Small, TwoFullSegmentsAreAckedAtOnce) {
  ASSERT_NO_FATAL_FAILURE(open());
  const uint64_t da0 = tt::stat(link.h2(), "delayed_acks");
  const uint32_t mss = gt::info(link.client).gi_mss;
  std::vector<uint8_t> buf(2 * mss);
  tt::pattern_fill(3, 0, buf.data(), buf.size());
  ASSERT_TRUE(gt::write_all(link.client, buf.data(), buf.size()));
  // Two full segments unacknowledged: the receiver ACKs without its timer
  // (well before the 500 ms delayed-ACK timeout could have fired).
  ASSERT_TRUE(tt::wait_all_acked(link.client, 5000));
  EXPECT_EQ(tt::stat(link.h2(), "delayed_acks"), da0);
  std::string why;
  EXPECT_TRUE(tt::recv_pattern(link.server, 3, buf.size(), &why)) << why;
}

TEST_F(Small, MaxsegLimitsEveryDataSegment) {
  constexpr int kMaxseg = 500;
  constexpr uint64_t kBytes = 64 * 1024;
  tt::Options o;
  o.client_maxseg = kMaxseg;
  ASSERT_NO_FATAL_FAILURE(open(o));
  glass_info s = gt::info(link.client);
  EXPECT_EQ(s.gi_mss, static_cast<uint32_t>(kMaxseg));
  int v = 0;
  socklen_t len = sizeof(v);
  ASSERT_EQ(getsockopt(link.client, SOL_GLASS, GLASS_MAXSEG, &v, &len), 0);
  EXPECT_EQ(v, kMaxseg);
  tt::Capture cap(link.h1(), "ga");
  const uint64_t d0 = s.gi_data_segs_out;
  ASSERT_NO_FATAL_FAILURE(send_and_capture(cap, 9, kBytes));
  s = gt::info(link.client);
  const uint64_t min_segs = (kBytes + kMaxseg - 1) / kMaxseg;
  EXPECT_GE(s.gi_data_segs_out - d0, min_segs);
  EXPECT_EQ(cap.max_seg_out, static_cast<uint64_t>(kMaxseg));
  expect_tap_saw(cap.data_segs_out, s.gi_data_segs_out - d0);
  // 64 KiB with room to spare: some frames carried trains of segments.
  EXPECT_LT(cap.data_frames_out, cap.data_segs_out);
}

TEST_F(Small, GsoMaxSegsOneSendsOneSegmentPerFrame) {
  constexpr uint64_t kBytes = 64 * 1024;
  // The connection reads the device's limit when it is made.
  link.h1().run("/usr/sbin/ip link set ga gso_max_segs 1");
  ASSERT_NO_FATAL_FAILURE(open());
  link.h1().run("/usr/sbin/ip link set ga gso_max_segs 65535");
  tt::Capture cap(link.h1(), "ga");
  const glass_info s0 = gt::info(link.client);
  ASSERT_NO_FATAL_FAILURE(send_and_capture(cap, 11, kBytes));
  const glass_info s = gt::info(link.client);
  EXPECT_EQ(cap.data_frames_out, cap.data_segs_out);
  expect_tap_saw(cap.data_segs_out, s.gi_data_segs_out - s0.gi_data_segs_out);
  EXPECT_GE(s.gi_data_segs_out - s0.gi_data_segs_out, (kBytes + s.gi_mss - 1) / s.gi_mss);
  EXPECT_EQ(cap.max_seg_out, uint64_t{s.gi_mss});
}

}  // namespace
