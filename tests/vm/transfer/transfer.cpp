// Helpers of the transfer suite; see transfer.hpp.
#include "transfer.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <vector>

namespace tt {

// A connection that fails must make write() return EPIPE, not kill the run.
static const bool sigpipe_ignored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();

Link::Link() : owned_(std::make_unique<gt::Pair>()), pair_(owned_.get()) {}

Link::Link(gt::Pair& shared) : pair_(&shared) {}

Link::~Link() {
  if (client >= 0) close(client);
  if (server >= 0) close(server);
}

void Link::open(const Options& o) {
  static std::atomic<uint16_t> next_port{7100};
  const uint16_t port = next_port++;
  int l;
  {
    gt::InNetns in(h2().name());
    l = gt::glass_socket();
    if (o.server_rcvbuf) set_int(l, SOL_SOCKET, SO_RCVBUF, o.server_rcvbuf);
    if (o.server_sndbuf) set_int(l, SOL_SOCKET, SO_SNDBUF, o.server_sndbuf);
    sockaddr_glass a = gt::addr(gt::Pair::kAddr2, port);
    if (bind(l, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 || listen(l, 4) != 0) {
      ADD_FAILURE() << "listen on " << gt::Pair::kAddr2 << ": " << strerror(errno);
      close(l);
      return;
    }
  }
  {
    gt::InNetns in(h1().name());
    client = gt::glass_socket();
    if (o.client_rcvbuf) set_int(client, SOL_SOCKET, SO_RCVBUF, o.client_rcvbuf);
    if (o.client_sndbuf) set_int(client, SOL_SOCKET, SO_SNDBUF, o.client_sndbuf);
    if (o.client_maxseg) set_int(client, SOL_GLASS, GLASS_MAXSEG, o.client_maxseg);
    if (o.client_nodelay) set_int(client, SOL_GLASS, GLASS_NODELAY, 1);
    sockaddr_glass a = gt::addr(gt::Pair::kAddr2, port);
    if (connect(client, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
      ADD_FAILURE() << "connect: " << strerror(errno);
      close(client);
      client = -1;
      close(l);
      return;
    }
  }
  server = accept(l, nullptr, nullptr);
  if (server < 0) ADD_FAILURE() << "accept: " << strerror(errno);
  close(l);
}

// /proc/sys/net belongs to the namespace of the thread that opens it.
BufLimits read_buf_limits(const gt::Netns& ns, const std::string& name) {
  gt::InNetns in(ns.name());
  std::ifstream f("/proc/sys/net/glass/" + name);
  BufLimits b;
  f >> b.min >> b.def >> b.max;
  return b;
}

void set_buf_limits(const gt::Netns& ns, const std::string& name, const BufLimits& b) {
  {
    gt::InNetns in(ns.name());
    std::ofstream f("/proc/sys/net/glass/" + name);
    f << b.min << " " << b.def << " " << b.max << "\n";
    if (!f.flush()) ADD_FAILURE() << "cannot write net.glass." << name;
  }
  EXPECT_EQ(read_buf_limits(ns, name).max, b.max);
}

void sysctl(const gt::Netns& ns, const std::string& name, int value) {
  gt::InNetns in(ns.name());
  const std::string path = "/proc/sys/net/glass/" + name;
  {
    std::ofstream f(path);
    f << value << "\n";
    if (!f.flush()) ADD_FAILURE() << "cannot write " << path << " in " << ns.name();
  }
  std::ifstream f(path);
  int back = -1;
  f >> back;
  if (back != value) ADD_FAILURE() << path << " in " << ns.name() << " reads " << back;
}

std::map<std::string, uint64_t> stats(const gt::Netns& ns) {
  gt::InNetns in(ns.name());
  std::map<std::string, uint64_t> m;
  std::ifstream f("/proc/thread-self/net/glass_stat");
  std::string name;
  uint64_t v = 0;
  while (f >> name >> v) m[name] = v;
  if (m.empty()) ADD_FAILURE() << "glass_stat of " << ns.name() << " is empty or missing";
  return m;
}

uint64_t stat(const gt::Netns& ns, const std::string& counter) {
  auto m = stats(ns);
  auto it = m.find(counter);
  if (it == m.end()) {
    ADD_FAILURE() << "no counter " << counter << " in glass_stat";
    return 0;
  }
  return it->second;
}

void netem(const gt::Netns& ns, const std::string& dev, const std::string& args) {
  ns.netem(dev, args);
}

// splitmix64: every 8-byte word of the stream is a hash of its index.
static uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint8_t pattern_byte(uint64_t seed, uint64_t off) {
  return static_cast<uint8_t>(mix(seed * 0x100000001b3ull + off / 8) >> (8 * (off % 8)));
}

void pattern_fill(uint64_t seed, uint64_t off, uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n && (off + i) % 8) {
    p[i] = pattern_byte(seed, off + i);
    i++;
  }
  for (; i + 8 <= n; i += 8) {
    uint64_t w = mix(seed * 0x100000001b3ull + (off + i) / 8);
    std::memcpy(p + i, &w, 8);  // little-endian: byte k is bits 8k..8k+7
  }
  for (; i < n; i++) p[i] = pattern_byte(seed, off + i);
}

bool send_pattern(int fd, uint64_t seed, uint64_t total, uint64_t off) {
  std::vector<uint8_t> buf(256 * 1024);
  for (uint64_t done = 0; done < total;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), total - done));
    pattern_fill(seed, off + done, buf.data(), n);
    if (!gt::write_all(fd, buf.data(), n)) return false;
    done += n;
  }
  return true;
}

