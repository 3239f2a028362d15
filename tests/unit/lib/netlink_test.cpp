// The rtnetlink messages of `glass link add|del` (netlink.cpp), built into a
// buffer and parsed back with libmnl: no socket, no module.
#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <glass/address.hpp>
#include <glass/error.hpp>
#include <glass/netlink.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <string>

#include "nl_attrs.hpp"

namespace glass {
namespace {

using test::Attrs;
using test::nested;
using test::top_level;

// GLASS_INFO_PEER: a struct ifinfomsg, then IFLA_* attributes.
Attrs peer_attrs(const nlattr* peer, ifinfomsg* ifm) {
  const auto* payload = static_cast<const char*>(mnl_attr_get_payload(peer));
  const std::size_t len = mnl_attr_get_payload_len(peer);
  EXPECT_GE(len, sizeof(ifinfomsg));
  std::memcpy(ifm, payload, sizeof(*ifm));
  Attrs a;
  EXPECT_EQ(mnl_attr_parse_payload(payload + MNL_ALIGN(sizeof(ifinfomsg)),
                                   len - MNL_ALIGN(sizeof(ifinfomsg)), test::collect_attr, &a),
            MNL_CB_OK);
  return a;
}

struct LinkMessage : ::testing::Test {
  std::array<char, kNetlinkBufSize> buf{};
};

TEST_F(LinkMessage, AddPairLayout) {
  const nlmsghdr* nlh = build_link_add(buf, {.name = "ga", .peer = "gb"}, 7);
  EXPECT_EQ(nlh->nlmsg_type, RTM_NEWLINK);
  EXPECT_EQ(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
  EXPECT_EQ(nlh->nlmsg_seq, 7u);
  const auto* ifm = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  EXPECT_EQ(ifm->ifi_family, AF_UNSPEC);
  EXPECT_EQ(ifm->ifi_index, 0);

  Attrs top = top_level(nlh);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_STREQ(mnl_attr_get_str(top.at(IFLA_IFNAME)), "ga");
  Attrs info = nested(top.at(IFLA_LINKINFO));
  ASSERT_EQ(info.size(), 2u);
  EXPECT_STREQ(mnl_attr_get_str(info.at(IFLA_INFO_KIND)), "glass");
  Attrs data = nested(info.at(IFLA_INFO_DATA));
  ASSERT_EQ(data.size(), 1u);
  ifinfomsg peer_ifm{};
  Attrs peer = peer_attrs(data.at(GLASS_INFO_PEER), &peer_ifm);
  EXPECT_EQ(peer_ifm.ifi_family, AF_UNSPEC);
  ASSERT_EQ(peer.size(), 1u);
  EXPECT_STREQ(mnl_attr_get_str(peer.at(IFLA_IFNAME)), "gb");
}

TEST_F(LinkMessage, AddPairWithNetns) {
  const nlmsghdr* nlh = build_link_add(buf, {.name = "ga", .peer = "gb", .peer_netns_fd = 5}, 1);
  Attrs data = nested(nested(top_level(nlh).at(IFLA_LINKINFO)).at(IFLA_INFO_DATA));
  ifinfomsg peer_ifm{};
  Attrs peer = peer_attrs(data.at(GLASS_INFO_PEER), &peer_ifm);
  ASSERT_EQ(peer.size(), 2u);
  EXPECT_STREQ(mnl_attr_get_str(peer.at(IFLA_IFNAME)), "gb");
  EXPECT_EQ(mnl_attr_get_payload_len(peer.at(IFLA_NET_NS_FD)), 4u);
  EXPECT_EQ(mnl_attr_get_u32(peer.at(IFLA_NET_NS_FD)), 5u);
}

TEST_F(LinkMessage, AddLoopbackHasNoInfoData) {
  const nlmsghdr* nlh = build_link_add(buf, {.name = "glass0"}, 1);
  Attrs top = top_level(nlh);
  EXPECT_STREQ(mnl_attr_get_str(top.at(IFLA_IFNAME)), "glass0");
  Attrs info = nested(top.at(IFLA_LINKINFO));
  ASSERT_EQ(info.size(), 1u);
  EXPECT_STREQ(mnl_attr_get_str(info.at(IFLA_INFO_KIND)), "glass");
}

TEST_F(LinkMessage, AddWithGsoMaxSegsSetsItOnTheNamedDevice) {
  const nlmsghdr* nlh = build_link_add(buf, {.name = "gs", .peer = "gw", .gso_max_segs = 1}, 1);
  Attrs top = top_level(nlh);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(mnl_attr_get_payload_len(top.at(IFLA_GSO_MAX_SEGS)), 4u);
  EXPECT_EQ(mnl_attr_get_u32(top.at(IFLA_GSO_MAX_SEGS)), 1u);
  Attrs data = nested(nested(top.at(IFLA_LINKINFO)).at(IFLA_INFO_DATA));
  ifinfomsg peer_ifm{};
  EXPECT_EQ(peer_attrs(data.at(GLASS_INFO_PEER), &peer_ifm).count(IFLA_GSO_MAX_SEGS), 0u);
}

TEST_F(LinkMessage, PeerNetnsByPidGoesInThePeerAttribute) {
  const nlmsghdr* nlh =
      build_link_add(buf, {.name = "ga", .peer = "gb", .peer_netns_pid = 1234}, 1);
  Attrs top = top_level(nlh);
  Attrs data = nested(nested(top.at(IFLA_LINKINFO)).at(IFLA_INFO_DATA));
  ifinfomsg peer_ifm{};
  Attrs peer = peer_attrs(data.at(GLASS_INFO_PEER), &peer_ifm);
  ASSERT_EQ(peer.count(IFLA_NET_NS_PID), 1u);
  EXPECT_EQ(mnl_attr_get_u32(peer.at(IFLA_NET_NS_PID)), 1234u);
  EXPECT_EQ(peer.count(IFLA_NET_NS_FD), 0u);
  EXPECT_EQ(top.count(IFLA_NET_NS_PID), 0u);
}

TEST_F(LinkMessage, MessageLengthCoversAllAttributes) {
  const nlmsghdr* nlh = build_link_add(buf, {.name = "ga", .peer = "gb", .peer_netns_fd = 5}, 1);
  // nlmsghdr + ifinfomsg + IFNAME("ga") + LINKINFO{KIND("glass") + DATA{PEER{...}}}
  const std::size_t peer = 4 + 16 + 8 + 8;  // header, ifinfomsg, IFNAME("gb"), NS_FD
  const std::size_t expect = 16 + 16 + 8 + 4 + 12 + 4 + peer;
  EXPECT_EQ(nlh->nlmsg_len, expect);
}

TEST_F(LinkMessage, Del) {
  const nlmsghdr* nlh = build_link_del(buf, "ga", 3);
  EXPECT_EQ(nlh->nlmsg_type, RTM_DELLINK);
  EXPECT_EQ(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
  Attrs top = top_level(nlh);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_STREQ(mnl_attr_get_str(top.at(IFLA_IFNAME)), "ga");
}

TEST_F(LinkMessage, SmallBufferRejected) {
  std::array<char, 64> small{};
  EXPECT_THROW(build_link_del(small, "ga", 1), std::length_error);
}

// An NLMSG_ERROR as the kernel sends it with NETLINK_CAP_ACK + NETLINK_EXT_ACK.
TEST_F(LinkMessage, AckWithExtackMessage) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = NLMSG_ERROR;
  nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
  auto* err = static_cast<nlmsgerr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nlmsgerr)));
  err->error = -EOPNOTSUPP;
  err->msg.nlmsg_len = 200;  // the request; capped, so not copied
  mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "Unknown device type");
  const NetlinkAck ack = parse_ack(nlh);
  EXPECT_EQ(ack.err, EOPNOTSUPP);
  EXPECT_EQ(ack.message, "Unknown device type");
}

TEST_F(LinkMessage, PlainAck) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = NLMSG_ERROR;
  auto* err = static_cast<nlmsgerr*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nlmsgerr)));
  err->error = 0;
  EXPECT_EQ(parse_ack(nlh).err, 0);
  err->error = -EEXIST;
  EXPECT_EQ(parse_ack(nlh).err, EEXIST);
  EXPECT_TRUE(parse_ack(nlh).message.empty());
}

TEST(IfName, Valid) {
  EXPECT_NO_THROW(check_ifname("ga"));
  EXPECT_NO_THROW(check_ifname("glass-0123456_7"));  // 15 bytes
}

TEST(IfName, Invalid) {
  EXPECT_THROW(check_ifname(""), ParseError);
  EXPECT_THROW(check_ifname("glass-0123456_78"), ParseError);  // 16 bytes
  EXPECT_THROW(check_ifname("a/b"), ParseError);
  EXPECT_THROW(check_ifname("a b"), ParseError);
  EXPECT_THROW(check_ifname("a:1"), ParseError);
  EXPECT_THROW(check_ifname(".."), ParseError);
}

}  // namespace
}  // namespace glass
