// Netlink: RTM_NEWLINK/RTM_DELLINK messages for glass devices, and a
// NETLINK_ROUTE socket that reports the kernel's extack message on failure.
#include <glass/address.hpp>  // <linux/glass.h> in the right include order
#include <glass/error.hpp>
#include <glass/netlink.hpp>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

namespace glass {

nlmsghdr* put_link_header(std::span<char> buf, std::uint16_t type, std::uint16_t flags,
                          std::uint32_t seq) {
  if (buf.size() < kNetlinkBufSize) throw std::length_error("netlink buffer too small");
  std::fill(buf.begin(), buf.end(), 0);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = flags;
  nlh->nlmsg_seq = seq;
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  return nlh;
}

namespace {

int ack_attr_cb(const nlattr* attr, void* data) {
  auto* tb = static_cast<const nlattr**>(data);
  const int type = mnl_attr_get_type(attr);
  if (type == NLMSGERR_ATTR_MSG && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
    tb[type] = attr;
  return MNL_CB_OK;
}

}  // namespace

void check_ifname(std::string_view name) {
  const std::string quoted = "invalid interface name '" + std::string(name) + "': ";
  if (name.empty()) throw ParseError(quoted + "empty");
  if (name.size() >= IFNAMSIZ)
    throw ParseError(quoted + "longer than " + std::to_string(IFNAMSIZ - 1) + " bytes");
  if (name == "." || name == "..") throw ParseError(quoted + "reserved");
  for (char c : name)
    if (c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c)) != 0 ||
        std::iscntrl(static_cast<unsigned char>(c)) != 0)
      throw ParseError(quoted + "contains '/', ':', whitespace or a control character");
}

nlmsghdr* build_link_add(std::span<char> buf, const LinkAddRequest& req, std::uint32_t seq) {
  nlmsghdr* nlh =
      put_link_header(buf, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, seq);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, req.name.c_str());
  if (req.gso_max_segs) mnl_attr_put_u32(nlh, IFLA_GSO_MAX_SEGS, *req.gso_max_segs);
  nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kLinkKind);
  if (req.peer) {
    nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    nlattr* peer = mnl_attr_nest_start(nlh, GLASS_INFO_PEER);
    auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    ifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, req.peer->c_str());
    if (req.peer_netns_fd)
      mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<std::uint32_t>(*req.peer_netns_fd));
    if (req.peer_netns_pid)
      mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, static_cast<std::uint32_t>(*req.peer_netns_pid));
    mnl_attr_nest_end(nlh, peer);
    mnl_attr_nest_end(nlh, data);
  }
  mnl_attr_nest_end(nlh, linkinfo);
  return nlh;
}

nlmsghdr* build_link_del(std::span<char> buf, const std::string& name, std::uint32_t seq) {
  nlmsghdr* nlh = put_link_header(buf, RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  return nlh;
}

NetlinkAck parse_ack(const nlmsghdr* nlh) {
  NetlinkAck ack;
  if (nlh->nlmsg_type != NLMSG_ERROR) return ack;
  if (mnl_nlmsg_get_payload_len(nlh) < sizeof(nlmsgerr)) {
    ack.err = EBADMSG;
    return ack;
  }
  const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
  ack.err = -err->error;
  if (ack.err == 0 || (nlh->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return ack;
  std::size_t hlen = sizeof(*err);
  if ((nlh->nlmsg_flags & NLM_F_CAPPED) == 0) hlen += mnl_nlmsg_get_payload_len(&err->msg);
  if (hlen > mnl_nlmsg_get_payload_len(nlh)) return ack;
  std::array<const nlattr*, NLMSGERR_ATTR_MAX + 1> tb{};
  if (mnl_attr_parse(nlh, static_cast<unsigned>(hlen), ack_attr_cb, tb.data()) != MNL_CB_OK)
    return ack;
  if (tb[NLMSGERR_ATTR_MSG] != nullptr) ack.message = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
  while (!ack.message.empty() && ack.message.back() == '\n') ack.message.pop_back();
  return ack;
}

void Netlink::Closer::operator()(mnl_socket* nl) const noexcept {
  mnl_socket_close(nl);
}

Netlink::Netlink() : nl_(mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) {
  if (!nl_) throw_errno("socket(NETLINK_ROUTE)", errno);
  int one = 1;
  // Best effort: older kernels lack these and still send plain ACKs.
  mnl_socket_setsockopt(nl_.get(), NETLINK_EXT_ACK, &one, sizeof(one));
  mnl_socket_setsockopt(nl_.get(), NETLINK_CAP_ACK, &one, sizeof(one));
  if (mnl_socket_bind(nl_.get(), 0, MNL_SOCKET_AUTOPID) < 0)
    throw_errno("bind(NETLINK_ROUTE)", errno);
  portid_ = mnl_socket_get_portid(nl_.get());
}

Netlink::~Netlink() = default;
Netlink::Netlink(Netlink&&) noexcept = default;
Netlink& Netlink::operator=(Netlink&&) noexcept = default;

void Netlink::request(nlmsghdr* nlh, const std::string& call) {
  if (mnl_socket_sendto(nl_.get(), nlh, nlh->nlmsg_len) < 0) throw_errno(call, errno);
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  for (;;) {
    const ssize_t n = mnl_socket_recvfrom(nl_.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno(call, errno);
    int len = static_cast<int>(n);
    for (auto* m = reinterpret_cast<nlmsghdr*>(buf.data()); mnl_nlmsg_ok(m, len);
         m = mnl_nlmsg_next(m, &len)) {
      if (m->nlmsg_seq != nlh->nlmsg_seq || m->nlmsg_pid != portid_ || m->nlmsg_type != NLMSG_ERROR)
        continue;
      const NetlinkAck ack = parse_ack(m);
      if (ack.err == 0) return;
      std::string hint(privilege_hint(ack.err));
      if (ack.err == EOPNOTSUPP && nlh->nlmsg_type == RTM_NEWLINK) hint = kModuleNotLoaded;
      std::string detail;
      if (!ack.message.empty()) detail = ack.message + " (" + std::strerror(ack.err) + ")";
      throw Error(call, ack.err, detail, hint);
    }
  }
}

}  // namespace glass
