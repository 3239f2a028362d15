// Tests for kmod/core/cc.c: slow start, congestion avoidance and NewReno
// fast retransmit / fast recovery (RFC 5681, RFC 6582).

#include <gtest/gtest.h>

#include <cstdint>

extern "C" {
#include "cc.h"
}

namespace {

constexpr uint32_t kMss = 1000;
constexpr uint32_t kIsn1 = 1;  // first data byte
constexpr uint32_t kCwndMax = 1u << 30;

glass_cc Fresh(uint32_t snd_nxt = kIsn1) {
  glass_cc cc{};
  glass_cc_init(&cc, kMss, snd_nxt);
  return cc;
}

// A fresh connection that agreed to SACK (RFC 6675 recovery).
glass_cc FreshSack() {
  glass_cc cc = Fresh();
  cc.sack = true;
  return cc;
}

// A connection in congestion avoidance with cwnd = ssthresh = 10 MSS.
glass_cc InAvoidance() {
  glass_cc cc = Fresh();
  cc.ssthresh = 10 * kMss;
  return cc;
}

// Three duplicates with 20 segments in flight from snd_una 1: recovery,
// ssthresh 10 MSS, cwnd 13 MSS, recover 20001.
glass_cc InRecovery() {
  glass_cc cc = Fresh();
  cc.cwnd = 20 * kMss;
  for (int i = 0; i < 3; i++) {
    glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss);
  }
  return cc;
}

TEST(Cc, InitSetsInitialWindowAndInfiniteSsthresh) {
  const glass_cc cc = Fresh();
  EXPECT_EQ(cc.cwnd, GLASS_CC_IW_SEGS * kMss);
  EXPECT_EQ(cc.ssthresh, GLASS_CC_SSTHRESH_INF);
  EXPECT_EQ(cc.mss, kMss);
  EXPECT_EQ(cc.dupacks, 0u);
  EXPECT_FALSE(cc.in_recovery);
  EXPECT_EQ(cc.acked_acc, 0u);
}

TEST(Cc, InitRecoverIsOneBeforeFirstByte) {
  EXPECT_EQ(Fresh(5000).recover, 4999u);
  EXPECT_EQ(Fresh(0).recover, 0xffffffffu);
}

TEST(Cc, InitZeroMssTakenAsOne) {
  glass_cc cc{};
  glass_cc_init(&cc, 0, 1);
  EXPECT_EQ(cc.mss, 1u);
  EXPECT_EQ(cc.cwnd, GLASS_CC_IW_SEGS);
}

TEST(Cc, InitHugeMssCapsCwnd) {
  glass_cc cc{};
  glass_cc_init(&cc, 0xffffffffu, 1);
  EXPECT_EQ(cc.cwnd, kCwndMax);
}

// A route's initcwnd (`ip route ... initcwnd N`) replaces the ten
// segments; 0 keeps them; a huge one is capped like any window.
TEST(Cc, InitWindowTakesTheRoutesSegments) {
  glass_cc cc = Fresh();
  glass_cc_init_window(&cc, 20);
  EXPECT_EQ(cc.cwnd, 20 * kMss);
  EXPECT_EQ(cc.prior_cwnd, 20 * kMss) << "an undo goes back to it";
  EXPECT_EQ(cc.cubic.origin, 20 * kMss);
  glass_cc unchanged = Fresh();
  glass_cc_init_window(&unchanged, 0);
  EXPECT_EQ(unchanged.cwnd, GLASS_CC_IW_SEGS * kMss);
  glass_cc huge = Fresh();
  glass_cc_init_window(&huge, 0xffffffffu);
  EXPECT_EQ(huge.cwnd, kCwndMax);
}

