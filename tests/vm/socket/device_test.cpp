// The glass device as sockets see it: creation, up/down, MTU, counters,
// AF_PACKET taps and injection, qdiscs, and removal under a connection.
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>

#include <atomic>
#include <cstring>
#include <regex>
#include <thread>

#include "socket_util.hpp"

using st::Fd;

namespace {

constexpr size_t kFrame = ETH_HLEN + GLASS_HDR_LEN;  // a header-only segment
// What a SYN or SYN-ACK adds: the extension area offering SACK (its header
// and one item without a body).
constexpr size_t kSynExt = sizeof(glass_ext) + sizeof(glass_ext_item);

// RFC 1071 over the bytes, as the module computes glass_hdr.check.
uint16_t inet_csum(const void* data, size_t len) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < len; i += 2) sum += (p[i] << 8) | p[i + 1];
  if (len & 1) sum += p[len - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

Fd packet_socket(const char* dev) {
  Fd p(socket(AF_PACKET, SOCK_RAW, htons(ETH_P_GLASS)));
  EXPECT_GE(p, 0) << "AF_PACKET: " << strerror(errno);
  sockaddr_ll ll{};
  ll.sll_family = AF_PACKET;
  ll.sll_protocol = htons(ETH_P_GLASS);
  ll.sll_ifindex = static_cast<int>(if_nametoindex(dev));
  EXPECT_NE(ll.sll_ifindex, 0) << dev;
  EXPECT_EQ(bind(p, reinterpret_cast<sockaddr*>(&ll), sizeof(ll)), 0) << strerror(errno);
  return p;
}

glass_hdr syn_to(const char* saddr, const char* daddr, uint16_t sport, uint16_t dport) {
  glass_hdr h{};
  h.version = GLASS_VERSION;
  h.flags = GLASS_SYN;
  h.sport = htons(sport);
  h.dport = htons(dport);
  inet_pton(AF_INET, saddr, &h.saddr);
  inet_pton(AF_INET, daddr, &h.daddr);
  h.seq = htonl(12345);
  h.window = htonl(65535);
  h.mss = htons(1000);
  h.check = 0;
  h.check = htons(inet_csum(&h, sizeof(h)));
  return h;
}

// Sends one frame carrying h out of dev through an AF_PACKET socket.
void inject(int psock, const char* dev, const glass_hdr& h) {
  unsigned char frame[kFrame];
  memset(frame, 0xff, ETH_ALEN);                           // broadcast, as the module sends
  const unsigned char src[ETH_ALEN] = {2, 0, 0, 0, 0, 1};  // any source
  memcpy(frame + ETH_ALEN, src, ETH_ALEN);
  frame[12] = ETH_P_GLASS >> 8;
  frame[13] = ETH_P_GLASS & 0xff;
  memcpy(frame + ETH_HLEN, &h, sizeof(h));
  sockaddr_ll ll{};
  ll.sll_family = AF_PACKET;
  ll.sll_ifindex = static_cast<int>(if_nametoindex(dev));
  ll.sll_halen = ETH_ALEN;
  memset(ll.sll_addr, 0xff, ETH_ALEN);
  ASSERT_EQ(sendto(psock, frame, sizeof(frame), 0, reinterpret_cast<sockaddr*>(&ll), sizeof(ll)),
            static_cast<ssize_t>(sizeof(frame)))
      << strerror(errno);
}

// The mean round trip of a 1-byte ping-pong, in ms; pause_ms apart (the
// pauses are not counted).
long ping_pong_ms(int a, int b, int rounds, int pause_ms = 0) {
  long total = 0;
  char x = 'p';
  for (int i = 0; i < rounds; i++) {
    if (pause_ms) std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    auto t0 = std::chrono::steady_clock::now();
    if (write(a, &x, 1) != 1 || read(b, &x, 1) != 1 || write(b, &x, 1) != 1 ||
        read(a, &x, 1) != 1) {
      ADD_FAILURE() << "ping-pong failed: " << strerror(errno);
      return -1;
    }
    total += st::ms_since(t0);
  }
  return total / rounds;
}

}  // namespace

TEST(Device, LoopbackLinkIsOfKindGlass) {
  gt::Loopback lo;
  std::string out = st::capture("/usr/sbin/ip netns exec " + lo.ns().name() +
                                " /usr/sbin/ip -d link show glass0");
  EXPECT_NE(out.find("glass"), std::string::npos) << out;
  EXPECT_NE(out.find("UP"), std::string::npos) << out;
}

