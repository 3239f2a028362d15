// Tests for kmod/core/rack.c: RACK's decisions (RFC 8985 section 6.2) on
// timelines worked out by hand from the RFC: a segment is lost once a
// segment sent after it was delivered and RACK.rtt + reo_wnd have passed
// since it was sent; reo_wnd is min_RTT / 4 (0 in recovery or after
// DupThresh SACKs until reordering is seen), grows by one min_RTT / 4 per
// round with a D-SACK and is never above SRTT.

#include <gtest/gtest.h>

#include <cstdint>

extern "C" {
#include "rack.h"
}

namespace {

constexpr uint64_t kMs = 1000;  // microseconds

class Rack : public ::testing::Test {
 protected:
  void SetUp() override { glass_rack_init(&r_); }

  // A segment delivered (ACKed or SACKed) at now.
  bool Deliver(uint64_t xmit_ms, uint32_t end, bool rexmit, uint64_t now_ms) {
    return glass_rack_update(&r_, xmit_ms * kMs, end, rexmit, now_ms * kMs);
  }

  glass_rack_verdict Check(uint64_t xmit_ms, uint32_t end, uint32_t reo_us, uint64_t now_ms,
                           uint32_t* wait = nullptr) {
    uint32_t w = 0;
    glass_rack_verdict v = glass_rack_check(&r_, xmit_ms * kMs, end, reo_us, now_ms * kMs, &w);
    if (wait != nullptr) {
      *wait = w;
    }
    return v;
  }