TEST(Cc, OnAckSlowStartGrowsByAcked) {
  glass_cc cc = Fresh();
  EXPECT_EQ(glass_cc_on_ack(&cc, 501, 500, 10 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(cc.cwnd, (10 * kMss) + 500);
}

TEST(Cc, OnAckSlowStartCountsEveryAckedByte) {
  // One ACK per frame, and a frame may carry a train: no one-MSS cap.
  glass_cc cc = Fresh();
  glass_cc_on_ack(&cc, 5001, 5000, 10 * kMss);
  EXPECT_EQ(cc.cwnd, (10 * kMss) + 5000);
}

TEST(Cc, OnAckSlowStartStopsAtSsthresh) {
  glass_cc cc = Fresh();
  cc.ssthresh = 12 * kMss;
  glass_cc_on_ack(&cc, 5001, 5000, 10 * kMss);
  EXPECT_EQ(cc.cwnd, 12 * kMss);
  EXPECT_EQ(cc.acked_acc, 0u);
}

TEST(Cc, OnAckSlowStartDoublesPerRound) {
  glass_cc cc = Fresh();
  uint32_t una = kIsn1;
  for (int i = 0; i < 10; i++) {
    una += kMss;
    glass_cc_on_ack(&cc, una, kMss, cc.cwnd);
  }
  EXPECT_EQ(cc.cwnd, 20 * kMss);
}

TEST(Cc, OnAckAtSsthreshIsAvoidance) {
  glass_cc cc = InAvoidance();
  glass_cc_on_ack(&cc, 1001, kMss, 10 * kMss);
  EXPECT_EQ(cc.cwnd, 10 * kMss);
  EXPECT_EQ(cc.acked_acc, kMss);
}

TEST(Cc, OnAckAvoidanceGrowsOneMssPerWindow) {
  glass_cc cc = InAvoidance();
  uint32_t una = kIsn1;
  for (int i = 0; i < 9; i++) {
    una += kMss;
    glass_cc_on_ack(&cc, una, kMss, 10 * kMss);
    ASSERT_EQ(cc.cwnd, 10 * kMss) << i;
  }
  glass_cc_on_ack(&cc, una + kMss, kMss, 10 * kMss);
  EXPECT_EQ(cc.cwnd, 11 * kMss);
  EXPECT_EQ(cc.acked_acc, 0u);
}

TEST(Cc, OnAckAvoidanceCarriesRemainder) {
  glass_cc cc = InAvoidance();
  glass_cc_on_ack(&cc, 10501, 10500, 12 * kMss);
  EXPECT_EQ(cc.cwnd, 11 * kMss);
  EXPECT_EQ(cc.acked_acc, 500u);
}

TEST(Cc, OnAckAvoidanceHugeAckGrowsSeveralSteps) {
  glass_cc cc = InAvoidance();
  // 10000 + 11000 + 12000 = 33000 acked: three steps, 1000 left over.
  glass_cc_on_ack(&cc, 34001, 34000, 40 * kMss);
  EXPECT_EQ(cc.cwnd, 13 * kMss);
  EXPECT_EQ(cc.acked_acc, 1000u);
}

TEST(Cc, OnAckSlowStartToAvoidanceTransition) {
  glass_cc cc = Fresh();
  cc.ssthresh = 12 * kMss;
  glass_cc_on_ack(&cc, 1001, kMss, 10 * kMss);
  glass_cc_on_ack(&cc, 2001, kMss, 10 * kMss);
  EXPECT_EQ(cc.cwnd, 12 * kMss);  // slow start reached ssthresh
  glass_cc_on_ack(&cc, 3001, kMss, 10 * kMss);
  EXPECT_EQ(cc.cwnd, 12 * kMss);  // now linear
  EXPECT_EQ(cc.acked_acc, kMss);
}

TEST(Cc, OnAckResetsDupacks) {
  glass_cc cc = Fresh();
  glass_cc_on_dupack(&cc, 1, 10001, 10 * kMss);
  glass_cc_on_dupack(&cc, 1, 10001, 10 * kMss);
  glass_cc_on_ack(&cc, 1001, kMss, 10 * kMss);
  EXPECT_EQ(cc.dupacks, 0u);
  // Two more duplicates do not make a third.
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1001, 10001, 9 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1001, 10001, 9 * kMss), GLASS_CC_NONE);
  EXPECT_FALSE(cc.in_recovery);
}

TEST(Cc, OnAckPartialRetransmitsAndDeflates) {
  glass_cc cc = InRecovery();
  ASSERT_EQ(cc.cwnd, 13 * kMss);
  EXPECT_EQ(glass_cc_on_ack(&cc, 3001, 3000, 20 * kMss), GLASS_CC_RETRANSMIT);
  EXPECT_TRUE(cc.in_recovery);
  EXPECT_EQ(cc.cwnd, (13 * kMss) - 3000 + kMss);
}

TEST(Cc, OnAckPartialAddsBackMssOnlyWhenMssAcked) {
  glass_cc cc = InRecovery();
  EXPECT_EQ(glass_cc_on_ack(&cc, 501, 500, 20 * kMss), GLASS_CC_RETRANSMIT);
  EXPECT_EQ(cc.cwnd, (13 * kMss) - 500);
}

TEST(Cc, OnAckPartialNeverBelowOneMss) {
  glass_cc cc = InRecovery();
  EXPECT_EQ(glass_cc_on_ack(&cc, 19001, 19000, 20 * kMss), GLASS_CC_RETRANSMIT);
  EXPECT_EQ(cc.cwnd, kMss);
  cc.cwnd = 100;
  EXPECT_EQ(glass_cc_on_ack(&cc, 19501, 500, 1000), GLASS_CC_RETRANSMIT);
  EXPECT_EQ(cc.cwnd, kMss);
}

TEST(Cc, OnAckFullExitsRecoveryWithFlightPlusMss) {
  glass_cc cc = InRecovery();
  // 20 MSS outstanding, the ACK covers 18: max(2 MSS, MSS) + MSS = 3 MSS.
  EXPECT_EQ(glass_cc_on_ack(&cc, 20001, 18 * kMss, 20 * kMss), GLASS_CC_NONE);
  EXPECT_FALSE(cc.in_recovery);
  EXPECT_EQ(cc.cwnd, 3 * kMss);
  EXPECT_EQ(cc.ssthresh, 10 * kMss);
  EXPECT_EQ(cc.dupacks, 0u);
}