TEST(Device, PairEndsLiveInTheirNamespaces) {
  gt::Pair pair;
  EXPECT_EQ(gt::sh("/usr/sbin/ip netns exec " + pair.h1().name() +
                   " /usr/sbin/ip link show ga >/dev/null 2>&1"),
            0);
  EXPECT_EQ(gt::sh("/usr/sbin/ip netns exec " + pair.h2().name() +
                   " /usr/sbin/ip link show gb >/dev/null 2>&1"),
            0);
  EXPECT_NE(gt::sh("/usr/sbin/ip netns exec " + pair.h1().name() +
                   " /usr/sbin/ip link show gb >/dev/null 2>&1"),
            0);
}

TEST(Device, MtuSettableUpTo65535) {
  gt::Loopback lo;
  const std::string ip =
      "/usr/sbin/ip netns exec " + lo.ns().name() + " /usr/sbin/ip link set glass0 mtu ";
  EXPECT_EQ(gt::sh(ip + "65535"), 0);
  EXPECT_EQ(
      st::capture("/usr/sbin/ip netns exec " + lo.ns().name() + " cat /sys/class/net/glass0/mtu"),
      "65535");
  EXPECT_NE(gt::sh(ip + "65536 2>/dev/null"), 0);
  EXPECT_EQ(
      st::capture("/usr/sbin/ip netns exec " + lo.ns().name() + " cat /sys/class/net/glass0/mtu"),
      "65535");
  // A smaller MTU gives a smaller MSS: MTU minus the 32-byte glass header.
  EXPECT_EQ(gt::sh(ip + "1000"), 0);
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5900));
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5900));
  EXPECT_EQ(gt::info(c).gi_mss, 1000u - GLASS_HDR_LEN);
}

TEST(Device, DownDeviceMakesConnectENETUNREACHAndUpRestores) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5901));
  gt::link_set("glass0", false);
  Fd s = st::sock();
  sockaddr_glass a = gt::addr("10.7.9.2", 5901);
  EXPECT_EQ(connect(s, st::sa(&a), sizeof(a)), -1);
  EXPECT_EQ(errno, ENETUNREACH);
  gt::link_set("glass0", true);
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5901));
  EXPECT_EQ(gt::info(c).gi_state, GLASS_ESTABLISHED);
}

TEST(Device, LinkCountersCountExactFrames) {
  gt::Pair pair;
  Fd l, tap;
  pair.h2().exec([&] {
    l = Fd(gt::listener(gt::Pair::kAddr2, 5902));
    tap = packet_socket("gb");
  });
  gt::LinkStats a0, b0, a1, b1;
  pair.h1().exec([&] { a0 = gt::link_stats("ga"); });
  pair.h2().exec([&] { b0 = gt::link_stats("gb"); });
  Fd c, refused;
  pair.h1().exec([&] {
    // The handshake: SYN and ACK out of ga, SYN-ACK back.
    c = Fd(gt::connect_to(gt::Pair::kAddr2, 5902));
    // A refused attempt: SYN out, RST back.
    refused = st::sock();
    sockaddr_glass a = gt::addr(gt::Pair::kAddr2, 5903);
    EXPECT_EQ(connect(refused, st::sa(&a), sizeof(a)), -1);
    EXPECT_EQ(errno, ECONNREFUSED);
  });
  // Quiet for longer than the initial RTO: nothing else may be sent.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  pair.h1().exec([&] { a1 = gt::link_stats("ga"); });
  pair.h2().exec([&] { b1 = gt::link_stats("gb"); });
  // What the tap on gb saw, for the failure message.
  std::string seen;
  unsigned char frame[2048];
  ssize_t n;
  while ((n = recv(tap, frame, sizeof(frame), MSG_DONTWAIT)) >= static_cast<ssize_t>(kFrame)) {
    glass_hdr h;
    memcpy(&h, frame + ETH_HLEN, sizeof(h));
    seen += " [" + std::to_string(ntohs(h.sport)) + ">" + std::to_string(ntohs(h.dport)) +
            " flags " + std::to_string(h.flags) + " seq " + std::to_string(ntohl(h.seq)) + " ack " +
            std::to_string(ntohl(h.ack)) + " len " + std::to_string(ntohs(h.len)) + "]";
  }
  EXPECT_EQ(a1.tx_packets - a0.tx_packets, 3u) << seen;
  // a sent two SYNs and an ACK; b a SYN-ACK and an RST.
  EXPECT_EQ(a1.tx_bytes - a0.tx_bytes, 3 * kFrame + 2 * kSynExt);
  EXPECT_EQ(a1.rx_packets - a0.rx_packets, 2u) << seen;
  EXPECT_EQ(a1.rx_bytes - a0.rx_bytes, 2 * kFrame + kSynExt);
  EXPECT_EQ(b1.tx_packets - b0.tx_packets, 2u) << seen;
  EXPECT_EQ(b1.rx_packets - b0.rx_packets, 3u) << seen;
  EXPECT_EQ(b1.rx_bytes - b0.rx_bytes, 3 * kFrame + 2 * kSynExt);
  // `ip -s link` reads the same counters.
  std::string s =
      st::capture("/usr/sbin/ip netns exec " + pair.h1().name() + " /usr/sbin/ip -s link show ga");
  EXPECT_NE(s.find(std::to_string(a1.tx_packets + 0)), std::string::npos) << s;
}

