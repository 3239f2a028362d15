// A connection bound to a device (SO_BINDTODEVICE, here inherited from its
// listener) takes segments only from that device, as TCP's: the same forged
// segment is delivered when it arrives on gb and dropped as no one's when it
// arrives on another glass device of the namespace.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/ethernet.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "hostile.hpp"
#include "topo.hpp"

using hostile::Fd;

namespace {

constexpr uint16_t kPort = 5610;

// A data segment of the connection (h1 client -> h2 server) at the
// server's rcv_nxt, as h1's kernel would send it.
hostile::Frame segment(const hostile::MacPair& m, const glass_info& si, uint16_t cport,
                       const std::vector<uint8_t>& payload) {
  glass_hdr h{};
  h.version = GLASS_VERSION;
  h.flags = GLASS_ACK;
  h.sport = htons(cport);
  h.dport = htons(kPort);
  inet_pton(AF_INET, gt::Pair::kAddr1, &h.saddr);
  inet_pton(AF_INET, gt::Pair::kAddr2, &h.daddr);
  h.seq = htonl(si.gi_rcv_nxt);
  h.ack = htonl(si.gi_snd_nxt);
  h.window = htonl(65535);
  h.len = htons(static_cast<uint16_t>(payload.size()));
  return hostile::make_frame(m, h, payload);
}

}  // namespace

TEST(BoundDevice, SegmentOnAnotherDeviceIsNotTheConnections) {
  gt::Pair p;
  p.h2().exec([] { gt::glass_loopback_up("glass1", "10.7.9.1"); });
  hostile::Conn c;
  {
    gt::InNetns in(p.h2().name());
    c.listener = Fd(gt::glass_socket());
    ASSERT_EQ(setsockopt(c.listener.get(), SOL_SOCKET, SO_BINDTODEVICE, "gb", 2), 0)
        << strerror(errno);
    sockaddr_glass a = gt::addr(gt::Pair::kAddr2, kPort);
    ASSERT_EQ(bind(c.listener.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    ASSERT_EQ(listen(c.listener.get(), 4), 0);
  }
  {
    gt::InNetns in(p.h1().name());
    c.client = Fd(gt::connect_to(gt::Pair::kAddr2, kPort));
  }
  c.server = Fd(::accept(c.listener.get(), nullptr, nullptr));
  ASSERT_TRUE(c.server) << strerror(errno);
  hostile::nonblock(c.server.get());
  const glass_info si = gt::info(c.server.get());
  ASSERT_EQ(si.gi_state, GLASS_ESTABLISHED);
  sockaddr_glass ca{};
  socklen_t cl = sizeof(ca);
  ASSERT_EQ(getsockname(c.client.get(), reinterpret_cast<sockaddr*>(&ca), &cl), 0);
  const uint16_t cport = ntohs(ca.sg_port);
  const std::vector<uint8_t> forged = {'f', 'o', 'r', 'g', 'e', 'd'};
  char buf[64];

  // Looped back by glass1 in h2: the connection is bound to gb, so the
  // segment is no one's (and the listener, bound to gb too, is not there).
  {
    gt::InNetns in(p.h2().name());
    hostile::MacPair m{};
    hostile::mac_of("glass1", m.src);
    hostile::mac_of("glass1", m.dst);
    const uint64_t drops0 = hostile::counters().at("drop_no_socket");
    hostile::Injector inj("glass1");
    ASSERT_TRUE(inj.send(segment(m, si, cport, forged))) << strerror(errno);
    EXPECT_TRUE(gt::wait_until([&] { return hostile::counters().at("drop_no_socket") > drops0; }))
        << "the segment on glass1 was not dropped as no socket's";
  }
  EXPECT_EQ(recv(c.server.get(), buf, sizeof(buf), MSG_DONTWAIT), -1);
  EXPECT_EQ(errno, EAGAIN) << "a bound connection took a segment from another device";

  // The same segment over ga -> gb, the connection's device: delivered.
  {
    gt::InNetns in(p.h1().name());
    hostile::MacPair m{};
    hostile::mac_of("ga", m.src);
    {
      gt::InNetns in2(p.h2().name());
      hostile::mac_of("gb", m.dst);
    }
    hostile::Injector inj("ga");
    ASSERT_TRUE(inj.send(segment(m, si, cport, forged))) << strerror(errno);
  }
  ssize_t n = -1;
  EXPECT_TRUE(gt::wait_until([&] {
    n = recv(c.server.get(), buf, sizeof(buf), MSG_DONTWAIT);
    return n >= 0;
  }));
  ASSERT_EQ(n, static_cast<ssize_t>(forged.size()));
  EXPECT_EQ(std::string(buf, forged.size()), "forged");
  // The server now expects six bytes the client never sent, so the
  // client's FIN would never be taken and its orphan would retry for
  // minutes, holding the namespaces the next tests count: end both with
  // RST instead (SO_LINGER 0 frees each socket at close()).
  const linger abort{1, 0};
  for (const Fd* fd : {&c.server, &c.client})
    ASSERT_EQ(setsockopt(fd->get(), SOL_SOCKET, SO_LINGER, &abort, sizeof(abort)), 0);
}