  glass_rack r_{};
};

// RACK_sent_after(): the later time, or at the same time the higher end.
TEST_F(Rack, SentAfterOrdersByTimeThenSequence) {
  EXPECT_TRUE(glass_rack_sent_after(2, 100, 1, 200));
  EXPECT_FALSE(glass_rack_sent_after(1, 200, 2, 100));
  EXPECT_TRUE(glass_rack_sent_after(5, 2001, 5, 1001));
  EXPECT_FALSE(glass_rack_sent_after(5, 1001, 5, 2001));
  EXPECT_FALSE(glass_rack_sent_after(5, 1001, 5, 1001));
  // Sequence comparison wraps.
  EXPECT_TRUE(glass_rack_sent_after(5, 10, 5, 0xfffffff0u));
}

// The socket's clock (glass_clock_refresh()) takes a CPU clock that is
// ahead as it is.
TEST_F(Rack, ClockFollowsACpuClockAhead) {
  EXPECT_EQ(glass_clock_next(1000, 1500), 1500U);
}

// A CPU clock behind the socket's (its work moved to another CPU) or equal
// to it still moves the socket's clock on, a microsecond per reading: a
// hole resent in a later event then counts as sent after a segment above
// it that left an event before, where a tie would have put it before.
TEST_F(Rack, ClockMovesOnWhenTheCpuClockIsBehind) {
  uint64_t clock = 5000;
  const uint64_t segment_above = clock;  // a segment ending at 2000 leaves
  for (const uint64_t cpu : {4000U, 4000U, 5000U}) {
    const uint64_t next = glass_clock_next(clock, cpu);
    EXPECT_GT(next, clock) << cpu;
    clock = next;
  }
  EXPECT_EQ(clock, 5003U);
  EXPECT_TRUE(glass_rack_sent_after(clock, 1000, segment_above, 2000));
  EXPECT_FALSE(glass_rack_sent_after(segment_above, 1000, segment_above, 2000));
}

// Nothing delivered yet: RACK has no opinion on any segment.
TEST_F(Rack, NothingDeliveredNothingLost) {
  EXPECT_EQ(Check(0, 1001, 0, 10000), GLASS_RACK_LATER);
}

// RFC 8985 section 3.3.1's idea: P1 and P2 sent at 0 ms, P2 delivered at
// 100 ms (RTT 100 ms). P1, sent before P2, is lost once 100 ms + reo_wnd
// have passed since it left: with reo_wnd = min_RTT / 4 = 25 ms, at 125 ms.
TEST_F(Rack, SegmentSentBeforeADeliveredOneIsLostAfterRttPlusReoWnd) {
  EXPECT_TRUE(Deliver(0, 2001, false, 100));
  EXPECT_EQ(r_.rtt_us, 100 * kMs);
  EXPECT_EQ(r_.min_rtt_us, 100 * kMs);
  uint32_t reo = glass_rack_reo_wnd(&r_, 100 * kMs, false, 1);
  EXPECT_EQ(reo, 25 * kMs);
  uint32_t wait = 0;
  EXPECT_EQ(Check(0, 1001, reo, 100, &wait), GLASS_RACK_WAIT);
  EXPECT_EQ(wait, 25 * kMs);
  EXPECT_EQ(Check(0, 1001, reo, 124, &wait), GLASS_RACK_WAIT);
  EXPECT_EQ(wait, 1 * kMs);
  EXPECT_EQ(Check(0, 1001, reo, 125), GLASS_RACK_LOST);
  // P3, sent after P2, is not judged by P2's delivery.
  EXPECT_EQ(Check(0, 3001, reo, 500), GLASS_RACK_LATER);
  EXPECT_EQ(Check(1, 1001, reo, 500), GLASS_RACK_LATER);
}

// The lost retransmission (RFC 8985 section 3.3.3 / 6.2): P1 lost, resent
// as R1 at 200 ms; P5 sent at 210 ms is SACKed at 310 ms (RACK.rtt 100
// ms). R1 was sent before P5, so it is lost at R1's time + RACK.rtt +
// reo_wnd = 200 + 100 + 0 (in recovery, no reordering seen) = 300 ms,
// already past at 310 ms: no RTO needed to find it.
TEST_F(Rack, LostRetransmissionIsDetectedWithoutTimeout) {
  EXPECT_TRUE(Deliver(0, 2001, false, 100));    // P2 SACKed
  EXPECT_TRUE(Deliver(210, 5001, false, 310));  // P5 SACKed
  EXPECT_EQ(r_.rtt_us, 100 * kMs);
  uint32_t reo = glass_rack_reo_wnd(&r_, 100 * kMs, true, 4);
  EXPECT_EQ(reo, 0u);
  EXPECT_EQ(Check(200, 1001, reo, 310), GLASS_RACK_LOST);
  // Had R1 left at 215 ms, after P5, P5's delivery says nothing about it.
  EXPECT_EQ(Check(215, 1001, reo, 310), GLASS_RACK_LATER);
}

// Step 2: a retransmitted segment ACKed sooner than min_RTT after it was
// resent is ambiguous (the original's ACK): it does not move RACK.
TEST_F(Rack, AmbiguousRetransmissionSampleIsIgnored) {
  EXPECT_TRUE(Deliver(0, 1001, false, 100));    // min_RTT 100 ms
  EXPECT_FALSE(Deliver(150, 2001, true, 160));  // 10 ms: ambiguous
  EXPECT_EQ(r_.xmit_us, 0u);
  EXPECT_EQ(r_.end_seq, 1001u);
  EXPECT_TRUE(Deliver(150, 2001, true, 260));  // 110 ms: a real sample
  EXPECT_EQ(r_.xmit_us, 150 * kMs);
  EXPECT_EQ(r_.rtt_us, 110 * kMs);
  // Retransmissions never lower min_RTT (Karn), originals do.
  EXPECT_EQ(r_.min_rtt_us, 100 * kMs);
  EXPECT_TRUE(Deliver(300, 3001, false, 380));
  EXPECT_EQ(r_.min_rtt_us, 80 * kMs);
}

// RACK keeps the most recently sent delivered segment: an older one
// delivered later (reordering) does not move it back.
TEST_F(Rack, ReferenceIsTheLatestSentDelivered) {
  EXPECT_TRUE(Deliver(10, 3001, false, 110));
  EXPECT_FALSE(Deliver(0, 1001, false, 120));
  EXPECT_EQ(r_.xmit_us, 10 * kMs);
  EXPECT_EQ(r_.end_seq, 3001u);
  EXPECT_EQ(r_.rtt_us, 100 * kMs);
}

// Step 3: a never-retransmitted segment delivered below RACK.fack means
// the network reordered; a retransmitted one below fack does not.
TEST_F(Rack, ReorderingSeenOnlyForOriginalsBelowFack) {
  Deliver(0, 3001, false, 100);
  Deliver(0, 2001, true, 200);
  EXPECT_FALSE(r_.reordering_seen);
  Deliver(0, 3001, false, 200);  // at fack, not below
  EXPECT_FALSE(r_.reordering_seen);
  Deliver(0, 1001, false, 110);
  EXPECT_TRUE(r_.reordering_seen);
}

// Step 4: until reordering is seen the window is 0 in recovery and once
// DupThresh (3) segments are SACKed; otherwise min_RTT / 4.
TEST_F(Rack, ReoWndZeroInRecoveryOrAfterDupThreshUntilReordering) {
  Deliver(0, 2001, false, 40);  // min_RTT 40 ms
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 50 * kMs, false, 2), 10 * kMs);
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 50 * kMs, false, 3), 0u);
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 50 * kMs, true, 0), 0u);
  Deliver(0, 1001, false, 41);  // reordered
  ASSERT_TRUE(r_.reordering_seen);
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 50 * kMs, false, 3), 10 * kMs);
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 50 * kMs, true, 10), 10 * kMs);
}

// Without a min_RTT sample yet (only the handshake measured), SRTT stands
// in for it.
TEST_F(Rack, ReoWndUsesSrttBeforeAnyMinRtt) {
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 100 * kMs, false, 1), 25 * kMs);
}

