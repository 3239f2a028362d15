// glass userspace library: rtnetlink requests for glass devices (libmnl).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

struct mnl_socket;
struct nlmsghdr;

namespace glass {

// The link kind the module registers (IFLA_INFO_KIND).
inline constexpr const char* kLinkKind = "glass";

// `glass link add NAME [peer PEER [netns fd]]`.
struct LinkAddRequest {
  std::string name{};
  std::optional<std::string> peer{};   // none: a loopback glass device
  std::optional<int> peer_netns_fd{};  // IFLA_NET_NS_FD of the peer
  // IFLA_GSO_MAX_SEGS of NAME: 1 makes glass send one segment per frame.
  std::optional<std::uint32_t> gso_max_segs{};
  std::optional<int> peer_netns_pid{};  // IFLA_NET_NS_PID of the peer (the namespace of a process)
};

// Builds RTM_NEWLINK (NLM_F_REQUEST|CREATE|EXCL|ACK) into buf:
//   ifinfomsg, IFLA_IFNAME, [IFLA_GSO_MAX_SEGS], IFLA_LINKINFO { IFLA_INFO_KIND "glass",
//   IFLA_INFO_DATA { GLASS_INFO_PEER { ifinfomsg, IFLA_IFNAME, [IFLA_NET_NS_FD], [IFLA_NET_NS_PID]
//   } } }
// the layout `ip link add a type veth peer name b` uses for VETH_INFO_PEER.
// Returns the message (inside buf). buf must be at least kNetlinkBufSize.
nlmsghdr* build_link_add(std::span<char> buf, const LinkAddRequest& req, std::uint32_t seq);
// The start of every link request: a zeroed buf holding an nlmsghdr and an
// AF_UNSPEC ifinfomsg, ready for attributes. buf must be kNetlinkBufSize.
nlmsghdr* put_link_header(std::span<char> buf, std::uint16_t type, std::uint16_t flags,
                          std::uint32_t seq);
// RTM_DELLINK (NLM_F_REQUEST|ACK) with IFLA_IFNAME.
nlmsghdr* build_link_del(std::span<char> buf, const std::string& name, std::uint32_t seq);

inline constexpr std::size_t kNetlinkBufSize = 8192;

// Checks an interface name (1-15 bytes, no '/', ':' or whitespace, not "."
// or ".."); throws ParseError.
void check_ifname(std::string_view name);

// Extracts the errno and extack message from an NLMSG_ERROR message:
// {0, ""} for an ACK.
struct NetlinkAck {
  int err = 0;          // positive errno
  std::string message;  // NLMSGERR_ATTR_MSG, if the kernel sent one
};
NetlinkAck parse_ack(const nlmsghdr* nlh);

// A NETLINK_ROUTE socket with extended ACKs enabled.
class Netlink {
 public:
  Netlink();
  ~Netlink();
  Netlink(Netlink&&) noexcept;
  Netlink& operator=(Netlink&&) noexcept;
  Netlink(const Netlink&) = delete;
  Netlink& operator=(const Netlink&) = delete;

  // Sends one request that asked for an ACK and waits for it. A negative
  // ACK throws Error(call, errno, extack message, privilege hint).
  void request(nlmsghdr* nlh, const std::string& call);

 private:
  struct Closer {
    void operator()(mnl_socket* nl) const noexcept;
  };
  std::unique_ptr<mnl_socket, Closer> nl_;
  std::uint32_t portid_ = 0;
};

}  // namespace glass
