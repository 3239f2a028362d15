// Memory stays bounded: a peer that floods a receiver that never reads
// cannot make it hold more than its receive buffer, whatever the segment
// sizes; a listener that never accepts never queues more than its backlog.
//
// Slack: the module refuses a segment when rmem + its truesize would pass
// sk_rcvbuf, so data skbs alone stay at or under rcvbuf. Small segments
// (<= 512 bytes) are copied into a private 4 KiB "compact" skb that is
// charged without that check, so one such skb (its truesize, under 8 KiB)
// may sit on top: the bound asserted is rcvbuf + kSlack.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "hostile.hpp"

namespace hostile {
namespace {

constexpr uint64_t kSlack = 8192;

struct Peak {
  uint64_t rmem = 0;
  uint64_t rcvbuf = 0;
  uint64_t recvq = 0;
  uint64_t written = 0;
  int samples = 0;
};

// Floods c.client → c.server for `ms` with writes of `chunk` bytes while
// sampling the server's row in h2; the server never reads.
Peak flood(const gt::Pair& p, Conn& c, size_t chunk, bool nodelay, int ms) {
  sockaddr_glass sa{};
  socklen_t sl = sizeof(sa);
  ::getpeername(c.server.get(), reinterpret_cast<sockaddr*>(&sa), &sl);
  const std::string remote = "10.7.0.1:" + std::to_string(ntohs(sa.sg_port));
  if (nodelay) {
    int one = 1;
    EXPECT_EQ(::setsockopt(c.client.get(), SOL_GLASS, GLASS_NODELAY, &one, sizeof(one)), 0);
  }
  nonblock(c.client.get());
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> written{0};
  std::thread writer([&] {
    std::vector<uint8_t> buf(chunk, 0x5a);
    while (!stop.load()) {
      const ssize_t n = ::send(c.client.get(), buf.data(), buf.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EAGAIN) {
        pollfd pf{c.client.get(), POLLOUT, 0};
        ::poll(&pf, 1, 20);
      } else if (n < 0) {
        ADD_FAILURE() << "send: " << strerror(errno);
        return;
      } else {
        written += static_cast<uint64_t>(n);
      }
    }
  });
  Peak pk;
  gt::InNetns in(p.h2().name());
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < end) {
    const ProcTable t = proc_table();
    if (const auto* row = t.find("remote", remote)) {
      pk.rmem = std::max(pk.rmem, t.num(*row, "rmem"));
      pk.recvq = std::max(pk.recvq, t.num(*row, "recvq"));
      pk.rcvbuf = t.num(*row, "rcvbuf");
      ++pk.samples;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop = true;
  writer.join();
  pk.written = written.load();
  return pk;
}

class MemoryBound : public ::testing::TestWithParam<std::tuple<size_t, bool>> {};

TEST_P(MemoryBound, UnreadDataNeverExceedsRcvbuf) {
  const auto [chunk, nodelay] = GetParam();
  gt::Pair p;
  Fd lst;
  {
    gt::InNetns in(p.h2().name());
    lst = Fd(gt::glass_socket());
    int rcvbuf = 16384;  // the kernel doubles it, as for TCP
    ASSERT_EQ(::setsockopt(lst.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
    sockaddr_glass a = gt::addr(gt::Pair::kAddr2, 7300);
    ASSERT_EQ(::bind(lst.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    ASSERT_EQ(::listen(lst.get(), 4), 0);
  }
  Conn c;
  {
    gt::InNetns in(p.h1().name());
    c.client = Fd(gt::connect_to(gt::Pair::kAddr2, 7300));
  }
  c.server = Fd(::accept(lst.get(), nullptr, nullptr));
  ASSERT_TRUE(c.server);
  const Peak pk = flood(p, c, chunk, nodelay, 3000);
  ASSERT_GT(pk.samples, 0);
  const glass_info si = gt::info(c.server.get());
  std::printf("memory: chunk %zu nodelay %d: rcvbuf %llu peak rmem %llu peak recvq %llu\n", chunk,
              nodelay, (unsigned long long)pk.rcvbuf, (unsigned long long)pk.rmem,
              (unsigned long long)pk.recvq);
  EXPECT_GT(pk.rmem, 0u);
  EXPECT_LE(pk.rmem, pk.rcvbuf + kSlack);
  EXPECT_LE(pk.recvq, pk.rcvbuf);
  EXPECT_LE(si.gi_unread, si.gi_rcvbuf);
  // Every byte still arrives once the reader reads.
  ::shutdown(c.client.get(), SHUT_WR);
  uint64_t got = 0;
  std::vector<uint8_t> buf(65536);
  for (;;) {
    const ssize_t n = ::read(c.server.get(), buf.data(), buf.size());
    ASSERT_GE(n, 0) << strerror(errno);
    if (n == 0) break;
    for (ssize_t i = 0; i < n; ++i) ASSERT_EQ(buf[i], 0x5a);
    got += static_cast<uint64_t>(n);
  }
  EXPECT_EQ(got, pk.written);
}

INSTANTIATE_TEST_SUITE_P(Chunks, MemoryBound,
                         ::testing::Values(std::make_tuple(size_t{65536}, false),
                                           std::make_tuple(size_t{1}, true),
                                           std::make_tuple(size_t{100}, true)),
                         [](const auto& info) {
                           return "chunk" + std::to_string(std::get<0>(info.param)) +
                                  (std::get<1>(info.param) ? "_nodelay" : "");
                         });

TEST(ListenQueue, FloodNeverExceedsBacklog) {
  constexpr int kBacklog = 4;
  gt::Pair p;
  set_sysctl(p.h1().name(), "syn_retries", 2);
  set_sysctl(p.h1().name(), "rto_initial_ms", 200);
  Fd lst;
  std::map<std::string, uint64_t> before;
  {
    gt::InNetns in(p.h2().name());
    lst = Fd(gt::listener(gt::Pair::kAddr2, 7400, kBacklog));
    before = counters();
  }
  std::vector<Fd> clients;
  {
    gt::InNetns in(p.h1().name());
    for (int i = 0; i < 24; ++i) {
      Fd fd(gt::glass_socket(SOCK_NONBLOCK));
      sockaddr_glass a = gt::addr(gt::Pair::kAddr2, 7400);
      const int rc = ::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a));
      EXPECT_TRUE(rc == 0 || errno == EINPROGRESS) << strerror(errno);
      clients.push_back(std::move(fd));
    }
  }
  uint64_t peak = 0;
  gt::InNetns in(p.h2().name());
  for (int i = 0; i < 50; ++i) {
    const ProcTable t = proc_table();
    for (const auto& row : t.rows)  // the children share the local address
      if (row[t.col("local")] == "10.7.0.2:7400" && t.num(row, "state") == GLASS_LISTEN)
        peak = std::max(peak, t.num(row, "recvq"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto d = delta(counters(), before);
  std::printf(
      "listen flood: backlog %d, 24 connects, peak accept queue %llu, overflow drops %llu\n",
      kBacklog, (unsigned long long)peak, (unsigned long long)d.at("drop_listen_overflow"));
  EXPECT_GT(peak, 0u);
  EXPECT_LE(peak, static_cast<uint64_t>(kBacklog + 1));
  EXPECT_GT(d.at("drop_listen_overflow"), 0u);
}

}  // namespace
}  // namespace hostile

namespace hostile {
namespace {

// With 1024-byte segments each sender skb's truesize (~2.3 KB) is more
// than twice its payload; the receiver must copy such segments before
// holding them, or sk_rcvbuf fills before the advertised window
// (rcvbuf/2) does and in-window segments are dropped as drop_rcvbuf.
TEST(MemoryBound, WindowNeverPromisesMoreThanMemory) {
  gt::Pair p;
  Fd lst;
  {
    gt::InNetns in(p.h2().name());
    lst = Fd(gt::listener(gt::Pair::kAddr2, 7350));
  }
  Fd cli;
  {
    gt::InNetns in(p.h1().name());
    cli = Fd(gt::glass_socket());
    int mss = 1024;
    ASSERT_EQ(::setsockopt(cli.get(), SOL_GLASS, GLASS_MAXSEG, &mss, sizeof(mss)), 0);
    sockaddr_glass a = gt::addr(gt::Pair::kAddr2, 7350);
    ASSERT_EQ(::connect(cli.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  }
  Fd srv(::accept(lst.get(), nullptr, nullptr));
  ASSERT_TRUE(srv);
  nonblock(cli.get());
  std::vector<char> data(65536, 'm');
  for (int i = 0; i < 200; ++i) {
    if (::send(cli.get(), data.data(), data.size(), MSG_NOSIGNAL) < 0) {
      pollfd pf{cli.get(), POLLOUT, 0};
      ::poll(&pf, 1, 20);
    }
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const glass_info ci = gt::info(cli.get());
  const glass_info si = gt::info(srv.get());
  std::map<std::string, uint64_t> c2;
  std::string rows;
  {
    gt::InNetns in(p.h2().name());
    c2 = counters();
    const ProcTable t = proc_table();
    for (const auto& r : t.rows) {
      for (const auto& f : r) rows += f + " ";
      rows += "\n";
    }
  }
  std::printf(
      "receiver: unread %u rcv_wnd %u rcvbuf %u drop_rcvbuf %llu; sender: snd_wnd %u "
      "retransmits %u timeouts %u rto_us %u probes %u\n%s",
      si.gi_unread, si.gi_rcv_wnd, si.gi_rcvbuf, (unsigned long long)c2["drop_rcvbuf"],
      ci.gi_snd_wnd, ci.gi_retransmits, ci.gi_timeouts, ci.gi_rto_us, ci.gi_probes, rows.c_str());
  EXPECT_EQ(c2["drop_rcvbuf"], 0u) << "in-window data dropped for memory";
  EXPECT_EQ(ci.gi_timeouts, 0u) << "the sender backed off instead of probing a zero window";
}

}  // namespace
}  // namespace hostile
