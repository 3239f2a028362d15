// Tests for kmod/core/window.c: receiver window selection and update
// decisions, sender SWS avoidance, and the delayed-ACK decision.
//
// The receiver sweeps compare against a model on unbounded int64 positions:
// a sequence number is the low 32 bits of its position. The sender and ACK
// tests take their expectations from the RFCs (1122 4.2.3.2 and 4.2.3.4,
// 5681 4.2), as tables and as a model worded as the RFC words it, never
// from the code's own expression.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

extern "C" {
#include "window.h"
}

namespace {

constexpr uint32_t kMss = 1000;
constexpr uint32_t kSpace = 64000;

uint32_t Seq(int64_t pos) {
  return static_cast<uint32_t>(pos);
}

// The window rule, restated on positions.
uint32_t RefSelect(int64_t nxt, int64_t adv, uint32_t free, uint32_t mss, uint32_t space) {
  const int64_t thresh = std::max<int64_t>(1, std::min<int64_t>(space / 2, mss));
  if (nxt + free - adv >= thresh) {
    return free;
  }
  return adv > nxt ? static_cast<uint32_t>(adv - nxt) : 0;
}

// Bases for the sweeps: around the wrap, the signed boundary and elsewhere.
const std::vector<int64_t> kBases = {0, (int64_t{1} << 32) - 20, (int64_t{1} << 31) - 10, 777};

TEST(Window, SelectMovesEdgeByMssThreshold) {
  // Threshold min(64000 / 2, 1000) = 1000: the edge moves at exactly 1000.
  EXPECT_EQ(glass_rcv_select_window(100, 5100, 6000, kMss, kSpace), 6000u);
}

TEST(Window, SelectKeepsEdgeBelowMssThreshold) {
  EXPECT_EQ(glass_rcv_select_window(100, 5100, 5999, kMss, kSpace), 5000u);
}

TEST(Window, SelectThresholdIsHalfSpaceWhenSmaller) {
  // rcv_space 1200: threshold min(600, 1000) = 600.
  EXPECT_EQ(glass_rcv_select_window(0, 0, 599, kMss, 1200), 0u);
  EXPECT_EQ(glass_rcv_select_window(0, 0, 600, kMss, 1200), 600u);
}

TEST(Window, SelectZeroMssUsesOneByteThreshold) {
  EXPECT_EQ(glass_rcv_select_window(0, 10, 10, 0, kSpace), 10u);
  EXPECT_EQ(glass_rcv_select_window(0, 10, 11, 0, kSpace), 11u);
}

TEST(Window, SelectZeroSpaceUsesOneByteThreshold) {
  EXPECT_EQ(glass_rcv_select_window(0, 10, 10, kMss, 0), 10u);
  EXPECT_EQ(glass_rcv_select_window(0, 10, 11, kMss, 1), 11u);
}

TEST(Window, SelectZeroWindowStaysClosedBelowThreshold) {
  EXPECT_EQ(glass_rcv_select_window(500, 500, 0, kMss, kSpace), 0u);
  EXPECT_EQ(glass_rcv_select_window(500, 500, kMss - 1, kMss, kSpace), 0u);
}

TEST(Window, SelectZeroWindowOpensAtThreshold) {
  EXPECT_EQ(glass_rcv_select_window(500, 500, kMss, kMss, kSpace), kMss);
}

TEST(Window, SelectNeverRetractsWhenFreeShrinks) {
  // 5000 offered, the buffer now says 3000: the offer stands.
  EXPECT_EQ(glass_rcv_select_window(100, 5100, 3000, kMss, kSpace), 5000u);
  EXPECT_EQ(glass_rcv_select_window(100, 5100, 0, kMss, kSpace), 5000u);
}

TEST(Window, SelectInOrderDataShrinksWindowNotEdge) {
  // 400 bytes arrived: rcv_nxt and free both moved by 400, the edge stays.
  EXPECT_EQ(glass_rcv_select_window(500, 5100, 4600, kMss, kSpace), 4600u);
}

TEST(Window, SelectRcvNxtPastEdgeGivesZero) {
  // The peer overran the window by 300 bytes.
  EXPECT_EQ(glass_rcv_select_window(5400, 5100, 500, kMss, kSpace), 0u);
}

TEST(Window, SelectRcvNxtPastEdgeOpensWhenFarEnough) {
  // New edge 5400 + 800 is 1100 past the old one.
  EXPECT_EQ(glass_rcv_select_window(5400, 5100, 800, kMss, kSpace), 800u);
}

TEST(Window, SelectAcrossWrap) {
  EXPECT_EQ(glass_rcv_select_window(0xfffffc00u, 0x100, 0x1400, kMss, kSpace), 0x1400u);
  EXPECT_EQ(glass_rcv_select_window(0xfffffc00u, 0x100, 0x800, kMss, kSpace), 0x500u);
  EXPECT_EQ(glass_rcv_select_window(0x200, 0xffffff00u, 0x10, kMss, kSpace), 0u);
}

TEST(Window, SelectSweepMatchesModel) {
  for (int64_t base : kBases) {
    for (int64_t nxt = base; nxt < base + 12; nxt++) {
      for (int64_t adv = nxt - 8; adv <= nxt + 20; adv++) {
        for (uint32_t free = 0; free <= 24; free++) {
          for (uint32_t mss = 0; mss <= 8; mss++) {
            for (uint32_t space = 0; space <= 20; space += 3) {
              const uint32_t got = glass_rcv_select_window(Seq(nxt), Seq(adv), free, mss, space);
              ASSERT_EQ(got, RefSelect(nxt, adv, free, mss, space))
                  << nxt << " " << adv << " " << free << " " << mss << " " << space;
              // The right edge never moves left of an edge still ahead of rcv_nxt.
              if (adv >= nxt) {
                ASSERT_GE(nxt + got, adv);
              }
            }
          }
        }
      }
    }
  }
}

TEST(Window, UpdateDueWhenEdgeMovesByThreshold) {
  EXPECT_TRUE(glass_rcv_window_update_due(100, 5100, 6000, kMss, kSpace));
}

TEST(Window, UpdateNotDueBelowThreshold) {
  EXPECT_FALSE(glass_rcv_window_update_due(100, 5100, 5999, kMss, kSpace));
}

TEST(Window, UpdateNotDueWhenFreeShrank) {
  EXPECT_FALSE(glass_rcv_window_update_due(100, 5100, 100, kMss, kSpace));
}

TEST(Window, UpdateNotDueWithoutChange) {
  EXPECT_FALSE(glass_rcv_window_update_due(100, 5100, 5000, 0, 0));
}

TEST(Window, UpdateDueFromZeroWindow) {
  EXPECT_FALSE(glass_rcv_window_update_due(700, 700, 599, kMss, 1200));
  EXPECT_TRUE(glass_rcv_window_update_due(700, 700, 600, kMss, 1200));
}

TEST(Window, UpdateDueAcrossWrap) {
  EXPECT_TRUE(glass_rcv_window_update_due(0xfffffff0u, 0xfffffff0u, kMss, kMss, kSpace));
  EXPECT_FALSE(glass_rcv_window_update_due(0xfffffff0u, 0x10, kMss, kMss, kSpace));
}

TEST(Window, LeftIsWhatTheEdgeStillLetsIn) {
  EXPECT_EQ(glass_rcv_window_left(100, 1100), 1000U);
  EXPECT_EQ(glass_rcv_window_left(1100, 1100), 0U) << "the edge reached";
  EXPECT_EQ(glass_rcv_window_left(1200, 1100), 0U) << "the peer overran the edge";
  EXPECT_EQ(glass_rcv_window_left(0xfffffff0u, 0x10), 0x20U) << "across the wrap";
}

TEST(Window, UpdateWorthItOnceTheWindowDoubles) {
  // 1000 bytes left of the last window: worth an update from 2000 free.
  EXPECT_FALSE(glass_rcv_window_doubles(100, 1100, 1999));
  EXPECT_TRUE(glass_rcv_window_doubles(100, 1100, 2000));
}

TEST(Window, UpdateWorthItFromAClosedWindow) {
  EXPECT_TRUE(glass_rcv_window_doubles(700, 700, 1));
  // The peer overran the edge: nothing is left, any room is news.
  EXPECT_TRUE(glass_rcv_window_doubles(800, 700, 1));
}

TEST(Window, UpdateWorthItAcrossWrap) {
  EXPECT_FALSE(glass_rcv_window_doubles(0xfffffff0u, 0x10, 0x3f));
  EXPECT_TRUE(glass_rcv_window_doubles(0xfffffff0u, 0x10, 0x40));
}

TEST(Window, UpdateWorthItWithAHugeWindowLeft) {
  // Twice what is left overflows 32 bits: never worth it.
  EXPECT_FALSE(glass_rcv_window_doubles(0, 0x80000000u, 0xffffffffu));
}

// Under memory pressure: space 100000, default buffer 200000, MSS 1000.
TEST(Window, PressureLeavesAnEmptyDefaultBufferItsWindow) {
  EXPECT_EQ(glass_rcv_pressure_free(100000, 100000, 200000, 200000, 1000), 100000U);
  EXPECT_EQ(glass_rcv_pressure_free(50000, 100000, 200000, 200000, 1000), 50000U)
      << "exactly half full is not more than half";
}

TEST(Window, PressureHoldsAMoreThanHalfFullBufferToFourSegments) {
  EXPECT_EQ(glass_rcv_pressure_free(49999, 100000, 200000, 200000, 1000), 4000U);
  EXPECT_EQ(glass_rcv_pressure_free(3000, 100000, 200000, 200000, 1000), 3000U)
      << "less than four segments free stays what it is";
}

TEST(Window, PressureHoldsAGrownBufferToFourSegments) {
  EXPECT_EQ(glass_rcv_pressure_free(100000, 100000, 200001, 200000, 1000), 4000U);
  EXPECT_EQ(glass_rcv_pressure_free(3000000, 3000000, 6000000, 200000, 1000), 4000U);
}

TEST(Window, PressureFourSegmentsOfAHugeMssDoNotOverflow) {
  EXPECT_EQ(glass_rcv_pressure_free(0xfffffff0u, 0xfffffff0u, 0xffffffffu, 0, 0x7fffffffu),
            0xfffffff0u);
}

TEST(Window, UpdateDueSweepMatchesSelect) {
  // Due exactly when glass_rcv_select_window() would move the edge right.
  for (int64_t base : kBases) {
    for (int64_t nxt = base; nxt < base + 12; nxt++) {
      for (int64_t adv = nxt - 8; adv <= nxt + 20; adv++) {
        for (uint32_t free = 0; free <= 24; free++) {
          for (uint32_t mss = 0; mss <= 8; mss++) {
            for (uint32_t space = 0; space <= 20; space += 3) {
              const bool due = glass_rcv_window_update_due(Seq(nxt), Seq(adv), free, mss, space);
              const int64_t thresh = std::max<int64_t>(1, std::min<int64_t>(space / 2, mss));
              ASSERT_EQ(due, nxt + free - adv >= thresh)
                  << nxt << " " << adv << " " << free << " " << mss << " " << space;
              if (due) {
                ASSERT_EQ(glass_rcv_select_window(Seq(nxt), Seq(adv), free, mss, space), free);
              }
            }
          }
        }
      }
    }
  }
}

TEST(Window, SndWholeSegmentWhenItFitsExactly) {
  EXPECT_EQ(glass_snd_sws_len(700, 700, kMss, 65535), 700u);
}

TEST(Window, SndWholeSegmentWhenWindowLarger) {
  EXPECT_EQ(glass_snd_sws_len(700, 100000, kMss, 65535), 700u);
}

TEST(Window, SndZeroUsableWaits) {
  EXPECT_EQ(glass_snd_sws_len(700, 0, kMss, 65535), 0u);
  EXPECT_EQ(glass_snd_sws_len(700, 0, kMss, 0), 0u);
}

TEST(Window, SndPartialAtHalfMaxWindow) {
  // max_snd_wnd 1001: half is 500.
  EXPECT_EQ(glass_snd_sws_len(kMss, 500, kMss, 1001), 500u);
}

TEST(Window, SndWaitsBelowHalfMaxWindow) {
  EXPECT_EQ(glass_snd_sws_len(kMss, 499, kMss, 1000), 0u);
}

TEST(Window, SndPartialWhenPeerNeverOfferedMore) {
  EXPECT_EQ(glass_snd_sws_len(kMss, 1, kMss, 0), 1u);
}

TEST(Window, SndPartialFullMssWhenSegmentLonger) {
  // Only reachable when the caller passes seg_len > mss.
  EXPECT_EQ(glass_snd_sws_len(3000, kMss, kMss, 65535), kMss);
  EXPECT_EQ(glass_snd_sws_len(3000, kMss - 1, kMss, 65535), 0u);
}

TEST(Window, SndEmptySegmentSendsNothing) {
  EXPECT_EQ(glass_snd_sws_len(0, 5000, kMss, 65535), 0u);
}

// RFC 1122 4.2.3.4, one row per case the RFC names. D is the data queued
// (seg_len), U the usable window; Fs * Max(SND.WND) is half the largest
// window the peer ever offered.
TEST(Window, SndRfc1122Table) {
  struct Row {
    uint32_t seg, usable, mss, max_wnd, send;
    const char* why;
  };
  const Row rows[] = {
      {700, 700, kMss, 65535, 700, "(2) all queued data fits: it all goes"},
      {700, 100000, kMss, 65535, 700, "(2) it fits with room to spare"},
      {3000, 1000, kMss, 65535, 1000, "(1) a maximum-sized segment can go"},
      {3000, 1500, kMss, 65535, 1500, "(1) more than an MSS of a longer skb goes"},
      {3000, 999, kMss, 65535, 0, "under an MSS and under Fs * Max(SND.WND): wait"},
      {1000, 500, kMss, 1000, 500, "(3) half the largest window offered goes"},
      {1000, 499, kMss, 1000, 0, "just under half of it waits (SWS)"},
      {1000, 500, kMss, 1001, 500, "(3) Fs * Max(SND.WND) in whole bytes: 1001 / 2 = 500"},
      {1000, 1, kMss, 0, 1, "(3) a peer that never offered a window: any byte is half of it"},
      {700, 0, kMss, 65535, 0, "a shut window: nothing (the persist timer probes)"},
      {0, 5000, kMss, 65535, 0, "nothing queued: nothing sent"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(glass_snd_sws_len(r.seg, r.usable, r.mss, r.max_wnd), r.send) << r.why;
  }
}

// RFC 1122 4.2.3.4 as the RFC words it: of D bytes queued and U usable, send
// min(D, U) if (1) min(D, U) >= Eff.snd.MSS, or (2) all of it can go,
// D <= U, or (3) min(D, U) >= Fs * Max(SND.WND) with Fs = 1/2 in whole bytes
// (Linux's max_window >> 1); otherwise wait, until (4) the override timeout,
// which is the persist timer's business. The MSS is never 0 (GLASS_MIN_MSS).
uint32_t RfcSendNow(uint32_t queued, uint32_t usable, uint32_t mss, uint32_t max_wnd) {
  const uint32_t n = std::min(queued, usable);
  const bool full_segment = n >= mss;
  const bool all_of_it = queued <= usable;
  const bool fraction_of_max = n >= (max_wnd >> 1);
  return n > 0 && (full_segment || all_of_it || fraction_of_max) ? n : 0;
}

TEST(Window, SndSweepMatchesRfcModel) {
  for (uint32_t seg = 0; seg <= 12; seg++) {
    for (uint32_t usable = 0; usable <= 16; usable++) {
      for (uint32_t mss = 1; mss <= 12; mss++) {
        for (uint32_t maxw = 0; maxw <= 30; maxw++) {
          ASSERT_EQ(glass_snd_sws_len(seg, usable, mss, maxw), RfcSendNow(seg, usable, mss, maxw))
              << seg << " " << usable << " " << mss << " " << maxw;
        }
      }
    }
  }
}

TEST(Window, AckNowPastOneFullSegment) {
  EXPECT_TRUE(glass_ack_now(kMss + 1, kMss, false, false));
  EXPECT_TRUE(glass_ack_now(2 * kMss, kMss, false, false));
  EXPECT_TRUE(glass_ack_now(5 * kMss, kMss, false, false));
}

TEST(Window, AckDelayedUpToOneFullSegment) {
  EXPECT_FALSE(glass_ack_now(kMss, kMss, false, false));
  EXPECT_FALSE(glass_ack_now(1, kMss, false, false));
  EXPECT_FALSE(glass_ack_now(0, kMss, false, false));
}

TEST(Window, AckNowWithOutOfOrderData) {
  EXPECT_TRUE(glass_ack_now(1, kMss, false, true));
}

TEST(Window, AckHugeMssIsOneSegment) {
  EXPECT_FALSE(glass_ack_now(3, 0x80000001u, false, false));
  EXPECT_FALSE(glass_ack_now(0x80000000u, 0x80000000u, false, false));
  EXPECT_TRUE(glass_ack_now(0xffffffffu, 0x80000000u, false, false));
}

// RFC 1122 4.2.3.2: "an ACK SHOULD be generated for at least every second
// full-sized segment". Full-sized segments arrive one after another; the
// receiver may delay the ACK of the first after each ACK, never the second.
TEST(Window, AckEverySecondFullSegment) {
  for (uint32_t mss : {536u, kMss, 1460u, 65000u}) {
    uint32_t rcv_nxt = 0xfffff000u;  // across the wrap too
    uint32_t acked = rcv_nxt;
    int since_ack = 0;
    for (int seg = 1; seg <= 9; seg++) {
      rcv_nxt += mss;
      since_ack++;
      const bool now = glass_ack_now(rcv_nxt - acked, mss, false, false);
      ASSERT_EQ(now, since_ack == 2) << "mss " << mss << " segment " << seg;
      if (now) {
        acked = rcv_nxt;
        since_ack = 0;
      }
    }
  }
}

// RFC 5681 4.2: an out-of-order segment is answered at once (a duplicate
// ACK), and so is one that fills all or part of a gap: while anything is
// held out of order, nothing waits for the delayed-ACK timer.
TEST(Window, AckAtOnceWhileAHoleIsOpen) {
  for (uint32_t unacked : {0u, 1u, kMss - 1, kMss}) {
    EXPECT_FALSE(glass_ack_now(unacked, kMss, false, false)) << unacked;
    EXPECT_TRUE(glass_ack_now(unacked, kMss, false, true)) << unacked;
  }
}

// Quick-ACK mode (GLASS_QUICKACK) answers every in-order segment, however
// small, as TCP does in its quick-ACK mode (RFC 1122 allows ACKing sooner).
TEST(Window, QuickAckModeAcksEverySegment) {
  for (uint32_t unacked : {1u, kMss - 1, kMss}) {
    EXPECT_FALSE(glass_ack_now(unacked, kMss, false, false)) << unacked;
    EXPECT_TRUE(glass_ack_now(unacked, kMss, true, false)) << unacked;
  }
}

// Short segments count by their bytes, as Linux's receiver does: more than
// a full segment's worth, however it came, is ACKed at once (window.h).
TEST(Window, AckCountsBytesOfShortSegments) {
  EXPECT_FALSE(glass_ack_now(2 * (kMss / 2), kMss, false, false));  // two halves
  EXPECT_TRUE(glass_ack_now(3 * (kMss / 2), kMss, false, false));   // three halves
  EXPECT_TRUE(glass_ack_now(kMss + 10, kMss, false, false));        // one full, one tiny
}

}  // namespace
