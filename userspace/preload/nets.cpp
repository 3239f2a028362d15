// Address matching and translation for glass run (nets.hpp).
#include "nets.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace glass::preload {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Decimal in [0, max], no sign, no leading zeros (except "0").
bool parse_decimal(std::string_view s, unsigned max, unsigned* out) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

bool parse_addr(std::string_view s, std::uint32_t* out) {
  std::uint32_t a = 0;
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = s.find('.');
    if ((i < 3) != (dot != std::string_view::npos)) return false;
    unsigned octet = 0;
    if (!parse_decimal(s.substr(0, dot), 255, &octet)) return false;
    a = a << 8 | octet;
    s = i < 3 ? s.substr(dot + 1) : std::string_view{};
  }
  *out = a;
  return true;
}

std::uint32_t mask_of(unsigned prefix) {
  return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
}

std::string format_addr(std::uint32_t addr) {
  char buf[INET_ADDRSTRLEN] = {};
  const std::uint32_t a = htonl(addr);
  inet_ntop(AF_INET, &a, buf, sizeof(buf));
  return buf;
}

constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

}  // namespace

std::optional<Net> parse_net(std::string_view text, std::string* why) {
  const std::string_view s = trim(text);
  const std::size_t slash = s.find('/');
  Net net;
  unsigned prefix = 32;
  if (!parse_addr(s.substr(0, slash), &net.addr)) {
    *why =
        "'" + std::string(text) + "' is not A.B.C.D/N (an IPv4 address, a slash, a prefix length)";
    return std::nullopt;
  }
  if (slash != std::string_view::npos && !parse_decimal(s.substr(slash + 1), 32, &prefix)) {
    *why = "'" + std::string(text) + "': the prefix length must be 0-32";
    return std::nullopt;
  }
  net.mask = mask_of(prefix);
  if ((net.addr & ~net.mask) != 0) {
    Net base{net.addr & net.mask, net.mask};
    *why =
        "'" + std::string(text) + "' has host bits set (the network is " + format_net(base) + ")";
    return std::nullopt;
  }
  return net;
}

std::optional<std::vector<Net>> parse_nets(std::string_view list, std::string* why) {
  std::vector<Net> nets;
  if (trim(list).empty()) {
    *why = "no network given";
    return std::nullopt;
  }
  while (true) {
    const std::size_t comma = list.find(',');
    const auto net = parse_net(list.substr(0, comma), why);
    if (!net) return std::nullopt;
    nets.push_back(*net);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return nets;
}

bool in_nets(const std::vector<Net>& nets, std::uint32_t addr) {
  return std::any_of(nets.begin(), nets.end(),
                     [addr](const Net& n) { return (addr & n.mask) == n.addr; });
}

std::string format_net(const Net& net) {
  unsigned prefix = 0;
  for (std::uint32_t m = net.mask; m != 0; m <<= 1) ++prefix;
  return format_addr(net.addr) + "/" + std::to_string(prefix);
}

std::optional<V4> v4_of(const sockaddr* sa, socklen_t len) {
  if (sa == nullptr || len < static_cast<socklen_t>(sizeof(sa_family_t))) return std::nullopt;
  if (sa->sa_family == AF_INET) {
    if (len < static_cast<socklen_t>(sizeof(sockaddr_in))) return std::nullopt;
    sockaddr_in sin;
    std::memcpy(&sin, sa, sizeof(sin));
    return V4{ntohl(sin.sin_addr.s_addr), ntohs(sin.sin_port)};
  }
  if (sa->sa_family == AF_INET6) {
    if (len < static_cast<socklen_t>(sizeof(sockaddr_in6))) return std::nullopt;
    sockaddr_in6 sin6;
    std::memcpy(&sin6, sa, sizeof(sin6));
    const std::uint8_t* b = sin6.sin6_addr.s6_addr;
    const bool any = std::all_of(b, b + 16, [](std::uint8_t x) { return x == 0; });
    if (!any && std::memcmp(b, kMappedPrefix, sizeof(kMappedPrefix)) != 0) return std::nullopt;
    std::uint32_t a = 0;
    std::memcpy(&a, b + 12, 4);
    return V4{ntohl(a), ntohs(sin6.sin6_port)};
  }
  return std::nullopt;
}

sockaddr_glass to_glass(const V4& v4) {
  sockaddr_glass sg{};
  sg.sg_family = AF_GLASS;
  sg.sg_port = htons(v4.port);
  sg.sg_addr.s_addr = htonl(v4.addr);
  return sg;
}

V4 from_glass(const sockaddr_glass& sg) {
  return V4{ntohl(sg.sg_addr.s_addr), ntohs(sg.sg_port)};
}

void to_program(const V4& v4, int family, sockaddr* out, socklen_t* len) {
  sockaddr_storage ss{};
  socklen_t full = 0;
  if (family == AF_INET6) {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(v4.port);
    if (v4.addr != 0) {
      std::memcpy(sin6.sin6_addr.s6_addr, kMappedPrefix, sizeof(kMappedPrefix));
      const std::uint32_t a = htonl(v4.addr);
      std::memcpy(sin6.sin6_addr.s6_addr + 12, &a, 4);
    }
    std::memcpy(&ss, &sin6, sizeof(sin6));
    full = sizeof(sin6);
  } else {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(v4.port);
    sin.sin_addr.s_addr = htonl(v4.addr);
    std::memcpy(&ss, &sin, sizeof(sin));
    full = sizeof(sin);
  }
  if (len == nullptr) return;
  const socklen_t n = std::min(*len, full);
  if (out != nullptr && n > 0) std::memcpy(out, &ss, n);
  *len = full;
}

std::string format_v4(const V4& v4) {
  return format_addr(v4.addr) + ":" + std::to_string(v4.port);
}

}  // namespace glass::preload
