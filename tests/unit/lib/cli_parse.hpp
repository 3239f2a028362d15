// Runs the glass CLI's parser on an argument vector and keeps what it said,
// for the option-handling tests of every subcommand.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app.hpp"

namespace glass::cli::parse_util {

struct Parsed {
  std::optional<int> rc;  // an exit status, or nothing when an action would run
  std::string out, err;
};

inline Parsed parse(std::vector<std::string> args) {
  Cli cli;
  std::ostringstream out, err;
  Parsed p;
  p.rc = cli.parse(std::move(args), out, err);
  p.out = out.str();
  p.err = err.str();
  return p;
}

// args parse, and no exit status was asked for.
inline void expect_ok(const std::vector<std::string>& args) {
  const Parsed p = parse(args);
  EXPECT_FALSE(p.rc.has_value()) << args[0] << ": " << p.err;
}

// args are refused as a usage error (exit 2) whose message names needle.
inline void expect_usage(const std::vector<std::string>& args, const std::string& needle) {
  const Parsed p = parse(args);
  ASSERT_TRUE(p.rc.has_value()) << (args.size() > 1 ? args[1] : std::string());
  EXPECT_EQ(*p.rc, kExitUsage);
  EXPECT_NE(p.err.find(needle), std::string::npos) << p.err;
}

}  // namespace glass::cli::parse_util
