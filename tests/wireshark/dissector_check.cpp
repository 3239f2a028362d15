// The Wireshark dissector (userspace/wireshark/glass.lua) against captures
// of real glass traffic: the guest's capture suite (tests/vm/capture) ran
// exchanges under `glass capture` and left NAME.pcap, NAME.expect (what the
// programs sent and what the kernel counted) and NAME.c2s (the client's
// bytes) in $GLASS_CAPTURES. tshark runs here, on the host, with only this
// tree's dissector loaded, and every field checked is compared with those
// values. scripts/test.sh runs this binary after the guest boot.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string captures() {
  return env_or("GLASS_CAPTURES", "");
}

std::string dissector() {
  return env_or("GLASS_DISSECTOR", GLASS_SOURCE_DIR "/userspace/wireshark/glass.lua");
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A private HOME (no personal plugins, preferences or recent files):
// tshark loads this tree's glass.lua (-X lua_script) and, from the global
// Lua plugin folder, a copy installed with `make install`, if any. The
// first loaded wins (glass.lua skips itself when "glass" exists), so an
// installed copy must be this tree's (checked by InstalledCopyIsThisOne).
class TsharkEnv {
 public:
  TsharkEnv() {
    char tmpl[] = "/tmp/glass-tshark-XXXXXX";
    if (mkdtemp(tmpl) != nullptr) dir_ = tmpl;
  }
  ~TsharkEnv() {
    if (!dir_.empty()) std::system(("rm -rf " + quote(dir_)).c_str());
  }
  TsharkEnv(const TsharkEnv&) = delete;
  TsharkEnv& operator=(const TsharkEnv&) = delete;
  std::string prefix() const { return "env HOME=" + quote(dir_) + " "; }

 private:
  std::string dir_;
};

// Runs a shell command; its stdout, and the exit status in *rc.
std::string run(const std::string& cmd, int* rc) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    *rc = -1;
    return out;
  }
  char buf[65536];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int st = pclose(p);
  *rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
  return out;
}

std::string tshark(const std::string& args) {
  static TsharkEnv env;
  int rc = 0;
  const std::string err = "/tmp/glass-tshark-err-" + std::to_string(getpid());
  std::string out =
      run(env.prefix() + "tshark -n -X lua_script:" + quote(dissector()) + " " + args + " 2>" + err,
          &rc);
  const std::string errors = slurp(err);
  unlink(err.c_str());
  EXPECT_EQ(rc, 0) << "tshark " << args << "\n" << errors;
  EXPECT_EQ(errors.find("Lua"), std::string::npos) << errors;
  return out;
}

// One frame's fields (glass.* and frame.number), by name.
using Frame = std::map<std::string, std::string>;

