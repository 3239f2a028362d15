// glass run / libglass_preload.so: which addresses are glass's, and the
// translation between a program's socket addresses (AF_INET, AF_INET6 with
// IPv4-mapped addresses) and struct sockaddr_glass. Pure functions, no
// system calls: the host unit tests (tests/unit/preload) pin them down.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

// <linux/glass.h> includes <linux/in.h>: glibc's <netinet/in.h> must come first.
#include <linux/glass.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glass::preload {

// An IPv4 network, host byte order: addr & mask == addr.
struct Net {
  std::uint32_t addr = 0;
  std::uint32_t mask = 0;
  friend bool operator==(const Net&, const Net&) = default;
};

// "A.B.C.D/N" (N 0-32) or "A.B.C.D" (/32). Host bits must be zero
// ("10.7.0.1/24" is refused: say 10.7.0.0/24 or 10.7.0.1/32). On error
// returns nullopt and sets *why.
std::optional<Net> parse_net(std::string_view text, std::string* why);
// A comma-separated list of nets, at least one; whitespace around items is
// allowed. On error returns nullopt and sets *why (naming the bad item).
std::optional<std::vector<Net>> parse_nets(std::string_view list, std::string* why);
bool in_nets(const std::vector<Net>& nets, std::uint32_t addr);
// "A.B.C.D/N".
std::string format_net(const Net& net);

// An IPv4 endpoint, host byte order.
struct V4 {
  std::uint32_t addr = 0;
  std::uint16_t port = 0;
  friend bool operator==(const V4&, const V4&) = default;
};

// The IPv4 endpoint a program's address names: AF_INET, AF_INET6 with an
// IPv4-mapped address (::ffff:A.B.C.D), or AF_INET6 :: (the wildcard, as
// 0.0.0.0). Anything else (a real IPv6 address, another family, a short
// length) is nullopt: glass speaks IPv4 only.
std::optional<V4> v4_of(const sockaddr* sa, socklen_t len);
// The same endpoint as glass wants it.
sockaddr_glass to_glass(const V4& v4);
V4 from_glass(const sockaddr_glass& sg);

// Writes v4 in the program's family (AF_INET, or AF_INET6 as ::ffff:A.B.C.D,
// 0.0.0.0 as ::) into out with the kernel's semantics: at most *len bytes
// are copied (a short buffer gets a truncated address), *len is set to the
// full size. out may be null when *len is 0.
void to_program(const V4& v4, int family, sockaddr* out, socklen_t* len);

// "A.B.C.D:PORT", for messages.
std::string format_v4(const V4& v4);

}  // namespace glass::preload
