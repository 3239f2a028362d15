// Tests for kmod/core/rto.c: the RFC 6298 estimator, backoff and Karn's rule.
//
// The reference estimator below is written independently of the C code: it
// works in double precision (exact for these magnitudes) and rounds each
// average toward the new sample with ceil/floor, the rounding glass
// documents.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

extern "C" {
#include "rto.h"
}

namespace {

constexpr uint32_t kMin = 200000;       // 200 ms
constexpr uint32_t kMax = 120000000;    // 120 s
constexpr uint32_t kInitial = 1000000;  // 1 s
constexpr uint32_t kU32Max = 0xffffffffu;

glass_rto Fresh(uint32_t min_us = kMin, uint32_t max_us = kMax, uint32_t initial_us = kInitial) {
  glass_rto r{};
  glass_rto_init(&r, min_us, max_us, initial_us);
  return r;
}

// RFC 6298 section 2, step by step, with glass's rounding.
struct RefRto {
  double srtt = 0;
  double rttvar = 0;
  uint32_t min_us;
  uint32_t max_us;

  void Sample(uint32_t rtt) {
    const double r = std::max<uint32_t>(rtt, 1);
    if (srtt == 0) {
      srtt = r;
      rttvar = std::floor(r / 2);
      return;
    }
    const double delta = std::fabs(srtt - r);
    rttvar = Toward((0.75 * rttvar) + (0.25 * delta), delta);
    srtt = Toward((0.875 * srtt) + (0.125 * r), r);
  }

  static double Toward(double exact, double target) {
    return target > exact ? std::ceil(exact) : std::floor(exact);
  }