const std::vector<std::string> kFields{
    "frame.number",
    "glass.stream",
    "glass.srcport",
    "glass.dstport",
    "glass.src",
    "glass.flags",
    "glass.flags.syn",
    "glass.flags.fin",
    "glass.flags.rst",
    "glass.flags.ack",
    "glass.seq",
    "glass.seq_raw",
    "glass.ack",
    "glass.nxtseq",
    "glass.len",
    "glass.window",
    "glass.mss",
    "glass.segments",
    "glass.segment.len",
    "glass.segment.seq",
    "glass.checksum.status",
    "glass.checksum.bad",
    "glass.analysis.retransmission",
    "glass.analysis.fast_retransmission",
    "glass.analysis.out_of_order",
    "glass.analysis.lost_segment",
    "glass.analysis.duplicate_ack",
    "glass.analysis.duplicate_ack_num",
    "glass.analysis.zero_window",
    "glass.analysis.window_update",
    "glass.analysis.zero_window_probe",
    "glass.analysis.zero_window_probe_ack",
    "glass.connection.syn",
    "glass.connection.synack",
    "glass.flags.ext",
    "glass.payload_len",
    "glass.sack_perm",
    "glass.sack.left",
    "glass.sack.right",
    "glass.sack.dsack",
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> v;
  std::string cur;
  for (const char c : s) {
    if (c == sep) {
      v.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  v.push_back(cur);
  return v;
}

// Every frame of a capture, dissected.
std::vector<Frame> dissect(const std::string& pcap) {
  std::string args =
      "-r " + quote(pcap) + " -T fields -E separator=/t -E occurrence=a" + " -E aggregator=,";
  for (const std::string& f : kFields) args += " -e " + f;
  std::vector<Frame> frames;
  std::istringstream in(tshark(args));
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<std::string> cols = split(line, '\t');
    if (cols.size() != kFields.size()) {
      ADD_FAILURE() << "tshark line with " << cols.size() << " columns: " << line;
      continue;
    }
    Frame f;
    for (size_t i = 0; i < cols.size(); ++i) f[kFields[i]] = cols[i];
    frames.push_back(std::move(f));
  }
  return frames;
}

uint64_t num(const Frame& f, const std::string& k) {
  const auto it = f.find(k);
  return it == f.end() || it->second.empty() ? 0 : std::strtoull(it->second.c_str(), nullptr, 0);
}
bool has(const Frame& f, const std::string& k) {
  const auto it = f.find(k);
  return it != f.end() && !it->second.empty();
}
// Boolean fields print as 1/0 (or True/False in some versions).
bool flag(const Frame& f, const std::string& k) {
  const auto it = f.find(k);
  return it != f.end() && (it->second == "1" || it->second == "True");
}

using Expect = std::map<std::string, std::string>;

Expect read_expect(const std::string& path) {
  Expect e;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) e[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return e;
}

uint64_t expected(const Expect& e, const std::string& k) {
  const auto it = e.find(k);
  if (it == e.end()) {
    ADD_FAILURE() << "NAME.expect has no " << k;
    return 0;
  }
  return std::strtoull(it->second.c_str(), nullptr, 10);
}

// The bytes of one direction of a stream, as `-z glass,follow,N` prints them.
std::map<uint64_t, std::string> follow(const std::string& pcap, int stream) {
  const std::string out =
      tshark("-q -r " + quote(pcap) + " -z glass,follow," + std::to_string(stream));
  std::map<uint64_t, std::string> by_port;  // source port -> bytes
  std::istringstream in(out);
  std::string line;
  uint64_t port = 0;
  bool want_hex = false;
  while (std::getline(in, line)) {
    if (line.rfind("Node: ", 0) == 0) {
      const size_t colon = line.find(':', 6);
      port = std::strtoull(line.c_str() + colon + 1, nullptr, 10);
      want_hex = true;
      by_port[port];
      continue;
    }
    if (want_hex) {
      std::string bytes;
      for (size_t i = 0; i + 1 < line.size(); i += 2)
        bytes += static_cast<char>(std::strtoul(line.substr(i, 2).c_str(), nullptr, 16));
      by_port[port] = bytes;
      want_hex = false;
    }
  }
  return by_port;
}

// One capture and what the guest said about it.
class Capture : public ::testing::Test {
 public:
  void load(const std::string& name) {
    if (captures().empty()) GTEST_SKIP() << "GLASS_CAPTURES not set (scripts/test.sh sets it)";
    pcap_ = captures() + "/" + name + ".pcap";
    ASSERT_TRUE(std::ifstream(pcap_).good()) << pcap_ << " missing: did vmtest_capture run?";
    expect_ = read_expect(captures() + "/" + name + ".expect");
    ASSERT_FALSE(expect_.empty()) << name << ".expect missing or empty";
    c2s_ = slurp(captures() + "/" + name + ".c2s");
    frames_ = dissect(pcap_);
    ASSERT_FALSE(frames_.empty());
  }
  uint64_t e(const std::string& k) const { return expected(expect_, k); }
  // Frames of the first connection from its client / its server.
  bool from_client(const Frame& f) const {
    return num(f, "glass.srcport") == e("client_port") &&
           num(f, "glass.dstport") == e("server_port");
  }
  bool from_server(const Frame& f) const {
    return num(f, "glass.srcport") == e("server_port") &&
           num(f, "glass.dstport") == e("client_port");
  }
  size_t count(const std::string& field,
               bool (Capture::*side)(const Frame&) const = nullptr) const {
    size_t n = 0;
    for (const Frame& f : frames_)
      if (has(f, field) && (side == nullptr || (this->*side)(f))) ++n;
    return n;
  }
  // The client's bytes, reassembled by the dissector's follow-stream.
  void expect_follow_matches(int stream) {
    const std::map<uint64_t, std::string> dirs = follow(pcap_, stream);
    ASSERT_TRUE(dirs.count(e("client_port"))) << "no client side in the follow output";
    const std::string& got = dirs.at(e("client_port"));
    EXPECT_EQ(got.size(), c2s_.size());
    EXPECT_TRUE(got == c2s_) << "stream " << stream << " reassembled differs from what was sent";
  }

  std::string pcap_;
  Expect expect_;
  std::string c2s_;
  std::vector<Frame> frames_;
};

// ---------------------------------------------------------------------------

// Wireshark loads its global Lua plugins before -X lua_script: a glass.lua
// installed there that is not this tree's would be the one tested.
TEST(Dissector, InstalledCopyIsThisOne) {
  int rc = 0;
  const std::string folders = run("tshark -G folders 2>/dev/null", &rc);
  const std::string key = "Global Lua Plugins:";
  const size_t at = folders.find(key);
  ASSERT_NE(at, std::string::npos) << folders;
  std::string dir = folders.substr(at + key.size());
  dir = dir.substr(0, dir.find('\n'));
  dir.erase(0, dir.find_first_not_of(" \t"));
  const std::string installed = dir + "/glass.lua";
  if (!std::ifstream(installed).good()) return;
  EXPECT_TRUE(slurp(installed) == slurp(dissector()))
      << installed << " (make install) differs from " << dissector()
      << ": tshark would test that one; reinstall or remove it";
}

// Neighbour messages of glass devices on Ethernet (docs/protocol.md): no
// guest capture holds them (they travel on the lower device, not on g0),
// so a pcap is written here: a broadcast request, its reply, and the
// reply with a wrong checksum.
namespace neigh {

uint16_t csum16(const std::string& b) {
  uint32_t s = 0;
  for (size_t i = 0; i + 1 < b.size(); i += 2)
    s += (static_cast<uint8_t>(b[i]) << 8) | static_cast<uint8_t>(b[i + 1]);
  while ((s >> 16) != 0) s = (s & 0xffff) + (s >> 16);
  return static_cast<uint16_t>(~s & 0xffff);
}

std::string frame(const std::string& dst, const std::string& src, uint8_t op, uint8_t sender,
                  uint8_t target, bool bad) {
  std::string m{
      '\x81', static_cast<char>(op),     0, 0, 10, 98, 0, static_cast<char>(sender), 10, 98,
      0,      static_cast<char>(target), 0, 0, 0,  0};
  const uint16_t c = static_cast<uint16_t>(csum16(m) ^ (bad ? 1 : 0));
  m[14] = static_cast<char>(c >> 8);
  m[15] = static_cast<char>(c & 0xff);
  return dst + src + std::string{'\x88', '\xb5'} + m + std::string(30, '\0');
}

template <typename T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(v));
}

