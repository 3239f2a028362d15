// glass userspace library: the seeded fault injector of a glass device.
//
// The module reads GLASS_INFO_FAULT_* attributes from IFLA_INFO_DATA of an
// RTM_NEWLINK on an existing glass device (no NLM_F_CREATE) and reports them,
// with GLASS_INFO_FAULT_STATS, in RTM_GETLINK answers. Probabilities are parts
// per million; the delay is in microseconds. Only attributes present change.
#pragma once

#include <netinet/in.h>  // before <linux/glass.h> (see address.hpp)

#include <linux/glass.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct nlmsghdr;

namespace glass {

// What to change; an empty field leaves the kernel's value as it is.
struct FaultSettings {
  std::optional<std::uint64_t> seed;  // restarts the generator, clears stats
  std::optional<std::uint32_t> loss_ppm;
  std::optional<std::uint32_t> duplicate_ppm;
  std::optional<std::uint32_t> reorder_ppm;
  std::optional<std::uint32_t> corrupt_ppm;
  std::optional<std::uint32_t> delay_us;

  bool empty() const noexcept {
    return !seed && !loss_ppm && !duplicate_ppm && !reorder_ppm && !corrupt_ppm && !delay_us;
  }
  // Every value zero, seed 0 included (so the statistics restart too).
  static FaultSettings cleared();
};

// The whole configuration and statistics of one device's injector.
struct FaultState {
  std::string device;
  std::string kind;  // IFLA_INFO_KIND ("" when the device has none)
  int ifindex = 0;
  bool has_fault = false;  // the answer carried the GLASS_INFO_FAULT_* attributes
  std::uint64_t seed = 0;
  std::uint32_t loss_ppm = 0;
  std::uint32_t duplicate_ppm = 0;
  std::uint32_t reorder_ppm = 0;
  std::uint32_t corrupt_ppm = 0;
  std::uint32_t delay_us = 0;
  glass_fault_stats stats{};
};

// Upper bounds the kernel accepts (it clamps beyond them; we refuse).
inline constexpr std::uint32_t kFaultPpmMax = GLASS_PPM_MAX;
inline constexpr std::uint32_t kFaultDelayMaxUs = 10'000'000;

// "10", "10%", "0.5%", "0.0001%" → parts per million. At most 4 decimals
// (1 ppm = 0.0001%), 0 to 100. Throws ParseError naming `what`.
std::uint32_t parse_percent_ppm(std::string_view text, std::string_view what);
// "5" or "5ms" (milliseconds, up to 3 decimals), "250us" → microseconds,
// 0 to 10000 ms. Throws ParseError.
std::uint32_t parse_delay_us(std::string_view text);
// Decimal or 0x-hex unsigned 64-bit number. Throws ParseError.
std::uint64_t parse_seed(std::string_view text);
// ppm → "12.5%" (shortest exact decimal).
std::string format_ppm_percent(std::uint32_t ppm);
// µs → "1.5ms".
std::string format_delay(std::uint32_t us);

// RTM_NEWLINK (NLM_F_REQUEST|NLM_F_ACK, no CREATE) for the existing device
// `name`: ifinfomsg, IFLA_IFNAME, IFLA_LINKINFO { IFLA_INFO_KIND "glass",
// IFLA_INFO_DATA { the GLASS_INFO_FAULT_* present in s } }.
// buf must hold kNetlinkBufSize bytes.
nlmsghdr* build_fault_set(std::span<char> buf, const std::string& name, const FaultSettings& s,
                          std::uint32_t seq);
// RTM_GETLINK (NLM_F_REQUEST) for `name`.
nlmsghdr* build_link_get(std::span<char> buf, const std::string& name, std::uint32_t seq);
// Reads an RTM_NEWLINK answer: name, kind and, for glass devices, the fault
// attributes. Throws ParseError on a malformed message.
FaultState parse_fault_link(const nlmsghdr* nlh);

// Asks the kernel for `name` (RTM_GETLINK). Throws Error: ENODEV "no such
// device" (with a module hint when glass is not loaded), ENOTSUP "not a glass
// device (kind K)" when the device is of another kind.
FaultState query_fault(const std::string& name);
// Checks that `name` is a glass device, then applies s. EPERM carries the
// CAP_NET_ADMIN hint.
void apply_fault(const std::string& name, const FaultSettings& s);

}  // namespace glass
