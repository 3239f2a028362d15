// Route and address lookups over rtnetlink for glass run (route.hpp). Raw
// netlink, no library: the preload library keeps its dependencies to libc.
// Any failure (no netlink, a malformed answer) answers "not glass": the
// socket stays the program's own.
#include "route.hpp"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>

#include <cerrno>
#include <cstring>
#include <memory>

namespace glass::preload {
namespace {

constexpr std::size_t kBufSize = 32768;

// One netlink request on a fresh socket; calls each(msg) for every answer
// message until NLMSG_DONE (dump) or the single answer. each returns false
// to stop early. Returns false on any error.
template <typename Fn>
bool nl_talk(nlmsghdr* req, Fn each) {
  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return false;
  bool ok = false;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  req->nlmsg_seq = 1;
  // operator new[] aligns for any fundamental type, so for nlmsghdr too.
  const auto owned = std::make_unique_for_overwrite<char[]>(kBufSize);
  char* const buf = owned.get();
  if (sendto(fd, req, req->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) ==
      static_cast<ssize_t>(req->nlmsg_len)) {
    const bool dump = (req->nlmsg_flags & NLM_F_DUMP) != 0;
    bool done = false;
    while (!done) {
      ssize_t n = recv(fd, buf, kBufSize, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, static_cast<unsigned>(n));
           h = NLMSG_NEXT(h, n)) {
        if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
          ok = h->nlmsg_type == NLMSG_DONE;
          done = true;
          break;
        }
        if (!each(h)) {
          ok = true;
          done = true;
          break;
        }
        if (!dump) {
          ok = true;
          done = true;
          break;
        }
      }
    }
  }
  close(fd);
  return ok;
}

// Copies attribute payloads of one message into a table indexed by type.
void parse_attrs(rtattr* rta, int len, rtattr** tb, int max) {
  std::fill(tb, tb + max + 1, nullptr);
  for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
    if (rta->rta_type <= max) tb[rta->rta_type] = rta;
  }
}

void add_attr(nlmsghdr* h, int type, const void* data, int len) {
  auto* rta = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(h) + NLMSG_ALIGN(h->nlmsg_len));
  rta->rta_type = static_cast<unsigned short>(type);
  rta->rta_len = static_cast<unsigned short>(RTA_LENGTH(len));
  std::memcpy(RTA_DATA(rta), data, len);
  h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

// The link kind of an interface is "glass".
bool is_glass_link(int ifindex) {
  struct {
    nlmsghdr h;
    ifinfomsg ifi;
    char attrs[64];
  } req{};
  req.h.nlmsg_len = NLMSG_LENGTH(sizeof(ifinfomsg));
  req.h.nlmsg_type = RTM_GETLINK;
  req.h.nlmsg_flags = NLM_F_REQUEST;
  req.ifi.ifi_family = AF_UNSPEC;
  req.ifi.ifi_index = ifindex;
  const std::uint32_t mask = RTEXT_FILTER_SKIP_STATS;
  add_attr(&req.h, IFLA_EXT_MASK, &mask, sizeof(mask));
  bool glass = false;
  nl_talk(&req.h, [&](nlmsghdr* h) {
    if (h->nlmsg_type != RTM_NEWLINK) return true;
    auto* ifi = static_cast<ifinfomsg*>(NLMSG_DATA(h));
    rtattr* tb[IFLA_MAX + 1];
    parse_attrs(IFLA_RTA(ifi), static_cast<int>(IFLA_PAYLOAD(h)), tb, IFLA_MAX);
    if (tb[IFLA_LINKINFO] == nullptr) return false;
    rtattr* li[IFLA_INFO_MAX + 1];
    parse_attrs(static_cast<rtattr*>(RTA_DATA(tb[IFLA_LINKINFO])),
                static_cast<int>(RTA_PAYLOAD(tb[IFLA_LINKINFO])), li, IFLA_INFO_MAX);
    if (li[IFLA_INFO_KIND] != nullptr) {
      const char* kind = static_cast<const char*>(RTA_DATA(li[IFLA_INFO_KIND]));
      const std::size_t n = RTA_PAYLOAD(li[IFLA_INFO_KIND]);
      glass = std::strncmp(kind, "glass", n) == 0 && n >= 5 && (n == 5 || kind[5] == '\0');
    }
    return false;
  });
  return glass;
}

// The interface an IPv4 address is assigned to, 0 if none.
int owner_of(std::uint32_t addr) {
  struct {
    nlmsghdr h;
    ifaddrmsg ifa;
  } req{};
  req.h.nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
  req.h.nlmsg_type = RTM_GETADDR;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.ifa.ifa_family = AF_INET;
  const std::uint32_t want = htonl(addr);
  int owner = 0;
  nl_talk(&req.h, [&](nlmsghdr* h) {
    if (h->nlmsg_type != RTM_NEWADDR || owner != 0) return true;
    auto* ifa = static_cast<ifaddrmsg*>(NLMSG_DATA(h));
    rtattr* tb[IFA_MAX + 1];
    parse_attrs(IFA_RTA(ifa), static_cast<int>(IFA_PAYLOAD(h)), tb, IFA_MAX);
    rtattr* a = tb[IFA_LOCAL] != nullptr ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    if (a != nullptr && RTA_PAYLOAD(a) == 4 && std::memcmp(RTA_DATA(a), &want, 4) == 0)
      owner = static_cast<int>(ifa->ifa_index);
    return true;  // read the dump to its end
  });
  return owner;
}

}  // namespace

bool assigned_to_glass(std::uint32_t addr) {
  const int ifindex = owner_of(addr);
  return ifindex > 0 && is_glass_link(ifindex);
}

bool reached_over_glass(std::uint32_t addr) {
  struct {
    nlmsghdr h;
    rtmsg rtm;
    char attrs[64];
  } req{};
  req.h.nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
  req.h.nlmsg_type = RTM_GETROUTE;
  req.h.nlmsg_flags = NLM_F_REQUEST;
  req.rtm.rtm_family = AF_INET;
  req.rtm.rtm_dst_len = 32;
  const std::uint32_t dst = htonl(addr);
  add_attr(&req.h, RTA_DST, &dst, sizeof(dst));
  int oif = 0;
  bool local = false;
  nl_talk(&req.h, [&](nlmsghdr* h) {
    if (h->nlmsg_type != RTM_NEWROUTE) return true;
    auto* rtm = static_cast<rtmsg*>(NLMSG_DATA(h));
    rtattr* tb[RTA_MAX + 1];
    parse_attrs(RTM_RTA(rtm), static_cast<int>(RTM_PAYLOAD(h)), tb, RTA_MAX);
    local = rtm->rtm_type == RTN_LOCAL;
    if (tb[RTA_OIF] != nullptr) std::memcpy(&oif, RTA_DATA(tb[RTA_OIF]), sizeof(oif));
    return false;
  });
  if (local) return assigned_to_glass(addr);
  return oif > 0 && is_glass_link(oif);
}

}  // namespace glass::preload
