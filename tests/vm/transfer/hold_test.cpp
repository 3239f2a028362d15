// Senders wait for a full pair (glass_dev.c, glass_dev_hold()): while the
// receiving end's queue holds net.glass.queue_hold_bytes, new data stays on
// the sending socket, in the device's line, and the device's poll pushes it
// as the queue drains; without the wait the queue drops what it cannot
// take, each drop a whole flight recovered by a timeout. Many writers at
// once over one pair: every byte arrives in order, the receiving device
// drops nothing, and tx_held in /proc/net/glass_stat counts the waits.
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "transfer.hpp"

namespace {

constexpr uint64_t kHoldSeed = 41;

// File descriptors closed with the test, whatever fails first.
struct Fds {
  std::vector<int> v;
  Fds() = default;
  Fds(const Fds&) = delete;
  Fds& operator=(const Fds&) = delete;
  ~Fds() {
    for (const int fd : v)
      if (fd >= 0) ::close(fd);
  }
};

// Writes and reads total pattern bytes on every link at once, one thread
// per end; returns each reader's complaint ("" for none).
std::vector<std::string> transfer_on_all(const std::vector<std::unique_ptr<tt::Link>>& links,
                                         uint64_t total) {
  const size_t n = links.size();
  std::vector<std::string> why(n);
  std::vector<char> wrote(n, 0);  // not vector<bool>: one thread per element
  std::vector<std::thread> threads;
  for (size_t i = 0; i < n; i++) {
    const int server = links[i]->server;
    const int client = links[i]->client;
    threads.emplace_back([&why, server, total, i] {
      if (!tt::recv_pattern(server, kHoldSeed + i, total, &why[i]) && why[i].empty())
        why[i] = "read failed";
    });
    threads.emplace_back([&wrote, client, total, i] {
      wrote[i] = tt::send_pattern(client, kHoldSeed + i, total) ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < n; i++)
    if (!wrote[i]) why[i] += " (short write)";
  return why;
}

}  // namespace

TEST(QueueHold, ManyWritersWaitForTheQueueInsteadOfLosingFrames) {
  constexpr int kLinks = 32;
  constexpr uint64_t kTotal = 1ull << 20;
  constexpr int kMark = 16 * 1024;  // a train or two: the queue reaches it
  gt::Pair pair;
  tt::sysctl(pair.h1(), "queue_hold_bytes", kMark);
  std::vector<std::unique_ptr<tt::Link>> links;
  for (int i = 0; i < kLinks; i++) {
    links.push_back(std::make_unique<tt::Link>(pair));
    links.back()->open();
    ASSERT_GE(links.back()->server, 0);
  }
  gt::LinkStats rx0, rx1;
  pair.h2().exec([&] { rx0 = gt::link_stats("gb"); });
  const uint64_t held0 = tt::stat(pair.h1(), "tx_held");

  const std::vector<std::string> why = transfer_on_all(links, kTotal);
  for (int i = 0; i < kLinks; i++) EXPECT_EQ(why[i], "") << "connection " << i;

  pair.h2().exec([&] { rx1 = gt::link_stats("gb"); });
  EXPECT_EQ(rx1.rx_dropped, rx0.rx_dropped) << "frames the receiving queue dropped";
  EXPECT_GT(tt::stat(pair.h1(), "tx_held") - held0, 0U) << "no sender ever waited";
  EXPECT_EQ(tt::stat(pair.h2(), "tx_held"), 0U) << "the reader's side sent no data";
}

// The queue's frames have a mark of their own, half the sending device's
// txqueuelen: a FIN is a 46-byte frame, so thousands of connections
// shutting down at once fill the queue's 4,096 frames long before its
// bytes reach any mark (2,756 FINs dropped in one 10,000-connection run of
// glass perf, each sent again only after an RTO). Here a txqueuelen of 64
// makes the burst of 2,000 connections' FINs, from both vCPUs at once,
// more than the queue takes (without the frame mark it dropped 789-3,450
// of them).
TEST(QueueHold, ABurstOfFinsWaitsForTheQueue) {
  constexpr int kConns = 2000;
  constexpr int kChunk = 1000;  // below the listener's backlog
  constexpr uint16_t kPort = 7420;
  rlimit nofile{3 * kConns, 3 * kConns};
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &nofile), 0) << strerror(errno);
  gt::Pair pair;
  pair.h1().exec([] { gt::link_set_txqueuelen("ga", 64); });
  Fds l, clients, servers;
  {
    gt::InNetns in(pair.h2().name());
    l.v.push_back(gt::listener(gt::Pair::kAddr2, kPort, kChunk));
  }
  ASSERT_GE(l.v[0], 0);
  for (int done = 0; done < kConns; done += kChunk) {
    {
      gt::InNetns in(pair.h1().name());
      for (int i = 0; i < kChunk; i++) clients.v.push_back(gt::connect_to(gt::Pair::kAddr2, kPort));
    }
    for (int i = 0; i < kChunk; i++) servers.v.push_back(::accept(l.v[0], nullptr, nullptr));
  }
  for (int i = 0; i < kConns; i++)
    ASSERT_TRUE(clients.v[i] >= 0 && servers.v[i] >= 0) << "connection " << i;

