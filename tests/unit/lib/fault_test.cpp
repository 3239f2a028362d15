// The fault injector's rtnetlink messages (built and parsed back with
// libmnl, no socket, no module), its value parsers and `glass fault` options.
#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <glass/error.hpp>
#include <glass/fault.hpp>
#include <glass/netlink.hpp>

#include <array>
#include <cstring>
#include <map>
#include <sstream>

#include "app.hpp"
#include "cli_parse.hpp"
#include "fault.hpp"

#include "nl_attrs.hpp"

namespace glass {
namespace {

using test::Attrs;
using test::nested;
using test::top_level;

// The IFLA_INFO_DATA of a fault request.
Attrs fault_data(const nlmsghdr* nlh) {
  const Attrs top = top_level(nlh);
  EXPECT_EQ(top.count(IFLA_LINKINFO), 1u);
  const Attrs li = nested(top.at(IFLA_LINKINFO));
  EXPECT_STREQ(mnl_attr_get_str(li.at(IFLA_INFO_KIND)), "glass");
  return nested(li.at(IFLA_INFO_DATA));
}

struct FaultMessage : ::testing::Test {
  std::array<char, kNetlinkBufSize> buf{};
};

TEST_F(FaultMessage, SetChangesAnExistingDevice) {
  FaultSettings s;
  s.loss_ppm = 100000;
  const nlmsghdr* nlh = build_fault_set(buf, "ga", s, 9);
  EXPECT_EQ(nlh->nlmsg_type, RTM_NEWLINK);
  EXPECT_EQ(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);  // no CREATE, no EXCL
  EXPECT_EQ(nlh->nlmsg_seq, 9u);
  const Attrs top = top_level(nlh);
  EXPECT_STREQ(mnl_attr_get_str(top.at(IFLA_IFNAME)), "ga");
}

TEST_F(FaultMessage, CarriesOnlyTheGivenAttributes) {
  FaultSettings s;
  s.loss_ppm = 100000;
  s.seed = 0x1234567890abcdefULL;
  const Attrs d = fault_data(build_fault_set(buf, "ga", s, 1));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(mnl_attr_get_u32(d.at(GLASS_INFO_FAULT_LOSS)), 100000u);
  EXPECT_EQ(mnl_attr_get_payload_len(d.at(GLASS_INFO_FAULT_SEED)), 8u);
  EXPECT_EQ(mnl_attr_get_u64(d.at(GLASS_INFO_FAULT_SEED)), 0x1234567890abcdefULL);
}

TEST_F(FaultMessage, ClearSetsEverythingToZero) {
  const Attrs d = fault_data(build_fault_set(buf, "ga", FaultSettings::cleared(), 1));
  ASSERT_EQ(d.size(), 6u);
  for (int t : {GLASS_INFO_FAULT_LOSS, GLASS_INFO_FAULT_DUPLICATE, GLASS_INFO_FAULT_REORDER,
                GLASS_INFO_FAULT_CORRUPT, GLASS_INFO_FAULT_DELAY_US})
    EXPECT_EQ(mnl_attr_get_u32(d.at(t)), 0u) << t;
  EXPECT_EQ(mnl_attr_get_u64(d.at(GLASS_INFO_FAULT_SEED)), 0u);
  EXPECT_EQ(d.count(GLASS_INFO_FAULT_STATS), 0u);  // read-only
}

TEST_F(FaultMessage, GetNamesTheDevice) {
  const nlmsghdr* nlh = build_link_get(buf, "gb", 3);
  EXPECT_EQ(nlh->nlmsg_type, RTM_GETLINK);
  EXPECT_EQ(nlh->nlmsg_flags, NLM_F_REQUEST);
  EXPECT_STREQ(mnl_attr_get_str(top_level(nlh).at(IFLA_IFNAME)), "gb");
}

// An RTM_NEWLINK answer as the kernel builds it (glass_fault_fill).
nlmsghdr* kernel_answer(std::span<char> b, const char* kind, bool with_fault) {
  std::fill(b.begin(), b.end(), 0);
  nlmsghdr* nlh = mnl_nlmsg_put_header(b.data());
  nlh->nlmsg_type = RTM_NEWLINK;
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_index = 7;
  mnl_attr_put_strz(nlh, IFLA_IFNAME, "ga");
  mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
  if (kind == nullptr) return nlh;
  nlattr* li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
  if (with_fault) {
    nlattr* d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    mnl_attr_put_u64(nlh, GLASS_INFO_FAULT_SEED, 42);
    mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_LOSS, 100000);
    mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_DUPLICATE, 20000);
    mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_REORDER, 50000);
    mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_CORRUPT, 10000);
    mnl_attr_put_u32(nlh, GLASS_INFO_FAULT_DELAY_US, 1500);
    glass_fault_stats st{1000, 100, 20, 50, 10, 0};
    mnl_attr_put(nlh, GLASS_INFO_FAULT_STATS, sizeof(st), &st);
    mnl_attr_nest_end(nlh, d);
  }
  mnl_attr_nest_end(nlh, li);
  return nlh;
}