TEST(Cc, OnAckFullStartsAvoidanceCreditAfresh) {
  glass_cc cc = InRecovery();
  cc.acked_acc = 900;
  glass_cc_on_ack(&cc, 20001, 18 * kMss, 20 * kMss);
  EXPECT_EQ(cc.acked_acc, 0u);
}

TEST(Cc, OnAckFullWithNothingLeftGivesTwoMss) {
  glass_cc cc = InRecovery();
  glass_cc_on_ack(&cc, 20001, 20 * kMss, 20 * kMss);
  EXPECT_EQ(cc.cwnd, 2 * kMss);
}

TEST(Cc, OnAckFullCappedAtSsthresh) {
  glass_cc cc = InRecovery();
  // New data sent during recovery: 30 MSS out, 5 acked, 25 left.
  glass_cc_on_ack(&cc, 20001, 5 * kMss, 30 * kMss);
  EXPECT_EQ(cc.cwnd, 10 * kMss);
}

TEST(Cc, OnAckFullBeyondRecoverExits) {
  glass_cc cc = InRecovery();
  EXPECT_EQ(glass_cc_on_ack(&cc, 25001, 25 * kMss, 30 * kMss), GLASS_CC_NONE);
  EXPECT_FALSE(cc.in_recovery);
}

TEST(Cc, OnAckFullThenGrowsAgain) {
  glass_cc cc = InRecovery();
  glass_cc_on_ack(&cc, 20001, 20 * kMss, 20 * kMss);
  glass_cc_on_ack(&cc, 21001, kMss, 2 * kMss);
  EXPECT_EQ(cc.cwnd, 3 * kMss);  // below ssthresh: slow start
}

TEST(Cc, OnAckPartialAndFullAcrossWrap) {
  glass_cc cc = Fresh(0xffffc000u);
  cc.cwnd = 20 * kMss;
  for (int i = 0; i < 3; i++) {
    glass_cc_on_dupack(&cc, 0xffffc000u, 0x1000, 20 * kMss);
  }
  ASSERT_TRUE(cc.in_recovery);
  EXPECT_EQ(cc.recover, 0x1000u);
  EXPECT_EQ(glass_cc_on_ack(&cc, 0xfffffff0u, 0x3ff0, 20 * kMss), GLASS_CC_RETRANSMIT);
  EXPECT_EQ(glass_cc_on_ack(&cc, 0x0fff, 0x100f, 0x1010), GLASS_CC_RETRANSMIT);
  EXPECT_EQ(glass_cc_on_ack(&cc, 0x1000, 1, 1), GLASS_CC_NONE);
  EXPECT_FALSE(cc.in_recovery);
}

TEST(Cc, OnAckCwndCappedAtTwoToThirty) {
  glass_cc cc = Fresh();
  cc.cwnd = kCwndMax - 10;
  glass_cc_on_ack(&cc, 1001, kMss, kMss);
  EXPECT_EQ(cc.cwnd, kCwndMax);
  cc.ssthresh = kMss;
  glass_cc_on_ack(&cc, 0x7fffffff, 0xffffffffu, 0xffffffffu);
  EXPECT_EQ(cc.cwnd, kCwndMax);
  EXPECT_EQ(cc.acked_acc, 0u);
}

TEST(Cc, OnAckPastRecoverTrailsIt) {
  glass_cc cc = Fresh();
  glass_cc_on_rto(&cc, 50001, 10 * kMss);
  glass_cc_on_ack(&cc, 40001, 40000, 50 * kMss);
  EXPECT_EQ(cc.recover, 50001u);  // not reached yet: unchanged
  glass_cc_on_ack(&cc, 50001, 10000, 10 * kMss);
  EXPECT_EQ(cc.recover, 50001u);  // reached, not passed
  glass_cc_on_ack(&cc, 60001, 10000, 10 * kMss);
  EXPECT_EQ(cc.recover, 60000u);
}

TEST(Cc, OnDupackFirstTwoDoNothing) {
  glass_cc cc = Fresh();
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 10001, 10 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 10001, 10 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(cc.dupacks, 2u);
  EXPECT_EQ(cc.cwnd, 10 * kMss);
  EXPECT_FALSE(cc.in_recovery);
}

TEST(Cc, OnDupackThirdEntersRecovery) {
  glass_cc cc = Fresh();
  cc.cwnd = 20 * kMss;
  glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss);
  glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss);
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss), GLASS_CC_RETRANSMIT);
  EXPECT_TRUE(cc.in_recovery);
  EXPECT_EQ(cc.ssthresh, 10 * kMss);
  EXPECT_EQ(cc.cwnd, 13 * kMss);
  EXPECT_EQ(cc.recover, 20001u);
}

TEST(Cc, OnDupackThirdClearsAvoidanceCredit) {
  glass_cc cc = InAvoidance();
  cc.acked_acc = 900;
  for (int i = 0; i < 3; i++) {
    glass_cc_on_dupack(&cc, 1, 10001, 10 * kMss);
  }
  EXPECT_EQ(cc.acked_acc, 0u);
}

