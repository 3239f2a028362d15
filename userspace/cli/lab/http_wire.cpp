// The lab's wire tap (http_wire.hpp).
#include "http_wire.hpp"

#include "stream.hpp"
#include "testbed.hpp"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include <glass/error.hpp>

#include <linux/glass.h>
#include <linux/glass_wire.h>

#include <cstring>
#include <optional>

namespace glass::cli::lab {
namespace {

std::int64_t ns_of(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

Fd open_tap(const std::string& netns, const std::string& dev) {
  const NetnsGuard in(netns);
  Fd fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)));
  if (fd.get() < 0) throw Error("socket(AF_PACKET)", errno);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = static_cast<int>(if_nametoindex(dev.c_str()));
  if (sll.sll_ifindex == 0) throw Error("if_nametoindex(" + dev + ")", errno);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sll), sizeof(sll)) != 0)
    throw Error("bind(AF_PACKET " + dev + ")", errno);
  const int on = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) != 0)
    throw Error("setsockopt(SO_TIMESTAMPNS)", errno);
  return fd;
}

// The kernel's receive time of a message read with SO_TIMESTAMPNS, if any.
std::optional<std::int64_t> stamp_of(msghdr& msg) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec ts{};
    std::memcpy(&ts, CMSG_DATA(c), sizeof(ts));
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
  }
  return std::nullopt;
}

// SO_TIMESTAMPNS turns the kernel's receive timestamps on for every
// socket, but through deferred work (net_enable_timestamp() on SMP): until
// it has run, a frame is stamped when the tap reads it, which can be after
// the program it was for has already seen it. Waits (up to 2 s) until a
// datagram over netns's lo carries the time it arrived, not the time it
// was read; the tap's frames are then dated by the kernel.
void await_kernel_timestamps(const std::string& netns) {
  const NetnsGuard in(netns);
  const Fd rx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  const Fd tx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  const int on = 1;
  if (rx.get() < 0 || tx.get() < 0 || ::bind(rx.get(), reinterpret_cast<sockaddr*>(&a), len) != 0 ||
      ::getsockname(rx.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0 ||
      ::setsockopt(rx.get(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) != 0)
    return;  // no lo: the tap's own times are all there is
  for (int i = 0; i < 200; i++) {
    const char c = 't';
    ::sendto(tx.get(), &c, 1, 0, reinterpret_cast<sockaddr*>(&a), len);
    sleep_ms(10);
    char data = 0;
    char control[128];
    iovec iov{&data, 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    const std::int64_t read_at = ns_of(CLOCK_REALTIME);
    if (::recvmsg(rx.get(), &msg, MSG_DONTWAIT) != 1) continue;
    const auto at = stamp_of(msg);
    if (at && *at < read_at - 5000000) return;  // stamped on arrival, 10 ms before the read
  }
}

}  // namespace

std::string frame_label(const WireFrame& f) {
  const bool syn = (f.flags & GLASS_SYN) != 0, ack = (f.flags & GLASS_ACK) != 0;
  std::string s;
  if ((f.flags & GLASS_RST) != 0)
    s = "RST";
  else if (syn)
    s = ack ? "SYN-ACK" : "SYN";
  else if ((f.flags & GLASS_FIN) != 0)
    s = "FIN";
  if (f.len > 0) s += std::string(s.empty() ? "" : " ") + "data " + std::to_string(f.len) + " B";
  if (s.empty()) s = "ACK";
  return s;
}

WireTap::WireTap(const std::string& netns, const std::string& dev, std::uint16_t port,
                 std::uint64_t t0_ns, std::string needle)
    : fd_(open_tap(netns, dev)),
      port_(port),
      offset_ns_(ns_of(CLOCK_REALTIME) - ns_of(CLOCK_MONOTONIC)),
      t0_ns_(t0_ns),
      needle_(std::move(needle)),
      thread_([this] { loop(); }) {
  await_kernel_timestamps(netns);
}

WireTap::~WireTap() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::vector<WireFrame> WireTap::finish() {
  sleep_ms(50);  // frames of the last moment reach the socket
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  const std::lock_guard lock(mu_);
  return frames_;
}

// Reads frames until stopped; the kernel's receive timestamp dates each.
void WireTap::loop() {
  std::vector<unsigned char> buf(65536 + 64);
  char control[256];
  for (;;) {
    pollfd p{fd_.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, 20);
    if (ready <= 0) {
      if (stop_) return;
      continue;
    }
    sockaddr_ll from{};
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    const ssize_t n = ::recvmsg(fd_.get(), &msg, MSG_DONTWAIT);
    if (n <= 0) continue;
    const std::int64_t real_ns = stamp_of(msg).value_or(ns_of(CLOCK_REALTIME));
    const double t_ms =
        static_cast<double>(real_ns - offset_ns_ - static_cast<std::int64_t>(t0_ns_)) / 1e6;
    take(buf.data(), static_cast<std::size_t>(n), from.sll_pkttype == PACKET_OUTGOING, t_ms);
  }
}

// Parses one Ethernet frame; keeps it if it is a glass segment of our port.
void WireTap::take(const unsigned char* p, std::size_t n, bool outgoing, double t_ms) {
  if (n < sizeof(ether_header) + GLASS_HDR_LEN) return;
  ether_header eh{};
  std::memcpy(&eh, p, sizeof(eh));
  if (ntohs(eh.ether_type) != ETH_P_GLASS) return;
  glass_hdr h{};
  std::memcpy(&h, p + sizeof(eh), sizeof(h));
  if (ntohs(h.sport) != port_ && ntohs(h.dport) != port_) return;
  WireFrame f;
  f.t_ms = t_ms;
  f.to_server = !outgoing;
  f.flags = h.flags;
  f.seq = ntohl(h.seq);
  f.ack = ntohl(h.ack);
  f.window = ntohl(h.window);
  f.len = ntohs(h.len);
  std::size_t off = sizeof(eh) + GLASS_HDR_LEN;
  // The extension area (SACK permitted, SACK blocks) is not payload.
  if ((f.flags & GLASS_EXT) != 0 && n >= off + sizeof(glass_ext)) {
    glass_ext e{};
    std::memcpy(&e, p + off, sizeof(e));
    const std::uint32_t area = std::min<std::uint32_t>(ntohs(e.len), f.len);
    f.len -= area;
    off += area;
  }
  off = std::min(off, n);
  const std::size_t avail = std::min<std::size_t>(f.len, n - off);
  const std::string_view payload(reinterpret_cast<const char*>(p + off), avail);
  f.plaintext = !needle_.empty() && payload.find(needle_) != std::string_view::npos;
  const std::lock_guard lock(mu_);
  frames_.push_back(f);
}

}  // namespace glass::cli::lab
