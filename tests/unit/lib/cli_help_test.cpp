// `glass --version`, and `help` as a word: `glass help`, `glass help SUB`,
// `glass SUB help` mean --help (exit 0), as in ip and bpftool.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app.hpp"
#include "cli_parse.hpp"
#include "help_alias.hpp"

namespace glass::cli {
namespace {

using parse_util::parse;
using parse_util::Parsed;

TEST(CliHelp, WordFormsShowTheSubcommandsHelp) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"help"}, "Subcommands:"},
      {{"help", "ss"}, "glass ss"},
      {{"ss", "help"}, "glass ss"},
      {{"help", "trace", "events"}, "--ring-kb"},
      {{"trace", "events", "help"}, "--ring-kb"},
      {{"link", "help"}, "add"},
      {{"lab", "nagle", "help"}, "--sample-ms"},
  };
  for (const auto& [args, needle] : cases) {
    const Parsed p = parse(args);
    ASSERT_TRUE(p.rc.has_value()) << args.front();
    EXPECT_EQ(*p.rc, kExitOk) << p.err;
    EXPECT_NE(p.out.find("Usage"), std::string::npos) << p.out;
    EXPECT_NE(p.out.find(needle), std::string::npos) << needle << "\n" << p.out;
    EXPECT_TRUE(p.err.empty()) << p.err;
  }
}

// "help" as a value (an interface called help) is not rewritten.
TEST(CliHelp, OnlyAfterSubcommandNames) {
  Cli cli;
  using V = std::vector<std::string>;
  EXPECT_EQ(expand_help_alias(cli.app(), V{"link", "del", "help"}), (V{"link", "del", "--help"}));
  EXPECT_EQ(expand_help_alias(cli.app(), V{"fault", "ga", "help"}), (V{"fault", "ga", "help"}));
  EXPECT_EQ(expand_help_alias(cli.app(), V{"cat", "-l", "help"}), (V{"cat", "-l", "help"}));
  EXPECT_EQ(expand_help_alias(cli.app(), V{"help", "nosuch"}), (V{"nosuch"}));
  const Parsed p = parse({"help", "nosuch"});
  ASSERT_TRUE(p.rc.has_value());
  EXPECT_EQ(*p.rc, kExitUsage);
}

TEST(CliHelp, Version) {
  for (const char* flag : {"--version", "-V"}) {
    const Parsed p = parse({flag});
    ASSERT_TRUE(p.rc.has_value());
    EXPECT_EQ(*p.rc, kExitOk);
    EXPECT_EQ(p.out.rfind("glass ", 0), 0u) << p.out;
    EXPECT_GT(p.out.size(), std::string("glass \n").size()) << p.out;
  }
}

}  // namespace
}  // namespace glass::cli