  uint32_t Rto() const {
    const double rto = srtt + std::max(static_cast<double>(GLASS_RTO_G_US), 4 * rttvar);
    return static_cast<uint32_t>(
        std::clamp(rto, static_cast<double>(min_us), static_cast<double>(max_us)));
  }
};

// min(base * 2^exp, max) without shifting: repeated doubling, saturating.
uint32_t RefBackoff(uint32_t base, uint32_t exp, uint32_t max) {
  uint64_t v = base;
  for (uint32_t i = 0; i < exp && v <= max; i++) {
    v *= 2;
  }
  return static_cast<uint32_t>(std::min<uint64_t>(v, max));
}

TEST(Rto, InitHasNoSampleAndUsesInitial) {
  const glass_rto r = Fresh();
  EXPECT_EQ(r.srtt_us, 0u);
  EXPECT_EQ(r.rttvar_us, 0u);
  EXPECT_EQ(r.rto_us, kInitial);
  EXPECT_EQ(r.min_us, kMin);
  EXPECT_EQ(r.max_us, kMax);
  EXPECT_EQ(r.backoff, 0u);
  EXPECT_FALSE(r.timing);
}

TEST(Rto, InitClampsInitialToMin) {
  EXPECT_EQ(Fresh(kMin, kMax, 1000).rto_us, kMin);
}

TEST(Rto, InitClampsInitialToMax) {
  EXPECT_EQ(Fresh(kMin, kMax, kU32Max).rto_us, kMax);
}

TEST(Rto, SampleFirstSetsSrttAndHalfVar) {
  glass_rto r = Fresh();
  glass_rto_sample(&r, 100000);
  EXPECT_EQ(r.srtt_us, 100000u);
  EXPECT_EQ(r.rttvar_us, 50000u);
  EXPECT_EQ(r.rto_us, 100000u + (4 * 50000u));
}

TEST(Rto, SampleFirstOddHalvesDown) {
  glass_rto r = Fresh(1, kMax);
  glass_rto_sample(&r, 3);
  EXPECT_EQ(r.srtt_us, 3u);
  EXPECT_EQ(r.rttvar_us, 1u);
}

TEST(Rto, SampleZeroCountsAsOneMicrosecond) {
  glass_rto r = Fresh(1, kMax);
  glass_rto_sample(&r, 0);
  EXPECT_EQ(r.srtt_us, 1u);
  EXPECT_EQ(r.rttvar_us, 0u);
  // The next sample is a later one, not a first one again.
  glass_rto_sample(&r, 801);
  EXPECT_EQ(r.srtt_us, 101u);
}

TEST(Rto, SampleLaterUsesOldSrttForVar) {
  glass_rto r = Fresh();
  glass_rto_sample(&r, 8000);  // srtt 8000, var 4000
  glass_rto_sample(&r, 16000);
  // var = 3/4 * 4000 + 1/4 * |8000 - 16000| = 5000 (with the old srtt);
  // srtt = 7/8 * 8000 + 1/8 * 16000 = 9000.
  EXPECT_EQ(r.rttvar_us, 5000u);
  EXPECT_EQ(r.srtt_us, 9000u);
}

TEST(Rto, SampleLaterRoundsTowardSample) {
  glass_rto r = Fresh(1, kMax);
  glass_rto_sample(&r, 10);  // srtt 10, var 5
  glass_rto_sample(&r, 14);  // var (15 + 4) / 4 = 4.75 -> 4; srtt 84 / 8 = 10.5 -> 11
  EXPECT_EQ(r.rttvar_us, 4u);
  EXPECT_EQ(r.srtt_us, 11u);
  glass_rto_sample(&r, 1);  // var (12 + 10) / 4 = 5.5 -> 6; srtt 78 / 8 = 9.75 -> 9
  EXPECT_EQ(r.rttvar_us, 6u);
  EXPECT_EQ(r.srtt_us, 9u);
}

TEST(Rto, SampleLaterNeverOvershootsSample) {
  glass_rto r = Fresh(1, kMax);
  glass_rto_sample(&r, 1000);
  glass_rto_sample(&r, 1001);  // 1000.125 -> 1001, not past it
  EXPECT_EQ(r.srtt_us, 1001u);
  glass_rto_sample(&r, 1000);
  EXPECT_EQ(r.srtt_us, 1000u);
}

TEST(Rto, SampleMatchesReferenceRandomized) {
  std::mt19937 rng(6298);
  for (int run = 0; run < 200; run++) {
    glass_rto r = Fresh(1, kU32Max);
    RefRto ref{.min_us = 1, .max_us = kU32Max};
    // Each run draws from its own scale so small and huge RTTs both appear.
    const uint32_t scale = 1u << (run % 32);
    std::uniform_int_distribution<uint32_t> dist(0, scale == 1u << 31 ? kU32Max : 2 * scale);
    for (int i = 0; i < 200; i++) {
      const uint32_t rtt = dist(rng);
      glass_rto_sample(&r, rtt);
      ref.Sample(rtt);
      ASSERT_EQ(r.srtt_us, ref.srtt) << "run " << run << " sample " << i;
      ASSERT_EQ(r.rttvar_us, ref.rttvar) << "run " << run << " sample " << i;
      ASSERT_EQ(r.rto_us, ref.Rto()) << "run " << run << " sample " << i;
    }
  }
}

TEST(Rto, SampleStaysCloseToUnroundedAverage) {
  // Rounding errors do not accumulate: the smoothing forgets them.
  std::mt19937 rng(5);
  std::uniform_int_distribution<uint32_t> dist(1, 1000);
  glass_rto r = Fresh(1, kMax);
  double srtt = 0;
  double var = 0;
  for (int i = 0; i < 10000; i++) {
    const uint32_t rtt = dist(rng);
    glass_rto_sample(&r, rtt);
    if (i == 0) {
      srtt = rtt;
      var = rtt / 2.0;
    } else {
      var = (0.75 * var) + (0.25 * std::fabs(srtt - rtt));
      srtt = (0.875 * srtt) + (0.125 * rtt);
    }
    ASSERT_NEAR(r.srtt_us, srtt, 8.0) << i;
    ASSERT_NEAR(r.rttvar_us, var, 12.0) << i;
  }
}

TEST(Rto, SampleConstantRttConvergesExactly) {
  glass_rto r = Fresh();
  glass_rto_sample(&r, 1000);
  for (int i = 0; i < 200; i++) {
    glass_rto_sample(&r, 50000);
  }
  EXPECT_EQ(r.srtt_us, 50000u);
  EXPECT_EQ(r.rttvar_us, 0u);
  EXPECT_EQ(r.rto_us, kMin);  // 50 ms + G is below the floor
}

TEST(Rto, SampleTinyRttNeverDriftsToZero) {
  glass_rto r = Fresh(1, kMax);
  glass_rto_sample(&r, 100000);
  for (int i = 0; i < 1000; i++) {
    glass_rto_sample(&r, 1);
    ASSERT_GE(r.srtt_us, 1u);
  }
  EXPECT_EQ(r.srtt_us, 1u);
}

TEST(Rto, SampleRtoUsesGranularityWhenVarSmall) {
  glass_rto r = Fresh(1, kMax);
  glass_rto_sample(&r, 1000);  // var 500: 4 * var = 2000 < G
  EXPECT_EQ(r.rto_us, 1000u + GLASS_RTO_G_US);
}

TEST(Rto, SampleRtoUsesFourVarWhenLarge) {
  glass_rto r = Fresh(1, kMax);
  glass_rto_sample(&r, 300000);
  EXPECT_EQ(r.rto_us, 300000u + (4 * 150000u));
}

TEST(Rto, SampleRtoClampedToMin) {
  glass_rto r = Fresh();
  glass_rto_sample(&r, 100);
  EXPECT_EQ(r.rto_us, kMin);
}

TEST(Rto, SampleRtoClampedToMax) {
  glass_rto r = Fresh();
  glass_rto_sample(&r, 60000000);
  EXPECT_EQ(r.rto_us, kMax);
}

TEST(Rto, SampleHugeValuesDoNotOverflow) {
  glass_rto r = Fresh(1, kU32Max);
  glass_rto_sample(&r, kU32Max);
  EXPECT_EQ(r.srtt_us, kU32Max);
  EXPECT_EQ(r.rttvar_us, kU32Max / 2);
  EXPECT_EQ(r.rto_us, kU32Max);
  glass_rto_sample(&r, 1);
  glass_rto_sample(&r, kU32Max);
  EXPECT_GT(r.srtt_us, kU32Max / 2);
  EXPECT_EQ(r.rto_us, kU32Max);
}

TEST(Rto, TimeoutWithoutBackoffIsRto) {
  const glass_rto r = Fresh();
  EXPECT_EQ(glass_rto_timeout(&r), kInitial);
}

TEST(Rto, TimeoutDoublesPerBackoff) {
  glass_rto r = Fresh();
  for (uint32_t b = 0; b < 6; b++) {
    r.backoff = b;
    EXPECT_EQ(glass_rto_timeout(&r), kInitial << b);
  }
}

TEST(Rto, TimeoutCappedAtMax) {
  glass_rto r = Fresh();
  r.backoff = 7;  // 128 s > 120 s
  EXPECT_EQ(glass_rto_timeout(&r), kMax);
  r.backoff = GLASS_RTO_MAX_BACKOFF;
  EXPECT_EQ(glass_rto_timeout(&r), kMax);
}

TEST(Rto, TimeoutNeverOverflowsAtAnyBackoff) {
  glass_rto r = Fresh(1, kU32Max, kU32Max / 3);
  for (uint32_t b = 0; b <= GLASS_RTO_MAX_BACKOFF; b++) {
    r.backoff = b;
    EXPECT_EQ(glass_rto_timeout(&r), RefBackoff(kU32Max / 3, b, kU32Max)) << b;
    EXPECT_GE(glass_rto_timeout(&r), r.rto_us) << b;
  }
}

TEST(Rto, BackoffIncrements) {
  glass_rto r = Fresh();
  glass_rto_backoff(&r);
  EXPECT_EQ(r.backoff, 1u);
  glass_rto_backoff(&r);
  EXPECT_EQ(r.backoff, 2u);
  EXPECT_EQ(glass_rto_timeout(&r), 4 * kInitial);
}

TEST(Rto, BackoffSaturatesAtMax) {
  glass_rto r = Fresh();
  for (int i = 0; i < 100; i++) {
    glass_rto_backoff(&r);
  }
  EXPECT_EQ(r.backoff, GLASS_RTO_MAX_BACKOFF);
  EXPECT_EQ(glass_rto_timeout(&r), kMax);
}

TEST(Rto, StartTimingRecordsSegment) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 555);
  EXPECT_TRUE(r.timing);
  EXPECT_EQ(r.timed_seq, 1000u);
  EXPECT_EQ(r.timed_at_us, 555u);
}

TEST(Rto, StartTimingKeepsRunningSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 555);
  glass_rto_start_timing(&r, 2000, 777);
  EXPECT_EQ(r.timed_seq, 1000u);
  EXPECT_EQ(r.timed_at_us, 555u);
}

TEST(Rto, OnAckNotTimingTakesNoSample) {
  glass_rto r = Fresh();
  EXPECT_FALSE(glass_rto_on_ack(&r, 1000, 5000, 0));
  EXPECT_EQ(r.srtt_us, 0u);
}

TEST(Rto, OnAckBeforeTimedSeqTakesNoSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  EXPECT_FALSE(glass_rto_on_ack(&r, 999, 5000, 0));
  EXPECT_TRUE(r.timing);
  EXPECT_EQ(r.srtt_us, 0u);
}

TEST(Rto, OnAckAtTimedSeqTakesSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 10000);
  EXPECT_TRUE(glass_rto_on_ack(&r, 1000, 60000, 0));
  EXPECT_FALSE(r.timing);
  EXPECT_EQ(r.srtt_us, 50000u);
  EXPECT_EQ(r.rttvar_us, 25000u);
}

TEST(Rto, OnAckAfterTimedSeqTakesSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 10000);
  EXPECT_TRUE(glass_rto_on_ack(&r, 5000, 30000, 0));
  EXPECT_EQ(r.srtt_us, 20000u);
}