std::string pcap() {
  const std::string bcast(6, '\xff'), a{2, 0, 0, 0, 0, 1}, b{2, 0, 0, 0, 0, 2};
  const std::vector<std::string> frames{frame(bcast, a, 1, 1, 2, false),
                                        frame(a, b, 2, 2, 1, false), frame(a, b, 2, 2, 1, true)};
  std::string out;
  put<uint32_t>(out, 0xa1b2c3d4);
  put<uint16_t>(out, 2);
  put<uint16_t>(out, 4);
  put<int32_t>(out, 0);
  put<uint32_t>(out, 0);
  put<uint32_t>(out, 65535);
  put<uint32_t>(out, 1);  // Ethernet
  uint32_t t = 0;
  for (const std::string& f : frames) {
    put<uint32_t>(out, t++);
    put<uint32_t>(out, 0);
    put<uint32_t>(out, static_cast<uint32_t>(f.size()));
    put<uint32_t>(out, static_cast<uint32_t>(f.size()));
    out += f;
  }
  return out;
}

}  // namespace neigh

TEST(Dissector, NeighbourMessages) {
  const std::string path = "/tmp/glass-neigh-" + std::to_string(getpid()) + ".pcap";
  std::ofstream(path, std::ios::binary) << neigh::pcap();
  const std::string out = tshark("-r " + quote(path) +
                                 " -T fields -E separator=, -e glass.neigh.op"
                                 " -e glass.neigh.sender -e glass.neigh.target"
                                 " -e glass.neigh.checksum_ok -e _ws.col.Info");
  unlink(path.c_str());
  std::istringstream lines(out);
  std::vector<std::string> rows;
  for (std::string l; std::getline(lines, l);) rows.push_back(l);
  ASSERT_EQ(rows.size(), 3u) << out;
  EXPECT_EQ(rows[0], "1,10.98.0.1,10.98.0.2,1,glass neighbour: who has 10.98.0.2? tell 10.98.0.1");
  EXPECT_EQ(rows[1].substr(0, 25), "2,10.98.0.2,10.98.0.1,1,g") << rows[1];
  EXPECT_NE(rows[1].find("10.98.0.2 is at 02:00:00:00:00:02"), std::string::npos) << rows[1];
  EXPECT_EQ(rows[2].substr(0, 24), "2,10.98.0.2,10.98.0.1,0,") << rows[2];
}

