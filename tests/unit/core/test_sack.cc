// Tests for kmod/core/sack.c: the blocks a receiver reports (the examples of
// RFC 2018 section 5 and RFC 2883 section 4, block for block) and the
// sender's RFC 6675 scoreboard (IsLost, pipe, NextSeg) on loss patterns
// worked out by hand from the RFC's definitions.

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>
#include <vector>

extern "C" {
#include "ooo.h"
#include "sack.h"
#include "seq.h"
}

namespace {

using Blocks = std::vector<std::pair<uint32_t, uint32_t>>;

// A receiver: rcv_nxt, the held ranges and the SACK memory, driven the way
// glass_input.c drives them.
struct Receiver {
  uint32_t rcv_nxt;
  glass_ooo_set held{};
  glass_sack_rcv r{};

  explicit Receiver(uint32_t nxt) : rcv_nxt(nxt) {
    glass_ooo_init(&held);
    glass_sack_rcv_init(&r);
  }

  // A segment [start, end) arrives; returns the ACK number and blocks sent.
  std::pair<uint32_t, Blocks> Arrive(uint32_t start, uint32_t end) {
    if (glass_seq_leq(end, rcv_nxt)) {
      glass_sack_rcv_dup(&r, start, end);
    } else if (start == rcv_nxt) {
      rcv_nxt = glass_ooo_advance(&held, end);
    } else {
      const int64_t added = glass_ooo_add(&held, start, end);
      if (added > 0) {
        glass_sack_rcv_note(&r, start);
      } else {
        glass_sack_rcv_dup(&r, start, end);
      }
    }
    glass_range out[GLASS_SACK_MAX_BLOCKS];
    const uint32_t n = glass_sack_rcv_blocks(&r, &held, out);
    Blocks b;
    for (uint32_t i = 0; i < n; i++) b.emplace_back(out[i].start, out[i].end);
    return {rcv_nxt, b};
  }
};

// RFC 2018 section 5, case 2: the first of eight 500-byte segments is lost;
// each later one is answered with ACK 5000 and one growing block.
TEST(SackReceiver, Rfc2018Case2FirstSegmentLost) {
  Receiver rx(5000);
  for (uint32_t s = 5500; s < 9000; s += 500) {
    const auto [ack, blocks] = rx.Arrive(s, s + 500);
    EXPECT_EQ(ack, 5000u);
    EXPECT_EQ(blocks, (Blocks{{5500, s + 500}})) << s;
  }
}

// RFC 2018 section 5, case 3: the 2nd, 4th, 6th and 8th segments are lost;
// then the 4th arrives late, then the 2nd.
TEST(SackReceiver, Rfc2018Case3EverySecondSegmentLost) {
  Receiver rx(5000);
  EXPECT_EQ(rx.Arrive(5000, 5500), (std::pair<uint32_t, Blocks>{5500, {}}));
  EXPECT_EQ(rx.Arrive(6000, 6500).second, (Blocks{{6000, 6500}}));
  EXPECT_EQ(rx.Arrive(7000, 7500).second, (Blocks{{7000, 7500}, {6000, 6500}}));
  EXPECT_EQ(rx.Arrive(8000, 8500).second, (Blocks{{8000, 8500}, {7000, 7500}, {6000, 6500}}));
  // "Suppose the 4th packet is received out of order": ACK 5500,
  // first block 6000-7500, second 8000-8500.
  auto late = rx.Arrive(6500, 7000);
  EXPECT_EQ(late.first, 5500u);
  EXPECT_EQ(late.second, (Blocks{{6000, 7500}, {8000, 8500}}));
  // "Suppose the 2nd packet is received": ACK 7500, one block 8000-8500.
  auto filled = rx.Arrive(5500, 6000);
  EXPECT_EQ(filled.first, 7500u);
  EXPECT_EQ(filled.second, (Blocks{{8000, 8500}}));
}

// RFC 2883 4.1.1: both ACKs lost, the sender resends 3000-3499: ACK 4000
// with the D-SACK 3000-3500, once.
TEST(SackReceiver, Rfc2883DuplicateBelowAck) {
  Receiver rx(3000);
  rx.Arrive(3000, 3500);
  rx.Arrive(3500, 4000);
  auto dup = rx.Arrive(3000, 3500);
  EXPECT_EQ(dup.first, 4000u);
  EXPECT_EQ(dup.second, (Blocks{{3000, 3500}}));
  glass_range out[GLASS_SACK_MAX_BLOCKS];
  EXPECT_EQ(glass_sack_rcv_blocks(&rx.r, &rx.held, out), 0u);
}

// RFC 2883 4.2.1: the network replicates 5000-5499 after a loss: the
// D-SACK 5000-5500 comes first, then the block holding it, 4500-5500.
TEST(SackReceiver, Rfc2883DuplicateOutOfOrder) {
  Receiver rx(3000);
  rx.Arrive(3000, 3500);
  rx.Arrive(3500, 4000);
  EXPECT_EQ(rx.Arrive(4500, 5000).second, (Blocks{{4500, 5000}}));
  EXPECT_EQ(rx.Arrive(5000, 5500).second, (Blocks{{4500, 5500}}));
  auto dup = rx.Arrive(5000, 5500);
  EXPECT_EQ(dup.first, 4000u);
  EXPECT_EQ(dup.second, (Blocks{{5000, 5500}, {4500, 5500}}));
}

// More held ranges than blocks: the most recent first, then the highest.
TEST(SackReceiver, AtMostFourBlocksRecentFirst) {
  Receiver rx(0);
  for (uint32_t s = 1000; s <= 6000; s += 1000) rx.Arrive(s, s + 500);
  auto b = rx.Arrive(2500, 2600).second;
  ASSERT_EQ(b.size(), GLASS_SACK_MAX_BLOCKS);
  EXPECT_EQ(b[0], (std::pair<uint32_t, uint32_t>{2000, 2600}));
  EXPECT_EQ(b[1], (std::pair<uint32_t, uint32_t>{6000, 6500}));
  EXPECT_EQ(b[2], (std::pair<uint32_t, uint32_t>{5000, 5500}));
  EXPECT_EQ(b[3], (std::pair<uint32_t, uint32_t>{4000, 4500}));
}

// Blocks across the 2^32 wrap.
TEST(SackReceiver, Wraps) {
  Receiver rx(0xfffffc00u);
  auto b = rx.Arrive(0xfffffe00u, 0x200u).second;
  EXPECT_EQ(b, (Blocks{{0xfffffe00u, 0x200u}}));
}

constexpr uint32_t kMss = 1000;

struct Sender {
  glass_ooo_set set{};
  glass_sb sb{};
  uint32_t una;
  uint32_t max;

