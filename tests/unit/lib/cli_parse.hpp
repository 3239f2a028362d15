// Runs the glass CLI's parser on an argument vector and keeps what it said,
// for the option-handling tests of every subcommand.
#pragma once

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

}  // namespace glass::cli::parse_util