class Bulk : public Capture {
 protected:
  void SetUp() override { load("bulk"); }
};

TEST_F(Bulk, HandshakeFlagsAndMss) {
  int syn = 0, synack = 0;
  for (const Frame& f : frames_) {
    if (!flag(f, "glass.flags.syn") || has(f, "glass.analysis.retransmission")) continue;
    if (!flag(f, "glass.flags.ack")) {
      ++syn;
      if (num(f, "glass.stream") != 0) continue;
      EXPECT_TRUE(from_client(f)) << "SYN of stream 0 from port " << num(f, "glass.srcport");
      EXPECT_EQ(num(f, "glass.seq"), 0u);
      EXPECT_EQ(num(f, "glass.mss"), e("client_syn_mss"));
      EXPECT_TRUE(has(f, "glass.connection.syn"));
    } else {
      ++synack;
      if (num(f, "glass.stream") != 0) continue;
      EXPECT_TRUE(from_server(f));
      EXPECT_EQ(num(f, "glass.seq"), 0u);
      EXPECT_EQ(num(f, "glass.ack"), 1u);
      EXPECT_EQ(num(f, "glass.mss"), e("server_syn_mss"));
      EXPECT_TRUE(has(f, "glass.connection.synack"));
    }
  }
  EXPECT_EQ(syn, 2) << "one SYN per connection (retransmissions aside)";
  EXPECT_EQ(synack, 2);
}

// Both ends offer SACK (net.glass.sack defaults to 1): SACK permitted in
// the extension area of every SYN and SYN-ACK, and nowhere else; those
// carry no payload.
TEST_F(Bulk, SynsOfferSack) {
  for (const Frame& f : frames_) {
    const bool syn = flag(f, "glass.flags.syn");
    EXPECT_EQ(flag(f, "glass.sack_perm"), syn) << "frame " << f.at("frame.number");
    if (!syn) continue;
    EXPECT_TRUE(flag(f, "glass.flags.ext"));
    EXPECT_EQ(num(f, "glass.payload_len"), 0u);
    EXPECT_EQ(num(f, "glass.len"), 8u) << "area header and one 4-byte item";
  }
}

TEST_F(Bulk, StreamIndexPerConnection) {
  std::map<uint64_t, std::set<std::pair<uint64_t, uint64_t>>> ports;
  for (const Frame& f : frames_) {
    const uint64_t a = num(f, "glass.srcport"), b = num(f, "glass.dstport");
    ports[num(f, "glass.stream")].insert({std::min(a, b), std::max(a, b)});
  }
  ASSERT_EQ(ports.size(), 2u);
  const std::set<std::pair<uint64_t, uint64_t>> first{{e("server_port"), e("client_port")}};
  const std::set<std::pair<uint64_t, uint64_t>> second{{e("server_port2"), e("client_port2")}};
  EXPECT_EQ(ports[0], first);
  EXPECT_EQ(ports[1], second);
}

