// glass userspace library: reading struct glass_info (getsockopt GLASS_INFO).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

// <linux/glass.h> includes <linux/in.h>: glibc's <netinet/in.h> must come first.
#include <linux/glass.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace glass {

// struct glass_info as the kernel filled it. The structure is versioned by
// size: an older kernel fills fewer bytes, a newer one has more than we know
// (raw.gi_len). Only fields that lie wholly inside `filled` are valid.
struct Info {
  glass_info raw{};
  std::size_t filled = 0;  // bytes the kernel wrote

  // True when the kernel filled `member` (e.g. has(&glass_info::gi_segs_out)).
  template <typename T>
  bool has(T glass_info::*member) const noexcept {
    const auto* base = reinterpret_cast<const unsigned char*>(&raw);
    const auto* field = reinterpret_cast<const unsigned char*>(&(raw.*member));
    return static_cast<std::size_t>(field - base) + sizeof(T) <= filled;
  }
};

// getsockopt(fd, SOL_GLASS, GLASS_INFO) with optlen = sizeof(glass_info).
// Throws Error("getsockopt(GLASS_INFO)", errno).
Info read_info(int fd);

// One named field of glass_info, widened to 64 bits.
struct InfoField {
  std::string_view name;  // the field name without "gi_", e.g. "snd_una"
  std::uint64_t value;
};

// Every field the kernel filled, in structure order.
std::vector<InfoField> info_fields(const Info& info);

// "name value" lines for every filled field; state shown by name.
std::string format_info(const Info& info);

}  // namespace glass
