// CLI option handling: the whole app (exit statuses) and each subcommand's
// options (parsed values), plus the ss/stat renderers on recorded samples.
#include <gtest/gtest.h>
#include <glass/error.hpp>

#include <sstream>

#include "app.hpp"
#include "cat.hpp"
#include "cli_parse.hpp"
#include "json.hpp"
#include "link.hpp"
#include "ss.hpp"
#include "stat.hpp"
#include "test_util.hpp"

namespace glass::cli {
namespace {

using parse_util::expect_ok;
using parse_util::parse;
using parse_util::Parsed;

void expect_usage_error(const std::vector<std::string>& args, const std::string& needle = {}) {
  const Parsed p = parse(args);
  std::string joined;
  for (const auto& a : args) joined += a + " ";
  ASSERT_TRUE(p.rc.has_value()) << joined;
  EXPECT_EQ(*p.rc, kExitUsage) << joined;
  if (!needle.empty()) {
    EXPECT_NE(p.err.find(needle), std::string::npos) << p.err;
  }
}

// The app's subcommands are the rows of the command table (commands.cpp), in
// its order, and each row's name is the subcommand its setup function adds.
TEST(CliApp, SubcommandsAreTheCommandTableInOrder) {
  Cli cli;
  std::vector<std::string> names, rows;
  for (const CLI::App* sub : cli.app().get_subcommands([](CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  for (const Command& c : commands()) rows.emplace_back(c.name);
  EXPECT_EQ(names, rows);
  ASSERT_GE(names.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 4),
            (std::vector<std::string>{"link", "cat", "ss", "stat"}));
  for (const Command& c : commands()) {
    CLI::App app("one");
    Context ctx;
    c.setup(app, ctx);
    const auto subs = app.get_subcommands([](CLI::App*) { return true; });
    ASSERT_EQ(subs.size(), 1u) << c.name;
    EXPECT_EQ(subs[0]->get_name(), c.name);
  }
}

TEST(CliApp, HelpExitsZero) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--help"},
                                                                {"cat", "--help"},
                                                                {"ss", "-h"},
                                                                {"stat", "--help"},
                                                                {"link", "add", "-h"}}) {
    const Parsed p = parse(args);
    ASSERT_TRUE(p.rc.has_value());
    EXPECT_EQ(*p.rc, kExitOk);
    EXPECT_NE(p.out.find("Usage"), std::string::npos);
  }
}

TEST(CliApp, UsageErrorsExitTwo) {
  expect_usage_error({});
  expect_usage_error({"bogus"});
  expect_usage_error({"cat"}, "address is required");
  expect_usage_error({"cat", "10.7.0.1"}, "missing ':PORT'");
  expect_usage_error({"cat", "10.7.0.1:0"}, "port 0");
  expect_usage_error({"cat", "-l", "70000"}, "not a number 0-65535");
  expect_usage_error({"cat", "10.7.0.1:7000", "--sndbuf", "0"});
  expect_usage_error({"cat", "10.7.0.1:7000", "--rcvbuf", "lots"});
  expect_usage_error({"cat", "10.7.0.1:7000", "--bogus"});
  expect_usage_error({"ss", "--port", "65536"});
  expect_usage_error({"ss", "--state", "nonesuch"}, "unknown state");
  expect_usage_error({"ss", "--addr", "10.7.0"});
  expect_usage_error({"ss", "-w", "0"});
  expect_usage_error({"ss", "-i", "0.5"}, "-w/--watch");  // -i is ss's info columns now
  expect_usage_error({"ss", "-c", "3"}, "requires");
  expect_usage_error({"ss", "state"}, "needs a state name");
  expect_usage_error({"ss", "exclude", "nonesuch"}, "unknown state");
  expect_usage_error({"ss", "-p"});  // no process column (yet)
  expect_usage_error({"ss", "-N", "../x"});
  expect_usage_error({"stat", "-n", "a/b"});
  expect_usage_error({"neigh", "-n", "a/b"});
  expect_usage_error({"neigh", "-d"});
  expect_usage_error({"neigh", "g0"});
  expect_usage_error({"cat", "-n", "", "10.7.0.1:7000"});
  expect_usage_error({"ss", "-f", "/nonexistent"});
  expect_usage_error({"stat", "-i", "1", "--save", "/tmp/x"}, "excludes");
  expect_usage_error({"stat", "--since", "/nonexistent"});
  expect_usage_error({"link"});
  expect_usage_error({"link", "add"});
  expect_usage_error({"link", "add", "ga", "peer"}, "needs a value");
  expect_usage_error({"link", "add", "ga", "netns", "blue"}, "peer");
  expect_usage_error({"link", "add", "ga", "mtu", "1500"}, "unexpected 'mtu'");
  expect_usage_error({"link", "add", "this-name-is-too-long"}, "longer than 15");
  expect_usage_error({"link", "add", "ga", "peer", "ga"}, "different name");
  expect_usage_error({"link", "add", "ga", "peer", "gb", "netns", "../etc"});
  expect_usage_error({"link", "del"});
}

TEST(CliApp, ValidCommandLinesParse) {
  const std::string stat = test::data_path("stat_normal.txt");
  expect_ok({"cat", "10.7.0.1:7000"});
  expect_ok({"cat", "-l", "7000", "--nodelay", "--sndbuf", "4096", "--rcvbuf", "8192"});
  expect_ok({"cat", "--listen", "10.7.0.1:7000", "-v"});
  expect_ok({"ss"});
  expect_ok({"ss", "-e", "--state", "ESTAB", "--state", "listen", "--port", "7000", "--addr",
             "10.7.0.1", "--json"});
  expect_ok({"ss", "-w", "0.5", "-c", "2"});
  expect_ok({"ss", "--interval", "0.5"});  // the old spelling of --watch
  expect_ok({"ss", "-tmi"});
  expect_ok({"ss", "-tlnH"});
  expect_ok({"ss", "-taneo", "-N", "h2"});
  expect_ok({"ss", "state", "established", "exclude", "syn-sent", "--state", "LISTEN"});
  expect_ok({"stat", "-i", "1", "-z", "-n", "h2", "--json"});
  expect_ok({"cat", "-n", "h2", "--sndbuf", "64K", "--rcvbuf", "1M", "10.7.0.1:7000"});
  expect_ok({"stat", "--json"});
  expect_ok({"neigh"});
  expect_ok({"neigh", "-n", "h2", "-d", "g0", "--json"});
  expect_ok({"stat", "-i", "1", "-c", "3"});
  expect_ok({"stat", "--since", stat, "--save", "/tmp/glass-base"});
  expect_ok({"link", "add", "glass0"});
  expect_ok({"link", "add", "ga", "peer", "gb", "netns", "blue"});
  expect_ok({"link", "del", "ga"});
}

TEST(CliCat, Values) {
  CLI::App app;
  CatOptions o;
  bool then_called = false;
  add_cat_options(app, o, [&] { then_called = true; });
  app.parse("cat -l 10.7.0.1:7000 --nodelay --sndbuf 4096 --rcvbuf 8K -n blue", false);
  EXPECT_TRUE(o.listen);
  EXPECT_EQ(o.address, "10.7.0.1:7000");
  EXPECT_TRUE(o.nodelay);
  EXPECT_EQ(o.sndbuf, 4096);
  EXPECT_EQ(o.rcvbuf, 8192);
  EXPECT_EQ(o.netns, "blue");
  EXPECT_TRUE(then_called);
}

TEST(CliLink, Values) {
  CLI::App app;
  LinkOptions o;
  add_link_options(app, o);
  app.parse("link add ga peer gb netns blue", false);
  EXPECT_EQ(o.op, LinkOptions::Op::kAdd);
  EXPECT_EQ(o.name, "ga");
  EXPECT_EQ(o.peer, "gb");
  EXPECT_EQ(o.netns, "blue");

  CLI::App app2;
  LinkOptions d;
  add_link_options(app2, d);
  app2.parse("link del ga", false);
  EXPECT_EQ(d.op, LinkOptions::Op::kDel);
  EXPECT_EQ(d.name, "ga");
  EXPECT_FALSE(d.peer);
}

TEST(CliSs, Values) {
  CLI::App app;
  SsOptions o;
  add_ss_options(app, o);
  app.parse("ss -e --state estab --port 7000 --addr 10.7.0.2 -j -w 2 -c 5 -N h2", false);
  EXPECT_TRUE(o.extended);
  EXPECT_EQ(o.netns, "h2");
  EXPECT_EQ(o.filter.states, std::vector<std::string>{"estab"});
  EXPECT_EQ(o.port, 7000);
  EXPECT_EQ(o.addr, "10.7.0.2");
  EXPECT_TRUE(o.json);
  EXPECT_DOUBLE_EQ(o.interval, 2.0);
  EXPECT_EQ(o.count, 5);
}

TEST(CliSs, SsFlags) {
  CLI::App app;
  SsOptions o;
  add_ss_options(app, o);
  app.parse("ss -tnlmioH state listening exclude closed", false);
  EXPECT_TRUE(o.filter.listening);
  EXPECT_FALSE(o.filter.all);
  EXPECT_TRUE(o.memory);
  EXPECT_TRUE(o.info);
  EXPECT_TRUE(o.timers);
  EXPECT_FALSE(o.header);
  EXPECT_FALSE(o.extended);
  EXPECT_EQ(o.filter.words, (std::vector<std::string>{"state", "listening", "exclude", "closed"}));
  EXPECT_DOUBLE_EQ(o.interval, 0.0);
}

Table sample(const std::string& name) {
  return ss_read(test::data_path(name));
}

// Like ss: connected sockets by default (no listeners).
TEST(SsView, DefaultColumns) {
  const SsOptions o;
  const std::string text = ss_render_text(sample("table_normal.txt"), o);
  EXPECT_EQ(text,
            "State     Recv-Q  Send-Q  Local Address:Port  Peer Address:Port\n"
            "ESTAB          0    4096  10.7.0.1:7000       10.7.0.2:40001\n"
            "ESTAB       8192       0  10.7.0.2:40001      10.7.0.1:7000\n"
            "SYN-SENT       0       0  10.7.0.3:5000       10.7.0.1:7001\n");
}

TEST(SsView, AllAndListening) {
  SsOptions o;
  o.filter.all = true;
  const std::string text = ss_render_text(sample("table_normal.txt"), o);
  EXPECT_EQ(text,
            "State     Recv-Q  Send-Q  Local Address:Port  Peer Address:Port\n"
            "LISTEN         0       0  10.7.0.1:7000       0.0.0.0:0\n"
            "ESTAB          0    4096  10.7.0.1:7000       10.7.0.2:40001\n"
            "ESTAB       8192       0  10.7.0.2:40001      10.7.0.1:7000\n"
            "SYN-SENT       0       0  10.7.0.3:5000       10.7.0.1:7001\n");
}

TEST(SsView, Filters) {
  const Table t = sample("table_normal.txt");
  SsOptions o;
  o.filter.states = {"ESTAB"};
  EXPECT_EQ(ss_select(t, o).size(), 2u);
  o.port = 40001;
  EXPECT_EQ(ss_select(t, o).size(), 2u);  // either end
  o.filter.states.clear();
  o.port = 7000;
  EXPECT_EQ(ss_select(t, o).size(), 2u);  // the listener is not connected
  o.filter.all = true;
  EXPECT_EQ(ss_select(t, o).size(), 3u);
  o.filter.all = false;
  o.port = -1;
  o.addr = "10.7.0.3";
  EXPECT_EQ(ss_select(t, o).size(), 1u);
  o.addr = "10.7.0.9";
  EXPECT_TRUE(ss_select(t, o).empty());
}

TEST(SsView, StateWords) {
  const Table t = sample("table_normal.txt");
  SsOptions o;
  o.filter.words = {"state", "listening"};
  ASSERT_EQ(ss_select(t, o).size(), 1u);
  o.filter.words = {"state", "all", "exclude", "established"};
  EXPECT_EQ(ss_select(t, o).size(), 2u);  // LISTEN, SYN-SENT
  o.filter.words = {"state", "synchronized"};
  EXPECT_EQ(ss_select(t, o).size(), 2u);  // the ESTAB pair
  o.filter.words = {"exclude", "syn-sent"};
  EXPECT_EQ(ss_select(t, o).size(), 2u);
  o.filter.words = {};
  o.filter.listening = true;
  EXPECT_EQ(ss_select(t, o).size(), 1u);
}

// -m, -i, -o add ss's column groups; -i also shows cwnd in segments; -H drops the header.
TEST(SsView, ColumnGroups) {
  const Table t = sample("table_extra_column.txt");
  auto header = [&t](const SsOptions& o) {
    const std::string text = ss_render_text(t, o);
    return text.substr(0, text.find('\n'));
  };
  SsOptions o;
  o.memory = true;
  EXPECT_NE(header(o).find("sndbuf"), std::string::npos);
  EXPECT_EQ(header(o).find("cwnd"), std::string::npos);
  o = {};
  o.info = true;
  EXPECT_NE(header(o).find("cwnd  cwnd_segs "), std::string::npos) << header(o);
  EXPECT_NE(header(o).find("srtt_us"), std::string::npos);
  EXPECT_EQ(header(o).find("sndbuf"), std::string::npos);
  EXPECT_EQ(header(o).find("timers"), std::string::npos);
  const std::string text = ss_render_text(t, o);
  EXPECT_NE(text.find("14480         10"), std::string::npos) << text;  // 14480 / 1448
  o = {};
  o.timers = true;
  EXPECT_NE(header(o).find("timers"), std::string::npos);
  o.header = false;
  EXPECT_EQ(ss_render_text(t, o).find("State"), std::string::npos);
}

TEST(SsView, ExtendedPassesUnknownColumns) {
  SsOptions o;
  o.extended = true;
  const std::string text = ss_render_text(sample("table_extra_column.txt"), o);
  const std::string header = text.substr(0, text.find('\n'));
  EXPECT_NE(header.find("Peer Address:Port"), std::string::npos);
  EXPECT_NE(header.find("srtt_us"), std::string::npos);
  EXPECT_NE(header.find("zero_wnd_sent"), std::string::npos);
  EXPECT_EQ(header.find(" state"), std::string::npos);  // not shown twice
  EXPECT_NE(header.find("cwnd_segs"), std::string::npos);
}

TEST(SsView, Json) {
  SsOptions o;
  o.port = 40001;
  const std::string json = ss_render_json(sample("table_extra_column.txt"), o);
  EXPECT_EQ(json.rfind("[\n  {\"local\": \"10.7.0.1:7000\", \"remote\": \"10.7.0.2:40001\", "
                       "\"state\": \"ESTAB\", \"sendq\": 4096,",
                       0),
            0u)
      << json;
  EXPECT_NE(json.find("\"timers\": \"persist\""), std::string::npos);
  EXPECT_NE(json.find("\"zero_wnd_sent\": 0}"), std::string::npos);
  EXPECT_EQ(ss_render_json(sample("table_empty.txt"), o), "[]\n");
}

TEST(SsView, EmptyTablePrintsHeader) {
  EXPECT_EQ(ss_render_text(sample("table_empty.txt"), SsOptions{}),
            "State  Recv-Q  Send-Q  Local Address:Port  Peer Address:Port\n");
}

TEST(SsView, MissingColumnIsAnError) {
  EXPECT_THROW(sample("table_missing_column.txt"), ParseError);
}

TEST(StatView, TextAndJson) {
  const Counters c{{"segs_out", 12}, {"retransmits", 3}};
  EXPECT_EQ(stat_render_text(c), "segs_out     12\nretransmits  3\n");
  EXPECT_EQ(stat_render_json(c), "{\n  \"segs_out\": 12,\n  \"retransmits\": 3\n}\n");
  EXPECT_EQ(stat_render_json({}), "{}\n");
}

TEST(StatView, ZerosAndSamples) {
  const Counters c{{"segs_out", 12}, {"drops", 0}};
  EXPECT_EQ(nonzero(c), (Counters{{"segs_out", 12}}));
  EXPECT_EQ(stat_render_json_sample(c, 1700000000.25, 1),
            "{\"ts\": 1700000000.250000, \"interval_s\": 1, \"segs_out\": 12, \"drops\": 0}\n");
}

TEST(Json, Escapes) {
  EXPECT_EQ(json_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(json_scalar("123"), "123");
  EXPECT_EQ(json_scalar("0"), "0");
  EXPECT_EQ(json_scalar("0123"), "\"0123\"");
  EXPECT_EQ(json_scalar("-"), "\"-\"");
  EXPECT_EQ(json_scalar("10.7.0.1:7000"), "\"10.7.0.1:7000\"");
}

// Runtime errors are printed as "glass: ..." and exit 1.
TEST(CliApp, RuntimeErrorExitsOne) {
  Cli cli;
  std::ostringstream out, err;
  ASSERT_FALSE(cli.parse({"stat", "-f", test::data_path("stat_malformed.txt")}, out, err));
  EXPECT_EQ(cli.execute(err), kExitError);
  EXPECT_NE(err.str().find("glass: "), std::string::npos);
  EXPECT_NE(err.str().find("stat_malformed.txt:2: value of 'segs_in'"), std::string::npos);
}

}  // namespace
}  // namespace glass::cli
