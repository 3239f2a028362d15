// `glass capture` in the guest, and captures of real glass traffic for the
// Wireshark dissector. Each Traffic test runs one exchange across a glass
// pair while `glass capture` records a device, checks the file (libpcap),
// and leaves in $GLASS_CAPTURES (default ./captures, the share under
// `make test`):
//   NAME.pcap    the capture
//   NAME.expect  key=value lines: what the programs sent and what the
//                kernel counted (ports, bytes, MSS, retransmissions, ...)
//   NAME.c2s     the bytes the client sent (the follow-stream check)
// The host's tshark checks (tests/wireshark/dissector_check.cpp) compare
// the dissector's fields with these after the boot.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/glass_wire.h>
#include <pcap/pcap.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support.hpp"
#include "trace_util.hpp"

namespace {

constexpr uint16_t kEtherGlass = 0x88B5;

std::string capture_dir() {
  const char* d = std::getenv("GLASS_CAPTURES");
  std::string dir = d && *d ? d : "captures";
  mkdir(dir.c_str(), 0755);
  return dir;
}

// The number after "key": in a JSON text (0 when absent).
uint64_t json_num(const std::string& text, const std::string& key) {
  const size_t at = text.find("\"" + key + "\": ");
  if (at == std::string::npos) {
    ADD_FAILURE() << key << " missing in " << text;
    return 0;
  }
  return std::strtoull(text.c_str() + at + key.size() + 4, nullptr, 10);
}

// A counter of /proc/net/glass_stat in namespace ns.
uint64_t stat_in(const std::string& ns, const std::string& name) {
  gt::InNetns in(ns);
  std::ifstream f("/proc/thread-self/net/glass_stat");
  std::string n;
  uint64_t v = 0;
  while (f >> n >> v)
    if (n == name) return v;
  ADD_FAILURE() << "counter " << name << " missing";
  return 0;
}

// `glass fault DEV show --json` in namespace ns.
std::string fault_show(const std::string& ns, const std::string& dev) {
  gt::InNetns in(ns);
  std::string out;
  EXPECT_EQ(tr::run_glass({"fault", dev, "show", "--json"}, &out), 0) << out;
  return out;
}

// `glass capture DEV -w PATH ARGS...` run in namespace ns until stop().
class Capture {
 public:
  Capture(const std::string& ns, const std::string& dev, const std::string& path,
          const std::vector<std::string>& extra = {}) {
    gt::InNetns in(ns);
    std::vector<std::string> args{"capture", dev, "-w", path};
    args.insert(args.end(), extra.begin(), extra.end());
    glass_ = std::make_unique<tr::Glass>(args);
  }
  // Waits for "listening on": the socket is open, frames are recorded.
  bool listening(int ms = 10000) {
    for (int waited = 0; waited <= ms; waited += 10) {
      if (glass_->err().find("listening on") != std::string::npos) return true;
      if (glass_->wait(0) >= 0) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  // SIGINT, then the exit status.
  int stop() { return glass_->stop(); }
  int wait(int ms) { return glass_->wait(ms); }
  std::string err() const { return glass_->err(); }
  // "N packets captured" / "N packets dropped by kernel" from stderr.
  uint64_t reported(const std::string& what) const {
    const std::string e = err();
    const size_t at = e.find(" packets " + what);
    if (at == std::string::npos) return UINT64_MAX;
    size_t start = e.rfind('\n', at);
    start = start == std::string::npos ? 0 : start + 1;
    return std::strtoull(e.c_str() + start, nullptr, 10);
  }

 private:
  std::unique_ptr<tr::Glass> glass_;
};

// What a pcap file holds, read back with libpcap.
struct PcapFile {
  int linktype = -1;
  int snaplen = 0;
  std::vector<std::string> frames;  // captured bytes
  std::vector<uint32_t> lens;       // original lengths
  std::string error;
};

PcapFile read_pcap(const std::string& path) {
  PcapFile f;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(path.c_str(), errbuf);
  if (!p) {
    f.error = errbuf;
    return f;
  }
  f.linktype = pcap_datalink(p);
  f.snaplen = pcap_snapshot(p);
  pcap_pkthdr* h = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p, &h, &data) == 1) {
    f.frames.emplace_back(reinterpret_cast<const char*>(data), h->caplen);
    f.lens.push_back(h->len);
  }
  pcap_close(p);
  return f;
}

uint16_t ethertype(const std::string& frame) {
  if (frame.size() < 14) return 0;
  return static_cast<uint16_t>((static_cast<uint8_t>(frame[12]) << 8) |
                               static_cast<uint8_t>(frame[13]));
}

// Bytes that look random but are the same every run.
std::string pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761U + 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

bool write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  return static_cast<bool>(out);
}