// Payload bytes per direction (retransmissions not counted twice), and the
// relative sequence numbers of both FINs and of the last ACK.
TEST_F(Bulk, ByteCountsAndRelativeSequenceNumbers) {
  uint64_t c2s = 0, s2c = 0;
  bool client_fin = false, server_fin = false;
  uint64_t last_server_ack = 0;
  for (const Frame& f : frames_) {
    if (num(f, "glass.stream") != 0) continue;
    const bool retrans = has(f, "glass.analysis.retransmission");
    if (from_client(f)) {
      if (!retrans) c2s += num(f, "glass.payload_len");
      if (flag(f, "glass.flags.fin")) {
        client_fin = true;
        EXPECT_EQ(num(f, "glass.seq") + num(f, "glass.payload_len"), e("c2s_bytes") + 1);
      }
    } else if (from_server(f)) {
      if (!retrans) s2c += num(f, "glass.payload_len");
      if (flag(f, "glass.flags.fin")) {
        server_fin = true;
        EXPECT_EQ(num(f, "glass.seq") + num(f, "glass.payload_len"), e("s2c_bytes") + 1);
      }
      last_server_ack = std::max(last_server_ack, num(f, "glass.ack"));
    }
  }
  EXPECT_EQ(c2s, e("c2s_bytes"));
  EXPECT_EQ(s2c, e("s2c_bytes"));
  EXPECT_TRUE(client_fin);
  EXPECT_TRUE(server_fin);
  EXPECT_EQ(last_server_ack, e("c2s_bytes") + 2) << "data, SYN and FIN acknowledged";
  // The second connection's bytes.
  uint64_t c2s2 = 0;
  for (const Frame& f : frames_)
    if (num(f, "glass.stream") == 1 && num(f, "glass.srcport") == e("client_port2") &&
        !has(f, "glass.analysis.retransmission"))
      c2s2 += num(f, "glass.payload_len");
  EXPECT_EQ(c2s2, e("c2s_bytes2"));
}

// Trains: frames of several MSS-sized segments, split by the dissector.
TEST_F(Bulk, TrainsSplitIntoSegments) {
  size_t trains = 0;
  for (const Frame& f : frames_) {
    const uint64_t n = num(f, "glass.segments");
    if (n <= 1) continue;
    ++trains;
    const uint64_t len = num(f, "glass.payload_len"), mss = num(f, "glass.mss");
    // Each side's trains carry its own MSS (the second connection's too).
    if (from_client(f) || num(f, "glass.srcport") == e("client_port2")) {
      EXPECT_EQ(mss, e("client_mss")) << "frame " << num(f, "frame.number");
    } else {
      EXPECT_EQ(mss, e("server_mss")) << "frame " << num(f, "frame.number");
    }
    EXPECT_EQ(n, (len + mss - 1) / mss);
    const std::vector<std::string> lens = split(f.at("glass.segment.len"), ',');
    const std::vector<std::string> seqs = split(f.at("glass.segment.seq"), ',');
    ASSERT_EQ(lens.size(), n);
    ASSERT_EQ(seqs.size(), n);
    uint64_t sum = 0, seq = num(f, "glass.seq");
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(std::strtoull(seqs[i].c_str(), nullptr, 10), seq + sum);
      const uint64_t l = std::strtoull(lens[i].c_str(), nullptr, 10);
      if (i + 1 < n) {
        EXPECT_EQ(l, mss);
      }
      sum += l;
    }
    EXPECT_EQ(sum, len);
  }
  EXPECT_GE(trains, 1u) << "a 300000-byte transfer made no train";
}

TEST_F(Bulk, FollowStreamGivesTheBytesSent) {
  expect_follow_matches(0);
  const std::map<uint64_t, std::string> dirs = follow(pcap_, 0);
  ASSERT_TRUE(dirs.count(e("server_port")));
  EXPECT_EQ(dirs.at(e("server_port")).size(), e("s2c_bytes"));
  const std::map<uint64_t, std::string> second = follow(pcap_, 1);
  ASSERT_TRUE(second.count(e("client_port2")));
  EXPECT_EQ(second.at(e("client_port2")).size(), e("c2s_bytes2"));
}