  Sender(uint32_t u, uint32_t m) : una(u), max(m) {
    sb.sacked = &set;
    glass_sb_init(&sb, u);
  }
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;
  glass_sb_verdict Sack(uint32_t s, uint32_t e, bool first = false) {
    return glass_sb_sack(&sb, una, max, s, e, first);
  }
  uint32_t LostEnd() const { return glass_sb_lost_end(&sb, una, kMss); }
  uint32_t Pipe() const { return glass_sb_pipe(&sb, una, max, kMss); }
  // NextSeg as (start, end), or (0, 0) for none.
  std::pair<uint32_t, uint32_t> Next() const {
    glass_range r{};
    if (!glass_sb_next_seg(&sb, una, kMss, &r)) return {0, 0};
    return {r.start, r.end};
  }
};

// IsLost(S) (RFC 6675 section 4): more than (DupThresh - 1) * SMSS = 2000
// bytes SACKed above S, or DupThresh = 3 SACKed ranges above S.
TEST(SackScoreboard, IsLostByBytesAndByRanges) {
  struct Row {
    Blocks sacked;
    uint32_t lost_end;  // every unSACKed byte below is lost
  };
  const Row rows[] = {
      {{}, 0},
      {{{1000, 2000}}, 0},                                 // one segment above 0
      {{{1000, 3000}}, 0},                                 // exactly 2 * SMSS: not more
      {{{1000, 3001}}, 1000},                              // 2001 bytes above [0, 1000)
      {{{1000, 2000}, {3000, 4000}}, 0},                   // 2000 bytes, 2 ranges
      {{{1000, 2000}, {3000, 4000}, {5000, 6000}}, 1000},  // 3 ranges above [0, 1000)
      {{{1000, 1100}, {1200, 1300}, {1400, 1500}}, 1000},  // 3 small ranges
      {{{2000, 3000}, {4000, 7000}}, 4000},                // 3000 bytes above [3000, 4000)
  };
  for (const Row& row : rows) {
    Sender s(0, 10000);
    for (const auto& [a, b] : row.sacked) ASSERT_EQ(s.Sack(a, b), GLASS_SB_NEW);
    EXPECT_EQ(s.LostEnd(), row.lost_end) << row.sacked.size();
  }
}

// Ten segments sent, the 2nd and 4th lost, the rest SACKed: both holes are
// lost; pipe is 0 until they are resent, each resent hole counts once, and
// NextSeg names them in order, then nothing (rule 1 only).
TEST(SackScoreboard, TwoHolesInOneRecovery) {
  Sender s(1000, 10000);  // segment [0, 1000) cumulatively acknowledged
  EXPECT_EQ(s.Sack(2000, 3000), GLASS_SB_NEW);
  EXPECT_EQ(s.Sack(4000, 10000), GLASS_SB_NEW);
  EXPECT_EQ(s.LostEnd(), 4000u);
  EXPECT_EQ(s.Pipe(), 0u);
  EXPECT_EQ(s.Next(), (std::pair<uint32_t, uint32_t>{1000, 2000}));
  glass_sb_sent(&s.sb, 2000);
  EXPECT_EQ(s.Pipe(), 1000u);
  EXPECT_EQ(s.Next(), (std::pair<uint32_t, uint32_t>{3000, 4000}));
  glass_sb_sent(&s.sb, 4000);
  EXPECT_EQ(s.Pipe(), 2000u);
  EXPECT_EQ(s.Next(), (std::pair<uint32_t, uint32_t>{0, 0}));
  // The first retransmission arrives: the ACK moves to 3000.
  s.una = 3000;
  EXPECT_FALSE(glass_sb_ack(&s.sb, 3000));
  EXPECT_EQ(s.Pipe(), 1000u);
}

// Not yet lost: one SACKed segment says nothing about the hole before it;
// every unSACKed byte is in the pipe once.
TEST(SackScoreboard, PipeCountsUnlostBytesOnce) {
  Sender s(1000, 10000);
  EXPECT_EQ(s.Sack(2000, 3000), GLASS_SB_NEW);
  EXPECT_EQ(s.LostEnd(), 1000u);
  EXPECT_EQ(s.Pipe(), 8000u);
  EXPECT_EQ(s.Next(), (std::pair<uint32_t, uint32_t>{0, 0}));
}

// A hole longer than an MSS is resent one MSS at a time.
TEST(SackScoreboard, NextSegIsAtMostOneMss) {
  Sender s(0, 10000);
  s.Sack(2500, 10000);
  EXPECT_EQ(s.Next(), (std::pair<uint32_t, uint32_t>{0, 1000}));
  glass_sb_sent(&s.sb, 1000);
  EXPECT_EQ(s.Next(), (std::pair<uint32_t, uint32_t>{1000, 2000}));
  glass_sb_sent(&s.sb, 2000);
  EXPECT_EQ(s.Next(), (std::pair<uint32_t, uint32_t>{2000, 2500}));
}

// After an RTO every unSACKed byte up to snd_max is lost, nothing is in
// flight, and the holes are resent in order around what was SACKed.
TEST(SackScoreboard, RtoMarksEveryHoleLost) {
  Sender s(0, 5000);
  s.Sack(2000, 3000);
  glass_sb_rto(&s.sb, 0, 5000, false);
  EXPECT_EQ(s.LostEnd(), 5000u);
  EXPECT_EQ(s.Pipe(), 0u);
  std::vector<std::pair<uint32_t, uint32_t>> sent;
  for (auto n = s.Next(); n.second; n = s.Next()) {
    sent.push_back(n);
    glass_sb_sent(&s.sb, n.second);
  }
  EXPECT_EQ(sent, (Blocks{{0, 1000}, {1000, 2000}, {3000, 4000}, {4000, 5000}}));
  EXPECT_EQ(s.Pipe(), 4000u);
  // Once the ACK passes the RTO's recover point the loss state ends.
  s.una = 5000;
  glass_sb_ack(&s.sb, 5000);
  EXPECT_FALSE(s.sb.all_lost);
  // forget = true (a second RTO) drops the SACK information.
  Sender t(0, 5000);
  t.Sack(2000, 3000);
  glass_sb_rto(&t.sb, 0, 5000, true);
  EXPECT_FALSE(glass_sb_sacked(&t.sb, 2000));
}

// The cumulative ACK reaching a SACKed range's start means the receiver
// dropped what it had SACKed (RFC 2018 section 8): the scoreboard is
// cleared so the bytes are sent again.
TEST(SackScoreboard, RenegingClearsTheScoreboard) {
  Sender s(0, 5000);
  s.Sack(2000, 3000);
  s.una = 1000;
  EXPECT_FALSE(glass_sb_ack(&s.sb, 1000));
  s.una = 2000;
  EXPECT_TRUE(glass_sb_ack(&s.sb, 2000));
  EXPECT_FALSE(glass_sb_sacked(&s.sb, 2000));
  EXPECT_EQ(s.set.bytes, 0u);
}

// What a block is, RFC 2883 section 4: a first block below the cumulative
// ACK is a D-SACK; blocks beyond snd_max or inverted are invalid; SACKed
// bytes repeated are old.
TEST(SackScoreboard, BlockVerdicts) {
  Sender s(4000, 9000);
  EXPECT_EQ(s.Sack(3000, 3500, true), GLASS_SB_DSACK);
  EXPECT_EQ(s.Sack(3000, 3500, false), GLASS_SB_OLD);
  EXPECT_EQ(s.Sack(5000, 6000), GLASS_SB_NEW);
  EXPECT_EQ(s.Sack(5000, 6000), GLASS_SB_OLD);
  EXPECT_EQ(s.Sack(5500, 5600, true), GLASS_SB_OLD);
  EXPECT_EQ(s.Sack(8000, 9001), GLASS_SB_INVALID);
  EXPECT_EQ(s.Sack(6000, 6000), GLASS_SB_INVALID);
  EXPECT_EQ(s.Sack(7000, 6000), GLASS_SB_INVALID);
  EXPECT_EQ(s.Sack(4000 - 0x50000000u, 3000, true), GLASS_SB_INVALID);
  // Straddling snd_una: only the part above counts.
  EXPECT_EQ(s.Sack(3500, 4500), GLASS_SB_NEW);
  EXPECT_EQ(s.set.bytes, 1500u);
}

// RACK's rule at a tail loss probe's ACK (RFC 8985 sections 6.2, 7.4):
// one SACKed segment, the probe, says nothing to IsLost, but everything
// below it was sent a PTO earlier: all of that is lost.
TEST(SackScoreboard, MarkLostBelowTheProbe) {
  Sender s(0, 5000);
  EXPECT_EQ(s.Sack(4000, 5000), GLASS_SB_NEW);
  EXPECT_EQ(s.LostEnd(), 0u);
  EXPECT_TRUE(glass_sb_mark_lost(&s.sb, 0));
  EXPECT_EQ(s.LostEnd(), 4000u);
  EXPECT_EQ(s.Pipe(), 0u);
  EXPECT_EQ(s.Next(), (std::pair<uint32_t, uint32_t>{0, 1000}));
  EXPECT_FALSE(glass_sb_mark_lost(&s.sb, 0));  // nothing more to mark
  // The ACK passing it leaves nothing marked.
  s.una = 4000;
  glass_sb_ack(&s.sb, 4000);
  EXPECT_EQ(s.LostEnd(), 4000u);
  Sender none(0, 5000);
  EXPECT_FALSE(glass_sb_mark_lost(&none.sb, 0));
}

}  // namespace

