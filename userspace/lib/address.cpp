// Address: parsing and formatting "A.B.C.D:PORT" for struct sockaddr_glass.
#include <glass/address.hpp>
#include <glass/error.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace glass {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

[[noreturn]] void bad(std::string_view what, std::string_view text, std::string_view why) {
  throw ParseError("invalid " + std::string(what) + " '" + std::string(text) +
                   "': " + std::string(why));
}

// Parses a decimal in [0, max]; returns false on anything else.
bool parse_decimal(std::string_view s, unsigned max, unsigned* out) {
  if (s.empty() || s.size() > 5) return false;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

void reject_inner_space(std::string_view what, std::string_view text) {
  if (std::any_of(text.begin(), text.end(), is_space)) bad(what, text, "contains whitespace");
}

}  // namespace

std::uint32_t parse_ipv4(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) bad("address", text, "empty");
  reject_inner_space("address", s);
  std::uint32_t addr = 0;
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = s.find('.', start);
    if ((i < 3) != (dot != std::string_view::npos))
      bad("address", s, "expected four dot-separated octets (A.B.C.D)");
    const std::string_view part = s.substr(start, i < 3 ? dot - start : std::string_view::npos);
    unsigned v = 0;
    if (part.empty()) bad("address", s, "empty octet");
    if (part.size() > 1 && part[0] == '0') bad("address", s, "leading zero in an octet");
    if (!parse_decimal(part, 255, &v))
      bad("address", s, "octet '" + std::string(part) + "' is not a number 0-255");
    addr = (addr << 8) | v;
    start = dot + 1;
  }
  return addr;
}

std::uint16_t parse_port(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) bad("port", text, "empty");
  reject_inner_space("port", s);
  unsigned v = 0;
  if (!parse_decimal(s, 65535, &v)) bad("port", s, "not a number 0-65535");
  return static_cast<std::uint16_t>(v);
}

std::string format_ipv4(std::uint32_t addr) {
  return std::to_string(addr >> 24) + "." + std::to_string((addr >> 16) & 0xff) + "." +
         std::to_string((addr >> 8) & 0xff) + "." + std::to_string(addr & 0xff);
}

Address::Address() noexcept {
  raw_.sg_family = AF_GLASS;
}

Address::Address(std::uint32_t addr, std::uint16_t port) noexcept {
  raw_.sg_family = AF_GLASS;
  raw_.sg_port = htons(port);
  raw_.sg_addr.s_addr = htonl(addr);
}

Address Address::parse(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.empty()) bad("address", text, "empty");
  reject_inner_space("address", s);
  const std::size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) bad("address", s, "missing ':PORT'");
  if (colon + 1 == s.size()) bad("address", s, "missing port after ':'");
  return {parse_ipv4(s.substr(0, colon)), parse_port(s.substr(colon + 1))};
}

Address Address::parse_listen(std::string_view text) {
  const std::string_view s = trim(text);
  if (s.find(':') == std::string_view::npos) return {0, parse_port(s.empty() ? text : s)};
  return parse(s);
}

std::uint32_t Address::addr() const noexcept {
  return ntohl(raw_.sg_addr.s_addr);
}

std::uint16_t Address::port() const noexcept {
  return ntohs(raw_.sg_port);
}

std::string Address::str() const {
  return format_ipv4(addr()) + ":" + std::to_string(port());
}

}  // namespace glass
