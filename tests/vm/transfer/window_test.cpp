// Flow control: a reader that stops reading fills the receive buffer and
// shuts the window; the writer blocks on a full send buffer; the persist
// timer probes the closed window; reading again reopens it with a window
// update and the writer resumes. Every byte is checked.
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <thread>
#include <vector>

#include "transfer.hpp"

namespace {

constexpr uint64_t kWindowSeed = 7;
// The glass pair's devices have the Ethernet MTU; the MSS leaves room for
// the 32-byte glass header.
constexpr int kMss = 1500 - GLASS_HDR_LEN;
// A receive window of exactly 44 full segments and a send buffer of 64 KiB.
constexpr int kRcvWindow = 44 * kMss;
constexpr int kSndBuf = 64 * 1024;

// A connection whose reader never reads and whose writer wrote until the
// send buffer refused more with EAGAIN, after the window had closed. The
// suite's tests share one pair of namespaces, one connection each.
class Stalled : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pair_ = new gt::Pair; }
  static void TearDownTestSuite() {
    delete pair_;
    pair_ = nullptr;
  }
  // rto_min_ms (the persist timer's base) applies to connections made after.
  void open(int rto_min_ms = 200) {
    tt::sysctl(link.h1(), "rto_min_ms", rto_min_ms);
    tt::Options o;
    o.server_rcvbuf = kRcvWindow;
    o.client_sndbuf = kSndBuf;
    link.open(o);
    ASSERT_GE(link.server, 0);
    ASSERT_EQ(gt::info(link.client).gi_mss, static_cast<uint32_t>(kMss));
    ASSERT_EQ(gt::info(link.server).gi_rcv_space, static_cast<uint32_t>(kRcvWindow));
  }

  // Writes (non-blocking) until EAGAIN, waits for the window to shut and
  // everything sent to be acknowledged, and repeats until a write right
  // after that still gets EAGAIN: then both buffers are as full as they get.
  // Writes are whole multiples of the MSS, so (from a segment boundary)
  // every segment is full sized and the window fills with whole segments.
  void fill() {
    tt::set_nonblocking(link.client, true);
    std::vector<uint8_t> buf(11 * kMss);
    for (int round = 0; round < 50; round++) {
      bool wrote = false;
      for (;;) {
        tt::pattern_fill(kWindowSeed, written, buf.data(), buf.size());
        ssize_t w = write(link.client, buf.data(), buf.size());
        if (w < 0) {
          ASSERT_EQ(errno, EAGAIN) << strerror(errno);
          break;
        }
        written += static_cast<uint64_t>(w);
        wrote = true;
      }
      if (!wrote && round > 0) return;
      ASSERT_TRUE(gt::wait_until(
          [&] {
            glass_info c = gt::info(link.client);
            return c.gi_snd_wnd == 0 && c.gi_unacked == 0;
          },
          5000))
          << "the window did not shut: sender snd_wnd " << gt::info(link.client).gi_snd_wnd
          << " unacked " << gt::info(link.client).gi_unacked << " unsent "
          << gt::info(link.client).gi_unsent << "; receiver unread "
          << gt::info(link.server).gi_unread << " rcv_wnd " << gt::info(link.server).gi_rcv_wnd;
    }
    FAIL() << "the send buffer never stayed full";
  }

  // After the reader drained the window into buf: the sender sent into the
  // reopened window without a probe, and buf holds the window's bytes.
  void expect_reopened_without_probe(const std::vector<uint8_t>& buf) {
    EXPECT_TRUE(gt::wait_until([&] { return gt::info(link.server).gi_unread > 0; }, 2000))
        << "the sender sent nothing into the reopened window";
    EXPECT_EQ(gt::info(link.client).gi_probes, 0u);
    std::vector<uint8_t> want(buf.size());
    tt::pattern_fill(kWindowSeed, 0, want.data(), want.size());
    EXPECT_TRUE(buf == want);
  }

  static gt::Pair* pair_;
  tt::Link link{*pair_};
  uint64_t written = 0;
};

gt::Pair* Stalled::pair_ = nullptr;