// Without a set (the kernel's idle connection) the scoreboard reads as
// empty: nothing SACKed, nothing lost before an RTO, every byte in the
// pipe; a new block cannot be recorded (FULL, the caller ignores it) but
// the verdicts that need no room are unchanged.
TEST(SackScoreboard, NoSetReadsAsEmpty) {
  glass_sb sb{};
  glass_sb_init(&sb, 1000);
  EXPECT_EQ(sb.sacked, nullptr);
  EXPECT_EQ(glass_sb_sack(&sb, 1000, 9000, 2000, 3000, false), GLASS_SB_FULL);
  EXPECT_EQ(glass_sb_sack(&sb, 1000, 9000, 500, 900, true), GLASS_SB_DSACK);
  EXPECT_EQ(glass_sb_sack(&sb, 1000, 9000, 8000, 9001, false), GLASS_SB_INVALID);
  EXPECT_FALSE(glass_sb_sacked(&sb, 2000));
  EXPECT_EQ(glass_sb_unsacked(&sb, 1000, 9000), 8000u);
  EXPECT_EQ(glass_sb_lost_end(&sb, 1000, kMss), 1000u);
  EXPECT_EQ(glass_sb_pipe(&sb, 1000, 9000, kMss), 8000u);
  glass_range r{};
  EXPECT_FALSE(glass_sb_next_seg(&sb, 1000, kMss, &r));
  EXPECT_FALSE(glass_sb_mark_lost(&sb, 1000));
  ASSERT_TRUE(glass_sb_first_hole(&sb, 1000, 9000, kMss, &r));
  EXPECT_EQ(r.start, 1000u);
  EXPECT_EQ(r.end, 2000u);
  EXPECT_FALSE(glass_sb_ack(&sb, 2000));
  EXPECT_EQ(sb.high_rxt, 2000u);
  // The scalars still work: an RTO marks everything lost.
  glass_sb_rto(&sb, 2000, 9000, true);
  EXPECT_EQ(glass_sb_lost_end(&sb, 2000, kMss), 9000u);
  ASSERT_TRUE(glass_sb_next_seg(&sb, 2000, kMss, &r));
  EXPECT_EQ(r.start, 2000u);
  EXPECT_TRUE(glass_sb_lost_through(&sb, 2000, 9000));
}

