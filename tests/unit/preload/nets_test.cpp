// glass run: --nets parsing and matching, and the translation of a
// program's AF_INET / AF_INET6 addresses to and from sockaddr_glass.
#include "nets.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>

namespace gp = glass::preload;

namespace {

std::uint32_t ip(const char* text) {
  in_addr a{};
  EXPECT_EQ(inet_pton(AF_INET, text, &a), 1) << text;
  return ntohl(a.s_addr);
}

sockaddr_in sin4(const char* addr, std::uint16_t port) {
  sockaddr_in s{};
  s.sin_family = AF_INET;
  s.sin_port = htons(port);
  inet_pton(AF_INET, addr, &s.sin_addr);
  return s;
}

sockaddr_in6 sin6(const char* addr, std::uint16_t port) {
  sockaddr_in6 s{};
  s.sin6_family = AF_INET6;
  s.sin6_port = htons(port);
  EXPECT_EQ(inet_pton(AF_INET6, addr, &s.sin6_addr), 1) << addr;
  return s;
}

std::optional<gp::V4> v4(const auto& s) {
  return gp::v4_of(reinterpret_cast<const sockaddr*>(&s), sizeof(s));
}

std::vector<gp::Net> nets(const char* list) {
  std::string why;
  auto n = gp::parse_nets(list, &why);
  EXPECT_TRUE(n.has_value()) << why;
  return n.value_or(std::vector<gp::Net>{});
}

std::string why_not(const char* list) {
  std::string why;
  EXPECT_FALSE(gp::parse_nets(list, &why).has_value()) << list;
  return why;
}

}  // namespace

TEST(ParseNets, CidrAndSingleAddress) {
  EXPECT_EQ(nets("10.7.0.0/24"), (std::vector<gp::Net>{{ip("10.7.0.0"), 0xffffff00}}));
  EXPECT_EQ(nets("10.7.0.2"), (std::vector<gp::Net>{{ip("10.7.0.2"), 0xffffffff}}));
  EXPECT_EQ(nets("0.0.0.0/0"), (std::vector<gp::Net>{{0, 0}}));
}

TEST(ParseNets, ListWithSpaces) {
  const auto n = nets(" 10.7.0.0/24 , 192.168.5.0/25,10.9.9.9 ");
  ASSERT_EQ(n.size(), 3U);
  EXPECT_EQ(gp::format_net(n[0]), "10.7.0.0/24");
  EXPECT_EQ(gp::format_net(n[1]), "192.168.5.0/25");
  EXPECT_EQ(gp::format_net(n[2]), "10.9.9.9/32");
}

TEST(ParseNets, RefusesBadInputSayingWhy) {
  EXPECT_NE(why_not("").find("no network"), std::string::npos);
  EXPECT_NE(why_not("10.7.0.1/24").find("host bits set (the network is 10.7.0.0/24)"),
            std::string::npos);
  EXPECT_NE(why_not("10.7.0.0/33").find("prefix length"), std::string::npos);
  EXPECT_NE(why_not("10.7.0.0/").find("prefix length"), std::string::npos);
  EXPECT_NE(why_not("10.7.0/24").find("'10.7.0/24'"), std::string::npos);
  EXPECT_NE(why_not("10.7.0.0/24,,10.8.0.0/24").find("is not A.B.C.D/N"), std::string::npos);
  EXPECT_NE(why_not("256.1.1.1").find("is not"), std::string::npos);
  EXPECT_NE(why_not("010.1.1.1").find("is not"), std::string::npos);
  EXPECT_NE(why_not("::1/128").find("is not"), std::string::npos);
  EXPECT_NE(why_not("10.7.0.0/24x").find("prefix length"), std::string::npos);
}

TEST(InNets, MatchesByPrefix) {
  const auto n = nets("10.7.0.0/24,10.9.0.5");
  EXPECT_TRUE(gp::in_nets(n, ip("10.7.0.0")));
  EXPECT_TRUE(gp::in_nets(n, ip("10.7.0.255")));
  EXPECT_FALSE(gp::in_nets(n, ip("10.7.1.0")));
  EXPECT_FALSE(gp::in_nets(n, ip("10.6.255.255")));
  EXPECT_TRUE(gp::in_nets(n, ip("10.9.0.5")));
  EXPECT_FALSE(gp::in_nets(n, ip("10.9.0.6")));
  EXPECT_FALSE(gp::in_nets(n, ip("127.0.0.1")));
  EXPECT_TRUE(gp::in_nets(nets("0.0.0.0/0"), ip("8.8.8.8")));
  EXPECT_FALSE(gp::in_nets({}, ip("10.7.0.1")));
}

TEST(V4Of, Ipv4) {
  EXPECT_EQ(v4(sin4("10.7.0.1", 7000)), (gp::V4{ip("10.7.0.1"), 7000}));
  EXPECT_EQ(v4(sin4("0.0.0.0", 0)), (gp::V4{0, 0}));
}

