// Helpers of the hostile-conditions suite; see hostile.hpp.
#include "hostile.hpp"

#include <glass/procfs.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace hostile {

void Fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

bool write_file(const std::string& path, const std::string& s) {
  std::ofstream out(path);
  out << s << std::flush;
  return out.good();
}

std::string capture(const std::string& cmd, int* rc) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f == nullptr) {
    ADD_FAILURE() << "popen " << cmd;
    if (rc != nullptr) *rc = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  const int st = ::pclose(f);
  if (rc != nullptr) *rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
  return out;
}

uint64_t Fault::operator[](const std::string& k) const {
  auto it = v.find(k);
  if (it == v.end()) {
    ADD_FAILURE() << "fault field " << k << " missing";
    return 0;
  }
  return it->second;
}

void set_fault(const std::string& ns, const std::string& dev, const std::string& args) {
  gt::must("/usr/sbin/ip netns exec " + ns + " glass fault " + dev + " " + args);
}

Fault show_fault(const std::string& ns, const std::string& dev) {
  int rc = 0;
  const std::string out =
      capture("/usr/sbin/ip netns exec " + ns + " glass fault " + dev + " show --json", &rc);
  Fault f;
  if (rc != 0) {
    ADD_FAILURE() << "glass fault " << dev << " show failed (" << rc << "): " << out;
    return f;
  }
  // {"device": "ga", "seed": 42, ..., "stats": {"frames": 1, ...}}
  size_t i = 0;
  while ((i = out.find('"', i)) != std::string::npos) {
    const size_t j = out.find('"', i + 1);
    if (j == std::string::npos) break;
    const std::string key = out.substr(i + 1, j - i - 1);
    size_t k = j + 1;
    while (k < out.size() && (out[k] == ':' || out[k] == ' ')) ++k;
    if (k < out.size() && out[k] >= '0' && out[k] <= '9') f.v[key] = std::stoull(out.substr(k));
    i = j + 1;
  }
  return f;
}

void set_sysctl(const std::string& ns, const std::string& name, int value) {
  gt::must("/usr/sbin/ip netns exec " + ns + " sh -c 'echo " + std::to_string(value) +
           " > /proc/sys/net/glass/" + name + "'");
}

uint64_t dev_stat(const std::string& ns, const std::string& dev, const std::string& name) {
  int rc = 0;
  const std::string out = capture(
      "/usr/sbin/ip netns exec " + ns + " cat /sys/class/net/" + dev + "/statistics/" + name, &rc);
  if (rc != 0 || out.empty()) {
    ADD_FAILURE() << "cannot read " << dev << " " << name;
    return 0;
  }
  return std::stoull(out);
}