TEST_F(FaultMessage, ParsesTheKernelsAnswer) {
  const FaultState st = parse_fault_link(kernel_answer(buf, "glass", true));
  EXPECT_EQ(st.device, "ga");
  EXPECT_EQ(st.kind, "glass");
  EXPECT_EQ(st.ifindex, 7);
  EXPECT_TRUE(st.has_fault);
  EXPECT_EQ(st.seed, 42u);
  EXPECT_EQ(st.loss_ppm, 100000u);
  EXPECT_EQ(st.duplicate_ppm, 20000u);
  EXPECT_EQ(st.reorder_ppm, 50000u);
  EXPECT_EQ(st.corrupt_ppm, 10000u);
  EXPECT_EQ(st.delay_us, 1500u);
  EXPECT_EQ(st.stats.frames, 1000u);
  EXPECT_EQ(st.stats.lost, 100u);
  EXPECT_EQ(st.stats.duplicated, 20u);
  EXPECT_EQ(st.stats.reordered, 50u);
  EXPECT_EQ(st.stats.corrupted, 10u);
}

TEST_F(FaultMessage, ForeignAndPlainDevicesHaveNoFault) {
  const FaultState veth = parse_fault_link(kernel_answer(buf, "veth", false));
  EXPECT_EQ(veth.kind, "veth");
  EXPECT_FALSE(veth.has_fault);
  const FaultState plain = parse_fault_link(kernel_answer(buf, nullptr, false));
  EXPECT_EQ(plain.kind, "");
  EXPECT_FALSE(plain.has_fault);
}

TEST_F(FaultMessage, RejectsAMalformedAttribute) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_NEWLINK;
  mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg));
  nlattr* li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "glass");
  nlattr* d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  mnl_attr_put_u16(nlh, GLASS_INFO_FAULT_LOSS, 5);  // a u16 where a u32 belongs
  mnl_attr_nest_end(nlh, d);
  mnl_attr_nest_end(nlh, li);
  EXPECT_THROW(parse_fault_link(nlh), ParseError);
}

TEST(FaultValues, Percentages) {
  EXPECT_EQ(parse_percent_ppm("10%", "loss"), 100000u);
  EXPECT_EQ(parse_percent_ppm("10", "loss"), 100000u);
  EXPECT_EQ(parse_percent_ppm("0.5%", "loss"), 5000u);
  EXPECT_EQ(parse_percent_ppm("0.0001%", "loss"), 1u);
  EXPECT_EQ(parse_percent_ppm("100%", "loss"), 1000000u);
  EXPECT_EQ(parse_percent_ppm("0", "loss"), 0u);
  EXPECT_EQ(parse_percent_ppm(".5", "loss"), 5000u);
  EXPECT_EQ(parse_percent_ppm("2.50000%", "loss"), 25000u);  // trailing zeros are exact
  for (const char* bad : {"", "%", "-1%", "100.0001%", "101", "1e3", "5.", "abc", "5%%", "0x10",
                          " 5", "0.00001%", "1,5"})
    EXPECT_THROW(parse_percent_ppm(bad, "loss"), ParseError) << bad;
}

TEST(FaultValues, PercentErrorsSayWhatIsWrong) {
  try {
    parse_percent_ppm("0.00001%", "corrupt");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("corrupt: '0.00001%' has more than 4 decimals"),
              std::string::npos)
        << e.what();
  }
  try {
    parse_percent_ppm("150%", "loss");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("above 100%"), std::string::npos) << e.what();
  }
}

TEST(FaultValues, Delays) {
  EXPECT_EQ(parse_delay_us("5"), 5000u);
  EXPECT_EQ(parse_delay_us("5ms"), 5000u);
  EXPECT_EQ(parse_delay_us("0.25ms"), 250u);
  EXPECT_EQ(parse_delay_us("250us"), 250u);
  EXPECT_EQ(parse_delay_us("10000"), 10000000u);
  for (const char* bad : {"", "ms", "10001", "0.0001", "1.5us", "-1", "5s", "x"})
    EXPECT_THROW(parse_delay_us(bad), ParseError) << bad;
}

TEST(FaultValues, Seeds) {
  EXPECT_EQ(parse_seed("0"), 0u);
  EXPECT_EQ(parse_seed("42"), 42u);
  EXPECT_EQ(parse_seed("0x2A"), 42u);
  EXPECT_EQ(parse_seed("18446744073709551615"), UINT64_MAX);
  for (const char* bad :
       {"", "-1", "18446744073709551616", "0x", "0x1g", "1.5", "0x10000000000000000"})
    EXPECT_THROW(parse_seed(bad), ParseError) << bad;
}

TEST(FaultValues, Formatting) {
  EXPECT_EQ(format_ppm_percent(100000), "10%");
  EXPECT_EQ(format_ppm_percent(5000), "0.5%");
  EXPECT_EQ(format_ppm_percent(1), "0.0001%");
  EXPECT_EQ(format_ppm_percent(125000), "12.5%");
  EXPECT_EQ(format_delay(0), "0ms");
  EXPECT_EQ(format_delay(1500), "1.5ms");
  EXPECT_EQ(format_delay(250), "0.25ms");
}

}  // namespace
}  // namespace glass

