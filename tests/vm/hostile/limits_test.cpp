// Protocol-wide limits (docs/limits.md): glass memory is charged like TCP's
// and bounded by net.glass.mem, orphans by net.glass.max_orphans and
// net.glass.orphan_retries, the global sysctls exist in init_net only, and
// /proc/net/glass_sockstat shows the figures. Every test runs as root in
// init_net and changes the global sysctls only through Limit, which puts
// the old values back.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "hostile.hpp"

namespace hostile {
namespace {

using Clock = std::chrono::steady_clock;

// /proc/thread-self/net/glass_sockstat: `name value` lines.
// Signed, so that tests can subtract two readings.
std::map<std::string, int64_t> sockstat() {
  std::map<std::string, int64_t> m;
  for (const auto& [name, v] : gt::counters_file("/proc/thread-self/net/glass_sockstat"))
    m[name] = static_cast<int64_t>(v);
  return m;
}

// The baseline of a test: sockstat once the previous tests' namespaces and
// sockets are gone. Their teardown is asynchronous (the kernel's netns
// cleanup work, seconds on the debug kernel), so a count read at once may
// still hold a namespace that leaves during the test. Settled means
// unchanged for a second; bounded by 30 s.
std::map<std::string, int64_t> settled_sockstat() {
  auto last = sockstat();
  int same = 0;
  for (int i = 0; i < 300 && same < 10; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto now = sockstat();
    same = now == last ? same + 1 : 0;
    last = now;
  }
  return last;
}

// Sets a global sysctl of init_net for the test's lifetime.
class Limit {
 public:
  Limit(std::string name, const std::string& value)
      : path_("/proc/sys/net/glass/" + std::move(name)), old_(gt::read_file(path_)) {
    EXPECT_FALSE(old_.empty()) << path_ << " missing";
    EXPECT_TRUE(write_file(path_, value)) << path_;
  }
  ~Limit() { write_file(path_, old_); }
  Limit(const Limit&) = delete;
  Limit& operator=(const Limit&) = delete;

