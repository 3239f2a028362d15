// Tests for kmod/core/rcvbuf.c: receive-buffer autotuning.
//
// Expectations come from Linux TCP's rule, written out below as
// tcp_rcv_space_adjust() and tcp_rcv_rtt_measure() state it (net/ipv4/
// tcp_input.c, 6.1, with tcp_adv_win_scale = 1: the window is half the
// buffer, as glass's is), from hand-computed cases, and from the
// properties the kernel relies on (never above rmem max, never shrinks
// unless under pressure, a locked buffer never moves).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

extern "C" {
#include "rcvbuf.h"
}

namespace {

constexpr uint32_t kMss = 1468;
constexpr uint32_t kDefault = 212992;
constexpr uint32_t kMax = 6291456;

// tcp_rcv_space_adjust()'s growth, literally: rcvwin from what was copied,
// grown by the increase over the previous round trip, then the buffer that
// holds that window (tcp_space_from_win() with adv_win_scale 1: twice it).
uint64_t TcpRule(uint64_t copied, uint64_t space, uint64_t advmss) {
  uint64_t rcvwin = (copied << 1) + 16 * advmss;
  uint64_t grow = rcvwin * (copied - space);
  grow /= space;
  rcvwin += (grow << 1);
  return rcvwin * 2;
}

glass_rcvbuf_in Input(uint32_t rcvbuf) {
  glass_rcvbuf_in in{};
  in.rcvbuf = rcvbuf;
  in.rmem_default = kDefault;
  in.rmem_max = kMax;
  in.mss = kMss;
  in.window = kDefault / 2;
  return in;
}

// A started measurement with an RTT estimate of rtt_us, begun at seq 0,
// time 1000, after a round trip that copied `space` bytes.
glass_rcvbuf_tune Running(uint32_t rtt_us, uint32_t space, uint32_t seq = 0) {
  glass_rcvbuf_tune t{};
  t.space = space;
  t.seq = seq;
  t.time_us = 1000;
  t.rtt_us = rtt_us;
  return t;
}

// One adjustment of a running measurement (RTT 100 us) at copied_seq
// 5000000 and time 1000000: what a read decides under in.
uint32_t AdjustOnce(const glass_rcvbuf_in& in) {
  glass_rcvbuf_tune t = Running(100, 1000);
  return glass_rcvbuf_adjust(&t, &in, 5000000, 1000000);
}

TEST(RcvbufForRate, HandComputed) {
  // rcvwin = 2*2000 + 16*100 = 5600; grow = 5600 * 1000 / 1000 = 5600;
  // rcvwin = 5600 + 2*5600 = 16800; buffer 33600.
  EXPECT_EQ(glass_rcvbuf_for_rate(2000, 1000, 100), 33600u);
  // No increase over the last round trip: twice (2 * copied + 16 mss).
  EXPECT_EQ(glass_rcvbuf_for_rate(1000, 1000, 100), 2u * (2000 + 1600));
}

TEST(RcvbufForRate, MatchesTcpRuleAcrossRates) {
  for (uint32_t mss : {536u, 1468u, 8968u, 64000u}) {
    for (uint32_t space : {1u, 1000u, 14680u, 100000u, 3000000u}) {
      for (uint32_t extra : {1u, 7u, 1000u, 14680u, 500000u, 20000000u}) {
        const uint32_t copied = space + extra;
        EXPECT_EQ(glass_rcvbuf_for_rate(copied, space, mss), TcpRule(copied, space, mss))
            << "copied " << copied << " space " << space << " mss " << mss;
      }
    }
  }
}

TEST(RcvbufAdjust, FirstCallStartsAMeasurementOfTheInitialWindow) {
  glass_rcvbuf_tune t{};
  glass_rcvbuf_in in = Input(kDefault);
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, 500, 7000), kDefault);
  EXPECT_NE(t.space, 0u);  // running
  EXPECT_EQ(t.seq, 500u);
  EXPECT_EQ(t.time_us, 7000u);
  EXPECT_EQ(t.space, 10 * kMss);  // TCP_INIT_CWND segments, below the window
  glass_rcvbuf_tune small{};
  in.window = 3000;
  glass_rcvbuf_adjust(&small, &in, 0, 1);
  EXPECT_EQ(small.space, 3000u);  // the window, when it is smaller
}

TEST(RcvbufAdjust, GrowsByTcpRuleOnceARoundTripHasPassed) {
  const uint32_t space = 10 * kMss;
  const uint32_t copied = 400000;
  glass_rcvbuf_tune t = Running(2000, space);
  glass_rcvbuf_in in = Input(kDefault);
  // Within the round trip: nothing, and the measurement keeps running.
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, copied, 1000 + 1999), kDefault);
  EXPECT_EQ(t.seq, 0u);
  // A round trip later: TCP's buffer for that rate.
  const uint32_t got = glass_rcvbuf_adjust(&t, &in, copied, 1000 + 2000);
  EXPECT_EQ(got, std::min<uint64_t>(TcpRule(copied, space, kMss), kMax));
  EXPECT_GT(got, kDefault);
  EXPECT_EQ(t.space, copied);
  EXPECT_EQ(t.seq, copied);
  EXPECT_EQ(t.time_us, 3000u);
}

