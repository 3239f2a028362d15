// Address parsing and formatting (address.cpp).
#include <gtest/gtest.h>
#include <glass/address.hpp>
#include <glass/error.hpp>

#include <arpa/inet.h>

namespace glass {
namespace {

TEST(Address, ParseValid) {
  const Address a = Address::parse("10.7.0.1:7000");
  EXPECT_EQ(a.addr(), 0x0a070001u);
  EXPECT_EQ(a.port(), 7000);
  EXPECT_EQ(a.raw().sg_family, AF_GLASS);
  EXPECT_EQ(a.raw().sg_port, htons(7000));
  EXPECT_EQ(a.raw().sg_addr.s_addr, htonl(0x0a070001u));
  for (unsigned char z : a.raw().sg_zero) EXPECT_EQ(z, 0);
}

TEST(Address, ParseLimits) {
  EXPECT_EQ(Address::parse("0.0.0.0:0").port(), 0);
  EXPECT_EQ(Address::parse("255.255.255.255:65535").addr(), 0xffffffffu);
  EXPECT_EQ(Address::parse("255.255.255.255:65535").port(), 65535);
}

TEST(Address, FormatRoundTrips) {
  for (const char* s : {"10.7.0.1:7000", "0.0.0.0:0", "192.168.100.254:65535", "1.2.3.4:1"})
    EXPECT_EQ(Address::parse(s).str(), s);
  EXPECT_EQ(Address(0x0a070002, 80).str(), "10.7.0.2:80");
}

TEST(Address, SockaddrIs16Bytes) {
  EXPECT_EQ(Address::size(), 16u);
}

TEST(Address, InvalidPort) {
  EXPECT_THROW(Address::parse("10.7.0.1:65536"), ParseError);
  EXPECT_THROW(Address::parse("10.7.0.1:-1"), ParseError);
  EXPECT_THROW(Address::parse("10.7.0.1:7x"), ParseError);
  EXPECT_THROW(Address::parse("10.7.0.1:999999"), ParseError);
  EXPECT_THROW(Address::parse("10.7.0.1:+80"), ParseError);
}

TEST(Address, MissingPort) {
  EXPECT_THROW(Address::parse("10.7.0.1"), ParseError);
  EXPECT_THROW(Address::parse("10.7.0.1:"), ParseError);
  EXPECT_THROW(Address::parse(""), ParseError);
}

TEST(Address, BadOctets) {
  EXPECT_THROW(Address::parse("10.7.0.256:1"), ParseError);
  EXPECT_THROW(Address::parse("10.7.0:1"), ParseError);
  EXPECT_THROW(Address::parse("10.7.0.1.5:1"), ParseError);
  EXPECT_THROW(Address::parse("10..0.1:1"), ParseError);
  EXPECT_THROW(Address::parse("10.7.0.a:1"), ParseError);
  EXPECT_THROW(Address::parse("010.7.0.1:1"), ParseError);
  EXPECT_THROW(Address::parse(":7000"), ParseError);
  EXPECT_THROW(Address::parse("host:7000"), ParseError);
}

TEST(Address, Whitespace) {
  EXPECT_EQ(Address::parse("  10.7.0.1:7000\n").str(), "10.7.0.1:7000");
  EXPECT_THROW(Address::parse("10.7.0.1: 7000"), ParseError);
  EXPECT_THROW(Address::parse("10.7. 0.1:7000"), ParseError);
  EXPECT_THROW(Address::parse("   "), ParseError);
}

TEST(Address, MessagesSayWhatIsWrong) {
  auto msg = [](const char* s) {
    try {
      Address::parse(s);
    } catch (const ParseError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(msg("10.7.0.1"), "invalid address '10.7.0.1': missing ':PORT'");
  EXPECT_EQ(msg("10.7.0.1:70000"), "invalid port '70000': not a number 0-65535");
  EXPECT_EQ(msg("10.7.0.300:1"), "invalid address '10.7.0.300': octet '300' is not a number 0-255");
  EXPECT_EQ(msg("10.7.0.1: 1"), "invalid address '10.7.0.1: 1': contains whitespace");
}

TEST(Address, ParseListen) {
  EXPECT_EQ(Address::parse_listen("7000").str(), "0.0.0.0:7000");
  EXPECT_EQ(Address::parse_listen("10.7.0.1:7000").str(), "10.7.0.1:7000");
  EXPECT_THROW(Address::parse_listen("70000"), ParseError);
  EXPECT_THROW(Address::parse_listen(""), ParseError);
  EXPECT_THROW(Address::parse_listen("10.7.0.1:"), ParseError);
}

TEST(Address, Ipv4Helpers) {
  EXPECT_EQ(parse_ipv4("10.7.0.1"), 0x0a070001u);
  EXPECT_EQ(format_ipv4(0x0a070001u), "10.7.0.1");
  EXPECT_THROW(parse_ipv4("10.7.0"), ParseError);
  EXPECT_EQ(parse_port("7000"), 7000);
}

}  // namespace
}  // namespace glass
