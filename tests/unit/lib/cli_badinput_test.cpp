// Bad input never aborts `glass`: every subcommand and every option, fed
// junk through the same parse path the binary uses (Cli::parse), ends with
// exit status 2 and exactly one line on stderr, or is accepted (a string
// option may take anything); no exception escapes. Parsing needs no module.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "app.hpp"
#include "cli_parse.hpp"

namespace glass::cli {
namespace {

using parse_util::Parsed;

// Values no numeric option may take, and a few that are numbers but extreme.
const std::vector<std::string> kJunk{
    "abc", "", " ", "1x", "12Q", "1.5.2", "0x10", "--", "-", "nan", "inf", "1e400", "\x01\xff",
};
const std::vector<std::string> kExtreme{
    "-1",
    "0",
    "99999999999999999999999",
    "-99999999999999999999",
    "4294967296",
    "1G",
    "999T",
    "-5K",
    "1.5M",
    "2147483648",
};

// Parses args; an exception escaping Cli::parse is a test failure.
Parsed parse_guarded(const std::vector<std::string>& args, const std::string& what) {
  try {
    return parse_util::parse(args);
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": exception escaped: " << e.what();
  } catch (...) {
    ADD_FAILURE() << what << ": non-standard exception escaped";
  }
  return {};
}

std::string joined(const std::vector<std::string>& args) {
  std::string s = "glass";
  for (const auto& a : args) s += " '" + a + "'";
  return s;
}

bool one_line(const std::string& s) {
  return !s.empty() && s.back() == '\n' && s.find('\n') == s.size() - 1;
}

// The invariant of every refused command line: status 2, one line of stderr.
void expect_refused_cleanly(const std::vector<std::string>& args) {
  const std::string what = joined(args);
  const Parsed p = parse_guarded(args, what);
  if (!p.rc || *p.rc == kExitOk) return;  // accepted, or --help/--version
  EXPECT_EQ(*p.rc, kExitUsage) << what << "\n" << p.err;
  EXPECT_TRUE(one_line(p.err)) << what << "\nstderr: [" << p.err << "]";
  EXPECT_EQ(p.err.rfind("glass", 0), 0u) << what << "\n" << p.err;
}

// Must be refused: status 2, one line, which contains needle.
void expect_refused(const std::vector<std::string>& args, const std::string& needle = {}) {
  const std::string what = joined(args);
  const Parsed p = parse_guarded(args, what);
  ASSERT_TRUE(p.rc.has_value()) << what << " was accepted";
  EXPECT_EQ(*p.rc, kExitUsage) << what << "\n" << p.err;
  EXPECT_TRUE(one_line(p.err)) << what << "\nstderr: [" << p.err << "]";
  EXPECT_NE(p.err.find(needle), std::string::npos) << what << "\n" << p.err;
}

// Every subcommand path ("ss", "trace events", "lab all", ...), depth first.
void walk(const CLI::App& app, const std::vector<std::string>& path,
          const std::function<void(const CLI::App&, const std::vector<std::string>&)>& visit) {
  visit(app, path);
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    std::vector<std::string> p = path;
    p.push_back(sub->get_name());
    walk(*sub, p, visit);
  }
}

// The name to type for an option: its first long name, else short, else positional.
std::string spelling(const CLI::Option& o) {
  if (!o.get_lnames().empty()) return "--" + o.get_lnames().front();
  if (!o.get_snames().empty()) return "-" + o.get_snames().front();
  return {};
}

TEST(CliBadInput, EveryOptionOfEverySubcommand) {
  Cli cli;
  int cases = 0;
  walk(cli.app(), {}, [&](const CLI::App& app, const std::vector<std::string>& path) {
    auto with = [&path](std::vector<std::string> tail) {
      std::vector<std::string> v = path;
      v.insert(v.end(), tail.begin(), tail.end());
      return v;
    };
    expect_refused_cleanly(with({"--no-such-option"}));
    expect_refused_cleanly(with({"-Z"}));
    expect_refused_cleanly(with({"--no-such-option=1", "junk", "more junk"}));
    cases += 3;
    for (const CLI::Option* o : app.get_options()) {
      const std::string name = spelling(*o);
      if (name == "--help" || name == "--version") continue;
      for (const auto* values : {&kJunk, &kExtreme}) {
        for (const std::string& v : *values) {
          // As a separate word, glued with '=', and as a positional.
          expect_refused_cleanly(name.empty() ? with({v}) : with({name, v}));
          if (!name.empty() && name.rfind("--", 0) == 0)
            expect_refused_cleanly(with({std::string(name).append("=").append(v)}));
          cases += 2;
        }
      }
      if (!name.empty()) expect_refused_cleanly(with({name}));  // missing value
      ++cases;
    }
  });
  EXPECT_GT(cases, 1000);
}

// The word grammars (fault, link add, ss's state filter) parse their values
// in callbacks: the same invariant holds there.
TEST(CliBadInput, KeywordValues) {
  const std::vector<std::vector<std::string>> bases{
      {"fault", "ga", "loss"},
      {"fault", "ga", "duplicate"},
      {"fault", "ga", "reorder"},
      {"fault", "ga", "corrupt"},
      {"fault", "ga", "delay"},
      {"fault", "ga", "seed"},
      {"link", "add", "ga", "peer"},
      {"link", "add", "ga", "peer", "gb", "netns"},
      {"link", "del"},
      {"ss", "state"},
      {"ss", "exclude"},
      {"cat"},
      {"cat", "-l"},
  };
  for (const auto& base : bases) {
    for (const auto* values : {&kJunk, &kExtreme}) {
      for (const std::string& v : *values) {
        std::vector<std::string> args = base;
        args.push_back(v);
        expect_refused_cleanly(args);
      }
    }
    expect_refused_cleanly(base);  // the value missing
  }
  expect_refused({"fault", "ga", "loss", "abc"}, "glass fault: ");
  expect_refused({"fault", "ga", "seed", "99999999999999999999999"}, "seed");
  expect_refused({"fault", "ga", "delay", "5parsecs"}, "delay");
}

// The options that are numbers or sizes refuse what is not one.
TEST(CliBadInput, NumbersAndSizesRefuseJunk) {
  const std::vector<std::vector<std::string>> bases{
      {"trace", "events", "--ring-kb"},
      {"trace", "states", "--ring"},
      {"trace", "events", "-d"},
      {"trace", "rtt", "-i"},
      {"trace", "life", "--port"},
      {"cat", "10.7.0.1:7000", "--sndbuf"},
      {"cat", "10.7.0.1:7000", "--rcvbuf"},
      {"ss", "--port"},
      {"ss", "-w"},
      {"ss", "-w", "1", "-c"},
      {"stat", "-i"},
      {"stat", "-i", "1", "-c"},
      {"lab", "slow-reader", "-o", "d", "--rcvbuf"},
      {"lab", "slow-reader", "-o", "d", "--chunk"},
      {"lab", "nagle", "-o", "d", "--size"},
      {"lab", "nagle", "-o", "d", "--sample-ms"},
      {"lab", "loss", "-o", "d", "--bytes"},
      {"lab", "rcvbuf", "-o", "d", "--sizes"},
      {"lab", "copy", "-o", "d", "--sizes"},
      {"lab", "readiness", "-o", "d", "--size"},
      {"lab", "delack", "-o", "d", "--requests"},
      {"lab", "delack", "-o", "d", "--header"},
      {"lab", "delack", "-o", "d", "--reply"},
      {"lab", "loss", "-o", "d", "--seed"},
  };
  for (const auto& base : bases) {
    for (const char* v : {"abc", "", "1x", "12Q", "-1", "99999999999999999999999"}) {
      std::vector<std::string> args = base;
      args.emplace_back(v);
      expect_refused(args);
    }
  }
}

// The crash the users' review found: a std::stoi inside a validator.
TEST(CliBadInput, RingSizeNeverAborts) {
  expect_refused({"trace", "events", "--ring-kb", "abc"}, "--ring-kb");
  expect_refused({"trace", "events", "--ring-kb", "99999999999"}, "--ring-kb");
  expect_refused({"trace", "events", "--ring-kb", "6"}, "power of two");
  expect_refused({"trace", "life", "--ring", "3M"}, "power of two");
  expect_refused({"trace", "life", "--ring", "2G"}, "--ring");
  expect_refused({"trace", "life", "--ring", "4M", "--ring-kb", "64"}, "excludes");
  const Parsed p = parse_guarded({"trace", "events", "--ring", "4M"}, "--ring 4M");
  EXPECT_FALSE(p.rc.has_value()) << p.err;
}

// Refused messages name the subcommand and point to its --help.
TEST(CliBadInput, MessageNamesTheSubcommand) {
  expect_refused({"ss", "--port", "x"}, "glass ss: ");
  expect_refused({"ss", "--port", "x"}, "(see 'glass ss --help')");
  expect_refused({"trace", "events", "--ring-kb", "x"}, "glass trace events: ");
  expect_refused({"bogus"}, "glass: unknown subcommand 'bogus'");
  expect_refused({"link", "add", "ga", "peer"}, "glass link add: 'peer' needs a value");
}

}  // namespace
}  // namespace glass::cli