TEST(RcvbufAdjust, BoundedByRmemMax) {
  glass_rcvbuf_tune t = Running(100, 1000);
  glass_rcvbuf_in in = Input(kDefault);
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, 50000000, 5000), kMax);
  in.rmem_max = 300000;
  glass_rcvbuf_tune u = Running(100, 1000);
  EXPECT_EQ(glass_rcvbuf_adjust(&u, &in, 50000000, 5000), 300000u);
}

TEST(RcvbufAdjust, NoGrowthWithoutMoreThanLastRoundTrip) {
  glass_rcvbuf_tune t = Running(100, 50000);
  glass_rcvbuf_in in = Input(kDefault);
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, 50000, 5000), kDefault);
  EXPECT_EQ(t.space, 50000u);  // TCP keeps the old figure
  EXPECT_EQ(t.seq, 50000u);    // and measures anew
  EXPECT_EQ(t.time_us, 5000u);
}

TEST(RcvbufAdjust, NeverShrinksWhenTheRuleGivesLess) {
  glass_rcvbuf_tune t = Running(100, 1000);
  glass_rcvbuf_in in = Input(4000000);
  // TcpRule(2000, 1000, 1468) is far below 4 MB.
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, 2000, 5000), 4000000u);
  EXPECT_EQ(t.space, 2000u);
}

TEST(RcvbufAdjust, WaitsForAnRttEstimate) {
  glass_rcvbuf_tune t = Running(0, 1000);
  glass_rcvbuf_in in = Input(kDefault);
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, 5000000, 1000000), kDefault);
}

// glass_rcvbuf_in_round() is the caller's shortcut: whenever it says the
// round trip still runs, a call of glass_rcvbuf_adjust() without pressure
// changes neither the buffer nor the state.
TEST(RcvbufInRound, TrueExactlyWhenAdjustWouldDoNothing) {
  glass_rcvbuf_tune none{};
  EXPECT_FALSE(glass_rcvbuf_in_round(&none, 5000)) << "no measurement: the first call starts one";
  EXPECT_FALSE(glass_rcvbuf_in_round(&none, 0));
  glass_rcvbuf_tune no_rtt = Running(0, 1000);
  EXPECT_FALSE(glass_rcvbuf_in_round(&no_rtt, 1000));
  glass_rcvbuf_in in = Input(kDefault);
  for (uint64_t now : {0ull, 999ull, 1000ull, 2999ull, 3000ull, 3001ull, 90000ull}) {
    glass_rcvbuf_tune t = Running(2000, 1000);
    const glass_rcvbuf_tune before = t;
    const bool in_round = glass_rcvbuf_in_round(&t, now);
    EXPECT_EQ(in_round, now < 3000) << "began at 1000, RTT 2000, now " << now;
    const uint32_t got = glass_rcvbuf_adjust(&t, &in, 5000000, now);
    if (in_round) {
      EXPECT_EQ(got, kDefault) << now;
      EXPECT_EQ(t.seq, before.seq) << now;
      EXPECT_EQ(t.time_us, before.time_us) << now;
      EXPECT_EQ(t.space, before.space) << now;
    } else {
      EXPECT_GT(got, kDefault) << "a round trip passed, " << now;
    }
  }
}

TEST(RcvbufAdjust, LockedBufferNeverChanges) {
  glass_rcvbuf_tune t = Running(100, 1000);
  glass_rcvbuf_in in = Input(4608);
  in.locked = true;
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, 5000000, 1000000), 4608u);
  in.pressure = true;
  in.rcvbuf = 9000000;
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, 6000000, 2000000), 9000000u);
}

TEST(RcvbufAdjust, PressureGivesBackTheGrowthButKeepsWhatIsHeld) {
  glass_rcvbuf_in in = Input(4000000);
  in.pressure = true;
  glass_rcvbuf_tune t = Running(100, 1000);
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, 5000000, 1000000), kDefault);
  EXPECT_EQ(t.seq, 5000000u);  // a new measurement starts
  in.held = 700000;
  EXPECT_EQ(AdjustOnce(in), 700000u);
  // A buffer at or below the default is left as it is.
  in.rcvbuf = 100000;
  in.held = 0;
  EXPECT_EQ(AdjustOnce(in), 100000u);
}