TEST(V4Of, Ipv6MappedAndWildcard) {
  EXPECT_EQ(v4(sin6("::ffff:10.7.0.1", 8080)), (gp::V4{ip("10.7.0.1"), 8080}));
  EXPECT_EQ(v4(sin6("::", 8080)), (gp::V4{0, 8080}));
  EXPECT_EQ(v4(sin6("::ffff:0.0.0.0", 1)), (gp::V4{0, 1}));
}

TEST(V4Of, RefusesWhatIsNotIpv4) {
  EXPECT_FALSE(v4(sin6("::1", 80)));
  EXPECT_FALSE(v4(sin6("fe80::1", 80)));
  EXPECT_FALSE(v4(sin6("::10.7.0.1", 80)));  // IPv4-compatible, not mapped
  EXPECT_FALSE(v4(sin6("2001:db8::ffff:a07:1", 80)));
  const sockaddr_in s = sin4("10.7.0.1", 1);
  EXPECT_FALSE(gp::v4_of(reinterpret_cast<const sockaddr*>(&s), sizeof(s) - 1));
  const sockaddr_in6 s6 = sin6("::ffff:10.7.0.1", 1);
  EXPECT_FALSE(gp::v4_of(reinterpret_cast<const sockaddr*>(&s6), sizeof(sockaddr_in)));
  EXPECT_FALSE(gp::v4_of(nullptr, 16));
  sockaddr_storage other{};
  other.ss_family = AF_UNIX;
  EXPECT_FALSE(gp::v4_of(reinterpret_cast<const sockaddr*>(&other), sizeof(other)));
}

TEST(ToGlass, SameLayoutAsSockaddrIn) {
  const sockaddr_glass sg = gp::to_glass({ip("10.7.0.2"), 7001});
  EXPECT_EQ(sg.sg_family, AF_GLASS);
  EXPECT_EQ(ntohs(sg.sg_port), 7001);
  EXPECT_EQ(ntohl(sg.sg_addr.s_addr), ip("10.7.0.2"));
  for (unsigned char z : sg.sg_zero) EXPECT_EQ(z, 0);
  EXPECT_EQ(gp::from_glass(sg), (gp::V4{ip("10.7.0.2"), 7001}));
}

TEST(ToProgram, Ipv4) {
  sockaddr_in out{};
  socklen_t len = sizeof(out);
  gp::to_program({ip("10.7.0.1"), 7000}, AF_INET, reinterpret_cast<sockaddr*>(&out), &len);
  EXPECT_EQ(len, sizeof(sockaddr_in));
  EXPECT_EQ(out.sin_family, AF_INET);
  EXPECT_EQ(ntohs(out.sin_port), 7000);
  EXPECT_EQ(ntohl(out.sin_addr.s_addr), ip("10.7.0.1"));
}

TEST(ToProgram, Ipv6MappedAndWildcard) {
  sockaddr_in6 out{};
  socklen_t len = sizeof(out);
  gp::to_program({ip("10.7.0.1"), 7000}, AF_INET6, reinterpret_cast<sockaddr*>(&out), &len);
  EXPECT_EQ(len, sizeof(sockaddr_in6));
  EXPECT_EQ(out.sin6_family, AF_INET6);
  EXPECT_EQ(ntohs(out.sin6_port), 7000);
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &out.sin6_addr, text, sizeof(text));
  EXPECT_STREQ(text, "::ffff:10.7.0.1");
  EXPECT_EQ(out.sin6_flowinfo, 0U);
  EXPECT_EQ(out.sin6_scope_id, 0U);
  gp::to_program({0, 8000}, AF_INET6, reinterpret_cast<sockaddr*>(&out), &len);
  inet_ntop(AF_INET6, &out.sin6_addr, text, sizeof(text));
  EXPECT_STREQ(text, "::");  // a listener bound to :: sees ::, as with TCP
}

TEST(ToProgram, ShortBufferIsTruncatedAndFullSizeReported) {
  unsigned char buf[8];
  std::memset(buf, 0xAA, sizeof(buf));
  socklen_t len = 4;
  gp::to_program({ip("10.7.0.1"), 7000}, AF_INET6, reinterpret_cast<sockaddr*>(buf), &len);
  EXPECT_EQ(len, sizeof(sockaddr_in6));
  sa_family_t fam = 0;
  std::memcpy(&fam, buf, sizeof(fam));
  EXPECT_EQ(fam, AF_INET6);
  EXPECT_EQ(buf[4], 0xAA);  // nothing past the 4 bytes given
  len = 0;
  gp::to_program({ip("10.7.0.1"), 7000}, AF_INET, nullptr, &len);
  EXPECT_EQ(len, sizeof(sockaddr_in));
}

TEST(FormatV4, AddressAndPort) {
  EXPECT_EQ(gp::format_v4({ip("10.7.0.1"), 7000}), "10.7.0.1:7000");
  EXPECT_EQ(gp::format_v4({0, 0}), "0.0.0.0:0");
}