TEST(Cc, OnDupackThirdOnFirstLossOfConnection) {
  // snd_una is still the first data byte: recover (one before it) is passed.
  glass_cc cc = Fresh(kIsn1);
  glass_cc_on_dupack(&cc, kIsn1, kIsn1 + (10 * kMss), 10 * kMss);
  glass_cc_on_dupack(&cc, kIsn1, kIsn1 + (10 * kMss), 10 * kMss);
  EXPECT_EQ(glass_cc_on_dupack(&cc, kIsn1, kIsn1 + (10 * kMss), 10 * kMss), GLASS_CC_RETRANSMIT);
}

TEST(Cc, OnDupackSsthreshAtLeastTwoMss) {
  glass_cc cc = Fresh();
  for (int i = 0; i < 3; i++) {
    glass_cc_on_dupack(&cc, 1, 3001, 3 * kMss);
  }
  EXPECT_EQ(cc.ssthresh, 2 * kMss);
  EXPECT_EQ(cc.cwnd, 5 * kMss);
}

TEST(Cc, OnDupackInRecoveryInflates) {
  glass_cc cc = InRecovery();
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(cc.cwnd, 15 * kMss);
  EXPECT_EQ(cc.ssthresh, 10 * kMss);
}

TEST(Cc, OnDupackInRecoveryAfterPartialAckInflates) {
  glass_cc cc = InRecovery();
  glass_cc_on_ack(&cc, 3001, 3000, 20 * kMss);
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(glass_cc_on_dupack(&cc, 3001, 20001, 17 * kMss), GLASS_CC_NONE);
  }
  EXPECT_EQ(cc.cwnd, (11 * kMss) + (3 * kMss));
}

TEST(Cc, OnDupackBeyondThirdOutsideRecoveryDoesNothing) {
  glass_cc cc = Fresh();
  glass_cc_on_rto(&cc, 10001, 10 * kMss);  // recover 10001 blocks recovery
  for (int i = 0; i < 6; i++) {
    EXPECT_EQ(glass_cc_on_dupack(&cc, 5001, 10001, 5 * kMss), GLASS_CC_NONE);
  }
  EXPECT_EQ(cc.dupacks, 6u);
  EXPECT_EQ(cc.cwnd, kMss);
}

TEST(Cc, OnDupackCountSaturates) {
  glass_cc cc = Fresh();
  cc.dupacks = 0xffffffffu;
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 10001, 10 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(cc.dupacks, 0xffffffffu);
}

TEST(Cc, OnDupackOnlyTheThirdStartsRecovery) {
  glass_cc cc = Fresh();
  cc.dupacks = GLASS_CC_DUPTHRESH;  // the third passed unanswered
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 10001, 10 * kMss), GLASS_CC_NONE);
  EXPECT_FALSE(cc.in_recovery);
}

TEST(Cc, OnDupackBlockedUntilSndUnaPassesRecover) {
  glass_cc cc = Fresh();
  glass_cc_on_rto(&cc, 10001, 10 * kMss);
  for (uint32_t una : {5001u, 10001u}) {
    cc.dupacks = 0;
    for (int i = 0; i < 3; i++) {
      EXPECT_EQ(glass_cc_on_dupack(&cc, una, 20001, 5 * kMss), GLASS_CC_NONE) << una;
    }
  }
  cc.dupacks = 0;
  glass_cc_on_dupack(&cc, 10002, 20001, 5 * kMss);
  glass_cc_on_dupack(&cc, 10002, 20001, 5 * kMss);
  EXPECT_EQ(glass_cc_on_dupack(&cc, 10002, 20001, 5 * kMss), GLASS_CC_RETRANSMIT);
}

TEST(Cc, OnDupackAfterFullAckAtRecoverIsBlocked) {
  // RFC 6582 step 2: the ACK must cover more than recover.
  glass_cc cc = InRecovery();
  glass_cc_on_ack(&cc, 20001, 20 * kMss, 20 * kMss);
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(glass_cc_on_dupack(&cc, 20001, 30001, 10 * kMss), GLASS_CC_NONE);
  }
}

TEST(Cc, OnDupackAfterFullAckPastRecoverIsAllowed) {
  glass_cc cc = InRecovery();
  glass_cc_on_ack(&cc, 20501, 20500, 21 * kMss);
  for (int i = 0; i < 2; i++) {
    glass_cc_on_dupack(&cc, 20501, 30001, 10 * kMss);
  }
  EXPECT_EQ(glass_cc_on_dupack(&cc, 20501, 30001, 10 * kMss), GLASS_CC_RETRANSMIT);
}

TEST(Cc, OnDupackNotBlockedByStaleRecoverAfterTwoGigabytes) {
  // Without the trailing recover, 2^31 bytes after an RTO the old recover
  // would read as ahead of snd_una again and block fast retransmit.
  glass_cc cc = Fresh();
  glass_cc_on_rto(&cc, 10001, 10 * kMss);
  uint32_t una = 10001;
  for (int i = 0; i < 5; i++) {
    una += 0x20000000u;
    glass_cc_on_ack(&cc, una, 0x20000000u, 0x20000000u);
  }
  ASSERT_GT(una - 10001u, 0x80000000u);  // the old recover now reads as ahead
  for (int i = 0; i < 2; i++) {
    glass_cc_on_dupack(&cc, una, una + (10 * kMss), 10 * kMss);
  }
  EXPECT_EQ(glass_cc_on_dupack(&cc, una, una + (10 * kMss), 10 * kMss), GLASS_CC_RETRANSMIT);
}

