// `glass perf`: option handling (values, ranges, combinations, exit
// statuses) and the report (ratios, table, JSON) on made-up figures.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "app.hpp"
#include "cli_parse.hpp"
#include "perf/perf.hpp"

namespace glass::cli {
namespace {

using parse_util::expect_usage;
using parse_util::parse;
using parse_util::Parsed;

// Parses `perf ARGS...` into a PerfOptions of its own.
PerfOptions parse_perf(std::vector<std::string> args) {
  CLI::App app("test");
  PerfOptions o;
  add_perf_options(app, o);
  args.insert(args.begin(), "perf");
  std::reverse(args.begin(), args.end());
  app.parse(args);
  return o;
}

TEST(PerfCli, HelpExplainsTheMeasurements) {
  const Parsed p = parse({"perf", "--help"});
  ASSERT_TRUE(p.rc.has_value());
  EXPECT_EQ(*p.rc, kExitOk);
  for (const char* word : {"tcp-veth", "throughput", "p99.9", "--no-setup", "ratio", "root",
                           "iperf3", "--parallel", "--reverse", "--netem", "stream-min"})
    EXPECT_NE(p.out.find(word), std::string::npos) << word;
}

TEST(PerfCli, Defaults) {
  const PerfOptions o = parse_perf({});
  EXPECT_TRUE(o.setup);
  EXPECT_EQ(o.tests, (std::vector<std::string>{"bulk", "rr", "connect"}));
  EXPECT_EQ(o.transports, (std::vector<std::string>{"glass", "tcp-veth", "tcp-lo", "unix"}));
  EXPECT_EQ(o.seconds, 2.0);
  EXPECT_EQ(o.bytes, 0u);
  EXPECT_FALSE(o.json);
  EXPECT_FALSE(parse({"perf"}).rc.has_value());
}

TEST(PerfCli, ParsesValues) {
  const PerfOptions o = parse_perf({"--tests", "bulk,rr", "--transports", "glass,unix", "-n", "64M",
                                    "--write-size", "16K", "--size", "512", "-r", "100",
                                    "--connections", "50", "--json", "-p", "9000"});
  EXPECT_EQ(o.tests, (std::vector<std::string>{"bulk", "rr"}));
  EXPECT_EQ(o.transports, (std::vector<std::string>{"glass", "unix"}));
  EXPECT_EQ(o.bytes, 64ull << 20);
  EXPECT_EQ(o.write_size, 16 << 10);
  EXPECT_EQ(o.size, 512);
  EXPECT_EQ(o.requests, 100);
  EXPECT_EQ(o.connections, 50);
  EXPECT_EQ(o.port, 9000);
  EXPECT_TRUE(o.json);
}

TEST(PerfCli, DefaultsAreIperf3s) {
  const PerfOptions o = parse_perf({});
  EXPECT_FALSE(o.server);
  EXPECT_TRUE(o.client.empty());
  EXPECT_EQ(o.port, 5201);
  EXPECT_EQ(o.parallel, 1);
  EXPECT_EQ(o.write_size, 64 << 10);
  EXPECT_EQ(o.writes_per_wake, 1);
  EXPECT_EQ(parse_perf({"--writes-per-wake", "10"}).writes_per_wake, 10);  // iperf3's multisend
  EXPECT_EQ(o.format, 0);
  EXPECT_EQ(o.interval, 0);
}

TEST(PerfCli, ClientFlagsAsIperf3) {
  const PerfOptions o =
      parse_perf({"-c", "10.7.0.2", "-P",    "4",          "-R",       "-t",      "3",
                  "-l", "128K",     "-f",    "g",          "-i",       "0.5",     "-J",
                  "-p", "5202",     "--tcp", "--tcp-addr", "10.8.0.2", "--netns", "a"});
  EXPECT_EQ(o.client, "10.7.0.2");
  EXPECT_EQ(o.parallel, 4);
  EXPECT_TRUE(o.reverse);
  EXPECT_EQ(o.seconds, 3.0);
  EXPECT_EQ(o.write_size, 128 << 10);
  EXPECT_EQ(o.format, 'g');
  EXPECT_EQ(o.interval, 0.5);
  EXPECT_TRUE(o.json);
  EXPECT_EQ(o.port, 5202);
  EXPECT_TRUE(o.tcp);
  EXPECT_EQ(o.tcp_addr, "10.8.0.2");
  EXPECT_EQ(o.netns, "a");
  EXPECT_FALSE(parse({"perf", "-c", "10.7.0.2", "-n", "1M"}).rc.has_value());
}

TEST(PerfCli, ServerFlags) {
  const PerfOptions o = parse_perf({"-s", "-1", "--netns", "b", "-f", "K", "--json"});
  EXPECT_TRUE(o.server);
  EXPECT_TRUE(o.one_off);
  EXPECT_EQ(o.netns, "b");
  EXPECT_EQ(o.format, 'K');
  EXPECT_FALSE(parse({"perf", "-s"}).rc.has_value());
}

TEST(PerfCli, OneHostRunFlags) {
  const PerfOptions o = parse_perf({"-P", "8", "--netem", "delay 5ms loss 2%", "-f", "m", "--tests",
                                    "bulk,many", "--many", "10000"});
  EXPECT_EQ(o.parallel, 8);
  EXPECT_EQ(o.netem, "delay 5ms loss 2%");
  EXPECT_EQ(o.tests, (std::vector<std::string>{"bulk", "many"}));
  EXPECT_EQ(o.many, 10000);
}

TEST(PerfCli, IdleTestAndItsPairCount) {
  const PerfOptions d = parse_perf({"--tests", "idle"});
  EXPECT_EQ(d.tests, (std::vector<std::string>{"idle"}));
  EXPECT_EQ(d.idle, 2000);
  EXPECT_EQ(parse_perf({"--tests", "idle", "--idle", "10000"}).idle, 10000);
  expect_usage({"perf", "--idle", "99"}, "--idle");
  expect_usage({"perf", "--idle", "20001"}, "--idle");
}

TEST(PerfCli, BusyPollForRequestResponse) {
  EXPECT_EQ(parse_perf({"--tests", "rr"}).busy_poll, 0);
  EXPECT_EQ(parse_perf({"--tests", "rr", "--busy-poll", "50"}).busy_poll, 50);
  expect_usage({"perf", "--busy-poll", "-1"}, "--busy-poll");
}

TEST(PerfCli, ModeUsageErrors) {
  expect_usage({"perf", "-s", "-c", "10.7.0.2"}, "excludes");
  expect_usage({"perf", "-c", "10.7.0"}, "10.7.0");
  expect_usage({"perf", "--tcp"}, "need -c");
  expect_usage({"perf", "-R"}, "need -c");
  expect_usage({"perf", "-1"}, "-1 needs -s");
  expect_usage({"perf", "-i", "1"}, "need -s or -c");
  expect_usage({"perf", "--netns", "a"}, "need -s or -c");
  expect_usage({"perf", "-s", "--tests", "bulk"}, "do not apply");
  expect_usage({"perf", "-c", "10.7.0.2", "--netem", "loss 1%"}, "do not apply");
  expect_usage({"perf", "-c", "10.7.0.2", "--mtu", "9000"}, "do not apply");
  expect_usage({"perf", "-f", "x"}, "--format");
  expect_usage({"perf", "-f", "mm"}, "--format");
  expect_usage({"perf", "-P", "0"}, "--parallel");
  expect_usage({"perf", "--writes-per-wake", "0"}, "--writes-per-wake");
  expect_usage({"perf", "-i", "0.01", "-s"}, "--interval");
  expect_usage({"perf", "--netem", ""}, "--netem");
  expect_usage({"perf", "--netem", "delay 5ms; reboot"}, "--netem");
  expect_usage({"perf", "--no-setup", "--glass-addr", "10.7.0.2", "--netem", "loss 1%"},
               "--netem applies");
}

TEST(PerfCli, NoSetupUsesGivenAddresses) {
  const PerfOptions o = parse_perf({"--no-setup", "--glass-addr", "10.7.9.1", "--transports",
                                    "glass,tcp-lo", "--server-netns", "b", "--client-netns", "a"});
  EXPECT_FALSE(o.setup);
  EXPECT_EQ(o.glass_addr, "10.7.9.1");
  EXPECT_EQ(o.server_netns, "b");
}

TEST(PerfCli, UsageErrors) {
  expect_usage({"perf", "--time", "1", "--bytes", "1M"}, "excludes");
  expect_usage({"perf", "--tests", "bulk,ping"}, "ping");
  expect_usage({"perf", "-s", "512"}, "512");  // -s is the server now, not --size
  expect_usage({"perf", "--transports", "sctp"}, "sctp");
  expect_usage({"perf", "--no-setup"}, "--glass-addr");
  expect_usage({"perf", "--glass-addr", "10.7.0.2"}, "need --no-setup");
  expect_usage({"perf", "--no-setup", "--glass-addr", "10.7.0"}, "10.7.0");
  expect_usage({"perf", "--size", "0"}, "--size");
  expect_usage({"perf", "--requests", "5"}, "--requests");
  expect_usage({"perf", "--time", "0"}, "--time");
  expect_usage({"perf", "--connections", "x"}, "--connections");
  expect_usage({"perf", "--no-setup", "--transports", "tcp-veth"}, "--tcp-addr");
}

std::vector<PerfFigure> sample() {
  return {{"bulk", "glass", "throughput", 50, "MB/s", "2 s", NAN},
          {"bulk", "tcp-veth", "throughput", 100, "MB/s", "2 s", NAN},
          {"rr", "glass", "p50", 30, "us", "rt", NAN},
          {"rr", "tcp-veth", "p50", 20, "us", "rt", NAN},
          {"rr", "unix", "p50", 10, "us", "rt", NAN}};
}

TEST(PerfReport, RatiosAgainstTheBaseline) {
  auto f = sample();
  perf_ratios(f, "tcp-veth");
  EXPECT_DOUBLE_EQ(f[0].ratio, 0.5);
  EXPECT_DOUBLE_EQ(f[1].ratio, 1.0);
  EXPECT_DOUBLE_EQ(f[2].ratio, 1.5);
  EXPECT_DOUBLE_EQ(f[4].ratio, 0.5);
  perf_ratios(f, "tcp-lo");  // absent: no ratios
  EXPECT_TRUE(std::isnan(f[0].ratio));
}

TEST(PerfReport, TableHasUnitRatioAndHow) {
  auto f = sample();
  perf_ratios(f, "tcp-veth");
  std::ostringstream out;
  perf_table(out, f, "tcp-veth");
  const std::string s = out.str();
  EXPECT_NE(s.find("vs tcp-veth"), std::string::npos) << s;
  EXPECT_NE(s.find("0.50x"), std::string::npos) << s;
  EXPECT_NE(s.find("MB/s"), std::string::npos);
  EXPECT_NE(s.find("how measured"), std::string::npos);
}

TEST(PerfReport, Json) {
  auto f = sample();
  perf_ratios(f, "tcp-veth");
  std::ostringstream out;
  perf_json(out, f, "tcp-veth");
  const std::string s = out.str();
  EXPECT_EQ(s.rfind("{\"baseline\":\"tcp-veth\",\"results\":[", 0), 0u) << s;
  EXPECT_NE(s.find("\"transport\":\"glass\",\"figure\":\"throughput\",\"value\":50,"
                   "\"unit\":\"MB/s\",\"ratio\":0.5"),
            std::string::npos)
      << s;
  EXPECT_NE(s.back(), ',');
  std::ostringstream with;
  perf_json(with, f, "tcp-veth", {"delay 5ms loss 2%"});
  EXPECT_NE(with.str().find("],\"netem\":\"delay 5ms loss 2%\"}"), std::string::npos) << with.str();
  std::ostringstream mtu;
  perf_json(mtu, f, "tcp-veth", {"", 9000, 9000});
  EXPECT_NE(mtu.str().find("],\"mtu\":{\"glass\":9000,\"veth\":9000}}"), std::string::npos)
      << mtu.str();
}

}  // namespace
}  // namespace glass::cli