// Nothing corrupted the frames: every header-only frame (checksum computed
// in software) verifies; data frames captured at the sender carry 0 (left
// to offload) and are unverified, never bad.
TEST_F(Bulk, ChecksumsVerify) {
  size_t good = 0;
  for (const Frame& f : frames_) {
    const uint64_t status = num(f, "glass.checksum.status");
    EXPECT_NE(f.at("glass.checksum.status"), "0") << "frame " << num(f, "frame.number");
    if (num(f, "glass.len") == 0) {
      EXPECT_EQ(status, 1u) << "frame " << num(f, "frame.number");
    }
    if (status == 1) ++good;
  }
  EXPECT_GT(good, 10u);
  EXPECT_EQ(count("glass.checksum.bad"), 0u);
}

// Without faults, the dissector flags retransmissions exactly when the
// kernel made some.
TEST_F(Bulk, RetransmissionsOnlyWhenTheKernelRetransmitted) {
  EXPECT_EQ(count("glass.analysis.retransmission", &Capture::from_client) > 0,
            e("client_retransmits") > 0);
  EXPECT_EQ(count("glass.analysis.out_of_order"), 0u);
}

// ---------------------------------------------------------------------------

class ZeroWindow : public Capture {
 protected:
  void SetUp() override { load("zero_window"); }
};

TEST_F(ZeroWindow, ZeroWindowFromTheReader) {
  EXPECT_GE(count("glass.analysis.zero_window", &Capture::from_server), 1u);
  EXPECT_EQ(count("glass.analysis.zero_window", &Capture::from_client), 0u);
  // Each time the window went from open to shut, as the kernel counted.
  uint64_t shut = 0, last = 1;
  for (const Frame& f : frames_) {
    if (!from_server(f) || flag(f, "glass.flags.syn")) continue;
    const uint64_t w = num(f, "glass.window");
    if (w == 0 && last != 0) ++shut;
    last = w;
  }
  EXPECT_EQ(shut, e("server_zero_wnd_sent"));
}

TEST_F(ZeroWindow, ProbesAndTheirAnswers) {
  EXPECT_EQ(count("glass.analysis.zero_window_probe", &Capture::from_client), e("client_probes"));
  EXPECT_GE(e("client_probes"), 2u);
  EXPECT_GE(count("glass.analysis.zero_window_probe_ack", &Capture::from_server), 1u);
  EXPECT_EQ(count("glass.analysis.duplicate_ack"), 0u) << "probe answers are not duplicate ACKs";
}

TEST_F(ZeroWindow, WindowUpdateWhenTheReaderDrains) {
  EXPECT_GE(count("glass.analysis.window_update", &Capture::from_server), 1u);
}

TEST_F(ZeroWindow, FollowStreamGivesTheBytesSent) {
  expect_follow_matches(0);
}

// ---------------------------------------------------------------------------

class Loss : public Capture {
 protected:
  void SetUp() override { load("loss"); }
};

// Every gap is filled by a resend. A resend that fills its hole within the
// out-of-order threshold of the newest data, before two duplicate ACKs
// asked for it (SACK and RACK resend after one), is an out-of-order
// segment, as in Wireshark's TCP analysis; there is no reordering here, so
// both kinds are the client's retransmissions.
TEST_F(Loss, RetransmissionsAndGaps) {
  const size_t retrans = count("glass.analysis.retransmission", &Capture::from_client);
  const size_t ooo = count("glass.analysis.out_of_order", &Capture::from_client);
  const size_t gaps = count("glass.analysis.lost_segment", &Capture::from_client);
  EXPECT_GE(gaps, 1u);
  EXPECT_LE(gaps, e("fault_lost"));
  EXPECT_GE(retrans + ooo, gaps);
  // The capture is at the receiver: retransmissions lost again never show.
  EXPECT_LE(retrans + ooo, e("client_retransmits"));
}