int ProcTable::col(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

const std::vector<std::string>* ProcTable::find(const std::string& column,
                                                const std::string& value) const {
  const int c = col(column);
  if (c < 0) return nullptr;
  for (const auto& r : rows)
    if (static_cast<size_t>(c) < r.size() && r[c] == value) return &r;
  return nullptr;
}

uint64_t ProcTable::num(const std::vector<std::string>& row, const std::string& column) const {
  const int c = col(column);
  if (c < 0 || static_cast<size_t>(c) >= row.size()) {
    ADD_FAILURE() << "no column " << column;
    return 0;
  }
  return std::stoull(row[c]);
}

ProcTable proc_table() {
  ProcTable t;
  try {
    const glass::Table table = glass::Table::read("/proc/thread-self/net/glass");
    t.header = table.columns();
    for (const glass::Table::Row& r : table.rows()) t.rows.push_back(r.fields);
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
  return t;
}

std::map<std::string, uint64_t> counters() {
  return gt::stats();
}

uint64_t drops(const std::map<std::string, uint64_t>& c) {
  uint64_t sum = 0;
  for (const auto& [k, v] : c)
    if (k.rfind("drop_", 0) == 0) sum += v;
  return sum;
}

std::map<std::string, uint64_t> delta(const std::map<std::string, uint64_t>& after,
                                      const std::map<std::string, uint64_t>& before) {
  std::map<std::string, uint64_t> d;
  for (const auto& [k, v] : after) {
    auto it = before.find(k);
    d[k] = v - (it == before.end() ? 0 : it->second);
  }
  return d;
}

bool become_nobody() {
  return ::setgroups(0, nullptr) == 0 && ::setresgid(65534, 65534, 65534) == 0 &&
         ::setresuid(65534, 65534, 65534) == 0;
}

long module_refcnt() {
  std::ifstream in("/sys/module/glass/refcnt");
  long v = -1;
  in >> v;
  return v;
}

Conn connect_pair(const gt::Pair& p, uint16_t port) {
  Conn c;
  {
    gt::InNetns in(p.h2().name());
    c.listener = Fd(gt::listener(gt::Pair::kAddr2, port));
  }
  {
    gt::InNetns in(p.h1().name());
    c.client = Fd(gt::connect_to(gt::Pair::kAddr2, port));
  }
  c.server = Fd(::accept(c.listener.get(), nullptr, nullptr));
  if (!c.server) ADD_FAILURE() << "accept: " << strerror(errno);
  return c;
}

void nonblock(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// ---- SHA-256 (FIPS 180-4) ----

namespace {

constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

inline uint32_t rotr(uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

}  // namespace

Sha256::Sha256()
    : h_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19} {}

void Sha256::block(const uint8_t* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = (uint32_t(p[4 * i]) << 24) | (uint32_t(p[4 * i + 1]) << 16) |
           (uint32_t(p[4 * i + 2]) << 8) | p[4 * i + 3];
  for (int i = 16; i < 64; ++i) {
    const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
  for (int i = 0; i < 64; ++i) {
    const uint32_t t1 =
        h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kK[i] + w[i];
    const uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h_[0] += a;
  h_[1] += b;
  h_[2] += c;
  h_[3] += d;
  h_[4] += e;
  h_[5] += f;
  h_[6] += g;
  h_[7] += h;
}

void Sha256::update(const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  total_ += n;
  while (n > 0) {
    const size_t take = std::min(n, sizeof(buf_) - buf_len_);
    std::memcpy(buf_ + buf_len_, p, take);
    buf_len_ += take;
    p += take;
    n -= take;
    if (buf_len_ == 64) {
      block(buf_);
      buf_len_ = 0;
    }
  }
}

std::string Sha256::hex() {
  const uint64_t bits = total_ * 8;
  const uint8_t pad = 0x80;
  update(&pad, 1);
  const uint8_t zero = 0;
  while (buf_len_ != 56) update(&zero, 1);
  uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
  update(len, 8);
  char out[65];
  for (int i = 0; i < 8; ++i) std::snprintf(out + 8 * i, 9, "%08x", h_[i]);
  return std::string(out, 64);
}

void fill_pattern(uint32_t id, uint64_t off, uint8_t* p, size_t n) {
  // xorshift keyed by (id, 8-byte block): any offset can be regenerated.
  for (size_t i = 0; i < n; ++i) {
    const uint64_t pos = off + i;
    uint64_t x = (pos >> 3) * 0x9e3779b97f4a7c15ULL + (uint64_t(id) << 32) + 0x2545f4914f6cdd1dULL;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    p[i] = static_cast<uint8_t>(x >> (8 * (pos & 7)));
  }
}

uint16_t inet_checksum(const uint8_t* p, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += (uint32_t(p[i]) << 8) | p[i + 1];
  if (n & 1) sum += uint32_t(p[n - 1]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

void mac_of(const std::string& dev, uint8_t out[6]) {
  Fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, dev.c_str(), IFNAMSIZ - 1);
  if (::ioctl(s.get(), SIOCGIFHWADDR, &ifr) != 0) ADD_FAILURE() << "SIOCGIFHWADDR " << dev;
  std::memcpy(out, ifr.ifr_hwaddr.sa_data, 6);
}

Frame make_frame(const MacPair& m, const glass_hdr& h, const std::vector<uint8_t>& payload) {
  Frame f;
  f.bytes.resize(ETH_HLEN + GLASS_HDR_LEN + payload.size());
  std::memcpy(f.bytes.data(), m.dst, 6);
  std::memcpy(f.bytes.data() + 6, m.src, 6);
  f.bytes[12] = ETH_P_GLASS >> 8;
  f.bytes[13] = ETH_P_GLASS & 0xff;
  std::memcpy(f.bytes.data() + ETH_HLEN, &h, GLASS_HDR_LEN);
  std::memcpy(f.bytes.data() + ETH_HLEN + GLASS_HDR_LEN, payload.data(), payload.size());
  fix_checksum(f);
  return f;
}

void fix_checksum(Frame& f) {
  if (f.bytes.size() < ETH_HLEN + GLASS_HDR_LEN) return;
  uint8_t* g = f.bytes.data() + ETH_HLEN;
  g[30] = g[31] = 0;
  const uint16_t c = static_cast<uint16_t>(~inet_checksum(g, f.bytes.size() - ETH_HLEN));
  g[30] = c >> 8;
  g[31] = c & 0xff;
}

namespace {

constexpr size_t kBadExt = SIZE_MAX;

// The length of a sound extension area of n bytes at a, or kBadExt: its
// version and length, then each item (SACK permitted: SYN only, 4 bytes;
// SACK: ACK without SYN, 1 to 4 non-empty blocks), kinds at most once.
size_t ext_area_len(const uint8_t* a, size_t n, uint8_t flags) {
  if (n < 4 || a[0] != GLASS_EXT_VERSION || a[1]) return kBadExt;
  const size_t alen = (size_t(a[2]) << 8) | a[3];
  if (alen % 4 || alen <= 4 || alen > GLASS_EXT_MAX || alen > n) return kBadExt;
  bool perm = false, sack = false;
  for (size_t off = 4; off < alen;) {
    if (alen - off < 4) return kBadExt;
    const size_t kind = a[off], ilen = a[off + 1];
    if (ilen < 4 || ilen % 4 || ilen > alen - off || a[off + 2] || a[off + 3]) return kBadExt;
    if (kind == GLASS_EXT_SACK_PERM) {
      if (ilen != 4 || !(flags & GLASS_SYN) || perm) return kBadExt;
      perm = true;
    } else if (kind == GLASS_EXT_SACK) {
      const size_t blocks = (ilen - 4) / 8;
      if ((flags & GLASS_SYN) || !(flags & GLASS_ACK) || sack || !blocks ||
          blocks > GLASS_SACK_BLOCKS || ilen != 4 + 8 * blocks)
        return kBadExt;
      for (size_t b = 0; b < blocks; b++) {
        const uint8_t* p = a + off + 4 + 8 * b;
        const uint32_t l =
            (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
        const uint32_t r =
            (uint32_t(p[4]) << 24) | (uint32_t(p[5]) << 16) | (uint32_t(p[6]) << 8) | p[7];
        if (static_cast<int32_t>(l - r) >= 0) return kBadExt;
      }
      sack = true;
    } else {
      return kBadExt;
    }
    off += ilen;
  }
  return alen;
}

}  // namespace

Verdict predict(const uint8_t* g, size_t n, uint32_t local_addr_be) {
  if (n < GLASS_HDR_LEN) return Verdict::kTruncated;
  const size_t len = (size_t(g[2]) << 8) | g[3];
  if (n < GLASS_HDR_LEN + len) return Verdict::kTruncated;
  if (inet_checksum(g, GLASS_HDR_LEN + len) != 0xffff) return Verdict::kChecksum;
  const uint8_t flags = g[1];
  if (g[0] != GLASS_VERSION || (flags & ~GLASS_FLAGS_ALL)) return Verdict::kMalformed;
  // An extension area (docs/protocol.md) must be sound; the payload follows it.
  const size_t ext = (flags & GLASS_EXT) ? ext_area_len(g + GLASS_HDR_LEN, len, flags) : 0;
  if (ext == kBadExt) return Verdict::kMalformed;
  const size_t payload = len - ext;
  if ((flags & GLASS_SYN) && (payload || (flags & (GLASS_FIN | GLASS_RST))))
    return Verdict::kMalformed;
  if ((flags & GLASS_RST) && payload) return Verdict::kMalformed;
  // Outside SYN a non-zero mss marks a train: segments of that size, several,
  // and no extension area.
  const size_t mss = (size_t(g[28]) << 8) | g[29];
  if (!(flags & GLASS_SYN) && mss && (mss < 64 || payload <= mss || ext))
    return Verdict::kMalformed;
  const uint16_t sport = (uint16_t(g[4]) << 8) | g[5];
  const uint16_t dport = (uint16_t(g[6]) << 8) | g[7];
  if (!sport || !dport) return Verdict::kMalformed;
  uint32_t daddr;
  std::memcpy(&daddr, g + 12, 4);
  const bool loopback = (ntohl(daddr) >> 24) == 127;
  if (daddr != local_addr_be && !loopback) return Verdict::kNotLocal;
  return Verdict::kPass;
}

Injector::Injector(const std::string& dev) {
  fd_ = Fd(::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0));  // protocol 0: send only
  if (!fd_) {
    ADD_FAILURE() << "socket(AF_PACKET): " << strerror(errno);
    return;
  }
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = 0;
  sll.sll_ifindex = static_cast<int>(if_nametoindex(dev.c_str()));
  if (sll.sll_ifindex == 0) ADD_FAILURE() << "no device " << dev;
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&sll), sizeof(sll)) != 0)
    ADD_FAILURE() << "bind(AF_PACKET " << dev << "): " << strerror(errno);
}

bool Injector::send(const Frame& f) {
  for (;;) {
    const ssize_t n = ::send(fd_.get(), f.bytes.data(), f.bytes.size(), 0);
    if (n == static_cast<ssize_t>(f.bytes.size())) return true;
    if (n < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
      ::usleep(1000);
      continue;
    }
    return false;
  }
}

}  // namespace hostile
