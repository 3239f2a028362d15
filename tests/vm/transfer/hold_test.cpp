// Senders wait for a full pair (glass_dev.c, glass_dev_hold()): while the
// receiving end's queue holds net.glass.queue_hold_bytes, new data stays on
// the sending socket, in the device's line, and the device's poll pushes it
// as the queue drains; without the wait the queue drops what it cannot
// take, each drop a whole flight recovered by a timeout. Many writers at
// once over one pair: every byte arrives in order, the receiving device
// drops nothing, and tx_held in /proc/net/glass_stat counts the waits.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "transfer.hpp"

namespace {

constexpr uint64_t kHoldSeed = 41;

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