TEST(Cc, OnRtoCollapsesWindow) {
  glass_cc cc = Fresh();
  cc.cwnd = 40 * kMss;
  cc.dupacks = 2;
  cc.acked_acc = 700;
  glass_cc_on_rto(&cc, 30001, 30 * kMss);
  EXPECT_EQ(cc.ssthresh, 15 * kMss);
  EXPECT_EQ(cc.cwnd, kMss);
  EXPECT_EQ(cc.recover, 30001u);
  EXPECT_EQ(cc.dupacks, 0u);
  EXPECT_EQ(cc.acked_acc, 0u);
}

// An expiry during a recovery ends it but does not cut a second time:
// ssthresh stays what the recovery set (10 MSS, half of its 20 MSS flight,
// not half of the 24 MSS outstanding now), as Linux's tcp_enter_loss();
// undo still goes back to the window before the recovery.
TEST(Cc, OnRtoEndsRecoveryWithoutASecondCut) {
  glass_cc cc = InRecovery();
  glass_cc_on_rto(&cc, 25001, 24 * kMss);
  EXPECT_FALSE(cc.in_recovery);
  EXPECT_TRUE(cc.in_loss);
  EXPECT_EQ(cc.cwnd, kMss);
  EXPECT_EQ(cc.ssthresh, 10 * kMss);
  EXPECT_EQ(cc.recover, 25001u);
  glass_cc_undo(&cc, 1);
  EXPECT_EQ(cc.cwnd, 20 * kMss);
  EXPECT_EQ(cc.ssthresh, GLASS_CC_SSTHRESH_INF);
  EXPECT_FALSE(cc.in_loss);
}

// A backed-off expiry (the ACK short of the first one's recovery point)
// keeps the first one's ssthresh, even when less is outstanding by then;
// once the ACK reaches that point, the next expiry is a new episode.
TEST(Cc, OnRtoCutsOncePerEpisode) {
  glass_cc cc = Fresh();
  cc.cwnd = 40 * kMss;
  glass_cc_on_rto(&cc, 30001, 30 * kMss);
  ASSERT_EQ(cc.ssthresh, 15 * kMss);
  glass_cc_on_ack(&cc, 10001, 10000, 30 * kMss);
  glass_cc_on_rto(&cc, 30001, 20 * kMss);
  EXPECT_EQ(cc.ssthresh, 15 * kMss);
  EXPECT_EQ(cc.cwnd, kMss);
  EXPECT_EQ(cc.prior_cwnd, 40 * kMss);
  EXPECT_TRUE(cc.in_loss);
  glass_cc_on_ack(&cc, 30001, 20000, 20 * kMss);
  EXPECT_FALSE(cc.in_loss);
  glass_cc_on_rto(&cc, 40001, 10 * kMss);
  EXPECT_EQ(cc.ssthresh, 5 * kMss);
}

TEST(Cc, OnRtoSsthreshAtLeastTwoMss) {
  glass_cc cc = Fresh();
  glass_cc_on_rto(&cc, 501, 500);
  EXPECT_EQ(cc.ssthresh, 2 * kMss);
}

TEST(Cc, OnRtoThenSlowStartUpToSsthresh) {
  glass_cc cc = Fresh();
  glass_cc_on_rto(&cc, 4001, 4 * kMss);
  glass_cc_on_ack(&cc, 1001, kMss, kMss);
  EXPECT_EQ(cc.cwnd, 2 * kMss);
  glass_cc_on_ack(&cc, 2001, kMss, 2 * kMss);
  EXPECT_EQ(cc.cwnd, 2 * kMss);  // ssthresh 2 MSS reached: linear from here
}

// RFC 6675 section 5 with SACK: the third duplicate sets ssthresh = cwnd =
// FlightSize / 2 (no + 3 MSS: the pipe counts what left the network);
// further duplicates and partial ACKs leave cwnd alone (no NewReno
// inflation or deflation); the full ACK ends recovery at ssthresh.
TEST(Cc, SackRecoveryFollowsRfc6675) {
  glass_cc cc = FreshSack();
  cc.cwnd = 20 * kMss;
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss), GLASS_CC_RETRANSMIT);
  EXPECT_TRUE(cc.in_recovery);
  EXPECT_EQ(cc.ssthresh, 10 * kMss);
  EXPECT_EQ(cc.cwnd, 10 * kMss);
  EXPECT_EQ(cc.recover, 20001u);
  glass_cc_on_dupack(&cc, 1, 20001, 20 * kMss);
  EXPECT_EQ(cc.cwnd, 10 * kMss);
  EXPECT_EQ(glass_cc_on_ack(&cc, 5001, 5 * kMss, 20 * kMss), GLASS_CC_NONE);
  EXPECT_TRUE(cc.in_recovery);
  EXPECT_EQ(cc.cwnd, 10 * kMss);
  glass_cc_on_ack(&cc, 20001, 15 * kMss, 25 * kMss);  // new data sent meanwhile
  EXPECT_FALSE(cc.in_recovery);
  EXPECT_EQ(cc.cwnd, 10 * kMss);
}

