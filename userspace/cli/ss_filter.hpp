// glass CLI: which states `glass ss` shows — ss's rules: connected sockets by
// default, -l listeners, -a everything, or `state NAME` / `exclude NAME`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace glass::cli {

// Bit (1 << state) for each state shown.
using StateMask = std::uint32_t;

struct SsStateFilter {
  bool all = false;                 // -a
  bool listening = false;           // -l
  std::vector<std::string> states;  // --state NAME (repeatable)
  std::vector<std::string> words;   // "state NAME" / "exclude NAME" words
};

// The mask of a state name as ss or glass spells it ("established", "ESTAB",
// "listening", "syn-sent", ...) or of one of ss's groups ("all", "connected",
// "synchronized", "bucket", "big"); 0 when unknown.
StateMask ss_state_mask(const std::string& name);

// Checks the filter words (CLI::ValidationError naming the bad word).
void ss_check_words(const std::vector<std::string>& words);

// The states shown: the named ones (--state, `state`) when any, else
// listeners with -l, every state with -a, connected sockets otherwise; minus
// the `exclude`d ones.
StateMask ss_state_filter(const SsStateFilter& f);

}  // namespace glass::cli