// The right edge already advertised never moves back, so the buffer keeps
// room for it: two bytes per byte of window, as it was offered. A buffer
// cut below that dropped the sender's in-window data (drop_rcvbuf).
TEST(RcvbufAdjust, PressureKeepsRoomForTheWindowAlreadyAdvertised) {
  glass_rcvbuf_in in = Input(4000000);
  in.pressure = true;
  in.held = 100000;
  in.promised = 1000000;
  EXPECT_EQ(AdjustOnce(in), 2100000u);
  // A window that spans the whole buffer keeps all of it.
  in.promised = 2000000;
  EXPECT_EQ(AdjustOnce(in), 4000000u);
  // A little window left: the default is the floor, as before.
  in.held = 0;
  in.promised = 1000;
  EXPECT_EQ(AdjustOnce(in), kDefault);
  // No overflow from the largest values.
  in.held = 0xffffffffu;
  in.promised = 0xffffffffu;
  EXPECT_EQ(AdjustOnce(in), 4000000u);
}

TEST(RcvbufAdjust, CopiedCountsAcrossSequenceWrap) {
  const uint32_t start = 0xffff0000u;
  glass_rcvbuf_tune t = Running(100, 10000, start);
  glass_rcvbuf_in in = Input(kDefault);
  const uint32_t copied = 300000;
  EXPECT_EQ(glass_rcvbuf_adjust(&t, &in, start + copied, 5000),
            std::min<uint64_t>(TcpRule(copied, 10000, kMss), kMax));
  EXPECT_EQ(t.space, copied);
}

// A reader that takes `rate` bytes per round trip, reading every tenth of
// a round trip: the buffer settles at TCP's steady-state figure,
// 2 * (2 * rate + 16 mss), within rmem max, and grows monotonically.
TEST(RcvbufAdjust, SteadyReaderConvergesToTwiceItsRatePlusCushion) {
  for (uint32_t rate : {20000u, 150000u, 1000000u, 5000000u}) {
    glass_rcvbuf_tune t{};
    glass_rcvbuf_in in = Input(kDefault);
    uint64_t now = 1;
    uint32_t seq = 12345;
    in.rcvbuf = glass_rcvbuf_adjust(&t, &in, seq, now);
    t.rtt_us = 1000;
    uint32_t prev = in.rcvbuf;
    for (int i = 0; i < 400; i++) {
      now += 100;
      seq += rate / 10;
      in.rcvbuf = glass_rcvbuf_adjust(&t, &in, seq, now);
      EXPECT_GE(in.rcvbuf, prev);
      prev = in.rcvbuf;
    }
    const uint64_t steady = 2 * (2 * uint64_t{rate} + 16 * kMss);
    EXPECT_GE(in.rcvbuf, std::min<uint64_t>(steady, kMax)) << rate;
    EXPECT_LE(in.rcvbuf, kMax) << rate;
    // Only the first round trip above the initial ten segments grows it
    // beyond the steady figure (the slow-start allowance), so it stays
    // within TCP's first step.
    EXPECT_LE(in.rcvbuf, std::max<uint64_t>(
                             std::min<uint64_t>(TcpRule(rate, 10 * kMss, kMss), kMax), kDefault))
        << rate;
  }
}

TEST(RcvRtt, KeepsTheShortestWindowTime) {
  glass_rcvbuf_tune t{};
  glass_rcv_rtt_measure(&t, 1000, 5000, 100);  // starts: ends at 6000
  EXPECT_EQ(t.rtt_us, 0u);
  EXPECT_EQ(t.rtt_seq, 6000u);
  glass_rcv_rtt_measure(&t, 5999, 5000, 400);  // not there yet
  EXPECT_EQ(t.rtt_us, 0u);
  glass_rcv_rtt_measure(&t, 6000, 5000, 900);  // 800 us for one window
  EXPECT_EQ(t.rtt_us, 800u);
  EXPECT_EQ(t.rtt_seq, 11000u);
  glass_rcv_rtt_measure(&t, 11000, 5000, 2900);  // 2000: longer, ignored
  EXPECT_EQ(t.rtt_us, 800u);
  glass_rcv_rtt_measure(&t, 17000, 5000, 3200);  // 300: shorter, kept
  EXPECT_EQ(t.rtt_us, 300u);
}

TEST(RcvRtt, AcrossSequenceWrapAndAZeroDelta) {
  glass_rcvbuf_tune t{};
  glass_rcv_rtt_measure(&t, 0xfffffff0u, 0x100, 50);
  EXPECT_EQ(t.rtt_seq, 0xf0u);
  glass_rcv_rtt_measure(&t, 0x10u, 0x100, 60);  // before the end, past the wrap
  EXPECT_EQ(t.rtt_us, 0u);
  glass_rcv_rtt_measure(&t, 0xf0u, 0x100, 50);  // same microsecond: 1 us
  EXPECT_EQ(t.rtt_us, 1u);
}

}  // namespace