// Step 4: each round with a D-SACK adds min_RTT / 4 (once per round: the
// round ends when snd_una reaches the snd_nxt at its first D-SACK); the
// window never exceeds SRTT, and the multiplier is bounded.
TEST_F(Rack, DsackWidensOncePerRoundBoundedBySrtt) {
  Deliver(0, 1001, false, 40);  // min_RTT 40 ms
  glass_rack_dsack(&r_, 1001, 9001, true);
  EXPECT_EQ(r_.reo_wnd_mult, 2u);
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 100 * kMs, false, 1), 20 * kMs);
  glass_rack_dsack(&r_, 5001, 12001, true);  // same round: no change
  EXPECT_EQ(r_.reo_wnd_mult, 2u);
  glass_rack_dsack(&r_, 9001, 12001, false);  // round over
  glass_rack_dsack(&r_, 9001, 15001, true);
  EXPECT_EQ(r_.reo_wnd_mult, 3u);
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 100 * kMs, false, 1), 30 * kMs);
  // Bounded by SRTT.
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 25 * kMs, false, 1), 25 * kMs);
  for (uint32_t round = 0; round < 100; round++) {
    uint32_t una = 20000 + (round * 1000);
    glass_rack_dsack(&r_, una, una + 500, true);
  }
  EXPECT_EQ(r_.reo_wnd_mult, static_cast<uint32_t>(GLASS_RACK_REO_MULT_MAX));
  EXPECT_EQ(glass_rack_reo_wnd(&r_, 1000 * kMs, false, 1), GLASS_RACK_REO_MULT_MAX * 10 * kMs);
}

// Step 4: after 16 recoveries without a D-SACK the window resets to one
// min_RTT / 4; a D-SACK restarts the count.
TEST_F(Rack, WindowResetsAfterSixteenDsackFreeRecoveries) {
  Deliver(0, 1001, false, 40);
  glass_rack_dsack(&r_, 1001, 2001, true);
  ASSERT_EQ(r_.reo_wnd_mult, 2u);
  for (int i = 0; i < 15; i++) {
    glass_rack_recovery_done(&r_);
  }
  EXPECT_EQ(r_.reo_wnd_mult, 2u);
  glass_rack_recovery_done(&r_);
  EXPECT_EQ(r_.reo_wnd_mult, 1u);
  glass_rack_dsack(&r_, 2001, 3001, true);
  EXPECT_EQ(r_.reo_wnd_mult, 2u);
  EXPECT_EQ(r_.reo_wnd_persist, 16u);
}

// Ties in transmission time: segments of one train leave together, and
// the lower sequence counts as sent first (RACK_sent_after()).
TEST_F(Rack, SameTimeLowerSequenceCountsAsEarlier) {
  Deliver(50, 4001, false, 150);
  EXPECT_EQ(Check(50, 2001, 0, 150), GLASS_RACK_LOST);
  EXPECT_EQ(Check(50, 5001, 0, 150), GLASS_RACK_LATER);
}

// A cumulative ACK delivers what it covers, not the segment it stops at.
// P1 (1-1001) and P2 (1001-2001) were sent at 0 ms, P3 (2001-3001) at 5 ms
// and P2 resent as R2 at 10 ms. The ACK of 1001 arrives at 40 ms: it
// delivered P1 (RACK.rtt 40 ms, reference sent at 0 ms), not R2, where it
// stops. Were R2 the reference (as the write queue's walk once made it),
// RACK.rtt would be 30 ms, and P3, sent 5 ms before R2 and still in
// flight, would be lost at 35 ms: a needless retransmission.
TEST_F(Rack, CumulativeAckDoesNotDeliverTheSegmentItStopsAt) {
  EXPECT_TRUE(glass_rack_cum_ack(&r_, 0, 1, 1001, 1001, false, 40 * kMs));
  EXPECT_FALSE(glass_rack_cum_ack(&r_, 10 * kMs, 1001, 2001, 1001, true, 40 * kMs));
  EXPECT_EQ(r_.xmit_us, 0u);
  EXPECT_EQ(r_.end_seq, 1001u);
  EXPECT_EQ(r_.rtt_us, 40 * kMs);
  EXPECT_EQ(Check(5, 3001, 0, 40), GLASS_RACK_LATER);
}

// A cumulative ACK inside a segment delivered its first part: that part
// becomes the reference, ending at the ACK.
TEST_F(Rack, CumulativeAckInsideASegmentDeliversItsHead) {
  EXPECT_TRUE(glass_rack_cum_ack(&r_, 3 * kMs, 1, 3001, 1501, false, 23 * kMs));
  EXPECT_EQ(r_.xmit_us, 3 * kMs);
  EXPECT_EQ(r_.end_seq, 1501u);
  EXPECT_EQ(r_.rtt_us, 20 * kMs);
  // Wrapping sequence numbers: the ACK just past the wrap covers the head.
  EXPECT_TRUE(glass_rack_cum_ack(&r_, 4 * kMs, 0xfffffc00u, 0x200u, 0x100u, false, 24 * kMs));
  EXPECT_EQ(r_.end_seq, 0x100u);
  // An ACK at or before the segment's first byte delivers nothing.
  EXPECT_FALSE(glass_rack_cum_ack(&r_, 9 * kMs, 0x200u, 0x600u, 0x200u, false, 30 * kMs));
  EXPECT_FALSE(glass_rack_cum_ack(&r_, 9 * kMs, 0x200u, 0x600u, 0x100u, false, 30 * kMs));
  EXPECT_EQ(r_.end_seq, 0x100u);
}

}  // namespace
