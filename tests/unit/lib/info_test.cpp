// glass_info field table and versioned length (info.cpp).
#include <gtest/gtest.h>
#include <glass/info.hpp>

#include <cstddef>

namespace glass {
namespace {

TEST(Info, FullStructHasEveryField) {
  Info info;
  info.filled = sizeof(glass_info);
  info.raw.gi_state = GLASS_ESTABLISHED;
  info.raw.gi_snd_una = 42;
  info.raw.gi_writer_blocked = 1ull << 40;
  info.raw.gi_tlp_probes = 7;
  EXPECT_TRUE(info.has(&glass_info::gi_writer_blocked));
  EXPECT_TRUE(info.has(&glass_info::gi_tlp_probes));
  const auto fields = info_fields(info);
  // 42 fields up to writer_blocked, then SACK's 9 (sack .. tlp_probes).
  ASSERT_EQ(fields.size(), 51u);
  EXPECT_EQ(fields.front().name, "len");
  EXPECT_EQ(fields[1].name, "state");
  EXPECT_EQ(fields[41].name, "writer_blocked");
  EXPECT_EQ(fields[41].value, 1ull << 40);
  EXPECT_EQ(fields.back().name, "tlp_probes");
  EXPECT_EQ(fields.back().value, 7u);
  const std::string text = format_info(info);
  EXPECT_NE(text.find("state ESTAB\n"), std::string::npos);
  EXPECT_NE(text.find("snd_una 42\n"), std::string::npos);
}

TEST(Info, OlderKernelFilledLess) {
  Info info;
  info.filled = offsetof(glass_info, gi_segs_out);
  EXPECT_TRUE(info.has(&glass_info::gi_zero_wnd_sent));
  EXPECT_FALSE(info.has(&glass_info::gi_segs_out));
  const auto fields = info_fields(info);
  EXPECT_EQ(fields.back().name, "zero_wnd_sent");
}

// A kernel from before SACK fills up to gi_writer_blocked (192 bytes).
TEST(Info, KernelBeforeSackStopsAtWriterBlocked) {
  Info info;
  info.filled = offsetof(glass_info, gi_sack);
  info.raw.gi_writer_blocked = 1ull << 40;
  EXPECT_FALSE(info.has(&glass_info::gi_sack));
  const auto fields = info_fields(info);
  ASSERT_EQ(fields.size(), 42u);
  EXPECT_EQ(fields.back().name, "writer_blocked");
  EXPECT_EQ(fields.back().value, 1ull << 40);
}

TEST(Info, NothingFilled) {
  const Info info;
  EXPECT_FALSE(info.has(&glass_info::gi_len));
  EXPECT_TRUE(info_fields(info).empty());
}

}  // namespace
}  // namespace glass
