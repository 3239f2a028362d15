// Frame fuzzer: random and mutated glass frames injected with AF_PACKET on ga
// arrive at gb, where a listener and an established connection live. The
// module must not oops or warn (the harness checks the log), must count every
// frame (segments_in), must count every invalid one in a drop counter, must
// answer RST and SYN inside the window of an established connection with a
// challenge ACK (RFC 5961) — and the connection must still carry data
// byte-exact afterwards.
//
// GLASS_FUZZ_FRAMES overrides the number of frames (default 20000; 5000 in
// the debug kernel).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>

#include "hostile.hpp"

namespace hostile {
namespace {

constexpr uint16_t kListenPort = 5000;
constexpr uint16_t kClosedPort = 5999;

enum Kind {
  kRandomBytes,
  kShortHeader,
  kLongLength,
  kBadChecksum,
  kBadVersion,
  kUnknownFlags,
  kImpossibleFlags,
  kZeroPort,
  kNotLocal,
  kNoSocket,
  kSynFlood,
  kListenerJunk,
  kRstInWindow,
  kSynInWindow,
  kFarOutOfWindow,
  kOldDuplicate,
  kAckBeyondSndMax,
  kBadTrain,
  kMutated,
  kKinds
};

const char* const kKindNames[kKinds] = {
    "random_bytes",  "short_header",       "long_length",   "bad_checksum",  "bad_version",
    "unknown_flags", "impossible_flags",   "zero_port",     "not_local",     "no_socket",
    "syn_flood",     "listener_junk",      "rst_in_window", "syn_in_window", "far_out_of_window",
    "old_duplicate", "ack_beyond_snd_max", "bad_train",     "mutated"};

struct Target {
  uint32_t local;                               // 10.7.0.2, network order
  uint32_t remote;                              // 10.7.0.1
  uint16_t cport;                               // the connection's client port (host order)
  uint32_t rcv_nxt, rcv_wnd, snd_nxt, snd_max;  // of the server socket
};

class Fuzzer {
 public:
  Fuzzer(const MacPair& m, const Target& t, uint32_t seed) : m_(m), t_(t), rng_(seed) {}

  uint32_t r() { return rng_(); }
  uint32_t below(uint32_t n) { return n ? r() % n : 0; }

  glass_hdr sound(uint8_t flags, uint16_t sport, uint16_t dport) {
    glass_hdr h{};
    h.version = GLASS_VERSION;
    h.flags = flags;
    h.sport = htons(sport);
    h.dport = htons(dport);
    h.saddr = t_.remote;
    h.daddr = t_.local;
    h.seq = htonl(r());
    h.ack = htonl(r());
    h.window = htonl(below(1 << 20));
    return h;
  }
  // A source port that is never the connection's.
  uint16_t other_port() {
    uint16_t p;
    do p = static_cast<uint16_t>(1 + below(65535));
    while (p == t_.cport);
    return p;
  }
  std::vector<uint8_t> bytes(size_t n) {
    std::vector<uint8_t> v(n);
    for (auto& b : v) b = static_cast<uint8_t>(r());
    return v;
  }
  Frame frame(glass_hdr h, const std::vector<uint8_t>& payload) {
    h.len = htons(static_cast<uint16_t>(payload.size()));
    return make_frame(m_, h, payload);
  }
  glass_hdr at_conn(uint8_t flags) {
    glass_hdr h = sound(flags, t_.cport, kListenPort);
    h.ack = htonl(t_.snd_nxt);
    h.window = htonl(65535);
    return h;
  }

