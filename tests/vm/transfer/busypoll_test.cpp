// Busy polling (SO_BUSY_POLL, as TCP's): a reader with nothing to read
// spins on the device poll its segments arrive by (the socket's
// sk_napi_id, set from each frame's poll in glass_dev.c) instead of
// sleeping, and takes the reply itself. The kernel counts every frame
// such a spin delivered in the namespace's TcpExt BusyPollRxPackets
// (napi_busy_loop()), which nothing else raises: it stays still without
// the option and moves with it.
//
// The reply poll does the same with no option, for a reader that wrote
// since it last read (it awaits a reply), for up to net.glass.reply_poll_us,
// while such spins keep finding the reply (core/replypoll.h). It counts
// reply_polls and reply_poll_hits in glass_stat.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "transfer.hpp"

namespace {

constexpr int kRoundTrips = 200;
constexpr size_t kMsg = 64;
// core/replypoll.h's GLASS_REPLY_CREDIT_MAX: late replies a reader spins
// for; GLASS_REPLY_RETRY: sleeps before it tries a spin again.
constexpr int kCredit = 3;
constexpr int kRetry = 16;

// TcpExt BusyPollRxPackets of a namespace (/proc/net/netstat: a line of
// names, then a line of values, both prefixed "TcpExt:").
uint64_t busy_poll_rx_packets(const gt::Netns& ns) {
  gt::InNetns in(ns.name());
  std::ifstream f("/proc/thread-self/net/netstat");
  std::string names;
  std::string values;
  while (std::getline(f, names) && std::getline(f, values)) {
    if (names.rfind("TcpExt:", 0) != 0) continue;
    std::istringstream n(names);
    std::istringstream v(values);
    std::string name;
    std::string value;
    while (n >> name && v >> value)
      if (name == "BusyPollRxPackets") return std::stoull(value);
  }
  ADD_FAILURE() << "no TcpExt BusyPollRxPackets in " << ns.name() << "'s netstat";
  return 0;
}

// rounds requests of kMsg bytes from client to server, each answered
// with the same bytes plus one, after delay; every reply is checked.
void ping_pong(int client, int server, int rounds = kRoundTrips,
               std::chrono::milliseconds delay = std::chrono::milliseconds(0)) {
  std::thread echo([server, rounds, delay] {
    std::array<uint8_t, kMsg> b{};
    for (int i = 0; i < rounds; i++) {
      if (!gt::read_all(server, b.data(), b.size())) return;
      for (auto& c : b) c++;
      std::this_thread::sleep_for(delay);
      if (!gt::write_all(server, b.data(), b.size())) return;
    }
  });
  std::array<uint8_t, kMsg> req{};
  std::array<uint8_t, kMsg> rep{};
  for (int i = 0; i < rounds; i++) {
    req.fill(static_cast<uint8_t>(i));
    ASSERT_TRUE(gt::write_all(client, req.data(), req.size()));
    ASSERT_TRUE(gt::read_all(client, rep.data(), rep.size())) << "round trip " << i;
    ASSERT_EQ(rep[0], static_cast<uint8_t>(i + 1)) << "round trip " << i;
    ASSERT_EQ(rep[kMsg - 1], static_cast<uint8_t>(i + 1)) << "round trip " << i;
  }
  echo.join();
}

// A connection for request/response: Nagle off at both ends.
void open_rr(tt::Link& link) {
  tt::Options o;
  o.client_nodelay = true;
  link.open(o);
  ASSERT_GE(link.server, 0);
  const int one = 1;
  ASSERT_EQ(setsockopt(link.server, SOL_GLASS, GLASS_NODELAY, &one, sizeof(one)), 0);
}

// Both namespaces' net.glass.reply_poll_us.
void set_reply_poll(const tt::Link& link, int usec) {
  tt::sysctl(link.h1(), "reply_poll_us", usec);
  tt::sysctl(link.h2(), "reply_poll_us", usec);
}

// The reply poll's counters of a namespace, and its busy-polled frames.
struct PollCounts {
  uint64_t polls, hits, frames;
};

PollCounts poll_counts(const gt::Netns& ns) {
  return {tt::stat(ns, "reply_polls"), tt::stat(ns, "reply_poll_hits"), busy_poll_rx_packets(ns)};
}

PollCounts operator-(const PollCounts& a, const PollCounts& b) {
  return {a.polls - b.polls, a.hits - b.hits, a.frames - b.frames};
}

}  // namespace

TEST(BusyPoll, AReaderWithSoBusyPollTakesRepliesFromThePoll) {
  tt::Link link;
  ASSERT_NO_FATAL_FAILURE(open_rr(link));
  set_reply_poll(link, 0);  // no spin but the option's

  const uint64_t before = busy_poll_rx_packets(link.h1());
  ping_pong(link.client, link.server);
  const uint64_t without = busy_poll_rx_packets(link.h1()) - before;
  EXPECT_EQ(without, 0U) << "frames busy-polled with no socket asking for it";

  // Long enough for a reply under the debug kernel; raising it needs
  // CAP_NET_ADMIN, as for TCP.
  const int usec = 50000;
  ASSERT_EQ(setsockopt(link.client, SOL_SOCKET, SO_BUSY_POLL, &usec, sizeof(usec)), 0);
  int got = 0;
  socklen_t len = sizeof(got);
  ASSERT_EQ(getsockopt(link.client, SOL_SOCKET, SO_BUSY_POLL, &got, &len), 0);
  EXPECT_EQ(got, usec);
  ping_pong(link.client, link.server);
  const uint64_t with = busy_poll_rx_packets(link.h1()) - before - without;
  EXPECT_GE(with, static_cast<uint64_t>(kRoundTrips / 2))
      << "of " << kRoundTrips << " replies, " << with << " were taken by the reader's spin";
}

