// Tests for kmod/core/replypoll.c: when a read that found nothing spins,
// how spins that miss the reply spend the credit that lets it, and how a
// reader whose credit is spent tries again.

#include <gtest/gtest.h>

#include <cstdint>

extern "C" {
#include "replypoll.h"
}

namespace {

uint8_t Credit(uint8_t state) {
  return static_cast<uint8_t>(state & GLASS_REPLY_CREDIT);
}

// One exchange: a write, then a read that waited as `wait` says.
uint8_t Exchange(uint8_t state, glass_reply_wait wait) {
  return glass_reply_read(glass_reply_wrote(state), wait);
}

// A reader whose credit was spent by misses.
uint8_t Spent() {
  uint8_t s = GLASS_REPLY_INIT;
  for (int i = 0; i < GLASS_REPLY_CREDIT_MAX; i++) s = Exchange(s, GLASS_REPLY_MISS);
  return s;
}

TEST(ReplyPoll, ANewSocketHasAskedNothingAndDoesNotSpin) {
  EXPECT_FALSE(glass_reply_may_poll(GLASS_REPLY_INIT));
  EXPECT_EQ(Credit(GLASS_REPLY_INIT), GLASS_REPLY_CREDIT_MAX);
}

TEST(ReplyPoll, AWriteAsksForAReplyAndAReadTakesIt) {
  const uint8_t asked = glass_reply_wrote(GLASS_REPLY_INIT);
  EXPECT_TRUE(glass_reply_may_poll(asked));
  const uint8_t answered = glass_reply_read(asked, GLASS_REPLY_HIT);
  EXPECT_FALSE(glass_reply_may_poll(answered)) << "a read clears the request";
  EXPECT_EQ(Credit(answered), GLASS_REPLY_CREDIT_MAX) << "the credit stays at its top";
}

TEST(ReplyPoll, MissedRepliesSpendTheCreditThenTheReaderSleeps) {
  uint8_t s = GLASS_REPLY_INIT;
  for (int i = 0; i < GLASS_REPLY_CREDIT_MAX; i++) {
    s = glass_reply_wrote(s);
    ASSERT_TRUE(glass_reply_may_poll(s)) << "miss " << i;
    s = glass_reply_read(s, GLASS_REPLY_MISS);
  }
  EXPECT_EQ(Credit(s), 0);
  EXPECT_FALSE(glass_reply_may_poll(glass_reply_wrote(s))) << "three misses in a row stop the spin";
}

TEST(ReplyPoll, AHitBetweenMissesKeepsTheSpin) {
  uint8_t s = GLASS_REPLY_INIT;
  for (int i = 0; i < 50; i++) {
    s = Exchange(s, (i % 2) ? GLASS_REPLY_HIT : GLASS_REPLY_MISS);
    ASSERT_TRUE(glass_reply_may_poll(glass_reply_wrote(s))) << "exchange " << i;
  }
}

TEST(ReplyPoll, ASpentReaderTriesOneSpinAfterEnoughSleeps) {
  uint8_t s = Spent();
  for (int i = 0; i < GLASS_REPLY_RETRY; i++) {
    ASSERT_FALSE(glass_reply_may_poll(glass_reply_wrote(s))) << "sleep " << i;
    s = Exchange(s, GLASS_REPLY_SLEPT_ONLY);
  }
  EXPECT_TRUE(glass_reply_may_poll(glass_reply_wrote(s)));

  // The trial misses: back to sleeping, for as long again.
  const uint8_t missed = Exchange(s, GLASS_REPLY_MISS);
  EXPECT_FALSE(glass_reply_may_poll(glass_reply_wrote(missed)));
  EXPECT_EQ(Exchange(Spent(), GLASS_REPLY_SLEPT_ONLY), Exchange(missed, GLASS_REPLY_SLEPT_ONLY))
      << "a missed trial starts the count of sleeps again";

  // The trial hits: the spin is back, with a credit of one.
  const uint8_t hit = Exchange(s, GLASS_REPLY_HIT);
  EXPECT_EQ(Credit(hit), 1);
  EXPECT_TRUE(glass_reply_may_poll(glass_reply_wrote(hit)));
  EXPECT_EQ(hit & GLASS_REPLY_SLEPT, 0);
}

TEST(ReplyPoll, SleepsAreCountedNoFurtherThanTheirBits) {
  uint8_t s = Spent();
  for (int i = 0; i < 100; i++) s = Exchange(s, GLASS_REPLY_SLEPT_ONLY);
  EXPECT_EQ(s & GLASS_REPLY_SLEPT, GLASS_REPLY_SLEPT) << "the count saturates";
  EXPECT_EQ(s & GLASS_REPLY_WANTED, 0) << "it never spills into the request bit";
  EXPECT_TRUE(glass_reply_may_poll(glass_reply_wrote(s)));
}

TEST(ReplyPoll, AReadThatDidNotWaitForAReplyLeavesTheCredit) {
  // A bulk receiver's reads, or one that found the reply queued.
  const uint8_t s = Exchange(Spent(), GLASS_REPLY_SLEPT_ONLY);
  EXPECT_EQ(glass_reply_read(s, GLASS_REPLY_NONE), s);
  EXPECT_EQ(glass_reply_read(glass_reply_wrote(s), GLASS_REPLY_NONE), s);
  EXPECT_EQ(glass_reply_read(2, GLASS_REPLY_NONE), 2);
}

}  // namespace