  Frame make(Kind k) {
    switch (k) {
      case kRandomBytes: {
        Frame f = frame(sound(GLASS_ACK, other_port(), kListenPort), {});
        f.bytes.resize(ETH_HLEN);
        auto tail = bytes(below(120));
        f.bytes.insert(f.bytes.end(), tail.begin(), tail.end());
        return f;
      }
      case kShortHeader: {
        Frame f = frame(sound(GLASS_ACK, other_port(), kListenPort), {});
        f.bytes.resize(ETH_HLEN + below(GLASS_HDR_LEN));
        return f;
      }
      case kLongLength: {
        Frame f = frame(sound(GLASS_ACK, other_port(), kListenPort), bytes(below(64)));
        const uint16_t claimed =
            static_cast<uint16_t>(f.bytes.size() - ETH_HLEN - GLASS_HDR_LEN + 1 + below(60000));
        f.bytes[ETH_HLEN + 2] = claimed >> 8;
        f.bytes[ETH_HLEN + 3] = claimed & 0xff;
        fix_checksum(f);
        return f;
      }
      case kBadChecksum: {
        Frame f = frame(sound(GLASS_ACK, other_port(), kListenPort), bytes(below(64)));
        uint16_t x;
        do x = static_cast<uint16_t>(r());
        while (x == 0);
        f.bytes[ETH_HLEN + 30] ^= x >> 8;
        f.bytes[ETH_HLEN + 31] ^= x & 0xff;
        return f;
      }
      case kBadVersion: {
        glass_hdr h = sound(GLASS_ACK, other_port(), kListenPort);
        do h.version = static_cast<uint8_t>(r());
        while (h.version == GLASS_VERSION);
        return frame(h, {});
      }
      case kUnknownFlags: {
        glass_hdr h = sound(GLASS_ACK, other_port(), kListenPort);
        h.flags = static_cast<uint8_t>((r() & GLASS_FLAGS_ALL) | ((1 + below(3)) << 6));
        return frame(h, {});
      }
      case kImpossibleFlags: {
        const uint8_t choices[] = {GLASS_SYN | GLASS_FIN, GLASS_SYN | GLASS_RST,
                                   GLASS_SYN | GLASS_FIN | GLASS_RST | GLASS_ACK, GLASS_SYN,
                                   GLASS_RST | GLASS_ACK};
        const int c = static_cast<int>(below(5));
        glass_hdr h = sound(choices[c], other_port(), kListenPort);
        // The last two are only impossible with a payload.
        return frame(h, c >= 3 ? bytes(1 + below(32)) : std::vector<uint8_t>{});
      }
      case kZeroPort: {
        glass_hdr h = sound(GLASS_ACK, other_port(), kListenPort);
        if (r() & 1)
          h.sport = 0;
        else
          h.dport = 0;
        return frame(h, {});
      }
      case kNotLocal: {
        glass_hdr h = sound(GLASS_SYN, other_port(), kListenPort);
        const uint32_t addrs[] = {0x0a070003, 0x0a0700ff, 0xffffffff, 0, 0xe0000001, 0x08080808};
        h.daddr = htonl(addrs[below(6)]);
        return frame(h, {});
      }
      case kNoSocket:
        return frame(sound(static_cast<uint8_t>(below(2) ? GLASS_ACK : GLASS_ACK | GLASS_PSH),
                           other_port(), kClosedPort),
                     bytes(below(100)));
      case kSynFlood: {
        glass_hdr h = sound(GLASS_SYN, other_port(), kListenPort);
        h.ack = 0;
        h.mss = htons(static_cast<uint16_t>(below(2000)));
        return frame(h, {});
      }
      case kListenerJunk: {
        const uint8_t choices[] = {GLASS_ACK, GLASS_RST, 0, GLASS_FIN};
        return frame(sound(choices[below(4)], other_port(), kListenPort), {});
      }
      case kRstInWindow: {
        glass_hdr h = at_conn(GLASS_RST);
        h.seq = htonl(t_.rcv_nxt + 1 + below(t_.rcv_wnd - 1));
        return frame(h, {});
      }
      case kSynInWindow: {
        glass_hdr h = at_conn(GLASS_SYN);
        h.ack = 0;
        h.seq = htonl(t_.rcv_nxt + below(t_.rcv_wnd));
        return frame(h, {});
      }
      case kFarOutOfWindow: {
        glass_hdr h = at_conn(GLASS_ACK);
        h.seq = htonl(t_.rcv_nxt + 0x40000000u + below(0x10000000));
        return frame(h, bytes(1 + below(100)));
      }
      case kOldDuplicate: {
        glass_hdr h = at_conn(GLASS_ACK);
        const uint32_t len = 1 + below(100);
        h.seq = htonl(t_.rcv_nxt - len - 1 - below(1000));
        return frame(h, bytes(len));
      }
      case kAckBeyondSndMax: {
        glass_hdr h = at_conn(GLASS_ACK);
        h.seq = htonl(t_.rcv_nxt);
        h.ack = htonl(t_.snd_max + 1 + below(1 << 20));
        return frame(h, {});
      }
      case kBadTrain: {
        // A train whose segment size (mss) is too small or not exceeded.
        glass_hdr h = at_conn(GLASS_ACK);
        h.seq = htonl(t_.rcv_nxt);
        const uint32_t len = 1 + below(200);
        h.mss = htons(static_cast<uint16_t>(below(2) ? 1 + below(63) : len + below(1000)));
        return frame(h, bytes(len));
      }
      case kMutated:
      case kKinds:
        break;
    }
    // Mutated: a sound frame of another kind with 1-4 bytes changed,
    // checksum repaired half of the time. One that would pass validation
    // must not be the connection's (it could inject data or reset it).
    for (;;) {
      const Kind base = static_cast<Kind>(below(kMutated));
      Frame f = make(base == kRandomBytes ? kSynFlood : base);
      const size_t n = f.bytes.size() - ETH_HLEN;
      for (uint32_t i = 0, flips = 1 + below(4); i < flips && n > 0; ++i)
        f.bytes[ETH_HLEN + below(static_cast<uint32_t>(n))] ^= static_cast<uint8_t>(1 + below(255));
      if (r() & 1) fix_checksum(f);
      const uint8_t* g = f.bytes.data() + ETH_HLEN;
      if (n >= GLASS_HDR_LEN && predict(g, n, t_.local) == Verdict::kPass) {
        uint32_t saddr, daddr;
        std::memcpy(&saddr, g + 8, 4);
        std::memcpy(&daddr, g + 12, 4);
        const uint16_t sport = (uint16_t(g[4]) << 8) | g[5];
        const uint16_t dport = (uint16_t(g[6]) << 8) | g[7];
        if (sport == t_.cport && dport == kListenPort && saddr == t_.remote) continue;
        (void)daddr;
      }
      return f;
    }
  }