TEST(ReplyPoll, IsOnByDefaultAndOffAtZero) {
  tt::Link link;
  ASSERT_NO_FATAL_FAILURE(open_rr(link));
  std::ifstream f;
  {
    gt::InNetns in(link.h1().name());
    f.open("/proc/sys/net/glass/reply_poll_us");
  }
  int usec = -1;
  f >> usec;
  EXPECT_EQ(usec, 200) << "net.glass.reply_poll_us's default";

  // Whatever the replies' timing, the first three waits spin: the credit
  // starts full and only a wait lowers it.
  const PollCounts before = poll_counts(link.h1());
  ping_pong(link.client, link.server);
  const PollCounts on = poll_counts(link.h1()) - before;
  EXPECT_GE(on.polls, 3U) << "the client's waits for its replies did not spin";

  set_reply_poll(link, 0);
  const PollCounts mid = poll_counts(link.h1());
  ping_pong(link.client, link.server);
  const PollCounts off = poll_counts(link.h1()) - mid;
  EXPECT_EQ(off.polls, 0U) << "spins with net.glass.reply_poll_us at 0";
  EXPECT_EQ(off.frames, 0U);
}

TEST(ReplyPoll, AReaderAwaitingAReplyTakesItFromThePoll) {
  tt::Link link;
  ASSERT_NO_FATAL_FAILURE(open_rr(link));
  // Long enough for a reply under the debug kernel.
  set_reply_poll(link, 50000);
  const PollCounts before = poll_counts(link.h1());
  ping_pong(link.client, link.server);
  const PollCounts d = poll_counts(link.h1()) - before;
  EXPECT_GE(d.hits, static_cast<uint64_t>(kRoundTrips / 2))
      << "of " << d.polls << " spins for " << kRoundTrips << " replies, " << d.hits
      << " ended with the reply";
  EXPECT_GE(d.frames, static_cast<uint64_t>(kRoundTrips / 2))
      << "of " << kRoundTrips << " replies, " << d.frames << " were taken by the reader's spin";
  EXPECT_LE(d.hits, d.polls);
}

TEST(ReplyPoll, AReaderThatNeverWritesNeverSpins) {
  tt::Link link;
  link.open();
  ASSERT_GE(link.server, 0);
  set_reply_poll(link, 50000);
  const PollCounts c0 = poll_counts(link.h1());
  const PollCounts s0 = poll_counts(link.h2());
  constexpr uint64_t kBytes = 4 << 20;
  std::thread writer([&link] { EXPECT_TRUE(tt::send_pattern(link.client, 7, kBytes)); });
  std::string why;
  EXPECT_TRUE(tt::recv_pattern(link.server, 7, kBytes, &why)) << why;
  writer.join();
  EXPECT_EQ((poll_counts(link.h2()) - s0).polls, 0U) << "the bulk reader spun";
  EXPECT_EQ((poll_counts(link.h1()) - c0).polls, 0U) << "the writer never reads";
}

TEST(ReplyPoll, LateRepliesStopTheSpinAndPromptOnesBringItBack) {
  tt::Link link;
  ASSERT_NO_FATAL_FAILURE(open_rr(link));
  set_reply_poll(link, 100000);  // the most: no prompt reply misses it
  const PollCounts before = poll_counts(link.h1());
  ping_pong(link.client, link.server, 6, std::chrono::milliseconds(300));
  const PollCounts late = poll_counts(link.h1()) - before;
  EXPECT_EQ(late.polls, static_cast<uint64_t>(kCredit))
      << "six replies 300 ms late: the credit of three is spent, then the reader sleeps";
  EXPECT_EQ(late.hits, 0U);

  // Three sleeps so far; after kRetry the reader tries a spin again, and
  // a prompt reply keeps it spinning: at most the 17 waits after the
  // 13 sleeps left spin. Fewer when a reply was queued before its read
  // began (a read that does not wait neither spins nor counts a sleep:
  // the debug kernel's preempted client saw one).
  const PollCounts mid = poll_counts(link.h1());
  ping_pong(link.client, link.server, 30);
  const PollCounts prompt = poll_counts(link.h1()) - mid;
  EXPECT_LE(prompt.polls, static_cast<uint64_t>(30 - (kRetry - 3)))
      << "the reader spun before " << kRetry << " sleeps had passed";
  EXPECT_GE(prompt.hits, 10U) << "a prompt reply to the trial spin after " << kRetry
                              << " sleeps did not bring the spin back (" << prompt.polls
                              << " spins)";
}
