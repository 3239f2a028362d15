// State names: the GLASS_* (TCP_*) numbers as ss prints them.
#include <glass/address.hpp>  // <linux/glass.h> in the right include order
#include <glass/state.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace glass {
namespace {

struct StateName {
  int state;
  std::string_view name;  // ss's short form
  std::string_view alt;   // long form accepted on input
};

constexpr std::array<StateName, GLASS_MAX_STATES - 1> kStates{{
    {GLASS_ESTABLISHED, "ESTAB", "ESTABLISHED"},
    {GLASS_SYN_SENT, "SYN-SENT", "SYN-SENT"},
    {GLASS_SYN_RECV, "SYN-RECV", "SYN-RECV"},
    {GLASS_FIN_WAIT1, "FIN-WAIT-1", "FIN-WAIT1"},
    {GLASS_FIN_WAIT2, "FIN-WAIT-2", "FIN-WAIT2"},
    {GLASS_TIME_WAIT, "TIME-WAIT", "TIME-WAIT"},
    {GLASS_CLOSE, "UNCONN", "CLOSE"},
    {GLASS_CLOSE_WAIT, "CLOSE-WAIT", "CLOSE-WAIT"},
    {GLASS_LAST_ACK, "LAST-ACK", "LAST-ACK"},
    {GLASS_LISTEN, "LISTEN", "LISTEN"},
    {GLASS_CLOSING, "CLOSING", "CLOSING"},
}};

// Upper case, '_' → '-'.
std::string canonical(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = c == '_' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string state_name(int state) {
  const auto* it = std::find_if(kStates.begin(), kStates.end(),
                                [state](const StateName& s) { return s.state == state; });
  if (it == kStates.end()) return "UNKNOWN(" + std::to_string(state) + ")";
  return std::string(it->name);
}

std::optional<int> state_from_name(std::string_view name) {
  const std::string want = canonical(name);
  for (const StateName& s : kStates)
    if (want == s.name || want == s.alt) return s.state;
  return std::nullopt;
}

}  // namespace glass
