// glass userspace library: connection state names, as ss prints them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace glass {

// GLASS_ESTABLISHED → "ESTAB", GLASS_SYN_SENT → "SYN-SENT", GLASS_CLOSE →
// "UNCONN", ...; an unknown number → "UNKNOWN(n)".
std::string state_name(int state);

// Inverse of state_name, case-insensitive; also accepts the long forms
// ("established", "close", "syn_sent"). nullopt when unknown.
std::optional<int> state_from_name(std::string_view name);

}  // namespace glass