bool recv_pattern(int fd, uint64_t seed, uint64_t total, std::string* why, uint64_t off) {
  std::vector<uint8_t> got(256 * 1024), want(got.size());
  gt::FaultScope faults;
  for (uint64_t done = 0; done < total;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(got.size(), total - done));
    ssize_t r = read(fd, got.data(), n);
    if (r <= 0) {
      *why = "read returned " + std::to_string(r) + " (" + strerror(errno) + ") after " +
             std::to_string(done) + " of " + std::to_string(total) + " bytes";
      return false;
    }
    pattern_fill(seed, off + done, want.data(), static_cast<size_t>(r));
    if (std::memcmp(got.data(), want.data(), static_cast<size_t>(r)) != 0) {
      size_t i = 0;
      while (got[i] == want[i]) i++;
      *why = "byte " + std::to_string(done + i) + " differs from the pattern";
      return false;
    }
    done += static_cast<uint64_t>(r);
  }
  return true;
}

void set_nonblocking(int fd, bool on) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0 || fcntl(fd, F_SETFL, on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK)) != 0)
    ADD_FAILURE() << "fcntl O_NONBLOCK: " << strerror(errno);
}

void set_int(int fd, int level, int name, int value) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) != 0)
    ADD_FAILURE() << "setsockopt(" << level << ", " << name << ", " << value
                  << "): " << strerror(errno);
}

bool wait_all_acked(int fd, int ms) {
  return gt::wait_until(
      [&] {
        glass_info gi = gt::info(fd);
        return gi.gi_unsent == 0 && gi.gi_unacked == 0;
      },
      ms);
}

Capture::Capture(const gt::Netns& ns, const std::string& dev) {
  gt::InNetns in(ns.name());
  fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
  if (fd_ < 0) {
    ADD_FAILURE() << "AF_PACKET socket: " << strerror(errno);
    return;
  }
  int big = 16 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = static_cast<int>(if_nametoindex(dev.c_str()));
  if (!sll.sll_ifindex || bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof(sll)) != 0)
    ADD_FAILURE() << "bind AF_PACKET to " << dev << ": " << strerror(errno);
}

Capture::~Capture() {
  if (fd_ >= 0) close(fd_);
}

void Capture::drain() {
  std::vector<uint8_t> buf(65536 + 64);
  for (;;) {
    sockaddr_ll from{};
    socklen_t fl = sizeof(from);
    ssize_t r = recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &fl);
    if (r < 0) break;
    if (from.sll_protocol != htons(ETH_P_GLASS) || r < ETH_HLEN + GLASS_HDR_LEN) continue;
    glass_hdr gh;
    std::memcpy(&gh, buf.data() + ETH_HLEN, sizeof(gh));
    const uint64_t len = ntohs(gh.len);
    const uint64_t mss = ntohs(gh.mss);
    if (!len) continue;
    const bool train = (gh.flags & GLASS_SYN) == 0 && mss != 0 && len > mss;
    const uint64_t segs = train ? (len + mss - 1) / mss : 1;
    const uint64_t seg = train ? mss : len;
    if (from.sll_pkttype == PACKET_OUTGOING) {
      data_frames_out++;
      data_segs_out += segs;
      max_seg_out = std::max(max_seg_out, seg);
    } else {
      data_frames_in++;
      data_segs_in += segs;
      max_seg_in = std::max(max_seg_in, seg);
    }
  }
}

}  // namespace tt