// key=value lines for the host's check.
class Expect {
 public:
  template <typename T>
  void set(const std::string& key, const T& value) {
    std::ostringstream v;
    v << value;
    kv_[key] = v.str();
  }
  bool save(const std::string& path) const {
    std::string text;
    for (const auto& [k, v] : kv_) text.append(k).append("=").append(v).append("\n");
    return write_file(path, text);
  }

 private:
  std::map<std::string, std::string> kv_;
};

// Opens a connection across c.pair on c.port; the listener gets rcvbuf
// (0: the default) before the client connects, so the window starts small.
void open_conn(tr::Conn& c, int rcvbuf = 0) {
  {
    gt::InNetns in(c.pair.h2().name());
    c.listener = gt::listener(gt::Pair::kAddr2, c.port);
    if (rcvbuf > 0) {
      ASSERT_EQ(setsockopt(c.listener, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
    }
  }
  {
    gt::InNetns in(c.pair.h1().name());
    c.client = gt::connect_to(gt::Pair::kAddr2, c.port);
  }
  c.server = accept(c.listener, nullptr, nullptr);
  ASSERT_GE(c.server, 0) << strerror(errno);
  sockaddr_glass a{};
  socklen_t len = sizeof(a);
  ASSERT_EQ(getsockname(c.client, reinterpret_cast<sockaddr*>(&a), &len), 0);
  c.client_port = ntohs(a.sg_port);
}

// Reads fd to EOF.
std::string read_to_eof(int fd) {
  std::string got;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

// The client sends c2s and half-closes; the server reads to EOF, answers
// s2c and half-closes; the client reads the answer. Before the server
// reads, wait_before_read() runs (the zero-window test holds it there).
struct Exchange {
  std::string server_got;
  std::string client_got;
};
Exchange exchange(tr::Conn& c, const std::string& c2s, const std::string& s2c,
                  const std::function<void()>& wait_before_read = {}) {
  Exchange ex;
  std::thread server([&] {
    if (wait_before_read) wait_before_read();
    ex.server_got = read_to_eof(c.server);
    gt::write_all(c.server, s2c.data(), s2c.size());
    shutdown(c.server, SHUT_WR);
  });
  EXPECT_TRUE(gt::write_all(c.client, c2s.data(), c2s.size()));
  shutdown(c.client, SHUT_WR);
  ex.client_got = read_to_eof(c.client);
  server.join();
  EXPECT_EQ(ex.server_got.size(), c2s.size());
  EXPECT_TRUE(ex.server_got == c2s) << "the server received other bytes than were sent";
  EXPECT_TRUE(ex.client_got == s2c) << "the client received other bytes than were sent";
  return ex;
}

// Common checks of a finished capture file.
void check_file(const std::string& path, Capture& cap, size_t min_frames) {
  ASSERT_EQ(cap.stop(), 0) << cap.err();
  EXPECT_EQ(cap.reported("dropped by kernel"), 0u) << cap.err();
  const PcapFile f = read_pcap(path);
  ASSERT_TRUE(f.error.empty()) << f.error;
  EXPECT_EQ(f.linktype, DLT_EN10MB);
  EXPECT_EQ(f.snaplen, 65600);
  EXPECT_GE(f.frames.size(), min_frames);
  EXPECT_EQ(cap.reported("captured"), f.frames.size()) << cap.err();
  for (size_t i = 0; i < f.frames.size(); ++i) {
    EXPECT_EQ(ethertype(f.frames[i]), kEtherGlass) << "frame " << i + 1;
    EXPECT_EQ(f.frames[i].size(), f.lens[i]) << "frame " << i + 1 << " truncated";
  }
}

void add_conn(Expect& e, const tr::Conn& c, const std::string& suffix = "") {
  e.set("client" + suffix, gt::Pair::kAddr1);
  e.set("server" + suffix, gt::Pair::kAddr2);
  e.set("client_port" + suffix, c.client_port);
  e.set("server_port" + suffix, c.port);
}

// ---------------------------------------------------------------------------
// glass capture itself

class CaptureCli : public ::testing::Test {
 protected:
  std::string path(const std::string& name) { return capture_dir() + "/cli-" + name + ".pcap"; }
};

// -c N: exactly N frames, then exit 0 by itself.
TEST_F(CaptureCli, CountStopsAfterNFrames) {
  tr::Conn c(7101);
  Capture cap(c.pair.h2().name(), "gb", path("count"), {"-c", "5"});
  ASSERT_TRUE(cap.listening()) << cap.err();
  open_conn(c);
  exchange(c, pattern(20000, 1), "ok");
  ASSERT_EQ(cap.wait(10000), 0) << cap.err();
  const PcapFile f = read_pcap(path("count"));
  ASSERT_TRUE(f.error.empty()) << f.error;
  EXPECT_EQ(f.frames.size(), 5u);
  EXPECT_EQ(cap.reported("captured"), 5u) << cap.err();
  // The first frames of a connection: SYN, SYN-ACK (flags at 14 + 1), each
  // with the extension area that offers SACK.
  ASSERT_GE(f.frames.size(), 2u);
  EXPECT_EQ(static_cast<uint8_t>(f.frames[0][15]), GLASS_SYN | GLASS_EXT) << "not a SYN";
  EXPECT_EQ(static_cast<uint8_t>(f.frames[1][15]), GLASS_SYN | GLASS_ACK | GLASS_EXT)
      << "second frame is not a SYN-ACK";
}

// --duration S: exits by itself after S seconds, with the file complete.
TEST_F(CaptureCli, DurationStopsInTime) {
  tr::Conn c(7102);
  const auto t0 = std::chrono::steady_clock::now();
  Capture cap(c.pair.h2().name(), "gb", path("duration"), {"--duration", "1.5"});
  ASSERT_TRUE(cap.listening()) << cap.err();
  const auto t1 = std::chrono::steady_clock::now();  // capturing: its 1.5 s run
  ASSERT_EQ(cap.wait(15000), 0) << cap.err();
  const auto t2 = std::chrono::steady_clock::now();
  auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  EXPECT_GE(secs(t2 - t0), 1.5) << "it stopped before its duration";
  // A bound for a capture that runs on, counted from when it was listening:
  // starting `ip netns exec` and glass takes seconds in the debug kernel.
  EXPECT_LT(secs(t2 - t1), 10.0) << "it ran on past its duration";
  const PcapFile f = read_pcap(path("duration"));
  EXPECT_TRUE(f.error.empty()) << f.error;
  EXPECT_EQ(f.frames.size(), 0u);
}

// A filter expression keeps only what it matches: 'ether proto 0x88b5'
// keeps glass, 'not ether proto 0x88b5' keeps none of a glass exchange.
TEST_F(CaptureCli, FilterExpression) {
  tr::Conn c(7103);
  Capture glass(c.pair.h2().name(), "gb", path("filter-glass"), {"ether", "proto", "0x88b5"});
  Capture other(c.pair.h2().name(), "gb", path("filter-other"), {"not ether proto 0x88b5"});
  ASSERT_TRUE(glass.listening()) << glass.err();
  ASSERT_TRUE(other.listening()) << other.err();
  open_conn(c);
  exchange(c, pattern(3000, 2), "ok");
  EXPECT_TRUE(c.close_all());
  ASSERT_EQ(glass.stop(), 0) << glass.err();
  ASSERT_EQ(other.stop(), 0) << other.err();
  EXPECT_GE(read_pcap(path("filter-glass")).frames.size(), 6u);
  EXPECT_EQ(read_pcap(path("filter-other")).frames.size(), 0u);
}

// A device that does not exist: exit 1 with one line naming it.
TEST_F(CaptureCli, MissingDeviceIsARuntimeError) {
  std::string out;
  EXPECT_EQ(tr::run_glass({"capture", "nosuchdev0", "-w", path("missing")}, &out), 1) << out;
  EXPECT_NE(out.find("nosuchdev0"), std::string::npos) << out;
  EXPECT_EQ(out.find('\n'), out.size() - 1) << out;
}

// ---------------------------------------------------------------------------
// Captures of real traffic for the dissector (checked on the host)

class Traffic : public ::testing::Test {
 protected:
  std::string file(const std::string& ext) {
    return capture_dir() + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name() +
           "." + ext;
  }
};

// Two connections, captured at the client's end (ga): a 300000-byte bulk
// transfer on port 7001 (trains: several segments per frame) with a
// 5000-byte answer, then 1000 bytes on port 7002 (stream 1).
TEST_F(Traffic, bulk) {
  tr::Conn c(7001);
  Capture cap(c.pair.h1().name(), "ga", file("pcap"));
  ASSERT_TRUE(cap.listening()) << cap.err();
  open_conn(c);
  const std::string c2s = pattern(300000, 3), s2c = pattern(5000, 4);
  exchange(c, c2s, s2c);
  const glass_info ci = gt::info(c.client), si = gt::info(c.server);
  Expect e;
  add_conn(e, c);
  e.set("c2s_bytes", c2s.size());
  e.set("s2c_bytes", s2c.size());
  e.set("client_mss", ci.gi_mss);
  e.set("server_mss", si.gi_mss);
  e.set("client_syn_mss", si.gi_peer_mss);
  e.set("server_syn_mss", ci.gi_peer_mss);
  e.set("client_retransmits", ci.gi_retransmits);
  e.set("server_retransmits", si.gi_retransmits);
  EXPECT_TRUE(c.close_all());
  // The second connection, between the same hosts.
  c.port = 7002;
  open_conn(c);
  exchange(c, pattern(1000, 5), "");
  add_conn(e, c, "2");
  e.set("c2s_bytes2", 1000);
  EXPECT_TRUE(c.close_all());
  check_file(file("pcap"), cap, 20);
  ASSERT_TRUE(write_file(file("c2s"), c2s));
  ASSERT_TRUE(e.save(file("expect")));
}

// A reader that does not read: the window closes, the sender probes, the
// reader drains it and the window opens again. Captured at the reader (gb).
TEST_F(Traffic, zero_window) {
  tr::Conn c(7003);
  Capture cap(c.pair.h2().name(), "gb", file("pcap"));
  ASSERT_TRUE(cap.listening()) << cap.err();
  open_conn(c, 16384);
  const std::string c2s = pattern(120000, 6);
  bool probed = false;
  exchange(c, c2s, "done", [&] {
    // Hold the reader until the window is shut and two probes went out.
    probed = gt::wait_until(
        [&] {
          const glass_info gi = gt::info(c.client);
          return gi.gi_snd_wnd == 0 && gi.gi_probes >= 2;
        },
        20000);
  });
  EXPECT_TRUE(probed) << "the window never closed with two probes";
  const glass_info ci = gt::info(c.client), si = gt::info(c.server);
  Expect e;
  add_conn(e, c);
  e.set("c2s_bytes", c2s.size());
  e.set("client_probes", ci.gi_probes);
  e.set("server_zero_wnd_sent", si.gi_zero_wnd_sent);
  EXPECT_GE(si.gi_zero_wnd_sent, 1u);
  EXPECT_TRUE(c.close_all());
  check_file(file("pcap"), cap, 20);
  ASSERT_TRUE(write_file(file("c2s"), c2s));
  ASSERT_TRUE(e.save(file("expect")));
}

// Seeded loss on the sender's device; captured at the receiver (gb): lost
// frames never reach it, retransmissions and duplicate ACKs do.
TEST_F(Traffic, loss) {
  tr::Conn c(7004);
  Capture cap(c.pair.h2().name(), "gb", file("pcap"));
  ASSERT_TRUE(cap.listening()) << cap.err();
  open_conn(c);
  c.pair.h1().run("glass fault ga loss 4% seed 7");
  const std::string c2s = pattern(150000, 7);
  exchange(c, c2s, "done");
  c.pair.h1().run("glass fault ga loss 0%");
  const glass_info ci = gt::info(c.client);
  const std::string f = fault_show(c.pair.h1().name(), "ga");
  Expect e;
  add_conn(e, c);
  e.set("c2s_bytes", c2s.size());
  e.set("client_retransmits", ci.gi_retransmits);
  e.set("client_dupacks", ci.gi_dupacks);
  e.set("fault_lost", json_num(f, "lost"));
  EXPECT_GE(json_num(f, "lost"), 1u) << f;
  EXPECT_GE(ci.gi_retransmits, 1u);
  EXPECT_TRUE(c.close_all());
  check_file(file("pcap"), cap, 20);
  ASSERT_TRUE(write_file(file("c2s"), c2s));
  ASSERT_TRUE(e.save(file("expect")));
}

// Seeded reordering on the sender's device; captured at the receiver.
TEST_F(Traffic, reorder) {
  tr::Conn c(7005);
  Capture cap(c.pair.h2().name(), "gb", file("pcap"));
  ASSERT_TRUE(cap.listening()) << cap.err();
  open_conn(c);
  c.pair.h1().run("glass fault ga reorder 10% seed 3");
  const std::string c2s = pattern(100000, 8);
  exchange(c, c2s, "done");
  c.pair.h1().run("glass fault ga reorder 0%");
  const std::string f = fault_show(c.pair.h1().name(), "ga");
  Expect e;
  add_conn(e, c);
  e.set("c2s_bytes", c2s.size());
  e.set("fault_reordered", json_num(f, "reordered"));
  EXPECT_GE(json_num(f, "reordered"), 1u) << f;
  EXPECT_TRUE(c.close_all());
  check_file(file("pcap"), cap, 20);
  ASSERT_TRUE(write_file(file("c2s"), c2s));
  ASSERT_TRUE(e.save(file("expect")));
}

// Seeded corruption on the sender's device; captured at the receiver,
// which drops each corrupted frame as drop_checksum (or drop_truncated
// when the flipped bit is in the length).
TEST_F(Traffic, corrupt) {
  tr::Conn c(7006);
  Capture cap(c.pair.h2().name(), "gb", file("pcap"));
  ASSERT_TRUE(cap.listening()) << cap.err();
  open_conn(c);
  const uint64_t before = stat_in(c.pair.h2().name(), "drop_checksum");
  c.pair.h1().run("glass fault ga corrupt 5% seed 11");
  const std::string c2s = pattern(100000, 9);
  exchange(c, c2s, "done");
  c.pair.h1().run("glass fault ga corrupt 0%");
  const uint64_t dropped = stat_in(c.pair.h2().name(), "drop_checksum") - before;
  const std::string f = fault_show(c.pair.h1().name(), "ga");
  Expect e;
  add_conn(e, c);
  e.set("c2s_bytes", c2s.size());
  e.set("fault_corrupted", json_num(f, "corrupted"));
  e.set("server_drop_checksum", dropped);
  EXPECT_GE(dropped, 1u) << f;
  EXPECT_TRUE(c.close_all());
  check_file(file("pcap"), cap, 20);
  ASSERT_TRUE(write_file(file("c2s"), c2s));
  ASSERT_TRUE(e.save(file("expect")));
}

}  // namespace
