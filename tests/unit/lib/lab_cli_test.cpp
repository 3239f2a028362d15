// `glass lab`: option handling of every scenario, and the files a run
// leaves behind (CSV, facts, explanation, gnuplot script, summary pages),
// driven by a scenario that needs no glass module.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "app.hpp"
#include "cli_parse.hpp"
#include "lab/lab.hpp"
#include "lab/transport.hpp"

namespace glass::cli {
namespace {

using parse_util::expect_ok;
using parse_util::expect_usage;
using parse_util::parse;
using parse_util::Parsed;

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(LabCli, HelpListsEveryScenario) {
  const Parsed p = parse({"lab", "--help"});
  ASSERT_TRUE(p.rc.has_value());
  EXPECT_EQ(*p.rc, kExitOk);
  for (const char* s : {"slow-reader", "nagle", "rcvbuf", "loss", "readiness", "copy", "delack",
                        "all", "plot", "facts.txt", "veth pair"})
    EXPECT_NE(p.out.find(s), std::string::npos) << s;
}

TEST(LabCli, ScenarioHelpExplains) {
  const Parsed p = parse({"lab", "slow-reader", "--help"});
  ASSERT_TRUE(p.rc.has_value());
  EXPECT_EQ(*p.rc, kExitOk);
  EXPECT_NE(p.out.find("zero-window probes"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("--pause"), std::string::npos);
}

TEST(LabCli, AcceptsEachScenario) {
  expect_ok({"lab", "slow-reader", "-o", "d", "--pause", "500", "--rcvbuf", "65536"});
  expect_ok({"lab", "nagle", "-o", "d", "--quick", "--writes", "50", "--gap", "0"});
  expect_ok({"lab", "rcvbuf", "-o", "d", "--sizes", "8192,65536", "--rtt", "20"});
  expect_ok({"lab", "loss", "-o", "d", "--loss", "5", "--bytes", "2M", "--outage", "800"});
  expect_ok({"lab", "readiness", "-o", "d", "--variants", "epoll,io_uring", "--requests", "5"});
  expect_ok({"lab", "copy", "-o", "d", "--sizes", "100,1000", "--seconds", "0.5"});
  expect_ok({"lab", "copy", "-o", "d", "--sizes", "1K,64K", "--sample-ms", "10"});
  expect_ok({"lab", "slow-reader", "-o", "d", "--rcvbuf", "32K", "--sndbuf", "64k"});
  expect_ok({"lab", "all", "-o", "d", "--quick", "--only", "nagle,loss", "--no-plot"});
  expect_ok({"lab", "delack", "-o", "d", "--requests", "10", "--header", "1K", "--body", "10"});
  expect_ok({"lab", "loss", "-o", "d", "--seed", "42"});
  expect_ok({"lab", "loss", "-o", "d", "--seed", "18446744073709551615"});
  expect_ok({"lab", "all", "-o", "d", "--no-tcp", "--only", "delack"});
}

TEST(LabCli, EveryScenarioTakesNoTcp) {
  for (const char* s : {"slow-reader", "nagle", "rcvbuf", "loss", "readiness", "copy", "delack"})
    expect_ok({"lab", s, "-o", "d", "--no-tcp"});
  const Parsed p = parse({"lab", "delack", "--help"});
  EXPECT_NE(p.out.find("--no-tcp"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("GLASS_QUICKACK"), std::string::npos) << p.out;
}

TEST(LabCli, UsageErrors) {
  expect_usage({"lab"}, "subcommand");
  expect_usage({"lab", "tsunami", "-o", "d"}, "subcommand");
  expect_usage({"lab", "slow-reader"}, "--out");
  expect_usage({"lab", "slow-reader", "-o", "d", "--pause", "10"}, "--pause");
  expect_usage({"lab", "nagle", "-o", "d", "--size", "8"}, "--size");
  expect_usage({"lab", "rcvbuf", "-o", "d", "--sizes", "8192,100"}, "--sizes");
  expect_usage({"lab", "loss", "-o", "d", "--loss", "50"}, "--loss");
  expect_usage({"lab", "readiness", "-o", "d", "--variants", "select"}, "select");
  expect_usage({"lab", "all", "-o", "d", "--only", "nagle,bogus"}, "bogus");
  expect_usage({"lab", "nagle", "-o", "d", "--sample-ms", "0"}, "--sample-ms");
  expect_usage({"lab", "nagle", "-o", "d", "--interval", "5"}, "--interval");  // now --sample-ms
  expect_usage({"lab", "plot", "/nonexistent/folder"}, "/nonexistent/folder");
  expect_usage({"lab", "delack", "-o", "d", "--requests", "2"}, "--requests");
  expect_usage({"lab", "delack", "-o", "d", "--body", "2K"}, "--body");
  expect_usage({"lab", "loss", "-o", "d", "--seed", "abc"}, "--seed");
  expect_usage({"lab", "loss", "-o", "d", "--seed", "-1"}, "--seed");
}

// The counters the lab compares: glass_stat's "name value" lines and the
// "Prefix: names" / "Prefix: values" pairs of /proc/net/netstat and snmp.
TEST(LabTransport, ParsesBothCounterFormats) {
  const auto m = lab::parse_counters(
      "delayed_acks 7\nzero_window_probes 3\n"
      "TcpExt: SyncookiesSent DelayedACKs TCPWinProbe\nTcpExt: 0 12 5\n"
      "IpExt: InNoRoutes\nIpExt: 1\n"
      "Tcp: RtoAlgorithm MaxConn RetransSegs\nTcp: 1 -1 9\n");
  EXPECT_EQ(m.at("delayed_acks"), 7u);
  EXPECT_EQ(m.at("zero_window_probes"), 3u);
  EXPECT_EQ(m.at("TcpExt.DelayedACKs"), 12u);
  EXPECT_EQ(m.at("TcpExt.TCPWinProbe"), 5u);
  EXPECT_EQ(m.at("IpExt.InNoRoutes"), 1u);
  EXPECT_EQ(m.at("Tcp.RetransSegs"), 9u);
  EXPECT_EQ(m.count("TcpExt.SyncookiesSent"), 1u);
  EXPECT_EQ(m.count("TcpExt"), 0u);
}

TEST(LabTransport, NamesAndColours) {
  EXPECT_STREQ(lab::key_of(lab::Transport::kGlass), "glass");
  EXPECT_STREQ(lab::key_of(lab::Transport::kTcp), "tcp");
  EXPECT_STREQ(lab::label_of(lab::Transport::kTcp), "TCP");
  for (int lc = 1; lc <= 4; lc++) EXPECT_NE(lab::tcp_color(lc), lc);
}

TEST(LabOutput, NumbersAndCsv) {
  EXPECT_EQ(num(12), "12");
  EXPECT_EQ(num(0.5), "0.5");
  EXPECT_EQ(num(1.0 / 3), "0.3333");
  EXPECT_EQ(num(NAN), "NaN");
  Csv csv({"t_ms", "x"});
  csv.row({"1", "2"});
  EXPECT_EQ(csv.str(), "t_ms,x\n1,2\n");
}

// A scenario that needs no module: it writes a CSV and checks a flag.
class Fake : public Scenario {
 public:
  explicit Fake(bool show) : show_(show) {}
  const char* name() const override { return show_ ? "fake" : "broken"; }
  const char* title() const override { return "A fake scenario"; }
  const char* help() const override { return "It explains itself.\n\nIn two paragraphs."; }
  void run(LabRun& run) override {
    Csv csv({"t_ms", "v"});
    csv.row({"0", "1"});
    run.write_csv(csv);
    run.fact("answer", 42, "the answer is 42");
    run.fact("seed", "18446744073709551615", "");
    run.check(show_, "the flag was set");
    run.headline("glass 42; TCP 41");
    run.set_plot("plot '" + std::string(name()) + ".csv' using 't_ms':'v' with lines\n");
  }

 private:
  bool show_;
};

// A scenario whose run fails (a runtime error, not a phenomenon not shown).
class Broken : public Scenario {
 public:
  const char* name() const override { return "throws"; }
  const char* title() const override { return "A scenario that cannot run"; }
  const char* help() const override { return "It throws."; }
  void run(LabRun& /*run*/) override { throw std::runtime_error("no namespace today"); }
};

class LabFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("glass-lab-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(LabFiles, ScenarioWritesItsFilesAndExitStatus) {
  Fake ok(true), bad(false);
  LabOptions o;
  o.plot = false;
  o.out = (dir / "one").string();
  std::ostringstream out;
  EXPECT_EQ(run_scenario(ok, o, out), kExitOk);
  EXPECT_EQ(slurp(o.out + "/facts.txt"), "answer=42\nseed=18446744073709551615\nshown=1\n");
  EXPECT_NE(out.str().find("  => glass 42; TCP 41\n"), std::string::npos) << out.str();
  EXPECT_NE(slurp(o.out + "/fake.md").find("**glass 42; TCP 41**"), std::string::npos);
  EXPECT_EQ(slurp(o.out + "/fake.csv"), "t_ms,v\n0,1\n");
  const std::string gp = slurp(o.out + "/fake.gp");
  EXPECT_NE(gp.find("set terminal svg"), std::string::npos);
  EXPECT_NE(gp.find("set output 'fake.svg'"), std::string::npos);
  EXPECT_NE(slurp(o.out + "/fake.md").find("the answer is 42"), std::string::npos);
  o.out = (dir / "two").string();
  EXPECT_EQ(run_scenario(bad, o, out), kExitNotShown);
  EXPECT_NE(out.str().find("FAILED: not shown: [the flag was set]"), std::string::npos)
      << out.str();
  EXPECT_NE(slurp(o.out + "/facts.txt").find("shown=0"), std::string::npos);
}

TEST_F(LabFiles, AllWritesSummaryPages) {
  std::vector<std::unique_ptr<Scenario>> all;
  all.push_back(std::make_unique<Fake>(true));
  all.push_back(std::make_unique<Fake>(false));
  LabOptions o;
  o.plot = false;
  o.out = dir.string();
  std::ostringstream out;
  EXPECT_EQ(run_all(all, o, {}, out), kExitNotShown);  // one was not shown
  const std::string md = slurp((dir / "index.md").string());
  const std::string html = slurp((dir / "index.html").string());
  EXPECT_NE(md.find("![fake](fake/fake.svg)"), std::string::npos) << md;
  EXPECT_NE(md.find("| glass vs TCP |"), std::string::npos) << md;
  EXPECT_NE(md.find("| glass 42; TCP 41 |"), std::string::npos) << md;
  EXPECT_NE(html.find("<b>glass 42; TCP 41</b>"), std::string::npos);
  EXPECT_NE(html.find("<img src='fake/fake.svg'"), std::string::npos);
  EXPECT_NE(html.find("<p>It explains itself.</p>"), std::string::npos);
  EXPECT_NE(html.find("FAILED"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "broken" / "broken.csv"));
  std::ostringstream only;
  EXPECT_EQ(run_all(all, o, {"fake"}, only), kExitOk);
  // A scenario that broke outranks one that did not show its phenomenon.
  all.push_back(std::make_unique<Broken>());
  std::ostringstream broke;
  EXPECT_EQ(run_all(all, o, {}, broke), kExitError);
  EXPECT_EQ(run_all(all, o, {"broken"}, broke), kExitNotShown);
}

TEST_F(LabFiles, PlotRendersScriptsWhenGnuplotIsThere) {
  if (find_gnuplot().empty()) GTEST_SKIP() << "gnuplot not installed";
  Fake ok(true);
  LabOptions o;
  o.plot = false;
  o.out = dir.string();
  std::ostringstream out;
  ASSERT_EQ(run_scenario(ok, o, out), kExitOk);
  EXPECT_EQ(render_plots(dir.string(), out), 1);
  EXPECT_NE(slurp((dir / "fake.svg").string()).find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace glass::cli