TEST_F(Stalled, SlowReaderFillsBuffersAndClosesWindow) {
  ASSERT_NO_FATAL_FAILURE(open());
  ASSERT_NO_FATAL_FAILURE(fill());

  glass_info r = gt::info(link.server), s = gt::info(link.client);
  // The receive buffer holds exactly the window it offered, and says 0.
  EXPECT_EQ(r.gi_unread, static_cast<uint32_t>(kRcvWindow));
  EXPECT_EQ(r.gi_unread, r.gi_rcvbuf / 2);
  EXPECT_EQ(r.gi_rcv_wnd, 0u);
  EXPECT_GE(r.gi_zero_wnd_sent, 1u);
  EXPECT_EQ(r.gi_ooo, 0u);
  // The sender sees the window shut, has everything sent acknowledged and
  // the rest of what it accepted still queued.
  EXPECT_EQ(s.gi_snd_wnd, 0u);
  EXPECT_EQ(s.gi_unacked, 0u);
  EXPECT_GT(s.gi_unsent, 0u);
  EXPECT_EQ(written, uint64_t{r.gi_unread} + s.gi_unsent);
  EXPECT_EQ(s.gi_bytes_acked, uint64_t{r.gi_unread});
  EXPECT_GE(tt::stat(link.h2(), "zero_window_advertised"), 1u);
  pollfd p{link.client, POLLOUT, 0};
  ASSERT_EQ(poll(&p, 1, 0), 0) << "revents " << p.revents;
  EXPECT_FALSE(p.revents & POLLOUT);
}

TEST_F(Stalled, BlockedWriterIsCountedAndResumesWhenReaderDrains) {
  ASSERT_NO_FATAL_FAILURE(open());
  ASSERT_NO_FATAL_FAILURE(fill());
  tt::set_nonblocking(link.client, false);
  const uint64_t before = gt::info(link.client).gi_writer_blocked;
  const uint64_t extra = 100 * 1000;
  std::atomic<bool> done{false};
  bool ok = false;
  std::thread writer([&] {
    ok = tt::send_pattern(link.client, kWindowSeed, extra, written);
    done = true;
  });
  // The writer sleeps on the full send buffer, and the sleep is counted.
  EXPECT_TRUE(gt::wait_until([&] { return gt::info(link.client).gi_writer_blocked > before; }))
      << "gi_writer_blocked stayed " << before;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(done.load()) << "the writer finished while the window was shut";
  EXPECT_EQ(gt::info(link.server).gi_unread, static_cast<uint32_t>(kRcvWindow));

  std::string why;
  EXPECT_TRUE(tt::recv_pattern(link.server, kWindowSeed, written + extra, &why)) << why;
  writer.join();
  EXPECT_TRUE(ok);
  EXPECT_TRUE(tt::wait_all_acked(link.client));
  glass_info r = gt::info(link.server);
  EXPECT_EQ(r.gi_unread, 0u);
  EXPECT_EQ(r.gi_bytes_received, written + extra);
  EXPECT_GT(r.gi_rcv_wnd, 0u);
  EXPECT_GT(gt::info(link.client).gi_snd_wnd, 0u);
}

// A non-blocking writer that gets EAGAIN never sleeps: gi_writer_blocked
// counts sleeps ("times a writer slept on a full sndbuf").
TEST_F(Stalled, NonBlockingEagainIsNotCountedAsBlocked) {
  ASSERT_NO_FATAL_FAILURE(open());
  ASSERT_NO_FATAL_FAILURE(fill());
  EXPECT_EQ(gt::info(link.client).gi_writer_blocked, 0u);
}

// One odd-sized write first (a 1000-byte segment, acknowledged), then whole
// segments: the window's last 468 bytes are less than an MSS. The sender
// still fills the window to the last byte (the persist timer sends what
// fits, as TCP's tcp_write_wakeup does; RFC 1122 4.2.3.4's override) rather
// than leaving a sub-MSS gap open for good.
TEST_F(Stalled, WindowClosesCompletelyAfterAnOddSizedWrite) {
  ASSERT_NO_FATAL_FAILURE(open());
  std::vector<uint8_t> odd(1000);
  tt::pattern_fill(kWindowSeed, 0, odd.data(), odd.size());
  ASSERT_TRUE(gt::write_all(link.client, odd.data(), odd.size()));
  ASSERT_TRUE(tt::wait_all_acked(link.client));
  written = odd.size();
  ASSERT_NO_FATAL_FAILURE(fill());
  glass_info r = gt::info(link.server);
  EXPECT_EQ(r.gi_unread, static_cast<uint32_t>(kRcvWindow));
  EXPECT_EQ(r.gi_rcv_wnd, 0u);
  EXPECT_EQ(gt::info(link.client).gi_snd_wnd, 0u);
  std::string why;
  tt::set_nonblocking(link.client, false);
  EXPECT_TRUE(tt::recv_pattern(link.server, kWindowSeed, written, &why)) << why;
}

