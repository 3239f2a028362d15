// `glass capture`: option values, the filter expression (compiled at parse
// time, so a bad one is a usage error), and the refusals.
#include <gtest/gtest.h>

#include "app.hpp"
#include "capture.hpp"
#include "cli_parse.hpp"

namespace glass::cli {
namespace {

using parse_util::parse;
using parse_util::Parsed;

void expect_refused(const std::vector<std::string>& args, const std::string& needle) {
  const Parsed p = parse(args);
  ASSERT_TRUE(p.rc.has_value()) << needle;
  EXPECT_EQ(*p.rc, kExitUsage) << p.err;
  EXPECT_NE(p.err.find(needle), std::string::npos) << p.err;
  EXPECT_EQ(p.err.find('\n'), p.err.size() - 1) << p.err;
}

TEST(CliCapture, Defaults) {
  CLI::App app;
  CaptureOptions o;
  bool then_called = false;
  add_capture_options(app, o, [&] { then_called = true; });
  app.parse("capture ga -w /tmp/f.pcap", false);
  EXPECT_EQ(o.device, "ga");
  EXPECT_EQ(o.file, "/tmp/f.pcap");
  EXPECT_EQ(o.count, 0);
  EXPECT_EQ(o.duration, 0);
  EXPECT_EQ(o.snaplen, 65600);
  EXPECT_EQ(o.buffer, 32u << 20);
  EXPECT_TRUE(o.filter.empty());
  EXPECT_TRUE(then_called);
}

TEST(CliCapture, Values) {
  CLI::App app;
  CaptureOptions o;
  add_capture_options(app, o);
  app.parse("capture gb --write - -c 100 --duration 2.5 -s 1500 -B 4M ether proto 0x88b5", false);
  EXPECT_EQ(o.device, "gb");
  EXPECT_EQ(o.file, "-");
  EXPECT_EQ(o.count, 100);
  EXPECT_DOUBLE_EQ(o.duration, 2.5);
  EXPECT_EQ(o.snaplen, 1500);
  EXPECT_EQ(o.buffer, 4u << 20);
  EXPECT_EQ(capture_filter(o), "ether proto 0x88b5");
}

TEST(CliCapture, FilterIsCompiledWhenParsed) {
  EXPECT_EQ(check_capture_filter("ether proto 0x88b5", 65600), "");
  EXPECT_EQ(check_capture_filter("not ether proto 0x88b5 and ether[14] = 1", 65600), "");
  EXPECT_NE(check_capture_filter("ether proto bogus((", 65600), "");
  const Parsed ok = parse({"capture", "ga", "-w", "f.pcap", "ether proto 0x88b5"});
  EXPECT_FALSE(ok.rc.has_value()) << ok.err;
  expect_refused({"capture", "ga", "-w", "f.pcap", "ether", "proto", "bogus(("},
                 "bad filter 'ether proto bogus(('");
}

TEST(CliCapture, Refusals) {
  expect_refused({"capture", "ga"}, "--write");
  expect_refused({"capture", "-w", "f.pcap"}, "DEV");
  expect_refused({"capture", "ga", "-w", "f", "-c", "0"}, "--count");
  expect_refused({"capture", "ga", "-w", "f", "-c", "abc"}, "--count");
  expect_refused({"capture", "ga", "-w", "f", "--duration", "0"}, "--duration");
  expect_refused({"capture", "ga", "-w", "f", "--duration", "1x"}, "--duration");
  expect_refused({"capture", "ga", "-w", "f", "-s", "10"}, "--snaplen");
  expect_refused({"capture", "ga", "-w", "f", "-B", "1K"}, "--buffer");
  expect_refused({"capture", "a/b", "-w", "f"}, "DEV");
  expect_refused({"capture", "ga", "-w", "f", "-B", "2G"}, "--buffer");
}

}  // namespace
}  // namespace glass::cli
