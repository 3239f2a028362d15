// glass CLI: `help` as a word, as ip and bpftool take it.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace glass::cli {

// Rewrites `help [SUB...]` and `SUB... help` to `SUB... --help` (`help
// WORDS` that are not subcommands to WORDS, so they are refused as such);
// any other argument vector is returned unchanged. `help` counts only after a chain of
// subcommand names, so a value that happens to be "help" stays a value.
std::vector<std::string> expand_help_alias(const CLI::App& root, std::vector<std::string> args);

}  // namespace glass::cli
