// Tests for kmod/core/cubic.c and CUBIC in cc.c (RFC 9438): the cube root,
// the curve W_cubic(t) = C (t - K)^3 + W_max with C = 0.4 and beta = 0.7
// (values worked out from the RFC's formulas in double precision), the
// multiplicative decrease with fast convergence, and growth in congestion
// avoidance: concave below W_max, never below the Reno-friendly estimate.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

extern "C" {
#include "cc.h"
}

namespace {

constexpr uint32_t kMss = 1000;

TEST(Cubic, CubeRootIsExactRoundedDown) {
  EXPECT_EQ(glass_cubic_cbrt(0), 0u);
  EXPECT_EQ(glass_cubic_cbrt(1), 1u);
  EXPECT_EQ(glass_cubic_cbrt(7), 1u);
  EXPECT_EQ(glass_cubic_cbrt(8), 2u);
  EXPECT_EQ(glass_cubic_cbrt(26), 2u);
  EXPECT_EQ(glass_cubic_cbrt(27), 3u);
  EXPECT_EQ(glass_cubic_cbrt(1ull << 63), 1u << 21);
  EXPECT_EQ(glass_cubic_cbrt(UINT64_MAX), 2642245u);
  std::mt19937_64 rng(9438);
  for (int i = 0; i < 10000; i++) {
    const uint64_t x = rng() >> (rng() % 64);
    const uint64_t y = glass_cubic_cbrt(x);
    ASSERT_LE(y * y * y, x) << x;
    const uint64_t z = y + 1;
    ASSERT_TRUE(z > 2642245u || z * z * z > x) << x;
  }
}

// RFC 9438 4.2: W_max = 100 segments, the epoch starts at 70 (beta 0.7):
// K = cbrt((100 - 70) / 0.4) s = 4.217 s; W(0) = 70, W(K) = 100, and
// beyond K the convex part: W(K + 2 s) = 100 + 0.4 * 8 = 103.2 segments.
TEST(Cubic, CurveThroughTheRfcPoints) {
  glass_cubic c{};
  c.origin = 100 * kMss;
  c.k_ms = glass_cubic_cbrt(30ull * 2500000000ull);
  EXPECT_EQ(c.k_ms, static_cast<uint32_t>(std::cbrt(30.0 / 0.4) * 1000));
  auto w = [&](double t_s) { return 100.0 + 0.4 * std::pow(t_s - c.k_ms / 1000.0, 3); };
  for (double t : {0.0, 1.0, 2.0, 4.217, 5.0, 6.217, 10.0}) {
    const uint32_t got = glass_cubic_window(&c, static_cast<uint64_t>(t * 1000), kMss);
    EXPECT_NEAR(got / double(kMss), w(t), 1.0) << "t = " << t << " s";
  }
  EXPECT_EQ(glass_cubic_window(&c, c.k_ms, kMss), 100 * kMss);
  // Far before the epoch's curve would go below one segment: held at one.
  glass_cubic small{};
  small.origin = 2 * kMss;
  small.k_ms = 100000;
  EXPECT_EQ(glass_cubic_window(&small, 0, kMss), kMss);
}

glass_cc Cubic(uint32_t cwnd_segs) {
  glass_cc cc{};
  glass_cc_init(&cc, kMss, 1);
  glass_cc_set_algo(&cc, GLASS_CC_ALGO_CUBIC);
  cc.cwnd = cwnd_segs * kMss;
  return cc;
}

// RFC 9438 4.6 and 4.7: ssthresh = 0.7 flight; W_max = cwnd at the loss,
// or (1 + beta) / 2 of it when the window had not got back to W_max.
TEST(Cubic, MultiplicativeDecreaseAndFastConvergence) {
  glass_cc cc = Cubic(100);
  glass_cc_on_rto(&cc, 100001, 100 * kMss);
  EXPECT_EQ(cc.ssthresh, 70 * kMss);
  EXPECT_EQ(cc.cubic.w_max, 100 * kMss);
  glass_cc_on_ack(&cc, 100001, 100000, 100 * kMss);  // the episode ends
  cc.cwnd = 80 * kMss;
  glass_cc_on_rto(&cc, 200001, 80 * kMss);
  EXPECT_EQ(cc.ssthresh, 56 * kMss);
  EXPECT_EQ(cc.cubic.w_max, 68 * kMss);  // 80 * 0.85
  // NewReno halves the same flight.
  glass_cc nr{};
  glass_cc_init(&nr, kMss, 1);
  nr.cwnd = 100 * kMss;
  glass_cc_on_rto(&nr, 100001, 100 * kMss);
  EXPECT_EQ(nr.ssthresh, 50 * kMss);
}

// A second expiry in a row (backed off, nothing acknowledged between)
// leaves W_max and ssthresh where the first put them: fast convergence
// from the one-segment window would set W_max to 0.85 MSS, and the curve
// would start from nothing once the ACKs come back. The same for an
// expiry during a recovery: W_max stays where the recovery put it.
TEST(Cubic, RtoInTheSameEpisodeKeepsWmax) {
  glass_cc cc = Cubic(100);
  glass_cc_on_rto(&cc, 100001, 100 * kMss);
  glass_cc_on_rto(&cc, 100001, 100 * kMss);
  EXPECT_EQ(cc.cubic.w_max, 100 * kMss);
  EXPECT_EQ(cc.ssthresh, 70 * kMss);
  glass_cc rec = Cubic(100);
  rec.sack = true;
  ASSERT_TRUE(glass_cc_sack_loss(&rec, 1, 100001, 100 * kMss));
  ASSERT_EQ(rec.cwnd, 70 * kMss);
  glass_cc_on_rto(&rec, 100001, 100 * kMss);
  EXPECT_EQ(rec.cubic.w_max, 100 * kMss);
  EXPECT_EQ(rec.ssthresh, 70 * kMss);
  EXPECT_EQ(rec.cwnd, kMss);
}

// Congestion avoidance, one ACK of one segment every 10 ms (RTT 100 ms):
// below W_max the window climbs toward it, fast at first and slower near
// it (concave), and stays close to W_max for a while (the plateau), then
// grows again (convex); it is never below what NewReno reaches.
TEST(Cubic, ConcaveThenPlateauThenConvex) {
  glass_cc cc = Cubic(100);
  cc.cubic.w_max = 100 * kMss;
  cc.cwnd = 70 * kMss;
  cc.ssthresh = 70 * kMss;
  glass_cc nr{};
  glass_cc_init(&nr, kMss, 1);
  nr.cwnd = nr.ssthresh = 70 * kMss;
  uint64_t now = 1000000;
  uint32_t ack = 1;
  std::vector<uint32_t> per_second;
  for (int i = 0; i < 1000; i++) {  // 10 s
    now += 10000;
    cc.now_us = now;
    cc.srtt_us = 100000;
    ack += kMss;
    glass_cc_on_ack(&cc, ack, kMss, cc.cwnd);
    glass_cc_on_ack(&nr, ack, kMss, nr.cwnd);
    if (i % 100 == 99) per_second.push_back(cc.cwnd / kMss);
    ASSERT_GE(cc.cwnd + 2 * kMss, nr.cwnd) << i;
  }
  // K = 4.2 s: the first second gains more than the fourth (concave) ...
  EXPECT_GT(per_second[0] - 70, per_second[3] - per_second[2]);
  // ... the window is near W_max around K ...
  EXPECT_NEAR(per_second[3], 100, 4);
  EXPECT_NEAR(per_second[4], 100, 4);
  // ... and then grows faster again (convex).
  EXPECT_GT(per_second[9] - per_second[8], per_second[5] - per_second[4]);
}

}  // namespace