  gt::LinkStats rx0, rx1;
  pair.h2().exec([&] { rx0 = gt::link_stats("gb"); });
  const uint64_t rto0 = tt::stat(pair.h1(), "timeouts");
  const uint64_t held0 = tt::stat(pair.h1(), "tx_held");
  // Two threads, one per vCPU: FINs arrive faster than one poll takes them.
  std::atomic<int> shut{0};
  std::latch start(2);
  {
    std::vector<std::jthread> closers;
    closers.reserve(2);
    for (int half = 0; half < 2; half++)
      closers.emplace_back([&clients, &shut, &start, half] {
        cpu_set_t cpus;
        CPU_ZERO(&cpus);
        CPU_SET(half, &cpus);
        (void)::sched_setaffinity(0, sizeof(cpus), &cpus);
        start.arrive_and_wait();
        for (size_t i = half; i < clients.v.size(); i += 2)
          if (::shutdown(clients.v[i], SHUT_WR) == 0) shut++;
      });
  }
  ASSERT_EQ(shut.load(), kConns);
  // One deadline for all: a FIN the queue dropped comes after RTOs.
  int eof = 0;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(gt::scaled_ms(20000));
  for (const int s : servers.v) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd in{s, POLLIN, 0};
    char byte = 0;
    if (::poll(&in, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) == 1 &&
        ::recv(s, &byte, 1, 0) == 0)
      eof++;
  }
  pair.h2().exec([&] { rx1 = gt::link_stats("gb"); });
  const uint64_t rtos = tt::stat(pair.h1(), "timeouts") - rto0;
  EXPECT_EQ(eof, kConns) << "connections whose end of stream arrived";
  EXPECT_EQ(rx1.rx_dropped, rx0.rx_dropped) << "frames the receiving queue dropped";
  EXPECT_EQ(rtos, 0U) << "retransmission timeouts";
  EXPECT_GT(tt::stat(pair.h1(), "tx_held") - held0, 0U) << "no FIN ever waited";
}

// The marks are checked before every train a push sends, not once per
// push: one sender whose window lets a push send many trains at once (an
// ACK in slow start, a window opened by the reader) must not put more
// frames in a small queue than it takes. A txqueuelen of 4 gives a frame
// mark of 2; a 4 MiB receive buffer lets the window open wide.
TEST(QueueHold, OnePushSendsNoMoreTrainsThanTheQueueTakes) {
  constexpr uint64_t kTotal = 16ull << 20;
  gt::Pair pair;
  pair.h1().exec([] { gt::link_set_txqueuelen("ga", 4); });
  tt::Link link(pair);
  tt::Options o;
  o.server_rcvbuf = 4 << 20;
  o.client_sndbuf = 4 << 20;
  link.open(o);
  ASSERT_GE(link.server, 0);
  gt::LinkStats rx0, rx1;
  pair.h2().exec([&] { rx0 = gt::link_stats("gb"); });
  const uint64_t held0 = tt::stat(pair.h1(), "tx_held");
  const uint64_t resent0 = tt::stat(pair.h1(), "retransmitted_segments");
  std::string why;
  std::jthread reader([&] { (void)tt::recv_pattern(link.server, kHoldSeed, kTotal, &why); });
  EXPECT_TRUE(tt::send_pattern(link.client, kHoldSeed, kTotal));
  reader.join();
  EXPECT_EQ(why, "");
  pair.h2().exec([&] { rx1 = gt::link_stats("gb"); });
  EXPECT_EQ(rx1.rx_dropped, rx0.rx_dropped) << "frames the receiving queue dropped";
  EXPECT_EQ(tt::stat(pair.h1(), "retransmitted_segments") - resent0, 0U);
  EXPECT_GT(tt::stat(pair.h1(), "tx_held") - held0, 0U) << "the sender never waited";
}

// 0 turns the wait off: nobody is held, whatever the queue holds.
TEST(QueueHold, ZeroNeverHolds) {
  constexpr uint64_t kTotal = 4ull << 20;
  gt::Pair pair;
  tt::sysctl(pair.h1(), "queue_hold_bytes", 0);
  std::vector<std::unique_ptr<tt::Link>> links;
  for (int i = 0; i < 4; i++) {
    links.push_back(std::make_unique<tt::Link>(pair));
    links.back()->open();
    ASSERT_GE(links.back()->server, 0);
  }
  const std::vector<std::string> why = transfer_on_all(links, kTotal);
  for (size_t i = 0; i < links.size(); i++) EXPECT_EQ(why[i], "") << "connection " << i;
  EXPECT_EQ(tt::stat(pair.h1(), "tx_held"), 0U);
}