// The receiver's duplicate ACKs, as many as the sender's kernel counted,
// but for one kind the capture cannot tell. The sender counts a pure ACK
// that repeats the last one while any of its data is in flight; the
// dissector, as Wireshark's TCP analysis, only once the capture (at the
// receiver) has seen data above it. The D-SACK answering a needless
// retransmission can leave while the next new data is still on its way
// there (one run in a few dozen resends a hole more than once): such a
// repeat may be a duplicate to the kernel and not to the capture.
TEST_F(Loss, DuplicateAcks) {
  const size_t dupacks = count("glass.analysis.duplicate_ack", &Capture::from_server);
  size_t dsack_repeats = 0;
  std::string last_ack, last_win;
  for (const Frame& f : frames_) {
    if (has(f, "glass.analysis.duplicate_ack")) {
      EXPECT_GE(num(f, "glass.analysis.duplicate_ack_num"), 1u);
    }
    if (!from_server(f) || !flag(f, "glass.flags.ack")) continue;
    const std::string ack = f.at("glass.ack"), win = f.at("glass.window");
    if (num(f, "glass.payload_len") == 0 && !has(f, "glass.analysis.duplicate_ack") &&
        flag(f, "glass.sack.dsack") && ack == last_ack && win == last_win)
      ++dsack_repeats;
    last_ack = ack;
    last_win = win;
  }
  EXPECT_LE(dupacks, e("client_dupacks"));
  EXPECT_GE(dupacks + dsack_repeats, e("client_dupacks"));
}

// The receiver reports what it holds beyond each gap: every duplicate ACK
// carries SACK blocks above its ACK, each block non-empty (relative edges,
// like glass.ack), and none reaches past what the client sent.
TEST_F(Loss, DuplicateAcksCarrySackBlocks) {
  size_t dupacks = 0;
  for (const Frame& f : frames_) {
    if (!from_server(f) || !has(f, "glass.analysis.duplicate_ack")) continue;
    ++dupacks;
    ASSERT_TRUE(has(f, "glass.sack.left")) << "frame " << f.at("frame.number");
    const std::vector<std::string> l = split(f.at("glass.sack.left"), ',');
    const std::vector<std::string> r = split(f.at("glass.sack.right"), ',');
    ASSERT_EQ(l.size(), r.size());
    EXPECT_LE(l.size(), 4u);
    for (size_t i = 0; i < l.size(); ++i) {
      const uint64_t left = std::strtoull(l[i].c_str(), nullptr, 10);
      const uint64_t right = std::strtoull(r[i].c_str(), nullptr, 10);
      EXPECT_LT(left, right);
      EXPECT_LE(right, c2s_.size() + 2) << "beyond the client's bytes and FIN";
      if (i == 0 && flag(f, "glass.sack.dsack")) continue;
      EXPECT_GT(left, num(f, "glass.ack")) << "a SACK block starts above the ACK";
    }
  }
  EXPECT_GE(dupacks, 1u);
}

TEST_F(Loss, FollowStreamGivesTheBytesSent) {
  expect_follow_matches(0);
}

// ---------------------------------------------------------------------------

class Reorder : public Capture {
 protected:
  void SetUp() override { load("reorder"); }
};

TEST_F(Reorder, OutOfOrderSegments) {
  const size_t ooo = count("glass.analysis.out_of_order", &Capture::from_client);
  EXPECT_GE(ooo, 1u);
  EXPECT_LE(ooo, e("fault_reordered"));
}

TEST_F(Reorder, FollowStreamGivesTheBytesSent) {
  expect_follow_matches(0);
}

// ---------------------------------------------------------------------------

class Corrupt : public Capture {
 protected:
  void SetUp() override { load("corrupt"); }
};

// Every frame the receiver dropped for its checksum is a bad checksum here.
TEST_F(Corrupt, BadChecksumsAreTheFramesTheReceiverDropped) {
  size_t bad = 0;
  for (const Frame& f : frames_)
    if (f.at("glass.checksum.status") == "0") ++bad;
  EXPECT_EQ(bad, e("server_drop_checksum"));
  EXPECT_GE(bad, 1u);
  EXPECT_EQ(count("glass.checksum.bad"), bad);
  EXPECT_LE(bad, e("fault_corrupted"));
}

TEST_F(Corrupt, FollowStreamGivesTheBytesSent) {
  expect_follow_matches(0);
}

}  // namespace
