// glass CLI: CLI11 validators shared by subcommands.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>

namespace glass::cli {

// "A.B.C.D:PORT" (connect target; port 1-65535).
CLI::Validator address_validator();
// "[A.B.C.D:]PORT" (listen address).
CLI::Validator listen_address_validator();
// "A.B.C.D".
CLI::Validator ipv4_validator();
// A state name as ss prints it (ESTAB, LISTEN, SYN-SENT, ...).
CLI::Validator state_validator();
// An interface name (1-15 bytes).
CLI::Validator ifname_validator();
// A network namespace name (as `ip netns add` takes).
CLI::Validator netns_validator();
// A power of two (an unsigned decimal number; anything else is an error).
CLI::Validator power_of_two_validator();
// A size with an optional K, M or G suffix (KiB, MiB, GiB), converted in
// place to bytes (so add it with ->transform), then checked against
// [min, max]; for every size option.
CLI::Validator size_validator(std::uint64_t min, std::uint64_t max);

}  // namespace glass::cli
