// Tests for kmod/core/seq.h: sequence-number comparisons modulo 2^32.
//
// The model: a sequence number is the low 32 bits of a position on an
// unbounded int64 line; as long as two numbers are within 2^31 of each other,
// comparing them modulo 2^32 must agree with comparing their positions. The
// sweeps check every pair in small windows around 0, 2^31 and 2^32 - 1.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

extern "C" {
#include "seq.h"
}

namespace {

constexpr int64_t kSweep = 48;

// Positions around which the sweeps run: the wrap at 0 / 2^32, the signed
// boundary at 2^31, and an ordinary value.
const std::vector<int64_t> kBases = {0, int64_t{1} << 31, (int64_t{1} << 32) - 1, 12345};

uint32_t Seq(int64_t pos) {
  return static_cast<uint32_t>(pos);
}

TEST(Seq, BeforeSimple) {
  EXPECT_TRUE(glass_seq_before(1, 2));
  EXPECT_FALSE(glass_seq_before(2, 1));
  EXPECT_FALSE(glass_seq_before(7, 7));
}

TEST(Seq, BeforeAcrossWrap) {
  EXPECT_TRUE(glass_seq_before(0xffffffffu, 0));
  EXPECT_TRUE(glass_seq_before(0xfffffff0u, 0x10));
  EXPECT_FALSE(glass_seq_before(0, 0xffffffffu));
  EXPECT_FALSE(glass_seq_before(0x10, 0xfffffff0u));
}

TEST(Seq, BeforeAtSignedBoundary) {
  // Just under 2^31 apart the order is clear; at exactly 2^31 both
  // directions read as "before" (the distance is ambiguous).
  EXPECT_TRUE(glass_seq_before(0, 0x7fffffffu));
  EXPECT_FALSE(glass_seq_before(0x7fffffffu, 0));
  EXPECT_TRUE(glass_seq_before(0, 0x80000000u));
  EXPECT_TRUE(glass_seq_before(0x80000000u, 0));
  EXPECT_TRUE(glass_seq_before(0x80000001u, 0));
}

TEST(Seq, BeforeSweepMatchesPositions) {
  for (int64_t base : kBases) {
    for (int64_t a = base - kSweep; a <= base + kSweep; a++) {
      for (int64_t b = base - kSweep; b <= base + kSweep; b++) {
        ASSERT_EQ(glass_seq_before(Seq(a), Seq(b)), a < b) << a << " " << b;
      }
    }
  }
}

TEST(Seq, BeforeFarApartSweepMatchesPositions) {
  // Pairs up to 2^31 - 1 apart, at both ends of that range.
  const int64_t far = (int64_t{1} << 31) - 1;
  for (int64_t base : kBases) {
    for (int64_t d = -kSweep; d <= kSweep; d++) {
      for (int64_t gap : {far, far - d * d}) {
        ASSERT_TRUE(glass_seq_before(Seq(base), Seq(base + gap)));
        ASSERT_FALSE(glass_seq_before(Seq(base + gap), Seq(base)));
      }
    }
  }
}

TEST(Seq, AfterSweepMatchesPositions) {
  for (int64_t base : kBases) {
    for (int64_t a = base - kSweep; a <= base + kSweep; a++) {
      for (int64_t b = base - kSweep; b <= base + kSweep; b++) {
        ASSERT_EQ(glass_seq_after(Seq(a), Seq(b)), a > b) << a << " " << b;
      }
    }
  }
}

TEST(Seq, LeqSweepMatchesPositions) {
  for (int64_t base : kBases) {
    for (int64_t a = base - kSweep; a <= base + kSweep; a++) {
      for (int64_t b = base - kSweep; b <= base + kSweep; b++) {
        ASSERT_EQ(glass_seq_leq(Seq(a), Seq(b)), a <= b) << a << " " << b;
      }
    }
  }
}

TEST(Seq, GeqSweepMatchesPositions) {
  for (int64_t base : kBases) {
    for (int64_t a = base - kSweep; a <= base + kSweep; a++) {
      for (int64_t b = base - kSweep; b <= base + kSweep; b++) {
        ASSERT_EQ(glass_seq_geq(Seq(a), Seq(b)), a >= b) << a << " " << b;
      }
    }
  }
}

TEST(Seq, MaxSweepMatchesPositions) {
  for (int64_t base : kBases) {
    for (int64_t a = base - kSweep; a <= base + kSweep; a++) {
      for (int64_t b = base - kSweep; b <= base + kSweep; b++) {
        ASSERT_EQ(glass_seq_max(Seq(a), Seq(b)), Seq(a > b ? a : b)) << a << " " << b;
      }
    }
  }
}

TEST(Seq, MinSweepMatchesPositions) {
  for (int64_t base : kBases) {
    for (int64_t a = base - kSweep; a <= base + kSweep; a++) {
      for (int64_t b = base - kSweep; b <= base + kSweep; b++) {
        ASSERT_EQ(glass_seq_min(Seq(a), Seq(b)), Seq(a < b ? a : b)) << a << " " << b;
      }
    }
  }
}

}  // namespace