TEST(Rto, OnAckAcrossWrapTakesSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 0xfffffff0u, 0);
  EXPECT_FALSE(glass_rto_on_ack(&r, 0xffffffe0u, 10, 0));
  EXPECT_TRUE(glass_rto_on_ack(&r, 0x20, 7000, 0));
  EXPECT_EQ(r.srtt_us, 7000u);
}

TEST(Rto, OnAckAcrossWrapBeforeTimedSeqTakesNoSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 0x10, 0);
  EXPECT_FALSE(glass_rto_on_ack(&r, 0xfffffff0u, 7000, 0));
  EXPECT_TRUE(r.timing);
}

TEST(Rto, OnAckAlwaysResetsBackoff) {
  glass_rto r = Fresh();
  r.backoff = 5;
  EXPECT_FALSE(glass_rto_on_ack(&r, 1, 1, 0));  // not timing
  EXPECT_EQ(r.backoff, 0u);
  glass_rto_start_timing(&r, 1000, 0);
  r.backoff = 5;
  EXPECT_FALSE(glass_rto_on_ack(&r, 10, 1, 0));  // before the timed segment
  EXPECT_EQ(r.backoff, 0u);
  r.backoff = 5;
  EXPECT_TRUE(glass_rto_on_ack(&r, 1000, 1, 0));
  EXPECT_EQ(r.backoff, 0u);
}

TEST(Rto, OnAckClockBackwardsGivesOneMicrosecond) {
  glass_rto r = Fresh(1, kMax);
  glass_rto_start_timing(&r, 1000, 5000);
  EXPECT_TRUE(glass_rto_on_ack(&r, 1000, 4000, 0));
  EXPECT_EQ(r.srtt_us, 1u);
}

TEST(Rto, OnAckSameInstantGivesOneMicrosecond) {
  glass_rto r = Fresh(1, kMax);
  glass_rto_start_timing(&r, 1000, 5000);
  EXPECT_TRUE(glass_rto_on_ack(&r, 1000, 5000, 0));
  EXPECT_EQ(r.srtt_us, 1u);
}

TEST(Rto, OnAckHugeRttClampedToU32) {
  glass_rto r = Fresh(1, kU32Max);
  glass_rto_start_timing(&r, 1000, 0);
  EXPECT_TRUE(glass_rto_on_ack(&r, 1000, uint64_t{1} << 40, 0));
  EXPECT_EQ(r.srtt_us, kU32Max);
  // Just past 2^32 must not wrap to a tiny sample either.
  glass_rto t = Fresh(1, kU32Max);
  glass_rto_start_timing(&t, 1000, 0);
  EXPECT_TRUE(glass_rto_on_ack(&t, 1000, (uint64_t{1} << 32) + 5, 0));
  EXPECT_EQ(t.srtt_us, kU32Max);
}

TEST(Rto, OnRetransmitStopsTiming) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  glass_rto_on_retransmit(&r, 50000);
  EXPECT_FALSE(r.timing);
}

TEST(Rto, OnRetransmitKarnThenAckTakesNoSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  glass_rto_on_retransmit(&r, 50000);
  EXPECT_FALSE(glass_rto_on_ack(&r, 1000, 90000, 0));
  EXPECT_EQ(r.srtt_us, 0u);
  EXPECT_EQ(r.rto_us, kInitial);
}

TEST(Rto, OnRetransmitKarnNewSegmentIsTimedAgain) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  glass_rto_on_retransmit(&r, 50000);
  glass_rto_start_timing(&r, 3000, 100000);
  EXPECT_FALSE(glass_rto_on_ack(&r, 1000, 150000, 0));
  EXPECT_TRUE(glass_rto_on_ack(&r, 3000, 160000, 0));
  EXPECT_EQ(r.srtt_us, 60000u);
}

