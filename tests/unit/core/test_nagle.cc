// Tests for kmod/core/nagle.c: the Nagle / Minshall / cork decision.
//
// Every rule of nagle.h has a named test; ShortSegmentTable then writes out
// the decision for every combination of the options, row by row.

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

// The decision for a short segment under every combination of the options,
// each row written out from nagle.h's rules (RFC 896, Minshall's variant,
// and cork, which holds back even FIN and overrides nodelay as TCP_CORK
// overrides TCP_NODELAY).
TEST(Nagle, ShortSegmentTable) {
  struct Row {
    bool nodelay, cork, fin, small_unacked, send;
    const char* why;
  };
  const Row rows[] = {
      {false, false, false, false, true, "4: nothing small in flight (Minshall)"},
      {false, false, false, true, false, "Nagle: a small segment is in flight"},
      {false, false, true, false, true, "2: FIN"},
      {false, false, true, true, true, "2: FIN goes despite a small one in flight"},
      {false, true, false, false, false, "cork holds it"},
      {false, true, false, true, false, "cork holds it"},
      {false, true, true, false, false, "cork holds even FIN"},
      {false, true, true, true, false, "cork holds even FIN"},
      {true, false, false, false, true, "3: nodelay"},
      {true, false, false, true, true, "3: nodelay ignores what is in flight"},
      {true, false, true, false, true, "2 and 3"},
      {true, false, true, true, true, "2 and 3"},
      {true, true, false, false, false, "cork overrides nodelay"},
      {true, true, false, true, false, "cork overrides nodelay"},
      {true, true, true, false, false, "cork overrides nodelay and FIN"},
      {true, true, true, true, false, "cork overrides nodelay and FIN"},
  };
  for (uint32_t len : {0u, 1u, kMss - 1}) {
    for (const Row& r : rows) {
      const glass_nagle_in in =
          In(len, r.nodelay, r.cork, r.fin, r.small_unacked ? kSmallUnacked : kSmallAcked);
      EXPECT_EQ(glass_nagle_may_send(&in), r.send) << "len " << len << ": " << r.why;
    }
  }
}

// Rule 1: a full-sized segment goes whatever the options say.
TEST(Nagle, FullSizedGoesUnderEveryOption) {
  for (uint32_t len : {kMss, kMss + 1, 0xffffffffu}) {
    for (int bits = 0; bits < 16; bits++) {
      const glass_nagle_in in = In(len, (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0,
                                   (bits & 8) != 0 ? kSmallUnacked : kSmallAcked);
      EXPECT_TRUE(glass_nagle_may_send(&in)) << "len " << len << " options " << bits;
    }
  }
}

}  // namespace
