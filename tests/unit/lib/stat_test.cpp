// The /proc/net/glass_stat counter parser and deltas (procfs.cpp).
#include <gtest/gtest.h>
#include <glass/error.hpp>
#include <glass/procfs.hpp>

#include "test_util.hpp"

namespace glass {
namespace {

using test::data;

TEST(Counters, Normal) {
  const Counters c = parse_counters(data("stat_normal.txt"));
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0], (std::pair<std::string, std::uint64_t>{"segs_out", 1200}));
  EXPECT_EQ(c[2].first, "retransmits");
  EXPECT_EQ(c[4].second, 7u);
}

TEST(Counters, Malformed) {
  try {
    parse_counters(data("stat_malformed.txt"), "sample");
    FAIL() << "no exception";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "sample:2: value of 'segs_in' is not an unsigned number: 'eleven'");
  }
  EXPECT_THROW(parse_counters(data("stat_extra_field.txt")), ParseError);
  EXPECT_THROW(parse_counters("lonely\n"), ParseError);
  EXPECT_THROW(parse_counters("neg -1\n"), ParseError);
  EXPECT_THROW(parse_counters("big 18446744073709551616\n"), ParseError);
}

TEST(Counters, Largest) {
  EXPECT_EQ(parse_counters("big 18446744073709551615\n")[0].second, UINT64_MAX);
}

TEST(Counters, EmptyIsEmpty) {
  EXPECT_TRUE(parse_counters("\n\n").empty());
}

TEST(Counters, FormatRoundTrips) {
  const Counters c = parse_counters(data("stat_normal.txt"));
  EXPECT_EQ(parse_counters(format_counters(c)), c);
}

TEST(Counters, Deltas) {
  const Counters now = parse_counters(data("stat_normal.txt"));
  const Counters base = parse_counters(data("stat_baseline.txt"));
  const Counters d = counter_deltas(now, base);
  ASSERT_EQ(d.size(), now.size());
  EXPECT_EQ(d[0].second, 200u);  // segs_out 1200 - 1000
  EXPECT_EQ(d[1].second, 100u);  // segs_in 1100 - 1000
  EXPECT_EQ(d[2].second, 3u);    // retransmits went backwards (reload): counts from 0
  EXPECT_EQ(d[4].second, 7u);    // not in the baseline: counts from 0
}

}  // namespace
}  // namespace glass