 private:
  MacPair m_;
  Target t_;
  std::mt19937 rng_;
};

int fuzz_frames() {
  const char* s = std::getenv("GLASS_FUZZ_FRAMES");
  const int fallback = gt::per_kernel(20000, 5000);
  const int n = s != nullptr ? std::atoi(s) : fallback;
  return n > 0 ? n : fallback;
}

TEST(FrameFuzz, EveryFrameIsCountedAndTheConnectionSurvives) {
  const int total = fuzz_frames();
  const auto t0 = std::chrono::steady_clock::now();
  gt::Pair p;
  set_sysctl(p.h2().name(), "syn_retries", 1);
  Conn c = connect_pair(p, kListenPort);
  // The established connection, as the server sees it.
  const glass_info si = gt::info(c.server.get());
  ASSERT_EQ(si.gi_state, GLASS_ESTABLISHED);
  ASSERT_GE(si.gi_rcv_wnd, 1024u);
  sockaddr_glass ca{};
  socklen_t cl = sizeof(ca);
  ASSERT_EQ(::getsockname(c.client.get(), reinterpret_cast<sockaddr*>(&ca), &cl), 0);
  Target t{};
  inet_pton(AF_INET, gt::Pair::kAddr2, &t.local);
  inet_pton(AF_INET, gt::Pair::kAddr1, &t.remote);
  t.cport = ntohs(ca.sg_port);
  t.rcv_nxt = si.gi_rcv_nxt;
  t.rcv_wnd = si.gi_rcv_wnd;
  t.snd_nxt = si.gi_snd_nxt;
  t.snd_max = si.gi_snd_nxt;

  std::map<std::string, uint64_t> b1, b2;
  {
    gt::InNetns in(p.h1().name());
    b1 = counters();
  }
  {
    gt::InNetns in(p.h2().name());
    b2 = counters();
  }
  const uint64_t txdrop0 = dev_stat(p.h1().name(), "ga", "tx_dropped");

  int sent[kKinds] = {};
  uint64_t predicted[5] = {};  // by Verdict
  uint64_t conn_attacks = 0, challenges_due = 0;
  {
    gt::InNetns in(p.h1().name());
    MacPair m{};
    mac_of("ga", m.src);
    {
      gt::InNetns in2(p.h2().name());
      mac_of("gb", m.dst);
    }
    Injector inj("ga");
    Fuzzer fz(m, t, 20240611);
    for (int i = 0; i < total; ++i) {
      // Weighted: random and mutated frames most, targeted ones often enough.
      const uint32_t w = fz.below(100);
      Kind k;
      if (w < 25)
        k = kMutated;
      else if (w < 35)
        k = kRandomBytes;
      else if (w < 40)
        k = kSynFlood;
      else
        k = static_cast<Kind>(1 + fz.below(kMutated - 1));
      if (k == kSynFlood && fz.below(2)) k = kMutated;
      Frame f = fz.make(k);
      // Once in a while, broadcast instead of gb's address.
      if (fz.below(10) == 0) std::memset(f.bytes.data(), 0xff, 6);
      const Verdict v = predict(f.bytes.data() + ETH_HLEN, f.bytes.size() - ETH_HLEN, t.local);
      ASSERT_TRUE(inj.send(f)) << "send frame " << i << ": " << strerror(errno);
      ++sent[k];
      ++predicted[static_cast<int>(v)];
      if (k == kRstInWindow || k == kSynInWindow) ++challenges_due;
      if (k >= kRstInWindow && k <= kAckBeyondSndMax) ++conn_attacks;
    }
  }
  // Let replies, SYN-ACKs and the RSTs that kill the flood's children settle.
  std::map<std::string, uint64_t> a1, a2;
  uint64_t last = ~0ULL;
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    {
      gt::InNetns in(p.h1().name());
      a1 = counters();
    }
    {
      gt::InNetns in(p.h2().name());
      a2 = counters();
    }
    const uint64_t now =
        a1["segments_in"] + a2["segments_in"] + a1["segments_out"] + a2["segments_out"];
    if (now == last) break;
    last = now;
  }
  const auto d1 = delta(a1, b1);
  const auto d2 = delta(a2, b2);
  const uint64_t txdrop = dev_stat(p.h1().name(), "ga", "tx_dropped") - txdrop0;

