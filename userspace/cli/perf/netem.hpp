// glass perf --netem "delay 5ms loss 2%": the same tc netem impairment on
// both glass devices and both veth devices of the one-host run, so glass
// and TCP cross the same conditions in both directions.
#pragma once

#include "lab/testbed.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace glass::cli {

// The words of ARGS (split at blanks); each word may hold only letters,
// digits and . % _ - (nothing a shell or tc would read differently).
std::vector<std::string> netem_words(const std::string& args);
// Refuses an empty ARGS or a word netem_words would not take.
CLI::Validator netem_validator();
// `tc qdisc replace dev DEV root netem ARGS` on ga, gb, va and vb.
void apply_netem(const Testbed& tb, const std::string& args);

}  // namespace glass::cli
