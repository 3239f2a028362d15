// Receive-buffer autotuning (kmod/glass_rcvbuf.c, net.glass.rmem): a
// default socket whose reader keeps up grows its buffer, hence the window
// it advertises, bounded by net.glass.rmem's max; SO_RCVBUF turns it off;
// under net.glass.mem pressure the growth is given back and stops.
// Every byte is checked; no assertion is about time.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "transfer.hpp"

namespace {

constexpr uint64_t kAutotuneSeed = 17;

using Rmem = tt::BufLimits;

Rmem read_rmem(const gt::Netns& ns) {
  return tt::read_buf_limits(ns, "rmem");
}

void write_proc(const std::string& path, const std::string& value) {
  std::ofstream f(path);
  f << value << "\n";
  if (!f.flush()) ADD_FAILURE() << "cannot write " << path;
}

std::string read_proc(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void set_rmem(const gt::Netns& ns, const Rmem& r) {
  tt::set_buf_limits(ns, "rmem", r);
}

// What a transfer showed: the receiver's buffer at the end, the largest
// window the sender was offered.
struct Seen {
  uint32_t rcvbuf = 0;
  uint32_t max_snd_wnd = 0;
};

// Sends `bytes` from client to server, the server reading as fast as it
// can, while sampling the window the client is offered.
Seen transfer_watching_window(tt::Link& link, uint64_t bytes, uint64_t off = 0) {
  std::atomic<bool> done{false};
  std::atomic<uint32_t> max_wnd{0};
  std::thread sampler([&] {
    while (!done.load()) {
      const uint32_t w = gt::info(link.client).gi_snd_wnd;
      if (w > max_wnd.load()) max_wnd = w;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::thread writer(
      [&] { EXPECT_TRUE(tt::send_pattern(link.client, kAutotuneSeed, bytes, off)); });
  std::string why;
  EXPECT_TRUE(tt::recv_pattern(link.server, kAutotuneSeed, bytes, &why, off)) << why;
  writer.join();
  done = true;
  sampler.join();
  Seen s;
  s.rcvbuf = gt::info(link.server).gi_rcvbuf;
  s.max_snd_wnd = max_wnd.load();
  return s;
}

TEST(Autotune, DefaultSocketGrowsWithAFastReaderUpToRmemMax) {
  tt::Link link;
  const Rmem r = read_rmem(link.h2());
  EXPECT_EQ(r.min, 4096);
  EXPECT_EQ(r.def, 212992);
  EXPECT_EQ(r.max, 6291456);
  // A lower max, so the bound is reached within the transfer.
  const int cap = 600000;
  set_rmem(link.h2(), {r.min, r.def, cap});
  link.open();
  ASSERT_GE(link.server, 0);
  const glass_info before = gt::info(link.server);
  EXPECT_EQ(before.gi_rcvbuf, static_cast<uint32_t>(r.def));
  EXPECT_EQ(before.gi_rcv_wnd, static_cast<uint32_t>(r.def / 2));
  const Seen s = transfer_watching_window(link, 32u << 20);
  std::printf("autotune: rcvbuf %d -> %u (max %d), largest window offered %u\n", r.def, s.rcvbuf,
              cap, s.max_snd_wnd);
  EXPECT_GT(s.rcvbuf, static_cast<uint32_t>(r.def));
  EXPECT_LE(s.rcvbuf, static_cast<uint32_t>(cap));
  EXPECT_GT(s.max_snd_wnd, static_cast<uint32_t>(r.def / 2));
  EXPECT_LE(s.max_snd_wnd, static_cast<uint32_t>(cap / 2));
  // The namespace's default is what a new socket starts with.
  set_rmem(link.h2(), {r.min, 100000, cap});
  gt::InNetns in(link.h2().name());
  const int fd = gt::glass_socket();
  int v = 0;
  socklen_t len = sizeof(v);
  ASSERT_EQ(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len), 0);
  EXPECT_EQ(v, 100000);
  close(fd);
}

TEST(Autotune, SoRcvbufTurnsItOff) {
  tt::Link link;
  tt::Options o;
  o.server_rcvbuf = 100000;  // doubled by the kernel, as for TCP
  link.open(o);
  ASSERT_GE(link.server, 0);
  const Seen s = transfer_watching_window(link, 16u << 20);
  EXPECT_EQ(s.rcvbuf, 200000u);
  EXPECT_LE(s.max_snd_wnd, 100000u);
}

// Restores net.glass.mem (global) however the test ends.
class MemLimit {
 public:
  MemLimit() : saved_(read_proc("/proc/sys/net/glass/mem")) {}
  ~MemLimit() { write_proc("/proc/sys/net/glass/mem", saved_); }
  MemLimit(const MemLimit&) = delete;
  MemLimit& operator=(const MemLimit&) = delete;
  const std::string& saved() const { return saved_; }

 private:
  std::string saved_;
};

long sockstat(const std::string& what) {
  std::istringstream s(read_proc("/proc/net/glass_sockstat"));
  std::string name;
  long v = 0;
  while (s >> name >> v)
    if (name == what) return v;
  ADD_FAILURE() << what << " missing from glass_sockstat";
  return -1;
}

TEST(Autotune, MemoryPressureGivesTheGrowthBackAndStopsIt) {
  tt::Link link;
  const Rmem r = read_rmem(link.h2());
  // Under pressure the receiver gives its growth back down to the default
  // or what it holds and what its advertised window still lets in,
  // whichever is more (core/rcvbuf.c): the sender's buffer is kept at the
  // default (no send-buffer autotuning), so what it can have in flight,
  // hence what the receiver holds, stays small; and the transfer under
  // pressure outlasts the window offered before it (new windows reach no
  // more than four segments past what was read).
  tt::Options o;
  o.client_sndbuf = r.def / 2;  // doubled by the kernel
  link.open(o);
  ASSERT_GE(link.server, 0);
  const Seen grown = transfer_watching_window(link, 16u << 20);
  ASSERT_GT(grown.rcvbuf, static_cast<uint32_t>(r.def));
  MemLimit limit;
  long low = 0, pressure = 0, high = 0;
  std::istringstream(limit.saved()) >> low >> pressure >> high;
  // Pressure from the first page on; the high mark stays where it was,
  // so nothing is refused outright.
  const long entered = sockstat("memory_pressure_entered");
  const uint64_t offered = gt::info(link.server).gi_rcv_wnd;
  write_proc("/proc/sys/net/glass/mem", "1 1 " + std::to_string(high));
  const uint64_t more = offered + (512u << 10);
  const Seen s = transfer_watching_window(link, more, 16u << 20);
  EXPECT_GT(sockstat("memory_pressure_entered"), entered);
  std::printf("autotune: grown to %u (window %llu), under pressure %u\n", grown.rcvbuf,
              static_cast<unsigned long long>(offered), s.rcvbuf);
  // The default, or what was held at the last read under pressure (at
  // most the sender's buffer and the skb overhead of what it sent: 1 of
  // 4 runs ended at 273664 for a 212992 default).
  EXPECT_LE(s.rcvbuf, static_cast<uint32_t>(2 * r.def));
  EXPECT_LT(s.rcvbuf, grown.rcvbuf);
}

}  // namespace
