// Tests for kmod/core/ooo.c: clipping to the receive window and the set of
// out-of-order ranges.
//
// The randomized tests drive the set and a bitmap of held bytes side by side
// and compare every answer, the exact byte count and the ranges themselves.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

extern "C" {
#include "ooo.h"
#include "seq.h"
}

namespace {

using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;

uint32_t Seq(int64_t pos) {
  return static_cast<uint32_t>(pos);
}

glass_ooo_set Empty() {
  glass_ooo_set s;
  glass_ooo_init(&s);
  return s;
}

Ranges Held(const glass_ooo_set& s) {
  Ranges out;
  for (uint32_t i = 0; i < s.n; i++) {
    out.emplace_back(s.r[i].start, s.r[i].end);
  }
  return out;
}

// Sorted, non-empty, disjoint and non-adjacent, and @bytes is their sum.
void ExpectWellFormed(const glass_ooo_set& s) {
  ASSERT_LE(s.n, GLASS_OOO_MAX_RANGES);
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < s.n; i++) {
    ASSERT_TRUE(glass_seq_before(s.r[i].start, s.r[i].end)) << i;
    if (i + 1 < s.n) {
      ASSERT_TRUE(glass_seq_before(s.r[i].end, s.r[i + 1].start)) << i;
    }
    bytes += s.r[i].end - s.r[i].start;
  }
  ASSERT_EQ(s.bytes, bytes);
}

// Clip [start, end) to [lo, hi) on positions; nullopt-like: ok == false.
struct Clipped {
  bool ok;
  int64_t start;
  int64_t end;
};

Clipped RefClip(int64_t start, int64_t end, int64_t lo, int64_t hi) {
  const int64_t s = std::max(start, lo);
  const int64_t e = std::min(end, hi);
  return Clipped{s < e, s, e};
}

TEST(Ooo, ClipInsideUnchanged) {
  glass_range r{.start = 10, .end = 20};
  EXPECT_TRUE(glass_range_clip(&r, 0, 100));
  EXPECT_EQ(r.start, 10u);
  EXPECT_EQ(r.end, 20u);
}

TEST(Ooo, ClipHead) {
  glass_range r{.start = 10, .end = 20};
  EXPECT_TRUE(glass_range_clip(&r, 15, 100));
  EXPECT_EQ(r.start, 15u);
  EXPECT_EQ(r.end, 20u);
}

TEST(Ooo, ClipTail) {
  glass_range r{.start = 10, .end = 20};
  EXPECT_TRUE(glass_range_clip(&r, 0, 12));
  EXPECT_EQ(r.start, 10u);
  EXPECT_EQ(r.end, 12u);
}

TEST(Ooo, ClipBothEnds) {
  glass_range r{.start = 10, .end = 20};
  EXPECT_TRUE(glass_range_clip(&r, 12, 13));
  EXPECT_EQ(r.start, 12u);
  EXPECT_EQ(r.end, 13u);
}

TEST(Ooo, ClipEntirelyBeforeLeavesRangeAlone) {
  glass_range r{.start = 10, .end = 20};
  EXPECT_FALSE(glass_range_clip(&r, 20, 100));
  EXPECT_EQ(r.start, 10u);
  EXPECT_EQ(r.end, 20u);
}

TEST(Ooo, ClipEntirelyAfterLeavesRangeAlone) {
  glass_range r{.start = 100, .end = 120};
  EXPECT_FALSE(glass_range_clip(&r, 20, 100));
  EXPECT_EQ(r.start, 100u);
  EXPECT_EQ(r.end, 120u);
}

TEST(Ooo, ClipEmptyRangeNeverInside) {
  glass_range r{.start = 50, .end = 50};
  EXPECT_FALSE(glass_range_clip(&r, 0, 100));
}

TEST(Ooo, ClipEmptyWindowHoldsNothing) {
  glass_range r{.start = 10, .end = 20};
  EXPECT_FALSE(glass_range_clip(&r, 15, 15));
}

TEST(Ooo, ClipAcrossWrap) {
  glass_range r{.start = 0xfffffff0u, .end = 0x20};
  EXPECT_TRUE(glass_range_clip(&r, 0xfffffff8u, 0x10));
  EXPECT_EQ(r.start, 0xfffffff8u);
  EXPECT_EQ(r.end, 0x10u);
}

TEST(Ooo, ClipOldDuplicateFarBehindIsOutside) {
  glass_range r{.start = 0x10000, .end = 0x20000};
  EXPECT_FALSE(glass_range_clip(&r, 0x70000000u, 0x70010000u));
}