  // Every frame that reached gb was counted, injected or sent by h1's kernel.
  EXPECT_EQ(d2.at("segments_in") + txdrop, static_cast<uint64_t>(total) + d1.at("segments_out"));
  EXPECT_EQ(txdrop, 0u);
  // The checks before any socket: exactly as the model predicts.
  EXPECT_EQ(d2.at("drop_truncated"), predicted[static_cast<int>(Verdict::kTruncated)]);
  EXPECT_EQ(d2.at("drop_checksum"), predicted[static_cast<int>(Verdict::kChecksum)]);
  EXPECT_EQ(d2.at("drop_malformed"), predicted[static_cast<int>(Verdict::kMalformed)]);
  EXPECT_EQ(d2.at("drop_not_local"), predicted[static_cast<int>(Verdict::kNotLocal)]);
  // Frames that pass those checks but no socket may take, and the targeted
  // attacks on the connection, are discarded and counted too.
  const uint64_t invalid = predicted[0] + predicted[1] + predicted[2] + predicted[3] +
                           sent[kNoSocket] + sent[kListenerJunk] + conn_attacks;
  EXPECT_GE(drops(d2), invalid);
  EXPECT_GE(d2.at("drop_no_socket"), static_cast<uint64_t>(sent[kNoSocket]));
  EXPECT_GE(d2.at("drop_bad_rst"), static_cast<uint64_t>(sent[kRstInWindow]));
  EXPECT_GE(d2.at("drop_bad_syn"), static_cast<uint64_t>(sent[kSynInWindow]));
  EXPECT_GE(d2.at("drop_out_of_window"), static_cast<uint64_t>(sent[kFarOutOfWindow]));
  EXPECT_GE(d2.at("drop_bad_ack"), static_cast<uint64_t>(sent[kAckBeyondSndMax]));
  // RFC 5961: RST and SYN inside the window are answered with an ACK.
  EXPECT_GE(d2.at("challenge_acks"), challenges_due);
  EXPECT_EQ(d2.at("estab_resets"), 0u);
  // The flood's SYN-ACKs went to h1, which has no such connections.
  EXPECT_GT(d1.at("resets_sent"), 0u);

  // The connection is intact: data both ways, byte-exact.
  EXPECT_EQ(gt::info(c.server.get()).gi_state, GLASS_ESTABLISHED);
  EXPECT_EQ(gt::info(c.client.get()).gi_state, GLASS_ESTABLISHED);
  for (int dir = 0; dir < 2; ++dir) {
    const int from = dir == 0 ? c.client.get() : c.server.get();
    const int to = dir == 0 ? c.server.get() : c.client.get();
    std::vector<uint8_t> out(64 * 1024), in(out.size());
    fill_pattern(77 + dir, 0, out.data(), out.size());
    std::thread w([&] { EXPECT_TRUE(gt::write_all(from, out.data(), out.size())); });
    EXPECT_TRUE(gt::read_all(to, in.data(), in.size()));
    w.join();
    EXPECT_EQ(out, in) << "direction " << dir;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "frame fuzz: %d frames in %.1f s; predicted truncated %llu checksum %llu malformed "
      "%llu not_local %llu pass %llu\n",
      total, secs, (unsigned long long)predicted[0], (unsigned long long)predicted[1],
      (unsigned long long)predicted[2], (unsigned long long)predicted[3],
      (unsigned long long)predicted[4]);
  std::printf("frame fuzz: per kind:");
  for (int k = 0; k < kKinds; ++k) std::printf(" %s=%d", kKindNames[k], sent[k]);
  std::printf("\nframe fuzz: h2 deltas:");
  for (const auto& [k, v] : d2)
    if (v) std::printf(" %s=%llu", k.c_str(), (unsigned long long)v);
  std::printf("\nframe fuzz: /proc/net/glass_stat of h2 (non-zero lines):\n");
  for (const auto& [k, v] : a2)
    if (v) std::printf("%s %llu\n", k.c_str(), (unsigned long long)v);
}

}  // namespace
}  // namespace hostile
