// Tests for kmod/core/nagle.c: the Nagle / Minshall / cork decision.
//
// Every rule of nagle.h has a named test; DecisionTable then runs every
// combination of the inputs against the rule list restated here.

#include <gtest/gtest.h>

#include <cstdint>

extern "C" {
#include "nagle.h"
}

namespace {

constexpr uint32_t kMss = 1000;
constexpr uint32_t kUna = 5000;

glass_nagle_in In(uint32_t len, bool nodelay, bool cork, bool fin, uint32_t snd_sml,
                  uint32_t snd_una = kUna) {
  return glass_nagle_in{.len = len,
                        .mss = kMss,
                        .nodelay = nodelay,
                        .cork = cork,
                        .fin = fin,
                        .snd_una = snd_una,
                        .snd_sml = snd_sml};
}

// A small segment ending past snd_una is still in flight.
constexpr uint32_t kSmallUnacked = kUna + 10;
constexpr uint32_t kSmallAcked = kUna;

TEST(Nagle, FullSizedSends) {
  const glass_nagle_in in = In(kMss, false, false, false, kSmallUnacked);
  EXPECT_TRUE(glass_nagle_may_send(&in));
}

TEST(Nagle, FullSizedSendsEvenWhenCorked) {
  const glass_nagle_in in = In(kMss, false, true, false, kSmallUnacked);
  EXPECT_TRUE(glass_nagle_may_send(&in));
}

TEST(Nagle, LongerThanMssSends) {
  const glass_nagle_in in = In(kMss + 1, false, true, false, kSmallUnacked);
  EXPECT_TRUE(glass_nagle_may_send(&in));
}

TEST(Nagle, FinSendsWhenNotCorked) {
  const glass_nagle_in in = In(10, false, false, true, kSmallUnacked);
  EXPECT_TRUE(glass_nagle_may_send(&in));
}

TEST(Nagle, FinHeldWhenCorked) {
  const glass_nagle_in in = In(10, false, true, true, kSmallAcked);
  EXPECT_FALSE(glass_nagle_may_send(&in));
}

TEST(Nagle, NodelaySendsSmall) {
  const glass_nagle_in in = In(1, true, false, false, kSmallUnacked);
  EXPECT_TRUE(glass_nagle_may_send(&in));
}

TEST(Nagle, NodelayHeldWhenCorked) {
  const glass_nagle_in in = In(1, true, true, false, kSmallAcked);
  EXPECT_FALSE(glass_nagle_may_send(&in));
}

TEST(Nagle, SmallSendsWhenNoSmallUnacked) {
  const glass_nagle_in in = In(1, false, false, false, kUna - 100);
  EXPECT_TRUE(glass_nagle_may_send(&in));
}

TEST(Nagle, SmallSendsWhenLastSmallAckedExactly) {
  const glass_nagle_in in = In(1, false, false, false, kUna);
  EXPECT_TRUE(glass_nagle_may_send(&in));
}

TEST(Nagle, SmallHeldWhileSmallUnacked) {
  const glass_nagle_in in = In(kMss - 1, false, false, false, kUna + 1);
  EXPECT_FALSE(glass_nagle_may_send(&in));
}

TEST(Nagle, SmallHeldWhileSmallUnackedAcrossWrap) {
  const glass_nagle_in in = In(1, false, false, false, 0x10, 0xfffffff0u);
  EXPECT_FALSE(glass_nagle_may_send(&in));
}

TEST(Nagle, SmallSendsWhenSmallAckedAcrossWrap) {
  const glass_nagle_in in = In(1, false, false, false, 0xfffffff0u, 0x10);
  EXPECT_TRUE(glass_nagle_may_send(&in));
}

TEST(Nagle, EmptySegmentFollowsSmallRules) {
  const glass_nagle_in held = In(0, false, false, false, kSmallUnacked);
  const glass_nagle_in fin = In(0, false, false, true, kSmallUnacked);
  EXPECT_FALSE(glass_nagle_may_send(&held));
  EXPECT_TRUE(glass_nagle_may_send(&fin));
}

TEST(Nagle, DecisionTable) {
  for (uint32_t len : {0u, 1u, kMss - 1, kMss, kMss + 1, 0xffffffffu}) {
    for (bool nodelay : {false, true}) {
      for (bool cork : {false, true}) {
        for (bool fin : {false, true}) {
          for (bool small_unacked : {false, true}) {
            const uint32_t sml = small_unacked ? kSmallUnacked : kSmallAcked;
            const glass_nagle_in in = In(len, nodelay, cork, fin, sml);
            const bool full = len >= kMss;
            const bool expect = full || (!cork && (fin || nodelay || !small_unacked));
            ASSERT_EQ(glass_nagle_may_send(&in), expect)
                << "len " << len << " nodelay " << nodelay << " cork " << cork << " fin " << fin
                << " small_unacked " << small_unacked;
          }
        }
      }
    }
  }
}

}  // namespace
