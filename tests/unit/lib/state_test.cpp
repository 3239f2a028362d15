// State names (state.cpp).
#include <gtest/gtest.h>
#include <glass/address.hpp>
#include <glass/state.hpp>

namespace glass {
namespace {

TEST(State, NamesAsSsPrintsThem) {
  EXPECT_EQ(state_name(GLASS_ESTABLISHED), "ESTAB");
  EXPECT_EQ(state_name(GLASS_SYN_SENT), "SYN-SENT");
  EXPECT_EQ(state_name(GLASS_SYN_RECV), "SYN-RECV");
  EXPECT_EQ(state_name(GLASS_FIN_WAIT1), "FIN-WAIT-1");
  EXPECT_EQ(state_name(GLASS_FIN_WAIT2), "FIN-WAIT-2");
  EXPECT_EQ(state_name(GLASS_TIME_WAIT), "TIME-WAIT");
  EXPECT_EQ(state_name(GLASS_CLOSE), "UNCONN");
  EXPECT_EQ(state_name(GLASS_CLOSE_WAIT), "CLOSE-WAIT");
  EXPECT_EQ(state_name(GLASS_LAST_ACK), "LAST-ACK");
  EXPECT_EQ(state_name(GLASS_LISTEN), "LISTEN");
  EXPECT_EQ(state_name(GLASS_CLOSING), "CLOSING");
}

TEST(State, UnknownNumbers) {
  EXPECT_EQ(state_name(0), "UNKNOWN(0)");
  EXPECT_EQ(state_name(GLASS_MAX_STATES), "UNKNOWN(12)");
  EXPECT_EQ(state_name(-1), "UNKNOWN(-1)");
}

TEST(State, FromNameRoundTrips) {
  for (int s = GLASS_ESTABLISHED; s < GLASS_MAX_STATES; ++s)
    EXPECT_EQ(state_from_name(state_name(s)), s) << state_name(s);
}

TEST(State, FromNameAcceptsLongFormsAnyCase) {
  EXPECT_EQ(state_from_name("established"), GLASS_ESTABLISHED);
  EXPECT_EQ(state_from_name("estab"), GLASS_ESTABLISHED);
  EXPECT_EQ(state_from_name("syn_sent"), GLASS_SYN_SENT);
  EXPECT_EQ(state_from_name("close"), GLASS_CLOSE);
  EXPECT_EQ(state_from_name("fin-wait1"), GLASS_FIN_WAIT1);
  EXPECT_FALSE(state_from_name("bogus"));
  EXPECT_FALSE(state_from_name(""));
}

}  // namespace
}  // namespace glass
