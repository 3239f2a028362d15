// Seeded fault injection replays: the same seed and the same frames give the
// same faults, and tc netem on glass devices still works alongside it.
//
// The injector draws from its generator once per decision per frame, so its
// statistics depend only on the seed and the number (and length) of frames.
// A glass connection's frame count depends on timers (RTO, delayed ACK),
// which TCG makes jittery, so the fixed exchange is a fixed sequence of raw
// frames sent with AF_PACKET: identical input, byte for byte.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <thread>

#include "hostile.hpp"

namespace hostile {
namespace {

// 2000 frames; 500 in the debug kernel (the same paths, a quarter the time).
int frames() {
  return gt::per_kernel(2000, 500);
}

struct Replay {
  Fault fault;
  std::vector<std::string> arrived;    // digest of every frame gb received, sorted
  std::map<std::string, uint64_t> rx;  // counters of h2
};

// Sends the fixed frame sequence from ga with the given seed; records what
// the injector did and every frame that reached gb.
Replay run_exchange(uint64_t seed) {
  gt::Pair p;
  Replay r;
  set_fault(p.h1().name(), "ga",
            "seed " + std::to_string(seed) + " loss 10% duplicate 5% reorder 5% corrupt 5%");
  Fd sniff;
  {
    gt::InNetns in(p.h2().name());
    sniff = Fd(::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL)));
    EXPECT_TRUE(sniff) << strerror(errno);
    int big = 8 << 20;
    setsockopt(sniff.get(), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = static_cast<int>(if_nametoindex("gb"));
    EXPECT_EQ(::bind(sniff.get(), reinterpret_cast<sockaddr*>(&sll), sizeof(sll)), 0);
  }
  std::map<std::string, uint64_t> before;
  {
    gt::InNetns in(p.h2().name());
    before = counters();
  }
  {
    gt::InNetns in(p.h1().name());
    Injector inj("ga");
    MacPair m{};
    mac_of("ga", m.src);
    std::memset(m.dst, 0xff, 6);
    std::mt19937 rng(7);  // the traffic is fixed; only the injector's seed varies
    for (int i = 0, n = frames(); i < n; ++i) {
      glass_hdr h{};
      h.version = GLASS_VERSION;
      h.flags = GLASS_ACK;
      h.sport = htons(static_cast<uint16_t>(40000 + i % 100));
      h.dport = htons(9);  // nobody listens: every sound frame is drop_no_socket
      inet_pton(AF_INET, gt::Pair::kAddr1, &h.saddr);
      inet_pton(AF_INET, gt::Pair::kAddr2, &h.daddr);
      h.seq = htonl(rng());
      h.ack = htonl(rng());
      h.window = htonl(65535);
      std::vector<uint8_t> payload(rng() % 200);
      for (auto& b : payload) b = static_cast<uint8_t>(rng());
      h.len = htons(static_cast<uint16_t>(payload.size()));
      EXPECT_TRUE(inj.send(make_frame(m, h, payload)));
    }
  }
  r.fault = show_fault(p.h1().name(), "ga");
  // Reordered frames wait at most 2 ms for a successor; then all is in.
  const uint64_t expect = r.fault["frames"] - r.fault["lost"] + r.fault["duplicated"];
  std::vector<uint8_t> buf(70000);
  gt::wait_until(
      [&] {
        for (;;) {
          sockaddr_ll from{};
          socklen_t fl = sizeof(from);
          const ssize_t n = ::recvfrom(sniff.get(), buf.data(), buf.size(), 0,
                                       reinterpret_cast<sockaddr*>(&from), &fl);
          if (n <= 0) break;
          if (from.sll_pkttype == PACKET_OUTGOING) continue;  // h2's RST replies
          if (n < ETH_HLEN) continue;
          // Not the MAC addresses: every pair gets random ones.
          Sha256 d;
          d.update(buf.data() + 12, static_cast<size_t>(n) - 12);
          r.arrived.push_back(d.hex());
        }
        return r.arrived.size() >= expect;
      },
      5000);
  std::sort(r.arrived.begin(), r.arrived.end());
  {
    gt::InNetns in(p.h2().name());
    r.rx = delta(counters(), before);
  }
  return r;
}

TEST(SeededReplay, SameSeedSameFramesGiveIdenticalFaults) {
  const Replay a = run_exchange(42);
  const Replay b = run_exchange(42);
  for (const char* k : {"frames", "lost", "duplicated", "reordered", "corrupted", "delayed"})
    EXPECT_EQ(a.fault[k], b.fault[k]) << k;
  EXPECT_EQ(a.fault["frames"], static_cast<uint64_t>(frames()));
  EXPECT_EQ(a.fault["seed"], 42u);
  // Roughly the configured rates (10%, 5%, 5%, 5%): 6-15% and over 2%.
  const uint64_t n = a.fault["frames"];
  EXPECT_GT(a.fault["lost"], n * 6 / 100);
  EXPECT_LT(a.fault["lost"], n * 15 / 100);
  EXPECT_GT(a.fault["duplicated"], n * 2 / 100);
  EXPECT_GT(a.fault["reordered"], n * 2 / 100);
  EXPECT_GT(a.fault["corrupted"], n * 2 / 100);
  // The same frames arrived, bit flips included (order aside: a held frame
  // may be released by its 2 ms timer instead of its successor).
  EXPECT_EQ(a.arrived.size(), a.fault["frames"] - a.fault["lost"] + a.fault["duplicated"]);
  EXPECT_EQ(a.arrived, b.arrived);
  // And the receiver accounted for every one of them identically.
  EXPECT_EQ(a.rx.at("segments_in"), a.arrived.size());
  EXPECT_EQ(a.rx, b.rx);
  // A corrupted frame never passes the checksum (single-bit flips always
  // change the Internet checksum; a flip in the length field may make it
  // look truncated instead).
  EXPECT_GE(a.rx.at("drop_checksum") + a.rx.at("drop_truncated"), a.fault["corrupted"]);
  EXPECT_EQ(a.rx.at("drop_no_socket") + a.rx.at("drop_checksum") + a.rx.at("drop_truncated"),
            a.arrived.size());
}

TEST(SeededReplay, AnotherSeedGivesOtherFaults) {
  const Replay a = run_exchange(42);
  const Replay c = run_exchange(43);
  EXPECT_EQ(a.fault["frames"], c.fault["frames"]);
  EXPECT_NE(a.arrived, c.arrived);
}

TEST(SeededReplay, ClearStopsInjectingAndRestartsStats) {
  gt::Pair p;
  set_fault(p.h1().name(), "ga", "loss 100%");
  Fault f = show_fault(p.h1().name(), "ga");
  EXPECT_EQ(f["loss_ppm"], 1000000u);
  set_fault(p.h1().name(), "ga", "clear");
  f = show_fault(p.h1().name(), "ga");
  for (const char* k : {"loss_ppm", "duplicate_ppm", "reorder_ppm", "corrupt_ppm", "delay_us",
                        "seed", "frames", "lost"})
    EXPECT_EQ(f[k], 0u) << k;
  Conn c = connect_pair(p, 7100);
  const char msg[] = "after clear";
  ASSERT_TRUE(gt::write_all(c.client.get(), msg, sizeof(msg)));
  char got[sizeof(msg)];
  ASSERT_TRUE(gt::read_all(c.server.get(), got, sizeof(got)));
  EXPECT_EQ(std::memcmp(msg, got, sizeof(msg)), 0);
  // An idle injector counts nothing: the fast path skips it.
  EXPECT_EQ(show_fault(p.h1().name(), "ga")["frames"], 0u);
}

// Transfers n bytes client → server and checks them.
void transfer_checked(Conn& c, size_t n) {
  std::thread writer([&] {
    std::vector<uint8_t> buf(16384);
    for (size_t off = 0; off < n;) {
      const size_t k = std::min(buf.size(), n - off);
      fill_pattern(1, off, buf.data(), k);
      ASSERT_TRUE(gt::write_all(c.client.get(), buf.data(), k));
      off += k;
    }
    ::shutdown(c.client.get(), SHUT_WR);
  });
  std::vector<uint8_t> buf(16384), want(16384);
  size_t got = 0;
  bool same = true;
  gt::FaultScope faults;
  for (;;) {
    const ssize_t r = ::read(c.server.get(), buf.data(), buf.size());
    ASSERT_GE(r, 0) << strerror(errno);
    if (r == 0) break;
    fill_pattern(1, got, want.data(), static_cast<size_t>(r));
    same = same && std::memcmp(buf.data(), want.data(), static_cast<size_t>(r)) == 0;
    got += static_cast<size_t>(r);
  }
  writer.join();
  EXPECT_EQ(got, n);
  EXPECT_TRUE(same);
}

TEST(SeededReplay, NetemOnGlassDevicesStillWorks) {
  gt::Pair p;
  p.h1().run("/usr/sbin/tc qdisc add dev ga root netem loss 5% delay 1ms");
  p.h2().run("/usr/sbin/tc qdisc add dev gb root netem loss 5%");
  set_fault(p.h1().name(), "ga", "seed 1 duplicate 2% reorder 2%");
  set_sysctl(p.h1().name(), "rto_min_ms", 20);
  set_sysctl(p.h2().name(), "rto_min_ms", 20);
  Conn c = connect_pair(p, 7101);
  transfer_checked(c, 256 * 1024);
  const std::string q =
      capture("/usr/sbin/ip netns exec " + p.h1().name() + " /usr/sbin/tc -s qdisc show dev ga");
  EXPECT_NE(q.find("netem"), std::string::npos) << q;
  // netem sits in front of the injector: frames it drops never reach it.
  const Fault f = show_fault(p.h1().name(), "ga");
  EXPECT_GT(f["frames"], 0u);
  EXPECT_GT(f["duplicated"] + f["reordered"], 0u);
}

}  // namespace
}  // namespace hostile