// The scoreboard may find a loss before three duplicates (RFC 6675
// IsLost): recovery starts once per recover point, as with duplicates.
TEST(Cc, SackLossStartsRecoveryOncePerRecoverPoint) {
  glass_cc cc = FreshSack();
  cc.cwnd = 8 * kMss;
  EXPECT_TRUE(glass_cc_sack_loss(&cc, 1, 8001, 8 * kMss));
  EXPECT_EQ(cc.cwnd, 4 * kMss);
  EXPECT_EQ(cc.ssthresh, 4 * kMss);
  EXPECT_FALSE(glass_cc_sack_loss(&cc, 1, 8001, 8 * kMss));  // in recovery
  glass_cc_on_ack(&cc, 8001, 8 * kMss, 8 * kMss);
  EXPECT_FALSE(cc.in_recovery);
  // The byte at recover (8001) was sent after the episode began: with
  // SACK its loss is a new one and starts recovery at once.
  EXPECT_TRUE(glass_cc_sack_loss(&cc, 8001, 12001, 4 * kMss));
  EXPECT_EQ(cc.recover, 12001u);
  EXPECT_EQ(cc.cwnd, 2 * kMss);
}

// Before the ACK point reaches recover, a loss belongs to the episode
// that is ending (or to the RTO's): no second cut.
TEST(Cc, SackLossBeforeRecoverIsTheSameEpisode) {
  glass_cc cc = FreshSack();
  cc.cwnd = 8 * kMss;
  ASSERT_TRUE(glass_cc_sack_loss(&cc, 1, 8001, 8 * kMss));
  glass_cc_on_ack(&cc, 4001, 4 * kMss, 8 * kMss);
  EXPECT_TRUE(cc.in_recovery);
  EXPECT_FALSE(glass_cc_sack_loss(&cc, 4001, 8001, 4 * kMss));
  glass_cc rto = FreshSack();
  glass_cc_on_rto(&rto, 10001, 10 * kMss);
  EXPECT_FALSE(glass_cc_sack_loss(&rto, 5001, 10001, 5 * kMss));
  EXPECT_EQ(rto.cwnd, kMss);
}

// The segment at recover lost once the episode is over, found by three
// duplicates or by the scoreboard: a new recovery, with SACK only (the
// NewReno rule stays: OnDupackAfterFullAckAtRecoverIsBlocked).
TEST(Cc, SackLossAtRecoverAfterAnEpisodeStartsRecovery) {
  glass_cc cc = InRecovery();
  cc.sack = true;
  glass_cc_on_ack(&cc, 20001, 20 * kMss, 20 * kMss);
  ASSERT_FALSE(cc.in_recovery);
  glass_cc_on_dupack(&cc, 20001, 30001, 10 * kMss);
  glass_cc_on_dupack(&cc, 20001, 30001, 10 * kMss);
  EXPECT_EQ(glass_cc_on_dupack(&cc, 20001, 30001, 10 * kMss), GLASS_CC_RETRANSMIT);
  EXPECT_EQ(cc.recover, 30001u);
  glass_cc rto = FreshSack();
  glass_cc_on_rto(&rto, 10001, 10 * kMss);
  glass_cc_on_ack(&rto, 10001, 10 * kMss, 10 * kMss);
  ASSERT_FALSE(rto.in_loss);
  EXPECT_TRUE(glass_cc_sack_loss(&rto, 10001, 14001, 4 * kMss));
}

// D-SACK undo (RFC 2883 section 5): a recovery whose retransmissions all
// proved unneeded gives the window back: cwnd and ssthresh as before the
// cut, recovery over; a window that grew since is kept.
TEST(Cc, UndoRestoresTheWindowBeforeTheCut) {
  glass_cc cc = FreshSack();
  cc.cwnd = 20 * kMss;
  cc.ssthresh = 30 * kMss;
  ASSERT_TRUE(glass_cc_sack_loss(&cc, 2, 20001, 20 * kMss));
  EXPECT_EQ(cc.cwnd, 10 * kMss);
  glass_cc_undo(&cc, 2);
  EXPECT_FALSE(cc.in_recovery);
  EXPECT_EQ(cc.cwnd, 20 * kMss);
  EXPECT_EQ(cc.ssthresh, 30 * kMss);
  // NewReno's cut and an RTO are undone the same way; two RTOs in a row
  // go back to the window before the first.
  glass_cc nr = Fresh();
  nr.cwnd = 16 * kMss;
  glass_cc_on_rto(&nr, 16001, 16 * kMss);
  glass_cc_on_rto(&nr, 16001, 16 * kMss);
  EXPECT_EQ(nr.cwnd, kMss);
  glass_cc_undo(&nr, 1);
  EXPECT_EQ(nr.cwnd, 16 * kMss);
  EXPECT_EQ(nr.ssthresh, GLASS_CC_SSTHRESH_INF);
}