TEST(Ooo, ClipSweepMatchesPositions) {
  for (int64_t base : {int64_t{0}, (int64_t{1} << 32) - 8, (int64_t{1} << 31) - 8}) {
    for (int64_t lo = base - 4; lo <= base + 4; lo++) {
      for (int64_t hi = lo; hi <= lo + 8; hi++) {
        for (int64_t start = lo - 10; start <= hi + 10; start++) {
          for (int64_t end = start; end <= start + 20; end++) {
            glass_range r{.start = Seq(start), .end = Seq(end)};
            const Clipped want = RefClip(start, end, lo, hi);
            ASSERT_EQ(glass_range_clip(&r, Seq(lo), Seq(hi)), want.ok)
                << start << " " << end << " " << lo << " " << hi;
            ASSERT_EQ(r.start, Seq(want.ok ? want.start : start));
            ASSERT_EQ(r.end, Seq(want.ok ? want.end : end));
          }
        }
      }
    }
  }
}

TEST(Ooo, InitIsEmpty) {
  glass_ooo_set s;
  s.n = 7;
  s.bytes = 99;
  glass_ooo_init(&s);
  EXPECT_EQ(s.n, 0u);
  EXPECT_EQ(s.bytes, 0u);
}

TEST(Ooo, AddToEmpty) {
  glass_ooo_set s = Empty();
  EXPECT_EQ(glass_ooo_add(&s, 100, 150), 50);
  EXPECT_EQ(Held(s), (Ranges{{100, 150}}));
  EXPECT_EQ(s.bytes, 50u);
}

TEST(Ooo, AddEmptyRangeAddsNothing) {
  glass_ooo_set s = Empty();
  EXPECT_EQ(glass_ooo_add(&s, 100, 100), 0);
  EXPECT_EQ(s.n, 0u);
}

TEST(Ooo, AddDisjointKeepsSorted) {
  glass_ooo_set s = Empty();
  EXPECT_EQ(glass_ooo_add(&s, 300, 310), 10);
  EXPECT_EQ(glass_ooo_add(&s, 100, 110), 10);
  EXPECT_EQ(glass_ooo_add(&s, 500, 510), 10);
  EXPECT_EQ(glass_ooo_add(&s, 200, 210), 10);
  EXPECT_EQ(Held(s), (Ranges{{100, 110}, {200, 210}, {300, 310}, {500, 510}}));
  EXPECT_EQ(s.bytes, 40u);
}

TEST(Ooo, AddAdjacentBelowMerges) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  EXPECT_EQ(glass_ooo_add(&s, 50, 100), 50);
  EXPECT_EQ(Held(s), (Ranges{{50, 200}}));
}

TEST(Ooo, AddAdjacentAboveMerges) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  EXPECT_EQ(glass_ooo_add(&s, 200, 260), 60);
  EXPECT_EQ(Held(s), (Ranges{{100, 260}}));
}

TEST(Ooo, AddFillingGapJoinsNeighbours) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  glass_ooo_add(&s, 300, 400);
  EXPECT_EQ(glass_ooo_add(&s, 200, 300), 100);
  EXPECT_EQ(Held(s), (Ranges{{100, 400}}));
  EXPECT_EQ(s.bytes, 300u);
}

TEST(Ooo, AddOverlappingCountsOnlyNewBytes) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  EXPECT_EQ(glass_ooo_add(&s, 150, 250), 50);
  EXPECT_EQ(glass_ooo_add(&s, 50, 120), 50);
  EXPECT_EQ(Held(s), (Ranges{{50, 250}}));
  EXPECT_EQ(s.bytes, 200u);
}

TEST(Ooo, AddContainedIsDuplicate) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  EXPECT_EQ(glass_ooo_add(&s, 120, 180), 0);
  EXPECT_EQ(Held(s), (Ranges{{100, 200}}));
}

TEST(Ooo, AddExactDuplicateIsDuplicate) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  EXPECT_EQ(glass_ooo_add(&s, 100, 200), 0);
  EXPECT_EQ(s.bytes, 100u);
}

TEST(Ooo, AddContainingSwallowsSeveral) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 110);
  glass_ooo_add(&s, 120, 130);
  glass_ooo_add(&s, 140, 150);
  glass_ooo_add(&s, 500, 510);
  EXPECT_EQ(glass_ooo_add(&s, 90, 160), 40);
  EXPECT_EQ(Held(s), (Ranges{{90, 160}, {500, 510}}));
  EXPECT_EQ(s.bytes, 80u);
}