// RACK's test (RFC 8985 6.2): an ACK back sooner after the retransmission
// than the shortest round trip seen cannot answer it, so it answers the
// original and times it.
TEST(Rto, AckSoonerThanMinRttAfterRetransmitTakesSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  glass_rto_on_retransmit(&r, 100000);
  EXPECT_FALSE(r.timing);
  EXPECT_TRUE(glass_rto_on_ack(&r, 1000, 119999, 20000));
  EXPECT_EQ(r.srtt_us, 119999u);
  EXPECT_FALSE(r.resent);
}

TEST(Rto, AckMinRttAfterRetransmitTakesNoSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  glass_rto_on_retransmit(&r, 100000);
  EXPECT_FALSE(glass_rto_on_ack(&r, 1000, 120000, 20000));
  EXPECT_EQ(r.srtt_us, 0u);
  // The sample is gone: a later ACK takes nothing either.
  EXPECT_FALSE(glass_rto_on_ack(&r, 2000, 100001, 20000));
  EXPECT_EQ(r.srtt_us, 0u);
}

TEST(Rto, AckAfterRetransmitWithoutMinRttTakesNoSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  glass_rto_on_retransmit(&r, 100000);
  EXPECT_FALSE(glass_rto_on_ack(&r, 1000, 100001, 0));
  EXPECT_EQ(r.srtt_us, 0u);
}

TEST(Rto, AckBeforeTimedSeqKeepsTheRetransmittedSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  glass_rto_on_retransmit(&r, 100000);
  EXPECT_FALSE(glass_rto_on_ack(&r, 999, 100100, 20000));
  EXPECT_TRUE(glass_rto_on_ack(&r, 1000, 100200, 20000));
  EXPECT_EQ(r.srtt_us, 100200u);
}

// The earliest retransmission could have caused an ACK soonest: a second
// one does not move the time the ACK is measured from.
TEST(Rto, SecondRetransmitKeepsTheFirstTime) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  glass_rto_on_retransmit(&r, 100000);
  glass_rto_on_retransmit(&r, 110000);
  EXPECT_FALSE(glass_rto_on_ack(&r, 1000, 125000, 20000));
  EXPECT_EQ(r.srtt_us, 0u);
}

// A new segment timed after the retransmission replaces the stopped sample.
TEST(Rto, NewTimingReplacesTheRetransmittedSample) {
  glass_rto r = Fresh();
  glass_rto_start_timing(&r, 1000, 0);
  glass_rto_on_retransmit(&r, 100000);
  glass_rto_start_timing(&r, 3000, 100050);
  EXPECT_FALSE(glass_rto_on_ack(&r, 1000, 100100, 20000));
  EXPECT_EQ(r.srtt_us, 0u);
  EXPECT_TRUE(glass_rto_on_ack(&r, 3000, 100150, 20000));
  EXPECT_EQ(r.srtt_us, 100u);
}

TEST(BackoffUs, ZeroExponentIsBase) {
  EXPECT_EQ(glass_backoff_us(1234, 0, kMax), 1234u);
}

TEST(BackoffUs, DoublesPerExponent) {
  EXPECT_EQ(glass_backoff_us(1000, 1, kMax), 2000u);
  EXPECT_EQ(glass_backoff_us(1000, 10, kMax), 1024000u);
}

TEST(BackoffUs, ExactlyMaxIsNotCut) {
  EXPECT_EQ(glass_backoff_us(1000, 3, 8000), 8000u);
}

TEST(BackoffUs, CappedAtMax) {
  EXPECT_EQ(glass_backoff_us(1000, 4, 8001), 8001u);
}

TEST(BackoffUs, BaseAboveMaxIsMax) {
  EXPECT_EQ(glass_backoff_us(9000, 0, 8000), 8000u);
}

TEST(BackoffUs, BaseZeroStaysZero) {
  EXPECT_EQ(glass_backoff_us(0, 0, kMax), 0u);
  EXPECT_EQ(glass_backoff_us(0, 40, kMax), 0u);
}

TEST(BackoffUs, NoOverflowAtAnyExponent) {
  for (uint32_t base : {1u, 3u, 1000u, 0x7fffffffu, 0x80000000u, kU32Max}) {
    for (uint32_t exp = 0; exp <= 70; exp++) {
      for (uint32_t max : {kMax, kU32Max}) {
        ASSERT_EQ(glass_backoff_us(base, exp, max), RefBackoff(base, exp, max))
            << base << " << " << exp << " max " << max;
      }
    }
    ASSERT_EQ(glass_backoff_us(base, kU32Max, kU32Max), kU32Max);
  }
}

}  // namespace