// After an undo, a real loss in the same window starts recovery at once:
// the undone cut does not keep the recovery point (RFC 6582's guard)
// ahead of snd_una, which would leave the hole to the RTO. An RTO's
// recovery point is given back the same way.
TEST(Cc, UndoLetsTheNextLossStartRecovery) {
  glass_cc cc = FreshSack();
  cc.cwnd = 20 * kMss;
  ASSERT_TRUE(glass_cc_sack_loss(&cc, 1, 20001, 20 * kMss));
  // The ACK moved to 4001 when the D-SACKs came back; recover is 20001.
  glass_cc_undo(&cc, 4001);
  EXPECT_FALSE(cc.in_recovery);
  EXPECT_EQ(cc.cwnd, 20 * kMss);
  // A new hole at 4001, before snd_una passed 20001: recovery, one cut.
  EXPECT_TRUE(glass_cc_sack_loss(&cc, 4001, 24001, 20 * kMss));
  EXPECT_TRUE(cc.in_recovery);
  EXPECT_EQ(cc.recover, 24001u);
  EXPECT_EQ(cc.cwnd, 10 * kMss);
  // And by duplicate ACKs: the third one after an undone RTO.
  glass_cc rto = FreshSack();
  rto.cwnd = 20 * kMss;
  glass_cc_on_rto(&rto, 20001, 20 * kMss);
  glass_cc_undo(&rto, 1001);
  EXPECT_EQ(rto.cwnd, 20 * kMss);
  EXPECT_EQ(glass_cc_on_dupack(&rto, 1001, 20001, 19 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(glass_cc_on_dupack(&rto, 1001, 20001, 19 * kMss), GLASS_CC_NONE);
  EXPECT_EQ(glass_cc_on_dupack(&rto, 1001, 20001, 19 * kMss), GLASS_CC_RETRANSMIT);
  EXPECT_TRUE(rto.in_recovery);
}

// F-RTO (RFC 5682 section 3.1 with SACK, Linux's tcp_process_loss()).
// An expiry with SACK that starts an episode arms it; without SACK, or
// during a recovery, it stays off; a backed-off expiry keeps it as it was.
TEST(Cc, FrtoArmedByAnRtoThatStartsAnEpisode) {
  glass_cc cc = FreshSack();
  glass_cc_on_rto(&cc, 20001, 20 * kMss);
  EXPECT_TRUE(cc.frto);
  glass_cc_on_rto(&cc, 20001, 20 * kMss);
  EXPECT_TRUE(cc.frto);
  glass_cc nosack = Fresh();
  glass_cc_on_rto(&nosack, 20001, 20 * kMss);
  EXPECT_FALSE(nosack.frto);
  glass_cc rec = FreshSack();
  rec.cwnd = 20 * kMss;
  ASSERT_TRUE(glass_cc_sack_loss(&rec, 2, 20001, 20 * kMss));
  glass_cc_on_rto(&rec, 20001, 20 * kMss);
  EXPECT_FALSE(rec.frto);
  // Step 3.a turned it off: a backed-off expiry does not turn it on.
  cc.frto = false;
  glass_cc_on_rto(&cc, 20001, 20 * kMss);
  EXPECT_FALSE(cc.frto);
}

// Step 3.b: the ACK after the RTO delivers data sent before it and never
// retransmitted: the timeout was spurious; cwnd and ssthresh come back,
// the loss state ends, F-RTO is done.
TEST(Cc, FrtoOriginalDeliveredUndoesTheRto) {
  glass_cc cc = FreshSack();
  cc.cwnd = 20 * kMss;
  cc.ssthresh = 30 * kMss;
  glass_cc_on_rto(&cc, 20001, 20 * kMss);
  ASSERT_EQ(cc.cwnd, kMss);
  // The resent head and the four originals after it are acknowledged.
  glass_cc_on_ack(&cc, 5001, 5 * kMss, 20 * kMss);
  glass_frto_ack a{};
  a.una_advanced = true;
  a.orig_acked = true;
  a.can_send_new = true;
  EXPECT_EQ(glass_cc_frto(&cc, 5001, 20001, &a), GLASS_FRTO_UNDO);
  EXPECT_EQ(cc.cwnd, 20 * kMss);
  EXPECT_EQ(cc.ssthresh, 30 * kMss);
  EXPECT_FALSE(cc.in_loss);
  EXPECT_FALSE(cc.frto);
  EXPECT_EQ(cc.recover, 5000u);
  // Once done, later ACKs get no verdict.
  EXPECT_EQ(glass_cc_frto(&cc, 6001, 20001, &a), GLASS_FRTO_NONE);
  // Even an ACK that ends the episode undoes when it delivers originals.
  glass_cc all = FreshSack();
  all.cwnd = 20 * kMss;
  glass_cc_on_rto(&all, 20001, 20 * kMss);
  glass_cc_on_ack(&all, 20001, 20 * kMss, 20 * kMss);
  ASSERT_FALSE(all.in_loss);
  EXPECT_EQ(glass_cc_frto(&all, 20001, 20001, &a), GLASS_FRTO_UNDO);
  EXPECT_EQ(all.cwnd, 20 * kMss);
}

// An RTO with 20 segments out (SACK agreed), then the ACK of the resent
// head, with new data to send: F-RTO's step 2.b is next. *a is that ACK.
glass_cc HeadAckedAfterRto(glass_frto_ack* a) {
  glass_cc cc = FreshSack();
  cc.cwnd = 20 * kMss;
  glass_cc_on_rto(&cc, 20001, 20 * kMss);
  glass_cc_on_ack(&cc, 1001, kMss, 20 * kMss);
  *a = {};
  a->una_advanced = true;
  a->can_send_new = true;
  return cc;
}

// Step 2.b: the resent head is acknowledged and nothing else: new data
// goes out instead of retransmissions, the recovery point moves to
// snd_max; the next ACK decides. It delivers an original: undo (3.b).
TEST(Cc, FrtoHeadAckedSendsNewDataThenUndoes) {
  glass_frto_ack a{};
  glass_cc cc = HeadAckedAfterRto(&a);
  EXPECT_EQ(glass_cc_frto(&cc, 1001, 20001, &a), GLASS_FRTO_NEW);
  EXPECT_TRUE(cc.frto);
  EXPECT_TRUE(cc.in_loss);
  EXPECT_EQ(cc.recover, 20001u);
  // Two new segments went out (snd_max 22001); the next ACK delivers
  // originals: the RTO was spurious.
  glass_cc_on_ack(&cc, 3001, 2 * kMss, 21 * kMss);
  a.orig_acked = true;
  EXPECT_EQ(glass_cc_frto(&cc, 3001, 22001, &a), GLASS_FRTO_UNDO);
  EXPECT_EQ(cc.cwnd, 20 * kMss);
  EXPECT_FALSE(cc.in_loss);
}

// Step 3.a: after the new data, an ACK that SACKs it (or a duplicate)
// without delivering an original: the loss was real; F-RTO ends and
// conventional recovery goes on, the window stays cut.
TEST(Cc, FrtoSackAfterNewDataMeansTheLossWasReal) {
  glass_frto_ack a{};
  glass_cc cc = HeadAckedAfterRto(&a);
  ASSERT_EQ(glass_cc_frto(&cc, 1001, 20001, &a), GLASS_FRTO_NEW);
  a.una_advanced = false;
  a.dup = true;
  EXPECT_EQ(glass_cc_frto(&cc, 1001, 22001, &a), GLASS_FRTO_NONE);
  EXPECT_FALSE(cc.frto);
  EXPECT_TRUE(cc.in_loss);
  EXPECT_EQ(cc.cwnd, 2 * kMss);
  EXPECT_EQ(cc.ssthresh, 10 * kMss);
  // Off for good in this episode: an original later undoes nothing.
  a.orig_acked = true;
  EXPECT_EQ(glass_cc_frto(&cc, 1001, 22001, &a), GLASS_FRTO_NONE);
  EXPECT_EQ(cc.cwnd, 2 * kMss);
}

// Step 2.a and the rest: a duplicate before any new data leaves F-RTO
// watching (the holes are resent); with nothing new to send, an ACK of the
// head ends F-RTO (conventional recovery); an ACK that reaches the
// recovery point without an original ends it too.
TEST(Cc, FrtoConventionalRecoveryCases) {
  glass_cc cc = FreshSack();
  cc.cwnd = 20 * kMss;
  glass_cc_on_rto(&cc, 20001, 20 * kMss);
  glass_frto_ack a{};
  a.dup = true;
  EXPECT_EQ(glass_cc_frto(&cc, 1, 20001, &a), GLASS_FRTO_NONE);
  EXPECT_TRUE(cc.frto);
  glass_cc_on_ack(&cc, 1001, kMss, 20 * kMss);
  a = {};
  a.una_advanced = true;
  EXPECT_EQ(glass_cc_frto(&cc, 1001, 20001, &a), GLASS_FRTO_NONE);
  EXPECT_FALSE(cc.frto);
  EXPECT_EQ(cc.recover, 20001u);
  glass_cc end = FreshSack();
  end.cwnd = 20 * kMss;
  glass_cc_on_rto(&end, 20001, 20 * kMss);
  glass_cc_on_ack(&end, 20001, 20 * kMss, 20 * kMss);
  a.can_send_new = true;
  EXPECT_EQ(glass_cc_frto(&end, 20001, 20001, &a), GLASS_FRTO_NONE);
  EXPECT_FALSE(end.frto);
  // A D-SACK undo ends F-RTO too.
  glass_cc ds = FreshSack();
  glass_cc_on_rto(&ds, 20001, 20 * kMss);
  glass_cc_undo(&ds, 1);
  EXPECT_FALSE(ds.frto);
}

}  // namespace
