// Man pages of the glass CLI, written from the CLI11 definitions the binary
// itself parses with (descriptions, options, positionals, footers): one
// source, so a page cannot list an option the tool does not have, or miss
// one it has. glass(1) covers the tool, glass-SUB(1) each subcommand with
// its own subcommands as sections. `make man` writes them to docs/man/;
// `make check` regenerates them and fails when they differ.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

namespace glass::man {

// One page: its file name (glass-ss.1) and its roff text.
struct Page {
  std::string file;
  std::string text;
};

// Every page of the tool whose root app is root; version goes in the footer.
std::vector<Page> pages(const CLI::App& root, const std::string& version);

// Text for roff: backslashes and hyphens escaped, a leading '.' or '\''
// protected.
std::string escape(const std::string& text);

}  // namespace glass::man
