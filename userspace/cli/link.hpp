// glass CLI: `glass link add|del` — glass devices over rtnetlink.
#pragma once

#include "command.hpp"

#include <optional>
#include <string>
#include <vector>

namespace glass::cli {

struct LinkOptions {
  enum class Op { kNone, kAdd, kDel } op = Op::kNone;
  std::vector<std::string> words;  // NAME [peer PEER] [netns NS], as typed
  std::string name;
  std::optional<std::string> peer;
  std::optional<std::string> netns;
};

// Adds `link` (with `add` and `del`) to parent; the callbacks fill opts and
// throw CLI::ValidationError for a malformed keyword list.
CLI::App* add_link_options(CLI::App& parent, LinkOptions& opts);

// Parses "NAME [peer PEER] [netns NS]" into opts (throws CLI::ValidationError).
void parse_link_words(LinkOptions& opts);

int run_link(const LinkOptions& opts);

}  // namespace glass::cli