TEST(Device, PacketSocketSeesSynFrame) {
  gt::Pair pair;
  Fd tap;
  {
    gt::InNetns in(pair.h2().name());
    tap = packet_socket("gb");
  }
  ASSERT_GE(tap, 0);
  gt::InNetns in(pair.h1().name());
  Fd s = st::sock(SOCK_NONBLOCK);
  sockaddr_glass a = gt::addr(gt::Pair::kAddr2, 5904);
  ASSERT_EQ(connect(s, st::sa(&a), sizeof(a)), -1);
  bool seen = false;
  for (int i = 0; i < 10 && !seen; i++) {
    if (!(st::revents(tap, POLLIN, 3000) & POLLIN)) break;
    unsigned char frame[2048];
    ssize_t n = recv(tap, frame, sizeof(frame), 0);
    ASSERT_GE(n, static_cast<ssize_t>(kFrame));
    EXPECT_EQ((frame[12] << 8) | frame[13], ETH_P_GLASS);
    glass_hdr h;
    memcpy(&h, frame + ETH_HLEN, sizeof(h));
    if (!(h.flags & GLASS_SYN)) continue;
    seen = true;
    EXPECT_EQ(n, static_cast<ssize_t>(kFrame + kSynExt));
    EXPECT_EQ(h.version, GLASS_VERSION);
    EXPECT_EQ(h.flags, GLASS_SYN | GLASS_EXT) << "the first SYN: no ACK, SACK offered";
    EXPECT_EQ(ntohs(h.len), kSynExt) << "no payload, only the extension area";
    // The area: version 1, 8 bytes, one 4-byte SACK-permitted item.
    glass_ext ext;
    glass_ext_item item;
    memcpy(&ext, frame + kFrame, sizeof(ext));
    memcpy(&item, frame + kFrame + sizeof(ext), sizeof(item));
    EXPECT_EQ(ext.version, GLASS_EXT_VERSION);
    EXPECT_EQ(ntohs(ext.len), kSynExt);
    EXPECT_EQ(item.kind, GLASS_EXT_SACK_PERM);
    EXPECT_EQ(item.len, sizeof(item));
    EXPECT_EQ(ntohs(h.dport), 5904);
    EXPECT_GE(ntohs(h.sport), GLASS_EPHEMERAL_LO);
    EXPECT_EQ(h.saddr, inet_addr(gt::Pair::kAddr1));
    EXPECT_EQ(h.daddr, inet_addr(gt::Pair::kAddr2));
    EXPECT_EQ(ntohl(h.seq), gt::info(s).gi_iss);
    EXPECT_NE(ntohs(h.mss), 0);
    EXPECT_EQ(inet_csum(frame + ETH_HLEN, GLASS_HDR_LEN + kSynExt), 0)
        << "checksum does not verify";
  }
  EXPECT_TRUE(seen) << "no SYN captured on gb";
}

TEST(Device, FrameToNonLocalAddressIsDroppedAndCounted) {
  gt::Pair pair;
  uint64_t not_local, rst, no_sock;
  {
    gt::InNetns in(pair.h2().name());
    not_local = st::stat("drop_not_local");
    rst = st::stat("resets_sent");
    no_sock = st::stat("drop_no_socket");
  }
  {
    gt::InNetns in(pair.h1().name());
    Fd p = packet_socket("ga");
    // To an address gb does not have: dropped silently.
    inject(p, "ga", syn_to(gt::Pair::kAddr1, "10.7.0.99", 40000, 7));
    // Control: the same SYN to gb's address and a closed port is answered.
    inject(p, "ga", syn_to(gt::Pair::kAddr1, gt::Pair::kAddr2, 40001, 7));
  }
  gt::InNetns in(pair.h2().name());
  EXPECT_TRUE(gt::wait_until([&] { return st::stat("drop_no_socket") == no_sock + 1; }, 3000));
  EXPECT_EQ(st::stat("drop_not_local"), not_local + 1);
  EXPECT_EQ(st::stat("resets_sent"), rst + 1) << "only the local address gets an RST";
}

