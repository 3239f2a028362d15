// glass userspace library: glass socket addresses ("10.7.0.1:7000").
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

// <linux/glass.h> includes <linux/in.h>: glibc's <netinet/in.h> must come first.
#include <linux/glass.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace glass {

// A struct sockaddr_glass with parsing and formatting. Address and port are
// kept in network byte order inside raw(), as the kernel expects.
class Address {
 public:
  // 0.0.0.0:0, family AF_GLASS.
  Address() noexcept;
  explicit Address(const sockaddr_glass& raw) noexcept : raw_(raw) {}
  // addr in host byte order (e.g. 0x0a070001 for 10.7.0.1).
  Address(std::uint32_t addr, std::uint16_t port) noexcept;

  // "A.B.C.D:PORT". Surrounding whitespace is ignored; anything else that
  // is not exactly four decimal octets (0-255, no leading zeros), a colon
  // and a decimal port (0-65535) throws ParseError saying what is wrong.
  static Address parse(std::string_view text);
  // "[A.B.C.D:]PORT" for listening: a bare port means 0.0.0.0:PORT.
  static Address parse_listen(std::string_view text);

  std::uint32_t addr() const noexcept;  // host byte order
  std::uint16_t port() const noexcept;  // host byte order
  const sockaddr_glass& raw() const noexcept { return raw_; }
  sockaddr_glass& raw() noexcept { return raw_; }
  const sockaddr* sa() const noexcept { return reinterpret_cast<const sockaddr*>(&raw_); }
  sockaddr* sa() noexcept { return reinterpret_cast<sockaddr*>(&raw_); }
  static constexpr socklen_t size() noexcept { return sizeof(sockaddr_glass); }

  // "A.B.C.D:PORT".
  std::string str() const;

  friend bool operator==(const Address& a, const Address& b) noexcept {
    return a.addr() == b.addr() && a.port() == b.port();
  }

 private:
  sockaddr_glass raw_{};
};

// "A.B.C.D" → host-order address; throws ParseError.
std::uint32_t parse_ipv4(std::string_view text);
// Decimal port 0-65535; throws ParseError.
std::uint16_t parse_port(std::string_view text);
// Host-order address → "A.B.C.D".
std::string format_ipv4(std::uint32_t addr);

}  // namespace glass