namespace glass::cli {
namespace {

using parse_util::parse;
using parse_util::Parsed;

FaultOptions words(const std::string& line) {
  CLI::App app;
  FaultOptions o;
  add_fault_options(app, o);
  app.parse("fault " + line, false);
  return o;
}

TEST(CliFault, SetParsesEveryKeyword) {
  const FaultOptions o =
      words("ga loss 10% duplicate 2% reorder 5 corrupt 0.5% delay 1.5 seed 0x10");
  EXPECT_EQ(o.op, FaultOptions::Op::kSet);
  EXPECT_EQ(o.device, "ga");
  EXPECT_EQ(o.settings.loss_ppm, 100000u);
  EXPECT_EQ(o.settings.duplicate_ppm, 20000u);
  EXPECT_EQ(o.settings.reorder_ppm, 50000u);
  EXPECT_EQ(o.settings.corrupt_ppm, 5000u);
  EXPECT_EQ(o.settings.delay_us, 1500u);
  EXPECT_EQ(o.settings.seed, 16u);
}

TEST(CliFault, OnlyNamedValuesChange) {
  const FaultOptions o = words("ga loss 1%");
  EXPECT_EQ(o.settings.loss_ppm, 10000u);
  EXPECT_FALSE(o.settings.seed);
  EXPECT_FALSE(o.settings.duplicate_ppm);
  EXPECT_FALSE(o.settings.delay_us);
}

TEST(CliFault, ShowAndClear) {
  EXPECT_EQ(words("ga").op, FaultOptions::Op::kShow);
  const FaultOptions s = words("ga show --json");
  EXPECT_EQ(s.op, FaultOptions::Op::kShow);
  EXPECT_TRUE(s.json);
  const FaultOptions c = words("gb clear");
  EXPECT_EQ(c.op, FaultOptions::Op::kClear);
  EXPECT_EQ(c.device, "gb");
  EXPECT_EQ(c.settings.loss_ppm, 0u);
  EXPECT_EQ(c.settings.seed, 0u);
}

TEST(CliFault, UsageErrorsAreClear) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"fault"}, "DEV"},
      {{"fault", "ga", "loss"}, "'loss' needs a value"},
      {{"fault", "ga", "loss", "10%", "loss", "5%"}, "'loss' given twice"},
      {{"fault", "ga", "lose", "10%"}, "unknown keyword 'lose'"},
      {{"fault", "ga", "loss", "150%"}, "above 100%"},
      {{"fault", "ga", "loss", "ten"}, "is not a percentage"},
      {{"fault", "ga", "delay", "20000"}, "above 10000 ms"},
      {{"fault", "ga", "seed", "-3"}, "not an unsigned 64-bit number"},
      {{"fault", "ga", "show", "loss"}, "takes no further words"},
      {{"fault", "ga", "loss", "1%", "--json"}, "--json applies to 'show' only"},
      {{"fault", "this-name-is-far-too-long", "show"}, "longer than 15"},
  };
  for (const auto& [args, needle] : cases) {
    const Parsed p = parse(args);
    ASSERT_TRUE(p.rc.has_value()) << args.back();
    EXPECT_EQ(*p.rc, kExitUsage) << args.back();
    EXPECT_NE(p.err.find(needle), std::string::npos) << "want '" << needle << "' in: " << p.err;
  }
}

TEST(CliFault, NoSuchDeviceIsARuntimeError) {
  Cli cli;
  std::ostringstream out, err;
  ASSERT_FALSE(cli.parse({"fault", "nosuchdev0", "show"}, out, err).has_value()) << err.str();
  EXPECT_EQ(cli.execute(err), kExitError);
  EXPECT_NE(err.str().find("fault nosuchdev0: no such device"), std::string::npos) << err.str();
}

TEST(CliFault, RendersTextAndJson) {
  FaultState st;
  st.device = "ga";
  st.seed = 42;
  st.loss_ppm = 100000;
  st.corrupt_ppm = 5000;
  st.delay_us = 1500;
  st.stats.frames = 1000;
  st.stats.lost = 99;
  EXPECT_EQ(fault_render_text(st),
            "ga: seed 42 loss 10% duplicate 0% reorder 0% corrupt 0.5% delay 1.5ms\n"
            "  frames 1000 lost 99 duplicated 0 reordered 0 corrupted 0 delayed 0\n");
  EXPECT_EQ(fault_render_json(st),
            "{\"device\": \"ga\", \"seed\": 42, \"loss_ppm\": 100000, \"duplicate_ppm\": 0, "
            "\"reorder_ppm\": 0, \"corrupt_ppm\": 5000, \"delay_us\": 1500, \"stats\": "
            "{\"frames\": 1000, \"lost\": 99, \"duplicated\": 0, \"reordered\": 0, "
            "\"corrupted\": 0, \"delayed\": 0}}\n");
}

}  // namespace
}  // namespace glass::cli