TEST(Device, NetemDelayGrowsRoundTripTime) {
  gt::Pair pair;
  Fd l;
  {
    gt::InNetns in(pair.h2().name());
    l = Fd(gt::listener(gt::Pair::kAddr2, 5905));
  }
  Fd c;
  {
    gt::InNetns in(pair.h1().name());
    c = Fd(gt::connect_to(gt::Pair::kAddr2, 5905));
  }
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  int one = 1;
  setsockopt(c, SOL_GLASS, GLASS_NODELAY, &one, sizeof(one));
  setsockopt(a, SOL_GLASS, GLASS_NODELAY, &one, sizeof(one));
  long base = ping_pong_ms(c, a, 5);
  pair.h1().netem("ga", "delay 50ms");
  long delayed = ping_pong_ms(c, a, 20, 60);
  EXPECT_GE(delayed, 50) << "base " << base << " ms";
  EXPECT_GE(delayed, base + 40) << "base " << base << " ms";
  uint32_t srtt = gt::info(c).gi_srtt_us;
  EXPECT_GE(srtt, 25000u) << "the RTT estimate follows the delay";
  // Each sample (the request leaving to the reply arriving) is shorter
  // than the program's round trip: a send stamped with an older event's
  // time (the socket's clock, glass_clock(): the reply before the pause)
  // would add the pause.
  EXPECT_LE(srtt, static_cast<uint32_t>(delayed) * 1250) << "mean round trip " << delayed << " ms";
}

// The suites put netem on glass devices through gt::netem_add, not tc (tc
// and `ip netns exec` cost seconds per call in the debug kernel): the
// qdisc it makes must be the one tc makes from the same words.
TEST(Device, NetemHelperMakesTheQdiscTcMakes) {
  if (gt::debug_kernel()) GTEST_SKIP() << "checks a test helper (userspace): make test runs it";
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  // tc's words for the root qdisc, without its handle (each qdisc gets a new one).
  auto shown = [] {
    return std::regex_replace(st::capture("/usr/sbin/tc qdisc show dev glass0"),
                              std::regex("netem [0-9a-f]+:"), "netem");
  };
  for (const std::string args :
       {"delay 5ms", "loss 30%", "delay 10ms 2ms loss 1% 30% duplicate 5%",
        "loss 10% reorder 25% 50% delay 5ms duplicate 5% corrupt 2%", "delay 50ms limit 50"}) {
    ASSERT_EQ(gt::netem_add("glass0", args), 0) << args;
    const std::string ours = shown();
    ASSERT_EQ(gt::qdisc_del_root("glass0"), 0);
    gt::must("/usr/sbin/tc qdisc add dev glass0 root netem " + args);
    const std::string tcs = shown();
    gt::must("/usr/sbin/tc qdisc del dev glass0 root");
    EXPECT_NE(ours.find("netem"), std::string::npos) << ours;
    EXPECT_EQ(ours, tcs) << args;
  }
  EXPECT_EQ(gt::qdisc_del_root("glass0"), -ENOENT) << "no root qdisc is left";
}

TEST(Device, DeletingDeviceFailsConnectionWithENETDOWN) {
  gt::Pair pair;
  Fd l;
  {
    gt::InNetns in(pair.h2().name());
    l = Fd(gt::listener(gt::Pair::kAddr2, 5906));
  }
  Fd c;
  {
    gt::InNetns in(pair.h1().name());
    c = Fd(gt::connect_to(gt::Pair::kAddr2, 5906));
  }
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  std::atomic<long> r{-2};
  std::atomic<int> err{0};
  std::thread blocked([&] {
    char b;
    long n = read(a, &b, 1);
    err = errno;
    r = n;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  pair.h1().run("/usr/sbin/ip link del ga");
  blocked.join();
  EXPECT_EQ(r.load(), -1) << "the blocked reader on the far end";
  EXPECT_EQ(err.load(), ENETDOWN);
  char b;
  EXPECT_EQ(read(c, &b, 1), -1);
  EXPECT_EQ(errno, ENETDOWN);
  EXPECT_EQ(send(c, "x", 1, MSG_NOSIGNAL), -1);
  EXPECT_EQ(errno, EPIPE) << "the error was reported once; the connection is closed";
  EXPECT_EQ(gt::info(c).gi_state, GLASS_CLOSE);
}