// A set attached later (the kernel's first SACK block) starts from the
// scalars as they are; one detached again when empty loses nothing: the
// same answers as a scoreboard that always had one.
TEST(SackScoreboard, SetAttachedAndDetachedAgreesWithAlwaysAttached) {
  Sender always(0, 10000);
  glass_ooo_set set{};
  glass_sb lazy{};
  glass_sb_init(&lazy, 0);
  const auto both = [&](auto f) { EXPECT_EQ(f(&always.sb), f(&lazy)); };
  lazy.sacked = &set;
  glass_ooo_init(lazy.sacked);
  EXPECT_EQ(glass_sb_sack(&always.sb, 0, 10000, 3000, 4000, false), GLASS_SB_NEW);
  EXPECT_EQ(glass_sb_sack(&lazy, 0, 10000, 3000, 4000, false), GLASS_SB_NEW);
  both([](const glass_sb* b) { return glass_sb_pipe(b, 0, 10000, kMss); });
  EXPECT_FALSE(glass_sb_ack(&always.sb, 4000));
  EXPECT_FALSE(glass_sb_ack(&lazy, 4000));
  ASSERT_EQ(set.n, 0u);
  lazy.sacked = nullptr;  // empty: the kernel frees it
  both([](const glass_sb* b) { return glass_sb_pipe(b, 4000, 10000, kMss); });
  both([](const glass_sb* b) { return glass_sb_lost_end(b, 4000, kMss); });
  both([](const glass_sb* b) { return glass_sb_unsacked(b, 4000, 10000); });
  both([](const glass_sb* b) { return b->high_rxt; });
}