TEST_F(Stalled, ZeroWindowProbesAreSentWhileWindowIsShut) {
  ASSERT_NO_FATAL_FAILURE(open());
  ASSERT_NO_FATAL_FAILURE(fill());
  const uint32_t p0 = gt::info(link.client).gi_probes;
  const uint64_t c0 = tt::stat(link.h1(), "zero_window_probes");
  // The persist timer starts at the RTO (200 ms here) and doubles.
  ASSERT_TRUE(gt::wait_until([&] { return gt::info(link.client).gi_probes >= p0 + 2; }, 5000))
      << "gi_probes " << p0 << " -> " << gt::info(link.client).gi_probes;
  glass_info s = gt::info(link.client);
  EXPECT_GE(tt::stat(link.h1(), "zero_window_probes") - c0, uint64_t{s.gi_probes - p0});
  // Probes are answered: the connection lives on, the window stays shut
  // and no data was pushed into it.
  EXPECT_EQ(s.gi_state, GLASS_ESTABLISHED);
  EXPECT_EQ(s.gi_snd_wnd, 0u);
  EXPECT_EQ(s.gi_unacked, 0u);
  EXPECT_EQ(gt::info(link.server).gi_unread, static_cast<uint32_t>(kRcvWindow));
  EXPECT_EQ(gt::info(link.server).gi_state, GLASS_ESTABLISHED);
  std::string why;
  tt::set_nonblocking(link.client, false);
  EXPECT_TRUE(tt::recv_pattern(link.server, kWindowSeed, written, &why)) << why;
}

// The receiver that drains its buffer announces the open window itself:
// the sender moves on without a probe (the persist timer is set far out).
TEST_F(Stalled, DrainingReaderSendsWindowUpdate) {
  ASSERT_NO_FATAL_FAILURE(open(5000));
  ASSERT_NO_FATAL_FAILURE(fill());
  ASSERT_EQ(gt::info(link.client).gi_probes, 0u);
  const uint64_t wu0 = tt::stat(link.h2(), "window_updates");
  std::vector<uint8_t> buf(kRcvWindow);
  ASSERT_TRUE(gt::read_all(link.server, buf.data(), buf.size()));
  expect_reopened_without_probe(buf);
  EXPECT_GE(tt::stat(link.h2(), "window_updates"), wu0 + 1);
}

// The same stalled connection, with one allocation made to fail. Not a
// Stalled test: the fault pass (whose rate failslab would override) runs
// those.
class NoMemory : public Stalled {};

// The window update that reopens the window finds no memory: the
// delayed-ACK timer sends it again (as tcp_send_ack() retries), so the
// sender moves on without waiting for its persist timer (set far out).
TEST_F(NoMemory, WindowUpdateIsRetriedByTheDelayedAckTimer) {
  if (!gt::FailNextSlab::available())
    GTEST_SKIP() << "needs failslab (the debug kernel: make test-debug)";
  ASSERT_NO_FATAL_FAILURE(open(5000));
  ASSERT_NO_FATAL_FAILURE(fill());
  const uint64_t nomem0 = tt::stat(link.h2(), "drop_nomem");
  const uint64_t delack0 = tt::stat(link.h2(), "delayed_acks");
  std::vector<uint8_t> buf(kRcvWindow);
  bool failed = false;
  {
    // The read is the thread's only allocation: the window update's skb.
    gt::FailNextSlab fail;
    ASSERT_EQ(read(link.server, buf.data(), buf.size()), static_cast<ssize_t>(buf.size()));
    failed = fail.release();
  }
  ASSERT_TRUE(failed) << "no allocation failed in the read";
  EXPECT_EQ(tt::stat(link.h2(), "drop_nomem"), nomem0 + 1);
  expect_reopened_without_probe(buf);
  EXPECT_GE(tt::stat(link.h2(), "delayed_acks"), delack0 + 1);
}

}  // namespace