 private:
  std::string path_;
  std::string old_;
};

// Samples memory_pages every ms milliseconds on a thread of its own until
// destroyed (so no failed ASSERT can leave the thread running).
class PeakSampler {
 public:
  explicit PeakSampler(int ms)
      : thread_([this, ms] {
          while (!stop_.load()) {
            peak_ = std::max(peak_.load(), sockstat().at("memory_pages"));
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
          }
        }) {}
  ~PeakSampler() { finish(); }
  PeakSampler(const PeakSampler&) = delete;
  PeakSampler& operator=(const PeakSampler&) = delete;
  int64_t finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return peak_.load();
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> peak_{0};
  std::thread thread_;
};

// n glass sockets, never connected: each counts in the fair share's
// divisor (high / sockets), so that tests can make every share small.
std::vector<Fd> idle_sockets(int n) {
  std::vector<Fd> idle;
  idle.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) idle.emplace_back(gt::glass_socket());
  return idle;
}

// Waits until the global figures are back at base (sockets and memory),
// for at most ms; returns how long it took, or -1.
int64_t wait_baseline(const std::map<std::string, int64_t>& base, int ms) {
  const auto start = Clock::now();
  while (Clock::now() - start < std::chrono::milliseconds(ms)) {
    const auto s = sockstat();
    if (s.at("sockets_allocated") <= base.at("sockets_allocated") &&
        s.at("memory_pages") <= base.at("memory_pages") && s.at("orphans") <= base.at("orphans") &&
        s.at("namespaces") <= base.at("namespaces"))
      return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

TEST(Limits, GlobalSysctlsExistOnlyInInitNet) {
  EXPECT_EQ(::access("/proc/sys/net/glass/mem", F_OK), 0);
  EXPECT_EQ(::access("/proc/sys/net/glass/max_orphans", F_OK), 0);
  EXPECT_EQ(::access("/proc/sys/net/glass/orphan_retries", F_OK), 0);
  const auto s = sockstat();
  long low = 0, pressure = 0, high = 0;
  std::istringstream(gt::read_file("/proc/sys/net/glass/mem")) >> low >> pressure >> high;
  EXPECT_GT(low, 0);
  EXPECT_LE(low, pressure);
  EXPECT_LE(pressure, high);
  EXPECT_EQ(s.at("memory_high"), high);
  EXPECT_GT(s.at("max_orphans"), 0);
  gt::Pair p;
  gt::InNetns in(p.h1().name());
  // A namespace has its own per-namespace tunables, not the global ones.
  EXPECT_EQ(gt::sh("test -e /proc/sys/net/glass/orphan_retries"), 0);
  EXPECT_NE(gt::sh("test -e /proc/sys/net/glass/mem"), 0);
  EXPECT_NE(gt::sh("test -e /proc/sys/net/glass/max_orphans"), 0);
  // Its sockstat shows the same global limits.
  EXPECT_EQ(sockstat().at("memory_high"), high);
}

// After a connection moved data both ways and closed, the global memory
// counter returns to its baseline exactly (nothing leaks forward-allocated).
TEST(Limits, MemoryReturnsToBaselineAfterTransfer) {
  const auto base = settled_sockstat();
  int64_t peak = 0;
  {
    gt::Pair p;
    set_sysctl(p.h1().name(), "time_wait_ms", 100);
    set_sysctl(p.h2().name(), "time_wait_ms", 100);
    Conn c = connect_pair(p, 7800);
    std::vector<uint8_t> out(1 << 20), in(1 << 20);
    fill_pattern(1, 0, out.data(), out.size());
    std::thread writer([&] { EXPECT_TRUE(gt::write_all(c.client.get(), out.data(), out.size())); });
    EXPECT_TRUE(gt::read_all(c.server.get(), in.data(), in.size()));
    writer.join();
    EXPECT_EQ(in, out);
    std::thread back([&] { EXPECT_TRUE(gt::write_all(c.server.get(), out.data(), 300000)); });
    EXPECT_TRUE(gt::read_all(c.client.get(), in.data(), 300000));
    back.join();
    // Unread data and queued data at close are returned too.
    ASSERT_EQ(::send(c.server.get(), out.data(), 5000, MSG_NOSIGNAL), 5000);
    EXPECT_TRUE(gt::wait_until([&] { return gt::info(c.client.get()).gi_unread == 5000; }));
    peak = sockstat().at("memory_pages");
    EXPECT_GT(peak, base.at("memory_pages"));
    c.client.reset();  // closes with 5000 unread bytes: RST
    c.server.reset();
    c.listener.reset();
  }
  const int64_t took = wait_baseline(base, 10000);
  const auto s = sockstat();
  std::printf("accounting: baseline %lld pages, during %lld, after %lld (back in %lld ms)\n",
              (long long)base.at("memory_pages"), (long long)peak, (long long)s.at("memory_pages"),
              (long long)took);
  EXPECT_GE(took, 0) << "memory_pages " << s.at("memory_pages") << " sockets "
                     << s.at("sockets_allocated");
  EXPECT_EQ(s.at("memory_pages"), base.at("memory_pages"));
}

// The receiving device goes down while its peer streams into it (kernel
// review finding 12): a frame must not slip into its queue after ndo_stop
// purged it, where it would hold its sender's socket and memory until the
// device came up again. Both ends abort with the device still down; the
// sockets and their memory must go at once. Repeated: the window is narrow.
TEST(Limits, DeviceDownMidStreamHoldsNoSocket) {
  const auto base = settled_sockstat();
  gt::Pair p;
  // Ten moments of a stream to cut; four on the debug kernel, spread over
  // the same span (each round there takes about 4 s to settle).
  const int rounds = gt::debug_kernel() ? 4 : 10;
  for (int round = 0; round < rounds; round++) {
    Conn c = connect_pair(p, static_cast<uint16_t>(7900 + round));
    ASSERT_TRUE(c.client && c.server);
    nonblock(c.client.get());
    nonblock(c.server.get());
    std::atomic<bool> stop{false};
    // Each side moves what it can without ever blocking, so stopping is prompt.
    auto pump = [&stop](int fd, bool send) {
      std::vector<uint8_t> buf(16384, 0x5a);
      while (!stop) {
        pollfd pf{fd, static_cast<short>(send ? POLLOUT : POLLIN), 0};
        ::poll(&pf, 1, 10);
        if (send)
          ::send(fd, buf.data(), buf.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        else
          ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
      }
    };
    std::thread writer(pump, c.client.get(), true);
    std::thread reader(pump, c.server.get(), false);
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + 70 * round / rounds));
    // Over rtnetlink, not `ip`: a spawned `ip` would cut the stream
    // seconds late in the debug kernel, not at this moment.
    p.h2().exec([] { gt::link_set("gb", false); });
    stop = true;
    writer.join();
    reader.join();
    const linger abort{1, 0};  // close = RST, nothing left to retransmit
    for (const Fd* fd : {&c.client, &c.server})
      ASSERT_EQ(::setsockopt(fd->get(), SOL_SOCKET, SO_LINGER, &abort, sizeof(abort)), 0);
    c = Conn{};
    // Still down: nothing may wait for it to come up.
    const bool gone = gt::wait_until(
        [&] {
          const auto s = sockstat();
          return s.at("sockets_allocated") <= base.at("sockets_allocated") &&
                 s.at("memory_pages") <= base.at("memory_pages");
        },
        gt::debug_kernel() ? 50000 : 5000);
    const auto s = sockstat();
    ASSERT_TRUE(gone) << "round " << round << ": with gb down, sockets_allocated "
                      << s.at("sockets_allocated") << " (baseline " << base.at("sockets_allocated")
                      << "), memory_pages " << s.at("memory_pages") << " (baseline "
                      << base.at("memory_pages") << ")";
    p.h2().exec([] { gt::link_set_up("gb"); });
    gt::InNetns in(p.h2().name());
    ASSERT_TRUE(gt::wait_oper_up("gb")) << "gb did not come back up";
  }
}

// With net.glass.mem set tiny, a transfer still completes byte-exact; the
// sender waits for memory (writers stop at the writers' mark), whatever
// the receiver cannot hold is dropped (drop_memory, printed) and sent
// again, and glass memory never passes the high mark.
TEST(Limits, TransferCompletesUnderTinyMemoryLimit) {
  constexpr long kHigh = 128;  // pages: 512 KiB for the whole protocol
  const auto base = settled_sockstat();
  Limit mem("mem", "32 64 " + std::to_string(kHigh));
  PeakSampler sampler(5);
  constexpr size_t kBytes = 2 << 20;
  uint64_t eagain = 0;
  std::map<std::string, uint64_t> d;
  {
    gt::Pair p;
    set_sysctl(p.h1().name(), "time_wait_ms", 100);
    set_sysctl(p.h2().name(), "time_wait_ms", 100);
    std::map<std::string, uint64_t> before;
    {
      gt::InNetns in(p.h2().name());
      before = counters();
    }
    // The receiver offers more window than glass memory may hold (root may
    // force SO_RCVBUF past rmem_max): what memory refuses is dropped.
    Conn c;
    {
      gt::InNetns in(p.h2().name());
      c.listener = Fd(gt::glass_socket());
      int big = 1 << 20;
      ASSERT_EQ(::setsockopt(c.listener.get(), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)), 0);
      sockaddr_glass a = gt::addr(gt::Pair::kAddr2, 7810);
      ASSERT_EQ(::bind(c.listener.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
      ASSERT_EQ(::listen(c.listener.get(), 4), 0);
    }
    {
      gt::InNetns in(p.h1().name());
      c.client = Fd(gt::connect_to(gt::Pair::kAddr2, 7810));
    }
    c.server = Fd(::accept(c.listener.get(), nullptr, nullptr));
    ASSERT_TRUE(c.server);
    nonblock(c.client.get());
    timeval tv{15, 0};
    ASSERT_EQ(::setsockopt(c.server.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
    std::thread writer([&] {
      std::vector<uint8_t> buf(65536);
      size_t off = 0;
      const auto deadline = Clock::now() + std::chrono::seconds(120);
      while (off < kBytes && Clock::now() < deadline) {
        const size_t n = std::min(buf.size(), kBytes - off);
        fill_pattern(2, off, buf.data(), n);
        const ssize_t w = ::send(c.client.get(), buf.data(), n, MSG_NOSIGNAL);
        if (w > 0) {
          off += static_cast<size_t>(w);
        } else if (w < 0 && errno == EAGAIN) {
          ++eagain;
          pollfd pf{c.client.get(), POLLOUT, 0};
          ::poll(&pf, 1, 20);
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        } else {
          ADD_FAILURE() << "send: " << strerror(errno) << " after " << off << " bytes";
          break;
        }
      }
      EXPECT_EQ(off, kBytes);
      ::shutdown(c.client.get(), SHUT_WR);
    });
    // The reader starts late, so the receiver fills what memory allows.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    std::vector<uint8_t> got, want(65536);
    got.reserve(kBytes);
    std::vector<uint8_t> buf(65536);
    for (;;) {
      const ssize_t n = ::read(c.server.get(), buf.data(), buf.size());
      if (n <= 0) {
        EXPECT_EQ(n, 0) << strerror(errno);
        if (n < 0) {  // stalled: show where the memory is
          std::printf("  stalled: memory_pages %lld\n", (long long)sockstat().at("memory_pages"));
          for (const auto* ns : {&p.h1(), &p.h2()})
            gt::sh("/usr/sbin/ip netns exec " + ns->name() + " cat /proc/net/glass");
        }
        break;
      }
      got.insert(got.end(), buf.begin(), buf.begin() + n);
    }
    writer.join();
    const glass_info ci = gt::info(c.client.get());
    std::printf("  sender: snd_wnd %u unacked %u unsent %u timeouts %u retrans %u probes %u\n",
                ci.gi_snd_wnd, ci.gi_unacked, ci.gi_unsent, ci.gi_timeouts, ci.gi_retransmits,
                ci.gi_probes);
    {
      gt::InNetns in(p.h2().name());
      d = delta(counters(), before);
    }
    for (const auto& [k, v] : d)
      if (v) std::printf("  receiver %s %llu\n", k.c_str(), (unsigned long long)v);
    ASSERT_EQ(got.size(), kBytes);
    for (size_t off = 0; off < kBytes; off += want.size()) {
      fill_pattern(2, off, want.data(), want.size());
      ASSERT_EQ(std::memcmp(got.data() + off, want.data(), want.size()), 0) << "at " << off;
    }
    c = Conn{};
  }
  const int64_t peak = sampler.finish();
  std::printf(
      "tiny limit: high %ld pages, peak %lld pages, %zu bytes exact, drop_memory %llu, "
      "EAGAIN %llu\n",
      kHigh, (long long)peak, kBytes, (unsigned long long)d["drop_memory"],
      (unsigned long long)eagain);
  // One skb in flight per CPU may cross the mark before it is refused.
  EXPECT_LE(peak, kHigh + 2 * 17);
  EXPECT_GE(wait_baseline(base, 10000), 0);
}

// Bytes queued for reading on fd (SIOCINQ), -1 on error.
int inq(int fd) {
  int n = -1;
  return ::ioctl(fd, SIOCINQ, &n) == 0 ? n : -1;
}

// Under memory pressure a receive buffer is given back towards the
// namespace's default, but never below what the window already advertised
// still lets in: the sender was told it may send that much, and whatever
// a smaller buffer cut off would be dropped (drop_rcvbuf) and sent again.
// Nor does pressure's fairness rule refuse in-window data (drop_memory):
// only the high mark does. Here the default is made a page after the
// connection offered its window, pressure is on from the first byte, with
// enough sockets open that the fair share (high / sockets) is below what
// the window brings; half the window arrives unread, one byte is read
// (the read that resizes the buffer), and the rest of the window must
// arrive without a drop.
TEST(Limits, PressureKeepsRoomForTheWindowAlreadyOffered) {
  gt::Pair p;
  Conn c = connect_pair(p, 7812);
  ASSERT_TRUE(c.server);
  char byte = 'x';
  ASSERT_EQ(::send(c.client.get(), &byte, 1, 0), 1);
  ASSERT_EQ(::recv(c.server.get(), &byte, 1, 0), 1);
  const uint32_t wnd = gt::info(c.server.get()).gi_rcv_wnd;
  ASSERT_GE(wnd, 65536U) << "the window offered is too small to split";
  {
    gt::InNetns in(p.h2().name());
    ASSERT_TRUE(write_file("/proc/sys/net/glass/rmem", "4096 4096 6291456"));
  }
  std::map<std::string, uint64_t> before;
  {
    gt::InNetns in(p.h2().name());
    before = counters();
  }
  // Pressure from the first page on; 1,000 pages over at least 64 sockets
  // is a share of 15 pages, a third of the window.
  const std::vector<Fd> idle = idle_sockets(60);
  Limit mem("mem", "1 1 1000");
  const size_t first = wnd / 2;
  const size_t second = wnd - first - 4096;
  std::vector<uint8_t> data(first + second);
  fill_pattern(4, 0, data.data(), data.size());
  ASSERT_EQ(::send(c.client.get(), data.data(), first, 0), static_cast<ssize_t>(first));
  ASSERT_TRUE(gt::wait_until([&] { return inq(c.server.get()) == static_cast<int>(first); }))
      << "the first half of the window did not arrive: " << inq(c.server.get());
  EXPECT_EQ(sockstat().at("memory_pressure"), 1) << "pressure never began";
  uint8_t got0 = 0;
  ASSERT_EQ(::recv(c.server.get(), &got0, 1, 0), 1);
  ASSERT_EQ(got0, data[0]);
  ASSERT_EQ(::send(c.client.get(), data.data() + first, second, 0), static_cast<ssize_t>(second));
  const int want = static_cast<int>(first + second - 1);
  EXPECT_TRUE(gt::wait_until([&] { return inq(c.server.get()) == want; }))
      << "the rest of the window did not arrive unread: " << inq(c.server.get()) << " of " << want
      << " bytes queued, receive buffer " << gt::info(c.server.get()).gi_rcvbuf;
  std::map<std::string, uint64_t> d;
  {
    gt::InNetns in(p.h2().name());
    d = delta(counters(), before);
  }
  EXPECT_EQ(d["drop_rcvbuf"], 0U);
  EXPECT_EQ(d["drop_memory"], 0U);
  std::vector<uint8_t> got(want);
  ASSERT_TRUE(gt::read_all(c.server.get(), got.data(), got.size()));
  EXPECT_EQ(std::memcmp(got.data(), data.data() + 1, got.size()), 0);
}

// Under pressure a window is held to four segments past what arrived only
// where that saves memory: in a buffer more than half full or grown past
// the default (core/window.c). A default buffer its reader keeps empty
// offers its whole space again once the window already offered is used
// up: four segments would only cut each write into trains. Another
// connection holds unread data, so that memory never falls to the low
// mark and pressure lasts the whole test.
TEST(Limits, UnderPressureAnEmptyDefaultBufferKeepsItsWindow) {
  gt::Pair p;
  Conn c = connect_pair(p, 7813);
  Conn hold = connect_pair(p, 7814);
  ASSERT_TRUE(c.server && hold.server);
  const glass_info before = gt::info(c.server.get());
  const uint32_t space = before.gi_rcv_space;
  const uint32_t wnd = before.gi_rcv_wnd;
  const uint32_t clamp = 4 * before.gi_mss;
  ASSERT_GT(wnd, 2 * clamp) << "the window offered is too small to tell";
  long low = 0, pressure = 0, high = 0;
  std::istringstream(gt::read_file("/proc/sys/net/glass/mem")) >> low >> pressure >> high;
  Limit mem("mem", "1 1 " + std::to_string(high));
  std::vector<uint8_t> unread(64 * 1024, 7);
  ASSERT_EQ(::send(hold.client.get(), unread.data(), unread.size(), 0),
            static_cast<ssize_t>(unread.size()));
  ASSERT_TRUE(gt::wait_until([&] { return inq(hold.server.get()) > 0; }));
  // The window offered before, used up, and read.
  std::vector<uint8_t> data(wnd), got(wnd);
  fill_pattern(5, 0, data.data(), data.size());
  ASSERT_TRUE(gt::write_all(c.client.get(), data.data(), data.size()));
  ASSERT_TRUE(gt::read_all(c.server.get(), got.data(), got.size()));
  EXPECT_EQ(std::memcmp(got.data(), data.data(), got.size()), 0);
  EXPECT_EQ(sockstat().at("memory_pressure"), 1) << "pressure ended during the test";
  const glass_info after = gt::info(c.server.get());
  EXPECT_LE(after.gi_rcvbuf, before.gi_rcvbuf) << "the buffer grew under pressure";
  EXPECT_GE(after.gi_rcv_wnd, space / 2)
      << "an empty default buffer offered " << after.gi_rcv_wnd << " bytes under pressure (four "
      << "segments: " << clamp << ")";
  EXPECT_TRUE(gt::wait_until([&] { return gt::info(c.client.get()).gi_snd_wnd >= space / 2; }))
      << "the writer was offered " << gt::info(c.client.get()).gi_snd_wnd;
}

// Under pressure an idle writer may still queue its first page, as TCP's
// may, but only below the writers' mark, halfway from the pressure mark
// to the high mark: the rest is left to data already sent, which the
// receivers take up to the high mark (10,000 idle writers each queueing
// 16 KiB took glass to the high mark, and the receivers dropped). Here
// 200 idle sockets make every fair share (high / sockets) under two
// pages, so a write gets its first chunk only by that allowance (a few
// KiB of its 64), and connections whose readers never read each write
// once until a write is refused: that must happen at the writers' mark,
// far below the high mark where the last check would have refused it.
TEST(Limits, IdleWritersStopAtTheWritersMark) {
  constexpr long kHigh = 200;                 // pages
  constexpr long kWriters = (1 + kHigh) / 2;  // pressure mark 1
  constexpr long kWrite = 64 * 1024;
  const auto base = settled_sockstat();
  int64_t refused_at = -1;
  size_t writes = 0;
  {
    const std::vector<Fd> idle = idle_sockets(200);
    Limit mem("mem", "1 1 " + std::to_string(kHigh));
    gt::Pair p;
    std::vector<Conn> conns;
    std::vector<uint8_t> buf(kWrite, 9);
    for (int i = 0; i < 96 && refused_at < 0; i++) {
      conns.push_back(connect_pair(p, static_cast<uint16_t>(7850 + i)));
      ASSERT_TRUE(conns.back().server) << "connection " << i;
      const int fd = conns.back().client.get();
      nonblock(fd);
      const int64_t before = sockstat().at("memory_pages");
      const ssize_t w = ::send(fd, buf.data(), buf.size(), MSG_NOSIGNAL);
      if (w < 0) {
        ASSERT_EQ(errno, EAGAIN) << strerror(errno);
        refused_at = before;
        break;
      }
      writes++;
      // The write's data reaches its receiver, and is charged there too.
      ASSERT_TRUE(gt::wait_until([&] { return gt::info(fd).gi_unacked == 0; }))
          << "connection " << i << " never had its write acknowledged: memory "
          << sockstat().at("memory_pages") << " pages";
    }
  }
  std::printf(
      "writers' mark %ld, high %ld pages: an idle writer refused at %lld pages, after %zu "
      "writes\n",
      kWriters, kHigh, static_cast<long long>(refused_at), writes);
  ASSERT_GE(refused_at, 0) << "no write was refused";
  EXPECT_GE(refused_at, kWriters - kWrite / 4096 - 8) << "refused below the writers' mark";
  // The last write accepted is charged again at its receiver after the check.
  EXPECT_LE(refused_at, kWriters + 2 * kWrite / 4096)
      << "an idle writer got past the writers' mark";
  EXPECT_GE(wait_baseline(base, 10000), 0);
}

// Idle connections on p, from port `port` up, each write 64 KiB while
// their readers never read (each write that goes through is waited on
// until acknowledged, so its bytes are charged at the receiver too), until
// `want` writes have been refused for memory: at the writers' mark, with
// 200 idle sockets and net.glass.mem "1 1 200" as below. Returns the
// indices in conns of the refused writers.
std::vector<size_t> write_until_refused(const gt::Pair& p, std::vector<Conn>& conns, uint16_t port,
                                        size_t want) {
  std::vector<uint8_t> buf(64 * 1024, 9);
  std::vector<size_t> refused;
  for (int i = 0; i < 96 && refused.size() < want; i++) {
    conns.push_back(connect_pair(p, static_cast<uint16_t>(port + i)));
    if (!conns.back().server) {
      ADD_FAILURE() << "connection " << i << " was not accepted";
      break;
    }
    const int fd = conns.back().client.get();
    nonblock(fd);
    if (::send(fd, buf.data(), buf.size(), MSG_NOSIGNAL) < 0) {
      EXPECT_EQ(errno, EAGAIN) << strerror(errno);
      refused.push_back(conns.size() - 1);
      continue;
    }
    if (!gt::wait_until([&] { return gt::info(fd).gi_unacked == 0; })) {
      ADD_FAILURE() << "connection " << i << " never had its write acknowledged";
      break;
    }
  }
  return refused;
}

// An idle writer refused for memory is not reported writable until memory
// comes back (glass_memwait.c): no ACK of its own will tell it, and a
// level-triggered epoll loop that was told writable would spin on EAGAIN.
// As above, idle connections write 64 KiB each, their readers never
// reading, until a write is refused at the writers' mark; a second
// refused writer is closed while it waits (its reference must go with
// it). Then the readers read, and epoll must wake the first with EPOLLOUT,
// and its write go through.
TEST(Limits, AWriterRefusedForMemoryWaitsForItInPoll) {
  const auto base = settled_sockstat();
  std::map<std::string, uint64_t> before, after;
  {
    const std::vector<Fd> idle = idle_sockets(200);
    Limit mem("mem", "1 1 200");
    gt::Pair p;
    {
      gt::InNetns in(p.h1().name());
      before = counters();
    }
    std::vector<Conn> conns;
    std::vector<uint8_t> buf(64 * 1024, 9);
    const std::vector<size_t> refused = write_until_refused(p, conns, 7740, 2);
    ASSERT_EQ(refused.size(), 2U) << "writes were not refused";
    const int fd = conns[refused[0]].client.get();
    pollfd pf{fd, POLLOUT, 0};
    ASSERT_EQ(::poll(&pf, 1, 0), 0) << "refused for memory, yet poll says writable: " << pf.revents;
    Fd ep(::epoll_create1(EPOLL_CLOEXEC));
    epoll_event ev{};
    ev.events = EPOLLOUT;
    ASSERT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &ev), 0);
    ASSERT_EQ(::epoll_wait(ep.get(), &ev, 1, 0), 0) << "epoll says writable";
    conns[refused[1]].client = Fd();
    for (auto& c : conns) {
      if (!c.server) continue;
      nonblock(c.server.get());
      while (::recv(c.server.get(), buf.data(), buf.size(), 0) > 0) {
      }
    }
    ASSERT_EQ(::epoll_wait(ep.get(), &ev, 1, 10000), 1) << "never woken once memory was back";
    EXPECT_TRUE(ev.events & EPOLLOUT);
    EXPECT_GT(::send(fd, buf.data(), 4096, MSG_NOSIGNAL), 0) << strerror(errno);
    gt::InNetns in(p.h1().name());
    after = counters();
  }
  auto d = delta(after, before);
  std::printf("write_mem_waits %llu\n", static_cast<unsigned long long>(d["write_mem_waits"]));
  EXPECT_GE(d["write_mem_waits"], 2U);
  EXPECT_GE(wait_baseline(base, 10000), 0) << "a socket that waited was not let go";
}

// poll() reports an idle socket writable only below the pollers' mark, an
// eighth of the way from the writers' mark back to the pressure mark,
// while write() refuses one only at the writers' mark: a level-triggered
// loop writes every socket one epoll_wait() reported (256 in glass perf),
// and with one mark for both, memory crossed it a few writes into the
// batch and the rest were refused, a system call each. Memory filled to
// the writers' mark as above, a reader takes half its 64 KiB: between the
// marks, a new idle socket is not POLLOUT (and waits for memory), yet a
// write on it goes through.
TEST(Limits, PollReportsAnIdleSocketWritableOnlyBelowThePollersMark) {
  constexpr long kHigh = 200;
  constexpr long kWriters = (1 + kHigh) / 2;
  constexpr long kPollers = kWriters - (kHigh - 1) / 8;
  const auto base = settled_sockstat();
  {
    const std::vector<Fd> idle = idle_sockets(200);
    Limit mem("mem", "1 1 " + std::to_string(kHigh));
    gt::Pair p;
    std::vector<Conn> conns;
    ASSERT_EQ(write_until_refused(p, conns, 7840, 1).size(), 1U) << "no write was refused";
    std::vector<uint8_t> buf(32 * 1024);
    ASSERT_TRUE(gt::read_all(conns[0].server.get(), buf.data(), buf.size()));
    const int64_t pages = sockstat().at("memory_pages");
    ASSERT_GT(pages, kPollers) << "the read took memory below the pollers' mark";
    ASSERT_LT(pages, kWriters) << "the read gave no memory back";
    Conn c = connect_pair(p, 7839);
    ASSERT_TRUE(c.server);
    const int fd = c.client.get();
    pollfd pf{fd, POLLOUT, 0};
    EXPECT_EQ(::poll(&pf, 1, 0), 0) << "an idle socket polled writable at " << pages
                                    << " pages, over the pollers' mark " << kPollers;
    nonblock(fd);
    EXPECT_EQ(::send(fd, buf.data(), 4096, MSG_NOSIGNAL), 4096)
        << "a write refused under the writers' mark " << kWriters << ": " << strerror(errno);
  }
  EXPECT_GE(wait_baseline(base, 10000), 0) << "a socket that waited was not let go";
}

// Only a poll for output waits for write memory. A socket polled for
// input alone (a reader's) would take a wake that memory coming back owes
// a writer: the list wakes one socket per 16 KiB of room, and a server
// reading 10,000 connections listed its sockets a third as often as their
// writers did. Over the writers' mark as above, an idle reader with data
// to read is polled for input by poll() and by epoll: both report input,
// and neither may list it (write_mem_waits in its namespace stays); then
// polled for output, it is not writable and is listed.
TEST(Limits, AReaderPollingForInputWaitsForNoWriteMemory) {
  const auto base = settled_sockstat();
  std::map<std::string, uint64_t> before, polled_in, polled_out;
  {
    const std::vector<Fd> idle = idle_sockets(200);
    Limit mem("mem", "1 1 200");
    gt::Pair p;
    std::vector<Conn> conns;
    ASSERT_EQ(write_until_refused(p, conns, 7640, 1).size(), 1U) << "no write was refused";
    const int fd = conns[0].server.get();
    const auto read_counters = [&] {
      gt::InNetns in(p.h2().name());
      return counters();
    };
    before = read_counters();
    pollfd pf{fd, POLLIN, 0};
    ASSERT_EQ(::poll(&pf, 1, 0), 1);
    EXPECT_EQ(pf.revents, POLLIN);
    Fd ep(::epoll_create1(EPOLL_CLOEXEC));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ASSERT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &ev), 0);
    ASSERT_EQ(::epoll_wait(ep.get(), &ev, 1, 0), 1);
    EXPECT_EQ(ev.events, static_cast<uint32_t>(EPOLLIN));
    polled_in = read_counters();
    pf = {fd, POLLOUT, 0};
    EXPECT_EQ(::poll(&pf, 1, 0), 0) << "an idle socket over the writers' mark polled writable";
    polled_out = read_counters();
  }
  EXPECT_EQ(delta(polled_in, before)["write_mem_waits"], 0U)
      << "a poll for input listed the reader for write memory";
  EXPECT_EQ(delta(polled_out, polled_in)["write_mem_waits"], 1U)
      << "a poll for output did not list it";
  EXPECT_GE(wait_baseline(base, 10000), 0) << "a socket that waited was not let go";
}

// A reader who has read everything it was sent still gets the next
// segment while other connections hold glass memory at net.glass.mem's
// high mark, as TCP forces that charge: else no reader gets anything, no
// sender an ACK to free its queue with, and every connection times out
// refusing retransmissions (drop_memory; 10,000 connections did). The
// victim's bytes wait behind a device that is down while a hog on another
// pair fills glass memory to the mark in small writes its reader never
// reads; the device comes back up and the victim's bytes must arrive.
TEST(Limits, AReaderGetsDataWhileOthersHoldMemoryAtTheHighMark) {
  constexpr long kHigh = 64;       // pages: 256 KiB for the whole protocol
  constexpr size_t kBytes = 8000;  // one segment at MTU 9000, three pages
  // All three marks at one: under pressure the fair shares would stop the
  // hog below the mark, and pressure is left only under the low mark.
  const std::string k = std::to_string(kHigh);
  Limit mem("mem", k + " " + k + " " + k);
  gt::Pair vp;
  gt::Pair hp;
  // One segment then carries all the victim's bytes, more than the page the
  // reader's socket keeps in reserve after its first read.
  vp.h1().run("/usr/sbin/ip link set ga mtu 9000");
  vp.h2().run("/usr/sbin/ip link set gb mtu 9000");
  Conn v = connect_pair(vp, 7830);
  Conn h = connect_pair(hp, 7831);
  ASSERT_TRUE(v.server);
  ASSERT_TRUE(h.server);
  char byte = 'x';
  ASSERT_EQ(::send(v.client.get(), &byte, 1, 0), 1);
  ASSERT_EQ(::recv(v.server.get(), &byte, 1, 0), 1);
  vp.h2().exec([] { gt::link_set("gb", false); });
  std::vector<uint8_t> data(kBytes);
  fill_pattern(3, 0, data.data(), data.size());
  ASSERT_EQ(::send(v.client.get(), data.data(), data.size(), 0), static_cast<ssize_t>(kBytes));

  int big = 1 << 20;
  ASSERT_EQ(::setsockopt(h.client.get(), SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)), 0);
  nonblock(h.client.get());
  // The hog writes again every millisecond, so a page freed anywhere is
  // taken at once and memory stays at the mark until the victim is done.
  std::atomic<bool> stop{false};
  std::atomic<int> refused{0};
  std::thread hog([&] {
    std::vector<uint8_t> chunk(512, 7);
    while (!stop) {
      if (::send(h.client.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL) > 0) {
        refused = 0;
        continue;
      }
      ++refused;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  ASSERT_TRUE(gt::wait_until([&] { return refused > 50; }, 30000)) << "the hog never filled";
  const int64_t held = sockstat().at("memory_pages");
  EXPECT_GE(held, kHigh - 1) << "the hog did not reach the mark";

  vp.h2().exec([] { gt::link_set_up("gb"); });
  {
    gt::InNetns in(vp.h2().name());
    ASSERT_TRUE(gt::wait_oper_up("gb")) << "gb did not come back up";
  }
  timeval tv{20, 0};
  ASSERT_EQ(::setsockopt(v.server.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
  std::vector<uint8_t> got;
  std::vector<uint8_t> buf(kBytes);
  while (got.size() < kBytes) {
    const ssize_t n = ::recv(v.server.get(), buf.data(), buf.size(), 0);
    if (n <= 0) break;
    got.insert(got.end(), buf.begin(), buf.begin() + n);
  }
  stop = true;
  hog.join();
  std::map<std::string, uint64_t> c;
  {
    gt::InNetns in(vp.h2().name());
    c = counters();
  }
  std::printf(
      "at the mark: %lld of %ld pages held, then %lld; victim got %zu of %zu bytes, its "
      "receiver's drop_memory %llu\n",
      static_cast<long long>(held), kHigh, static_cast<long long>(sockstat().at("memory_pages")),
      got.size(), kBytes, static_cast<unsigned long long>(c["drop_memory"]));
  EXPECT_EQ(got, data) << "the reader got nothing while memory stayed at the mark";
}

// An unprivileged user in its own user and network namespace tries to pin
// kernel memory: listeners with a big SO_RCVBUF that never accept, and
// clients with 64 KiB buffers that fill the windows and close. Glass memory
// stays under the high mark set from init_net, orphans beyond
// max_orphans are reset, and once the program exits every socket and the
// namespace are gone within the documented bound.
TEST(Limits, UnprivilegedUserCannotPinMemory) {
  constexpr long kHigh = 2048;  // pages (8 MiB)
  constexpr int kListeners = 4, kClients = 64, kMaxOrphans = 64;
  const auto base = settled_sockstat();
  const long refcnt = module_refcnt();
  Limit mem("mem", "512 1024 " + std::to_string(kHigh));
  Limit orphans("max_orphans", std::to_string(kMaxOrphans));
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(pipefd[0]);
    int bad = 0;
    if (!become_nobody()) ::_exit(100);
    ::prctl(PR_SET_DUMPABLE, 1);  // so it may write its own uid_map
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) ::_exit(101);
    if (!write_file("/proc/self/uid_map", "0 65534 1") ||
        !write_file("/proc/self/setgroups", "deny") ||
        !write_file("/proc/self/gid_map", "0 65534 1"))
      ::_exit(102);
    if (std::system("/usr/sbin/ip link add glass0 type glass && "
                    "/usr/sbin/ip addr add 10.7.9.1/24 dev glass0 && "
                    "/usr/sbin/ip link set glass0 up") != 0)
      ::_exit(103);
    // The global limits are not there to raise.
    if (::access("/proc/sys/net/glass/mem", F_OK) == 0) bad |= 1;
    if (write_file("/proc/sys/net/glass/max_orphans", "1000000")) bad |= 1;
    std::vector<int> keep;
    std::vector<uint8_t> buf(65536, 0x77);
    for (int l = 0; l < kListeners; ++l) {
      const int lf = ::socket(AF_GLASS, SOCK_STREAM, 0);
      int big = 1 << 24;  // capped at rmem_max, then doubled
      ::setsockopt(lf, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
      sockaddr_glass a = gt::addr(gt::Loopback::kAddr, static_cast<uint16_t>(9000 + l));
      if (::bind(lf, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 || ::listen(lf, 4096) != 0)
        bad |= 2;
      keep.push_back(lf);
      for (int i = 0; i < kClients; ++i) {
        const int fd = ::socket(AF_GLASS, SOCK_STREAM, 0);
        int sz = 65536;
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
        if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
          bad |= 4;
          ::close(fd);
          continue;
        }
        nonblock(fd);
        // Fill the window and the send buffer, as far as memory lets it.
        const auto until = Clock::now() + std::chrono::milliseconds(50);
        while (Clock::now() < until) {
          if (::send(fd, buf.data(), buf.size(), MSG_NOSIGNAL) < 0) {
            if (errno != EAGAIN) break;
            pollfd pf{fd, POLLOUT, 0};
            if (::poll(&pf, 1, 10) == 0) break;
          }
        }
        ::close(fd);  // an orphan holding what it could not send
      }
    }
    // The listeners stay while the orphans face their zero windows.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const std::string stat = gt::read_file("/proc/self/net/glass_stat");
    const std::string ss = gt::read_file("/proc/self/net/glass_sockstat");
    const std::string report = stat + ss;
    if (::write(pipefd[1], report.data(), report.size()) < 0) bad |= 8;
    ::_exit(bad);  // closes the listeners, then the namespace has no user
  }
  ::close(pipefd[1]);
  PeakSampler sampler(10);
  std::string report;
  char tmp[4096];
  for (ssize_t n; (n = ::read(pipefd[0], tmp, sizeof(tmp))) > 0;) report.append(tmp, n);
  ::close(pipefd[0]);
  int st = 0;
  ASSERT_EQ(::waitpid(pid, &st, 0), pid);
  const auto exited = Clock::now();
  // Documented bound (docs/limits.md): at program exit the listeners reset
  // their children, whose RSTs end the orphans at once; an orphan whose
  // peer is still alive lives at most orphan_retries probes. 30 s covers
  // the first case with a wide margin under TCG.
  const int64_t took = wait_baseline(base, 30000);
  const int64_t peak = sampler.finish();
  const double gone_s = std::chrono::duration<double>(Clock::now() - exited).count();
  std::map<std::string, uint64_t> c;
  {
    std::istringstream in(report);
    std::string name;
    uint64_t v = 0;
    while (in >> name >> v) c[name] = v;
  }
  std::printf(
      "pin attempt: %d listeners x %d clients, high %ld pages: peak %lld pages; in the user's "
      "namespace orphan_resets %llu drop_memory %llu, peak orphans %llu; all gone %.2f s after "
      "exit\n",
      kListeners, kClients, kHigh, (long long)peak, (unsigned long long)c["orphan_resets"],
      (unsigned long long)c["drop_memory"], (unsigned long long)c["orphans"], gone_s);
  ASSERT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 0) << "1 global sysctl reachable, 2 listen, 4 connect, 8 report, "
                                   "100 setresuid, 101 unshare, 102 id maps, 103 device";
  // docs/limits.md's allowance: one 64 KiB skb (17 pages) per CPU racing
  // past the mark, and a FIN debt per orphan (a FIN is charged whatever the
  // limits; with no forward allocation left it takes a page of the count).
  EXPECT_LE(peak, kHigh + 2 * 17 + kMaxOrphans + 1);
  EXPECT_GT(peak, kHigh / 2) << "the attempt never got near the limit";
  EXPECT_GT(c["orphan_resets"], 0u);
  EXPECT_LE(c["orphans"], static_cast<uint64_t>(kMaxOrphans) + 1);
  EXPECT_GE(took, 0) << "sockets or the namespace still alive 30 s after exit";
  const auto s = sockstat();
  EXPECT_EQ(s.at("namespaces"), base.at("namespaces"));
  EXPECT_EQ(s.at("memory_pages"), base.at("memory_pages"));
  EXPECT_TRUE(gt::wait_until([&] { return module_refcnt() == refcnt; }, 10000))
      << "refcnt " << module_refcnt() << " baseline " << refcnt;
}

}  // namespace
}  // namespace hostile
