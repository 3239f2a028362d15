// CLI11 validators built on the library's parsers, so the CLI and the
// library agree on what an address, a state or an interface name is.
#include "validators.hpp"

#include <glass/address.hpp>
#include <glass/error.hpp>
#include <glass/netlink.hpp>
#include <glass/state.hpp>

#include <charconv>

namespace glass::cli {
namespace {

// Wraps a throwing check into a CLI11 validator.
template <typename Fn>
CLI::Validator from_check(std::string desc, std::string name, Fn fn) {
  return CLI::Validator(
      [fn](std::string& s) -> std::string {
        try {
          fn(s);
        } catch (const ParseError& e) {
          return e.what();
        }
        return {};
      },
      std::move(desc), std::move(name));
}

}  // namespace

CLI::Validator address_validator() {
  return from_check("ADDR:PORT", "glass address", [](const std::string& s) {
    if (Address::parse(s).port() == 0)
      throw ParseError("invalid address '" + s + "': port 0 cannot be connected to");
  });
}

CLI::Validator listen_address_validator() {
  return from_check("[ADDR:]PORT", "glass listen address",
                    [](const std::string& s) { Address::parse_listen(s); });
}

CLI::Validator ipv4_validator() {
  return from_check("ADDR", "IPv4 address", [](const std::string& s) { parse_ipv4(s); });
}

CLI::Validator state_validator() {
  return from_check("STATE", "state", [](const std::string& s) {
    if (!state_from_name(s))
      throw ParseError("unknown state '" + s +
                       "' (ESTAB, SYN-SENT, SYN-RECV, FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT, "
                       "UNCONN, CLOSE-WAIT, LAST-ACK, LISTEN, CLOSING)");
  });
}

CLI::Validator ifname_validator() {
  return from_check("NAME", "interface name", [](const std::string& s) { check_ifname(s); });
}

CLI::Validator netns_validator() {
  return from_check("NSNAME", "netns name", [](const std::string& s) {
    if (s.empty() || s == "." || s == ".." || s.find('/') != std::string::npos)
      throw ParseError("invalid netns name '" + s + "'");
  });
}

CLI::Validator power_of_two_validator() {
  // from_chars, not std::stoi: a validator must report, never throw.
  return CLI::Validator(
      [](std::string& s) -> std::string {
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size()) return "'" + s + "' is not a number";
        return v != 0 && (v & (v - 1)) == 0 ? "" : "'" + s + "' is not a power of two";
      },
      "POWER-OF-2", "power of two");
}

CLI::Validator size_validator(std::uint64_t min, std::uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& s) -> std::string {
        std::string bytes = s;
        // CLI11's own unit parser (K = 1024), run inside a validator so its
        // errors become this option's message.
        try {
          std::string err = CLI::AsSizeValue(false)(bytes);
          if (!err.empty()) return err;
        } catch (const CLI::Error&) {
          return "'" + s + "' is not a size (a number with an optional K, M or G)";
        }
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(bytes.data(), bytes.data() + bytes.size(), v);
        if (ec != std::errc() || end != bytes.data() + bytes.size() || v < min || v > max)
          return "'" + s + "' is not a size in " + std::to_string(min) + ".." +
                 std::to_string(max) + " bytes (K, M, G suffixes: 1024)";
        s = bytes;
        return {};
      },
      "SIZE", "size");
}

}  // namespace glass::cli
