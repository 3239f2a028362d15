// Parses a built rtnetlink message back into its attributes, for the tests
// of the link and fault requests (no socket, no module).
#pragma once

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include <map>

namespace glass::test {

using Attrs = std::map<int, const nlattr*>;

inline int collect_attr(const nlattr* attr, void* data) {
  auto* attrs = static_cast<Attrs*>(data);
  EXPECT_EQ(attrs->count(mnl_attr_get_type(attr)), 0u) << "duplicate attribute";
  (*attrs)[mnl_attr_get_type(attr)] = attr;
  return MNL_CB_OK;
}

// The IFLA_* attributes after the ifinfomsg header.
inline Attrs top_level(const nlmsghdr* nlh) {
  Attrs a;
  EXPECT_EQ(mnl_attr_parse(nlh, sizeof(ifinfomsg), collect_attr, &a), MNL_CB_OK);
  return a;
}

inline Attrs nested(const nlattr* nest) {
  Attrs a;
  EXPECT_EQ(mnl_attr_parse_nested(nest, collect_attr, &a), MNL_CB_OK);
  return a;
}

}  // namespace glass::test