TEST(Ooo, AddAcrossWrap) {
  glass_ooo_set s = Empty();
  EXPECT_EQ(glass_ooo_add(&s, 0x10, 0x20), 0x10);
  EXPECT_EQ(glass_ooo_add(&s, 0xfffffff0u, 0xfffffff8u), 8);
  EXPECT_EQ(Held(s), (Ranges{{0xfffffff0u, 0xfffffff8u}, {0x10, 0x20}}));
  EXPECT_EQ(glass_ooo_add(&s, 0xfffffff8u, 0x10), 0x18);
  EXPECT_EQ(Held(s), (Ranges{{0xfffffff0u, 0x20}}));
  EXPECT_EQ(s.bytes, 0x30u);
}

TEST(Ooo, AddFullSetRefusesNewSlotUnchanged) {
  glass_ooo_set s = Empty();
  for (uint32_t i = 0; i < GLASS_OOO_MAX_RANGES; i++) {
    ASSERT_EQ(glass_ooo_add(&s, 100 * i, (100 * i) + 10), 10);
  }
  const Ranges before = Held(s);
  EXPECT_EQ(glass_ooo_add(&s, 50, 60), -1);
  EXPECT_EQ(glass_ooo_add(&s, 100000, 100001), -1);
  EXPECT_EQ(Held(s), before);
  EXPECT_EQ(s.bytes, 10 * GLASS_OOO_MAX_RANGES);
}

TEST(Ooo, AddFullSetStillMerges) {
  glass_ooo_set s = Empty();
  for (uint32_t i = 0; i < GLASS_OOO_MAX_RANGES; i++) {
    glass_ooo_add(&s, 100 * i, (100 * i) + 10);
  }
  EXPECT_EQ(glass_ooo_add(&s, 10, 20), 10);   // adjacent
  EXPECT_EQ(glass_ooo_add(&s, 5, 8), 0);      // duplicate
  EXPECT_EQ(glass_ooo_add(&s, 20, 100), 80);  // joins two: frees a slot
  EXPECT_EQ(s.n, GLASS_OOO_MAX_RANGES - 1);
  EXPECT_EQ(glass_ooo_add(&s, 50000, 50001), 1);
  ExpectWellFormed(s);
}

TEST(Ooo, AdvanceEmptyReturnsArgument) {
  glass_ooo_set s = Empty();
  EXPECT_EQ(glass_ooo_advance(&s, 1234), 1234u);
}

TEST(Ooo, AdvanceBeforeFirstRangeLeavesSet) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  EXPECT_EQ(glass_ooo_advance(&s, 99), 99u);
  EXPECT_EQ(Held(s), (Ranges{{100, 200}}));
}

TEST(Ooo, AdvanceConsumesRangeStartingAtRcvNxt) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  glass_ooo_add(&s, 300, 400);
  EXPECT_EQ(glass_ooo_advance(&s, 100), 200u);
  EXPECT_EQ(Held(s), (Ranges{{300, 400}}));
  EXPECT_EQ(s.bytes, 100u);
}

TEST(Ooo, AdvanceDropsRangesBehind) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  glass_ooo_add(&s, 300, 400);
  glass_ooo_add(&s, 600, 700);
  EXPECT_EQ(glass_ooo_advance(&s, 500), 500u);
  EXPECT_EQ(Held(s), (Ranges{{600, 700}}));
  EXPECT_EQ(s.bytes, 100u);
}

TEST(Ooo, AdvanceDropsRangeEndingAtRcvNxt) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  EXPECT_EQ(glass_ooo_advance(&s, 200), 200u);
  EXPECT_EQ(s.n, 0u);
  EXPECT_EQ(s.bytes, 0u);
}

TEST(Ooo, AdvanceIntoRangeConsumesItsTail) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  glass_ooo_add(&s, 300, 400);
  EXPECT_EQ(glass_ooo_advance(&s, 150), 200u);
  EXPECT_EQ(Held(s), (Ranges{{300, 400}}));
  EXPECT_EQ(s.bytes, 100u);
}

TEST(Ooo, AdvanceStopsAtNextHole) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 100, 200);
  glass_ooo_add(&s, 201, 300);
  EXPECT_EQ(glass_ooo_advance(&s, 100), 200u);
  EXPECT_EQ(Held(s), (Ranges{{201, 300}}));
}

