// glass CLI: the one-line message of a usage error.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace glass::cli {

// text with its line breaks folded into "; " (a message is one line).
std::string one_line(const std::string& text);

// "glass SUB...: WHAT (see 'glass SUB... --help')", naming the subcommands
// parsing had reached, so the user knows which --help to read.
std::string usage_message(const CLI::App& root, const std::string& what);

}  // namespace glass::cli
