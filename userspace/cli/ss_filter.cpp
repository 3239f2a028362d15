// `glass ss` state filters, with ss's state and group names (ss(8), STATE-FILTER).
#include "ss_filter.hpp"

#include <glass/address.hpp>  // <linux/glass.h> in the right include order
#include <glass/state.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace glass::cli {
namespace {

constexpr StateMask bit(int state) {
  return StateMask{1} << state;
}

constexpr StateMask kAll = ((StateMask{1} << GLASS_MAX_STATES) - 1) & ~StateMask{1};
// ss's "connected": everything but listening and closed.
constexpr StateMask kConnected = kAll & ~bit(GLASS_LISTEN) & ~bit(GLASS_CLOSE);

struct Group {
  std::string_view name;
  StateMask mask;
};

// ss's names that state_from_name does not know, and its groups.
constexpr std::array<Group, 7> kGroups{{
    {"listening", bit(GLASS_LISTEN)},
    {"closed", bit(GLASS_CLOSE)},
    {"all", kAll},
    {"connected", kConnected},
    {"synchronized", kConnected & ~bit(GLASS_SYN_SENT)},
    {"bucket", bit(GLASS_SYN_RECV) | bit(GLASS_TIME_WAIT)},
    {"big", kAll & ~(bit(GLASS_SYN_RECV) | bit(GLASS_TIME_WAIT))},
}};

std::string lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_number(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789.") == std::string::npos;
}

}  // namespace

StateMask ss_state_mask(const std::string& name) {
  const std::string want = lower(name);
  for (const Group& g : kGroups)
    if (want == g.name) return g.mask;
  const std::optional<int> s = state_from_name(name);
  return s ? bit(*s) : 0;
}

void ss_check_words(const std::vector<std::string>& words) {
  for (std::size_t i = 0; i < words.size(); i += 2) {
    const std::string& w = words[i];
    if (w != "state" && w != "exclude") {
      std::string msg = "unexpected '" + w + "' (expected: state NAME, exclude NAME)";
      // `glass ss -i 0.5` was the live view before -i meant ss's info columns.
      if (is_number(w)) msg += " (the live view is -w/--watch SECONDS)";
      throw CLI::ValidationError("ss", msg);
    }
    if (i + 1 >= words.size()) throw CLI::ValidationError("ss", "'" + w + "' needs a state name");
    if (ss_state_mask(words[i + 1]) == 0)
      throw CLI::ValidationError(
          "ss", "unknown state '" + words[i + 1] +
                    "' (established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, "
                    "closed, close-wait, last-ack, listening, closing; all, connected, "
                    "synchronized, bucket, big)");
  }
}

StateMask ss_state_filter(const SsStateFilter& f) {
  StateMask named = 0, excluded = 0;
  for (const std::string& s : f.states) named |= ss_state_mask(s);
  for (std::size_t i = 0; i + 1 < f.words.size(); i += 2)
    (f.words[i] == "state" ? named : excluded) |= ss_state_mask(f.words[i + 1]);
  StateMask shown = kConnected;
  if (named != 0) {
    shown = named;
  } else if (f.all) {
    shown = kAll;
  } else if (f.listening) {
    shown = bit(GLASS_LISTEN);
  }
  return shown & ~excluded;
}

}  // namespace glass::cli