TEST(Ooo, AdvanceAcrossWrap) {
  glass_ooo_set s = Empty();
  glass_ooo_add(&s, 0xfffffff0u, 0x10);
  glass_ooo_add(&s, 0x20, 0x30);
  EXPECT_EQ(glass_ooo_advance(&s, 0xffffffe0u), 0xffffffe0u);
  EXPECT_EQ(glass_ooo_advance(&s, 0xfffffff0u), 0x10u);
  EXPECT_EQ(glass_ooo_advance(&s, 0x25), 0x30u);
  EXPECT_EQ(s.n, 0u);
  EXPECT_EQ(s.bytes, 0u);
}

// Bytes held beyond rcv_nxt, at offsets from a base position.
class BitmapModel {
 public:
  explicit BitmapModel(size_t size) : held_(size, 0) {}

  int64_t Add(size_t start, size_t end) {
    int64_t fresh = 0;
    for (size_t i = start; i < end; i++) {
      fresh += held_[i] != 0 ? 0 : 1;
      held_[i] = 1;
    }
    high_ = std::max(high_, end);
    return fresh;
  }

  // Would [start, end) touch nothing held (so needs a slot of its own)?
  bool Isolated(size_t start, size_t end) const {
    const size_t lo = start > 0 ? start - 1 : 0;
    const size_t hi = std::min(end + 1, held_.size());
    for (size_t i = lo; i < hi; i++) {
      if (held_[i] != 0) {
        return false;
      }
    }
    return true;
  }

  size_t Advance(size_t nxt) {
    for (size_t i = low_; i < nxt; i++) {
      held_[i] = 0;
    }
    while (nxt < held_.size() && held_[nxt] != 0) {
      held_[nxt++] = 0;
    }
    low_ = nxt;
    return nxt;
  }

  Ranges Runs(int64_t base) const {
    Ranges out;
    for (size_t i = low_; i < high_; i++) {
      if (held_[i] != 0 && (i == low_ || held_[i - 1] == 0)) {
        size_t j = i;
        while (j < high_ && held_[j] != 0) {
          j++;
        }
        out.emplace_back(Seq(base + static_cast<int64_t>(i)), Seq(base + static_cast<int64_t>(j)));
      }
    }
    return out;
  }

 private:
  std::vector<uint8_t> held_;
  size_t low_ = 0;   // nothing is held below this
  size_t high_ = 0;  // nor from this on
};

// One run from an empty set until rcv_nxt leaves the window; returns how
// often the set was full and refused a range.
int RunRandomized(int64_t base, uint32_t seed, size_t max_len) {
  constexpr size_t kWindow = 1000;
  int refused = 0;
  std::mt19937 rng(seed);
  glass_ooo_set s = Empty();
  BitmapModel model(kWindow + 64);
  size_t nxt = 0;
  for (int step = 0; step < 20000 && nxt < kWindow; step++) {
    if (rng() % 8 != 0) {
      const size_t start = nxt + (rng() % (kWindow - nxt));
      const size_t end = start + (rng() % (max_len + 1));
      const bool full = s.n == GLASS_OOO_MAX_RANGES && end > start && model.Isolated(start, end);
      const int64_t got = glass_ooo_add(&s, Seq(base + static_cast<int64_t>(start)),
                                        Seq(base + static_cast<int64_t>(end)));
      if (full) {
        EXPECT_EQ(got, -1) << "step " << step;
        refused++;
      } else {
        EXPECT_EQ(got, model.Add(start, end)) << "step " << step;
      }
    } else {
      const size_t to = nxt + (rng() % 24);
      const size_t want = model.Advance(to);
      EXPECT_EQ(glass_ooo_advance(&s, Seq(base + static_cast<int64_t>(to))),
                Seq(base + static_cast<int64_t>(want)))
          << "step " << step;
      nxt = want;
    }
    ExpectWellFormed(s);
    EXPECT_EQ(Held(s), model.Runs(base)) << "step " << step;
    if (::testing::Test::HasFailure()) {
      return refused;
    }
  }
  return refused;
}

TEST(Ooo, RandomizedShortSegmentsMatchBitmap) {
  int refused = 0;
  for (int64_t base : {int64_t{0}, (int64_t{1} << 32) - 500, (int64_t{1} << 31) - 500}) {
    for (uint32_t round = 0; round < 20 && !HasFailure(); round++) {
      refused += RunRandomized(base, 42 + round, 4);
    }
  }
  EXPECT_GT(refused, 0);  // the full-set path was exercised
}

TEST(Ooo, RandomizedLongSegmentsMatchBitmap) {
  for (int64_t base : {int64_t{0}, (int64_t{1} << 32) - 500, (int64_t{1} << 31) - 500}) {
    for (uint32_t round = 0; round < 20 && !HasFailure(); round++) {
      RunRandomized(base, 7 + round, 60);
    }
  }
}

}  // namespace
