// Send pages (glass_txpage.c): a write of more than a segment is copied
// into page frags from the socket's ring, and a page nothing holds any more
// is filled again instead of a fresh (zeroed) one; tx_pages_new and
// tx_pages_reused in /proc/net/glass_stat count each. A socket with less
// than a ring page queued copies into the writing task's page frag instead
// (tx_pages_shared), as TCP does. A page whose last holder let go is kept
// spare and taken before a new one (tx_pages_spare). Smaller writes stay
// in the skb's own buffer. Every byte is checked against its offset.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "transfer.hpp"

namespace {

constexpr uint64_t kTxPageSeed = 31;
constexpr uint64_t kPageBytes = 32 * 1024;  // an order-3 ring page

struct PageCounts {
  uint64_t fresh;
  uint64_t reused;
  uint64_t shared;
  uint64_t spare;
};

PageCounts page_counts(const gt::Netns& ns) {
  return {tt::stat(ns, "tx_pages_new"), tt::stat(ns, "tx_pages_reused"),
          tt::stat(ns, "tx_pages_shared"), tt::stat(ns, "tx_pages_spare")};
}

// Reads total bytes of the kTxPageSeed pattern on a thread; join() gives the verdict.
class PatternReader {
 public:
  PatternReader(int fd, uint64_t total, uint64_t off = 0)
      : t_([this, fd, total, off] { ok_ = tt::recv_pattern(fd, kTxPageSeed, total, &why_, off); }) {
  }
  std::string join() {
    t_.join();
    return ok_ ? "" : why_;
  }

 private:
  bool ok_ = false;
  std::string why_;
  std::thread t_;
};

// Writes len bytes of the pattern at off, has them read and waits until
// all are acknowledged: the socket is idle again.
void write_then_idle(const tt::Link& link, uint64_t len, uint64_t off) {
  PatternReader reader(link.server, len, off);
  ASSERT_TRUE(tt::send_pattern(link.client, kTxPageSeed, len, off));
  ASSERT_EQ(reader.join(), "");
  ASSERT_TRUE(tt::wait_all_acked(link.client, 5000)) << "never all acknowledged";
}

}  // namespace

// The buffers bound what the writer's queue and the reader's hold to a few
// pages, well under the ring's 32: pages come free while the writer goes
// on, whatever the reader's pace. (With autotuned buffers a slow reader
// can hold more than the ring, and then each page is new, as before.)
TEST(TxPages, BulkWritesFillPagesAgainOnceTheReaderFreedThem) {
  constexpr uint64_t kTotal = 16ull << 20;
  constexpr int kBuf = 128 * 1024;
  tt::Link link;
  link.open({.server_rcvbuf = kBuf, .client_sndbuf = kBuf});
  ASSERT_GE(link.server, 0);
  const PageCounts before = page_counts(link.h1());
  PatternReader reader(link.server, kTotal);
  EXPECT_TRUE(tt::send_pattern(link.client, kTxPageSeed, kTotal));
  EXPECT_EQ(reader.join(), "");
  const PageCounts after = page_counts(link.h1());
  const uint64_t fresh = after.fresh - before.fresh;
  const uint64_t reused = after.reused - before.reused;
  const uint64_t spare = after.spare - before.spare;
  EXPECT_GT(fresh + spare, 0U);
  EXPECT_GT(reused, 0U) << "no page was filled twice: " << fresh << " new ones";
  // Each copy into the task's page (the first bytes, the ring empty) fills
  // at most a page.
  const uint64_t shared = after.shared - before.shared;
  EXPECT_GE(fresh + reused + shared + spare, kTotal / kPageBytes)
      << "every byte went into some page";
}

TEST(TxPages, WritesOfASegmentOrLessUseNoPage) {
  tt::Link link;
  link.open({.client_nodelay = true});
  ASSERT_GE(link.server, 0);
  const PageCounts before = page_counts(link.h1());
  constexpr uint64_t kWrites = 200, kSize = 100;
  PatternReader reader(link.server, kWrites * kSize);
  for (uint64_t i = 0; i < kWrites; i++)
    ASSERT_TRUE(tt::send_pattern(link.client, kTxPageSeed, kSize, i * kSize));
  EXPECT_EQ(reader.join(), "");
  const PageCounts after = page_counts(link.h1());
  EXPECT_EQ(after.fresh, before.fresh);
  EXPECT_EQ(after.reused, before.reused);
}

// An idle socket pins no page: once everything written is acknowledged
// the ring lets its pages go, the one being filled too (kept, it was 32 KiB
// per connection that had ever written, uncharged). Each 96 KiB write
// (one sendmsg) starts in the task's page frag, the ring being empty, and
// goes on in pages of the socket's own once a ring page's worth is
// queued; a page kept from the first write would have been filled again.
TEST(TxPages, AnIdleSocketKeepsNoPage) {
  constexpr uint64_t kWrite = 96 * 1024;
  tt::Link link;
  link.open();
  ASSERT_GE(link.server, 0);
  PageCounts before = page_counts(link.h1());
  for (uint64_t i = 0; i < 2; i++) {
    ASSERT_NO_FATAL_FAILURE(write_then_idle(link, kWrite, i * kWrite));
    const PageCounts after = page_counts(link.h1());
    EXPECT_GE(after.shared - before.shared, 1U) << "write " << i << " began in no task page";
    EXPECT_GE(after.fresh + after.spare - before.fresh - before.spare, 1U)
        << "write " << i << " took no page of its own";
    EXPECT_EQ(after.reused, before.reused) << "write " << i << " found a page kept while idle";
    before = after;
  }
}

// A write of a few segments to an idle socket fills the writing task's
// page frag (shared by its sockets, as TCP's): no page of its own, so
// none zeroed for it (one program writing 16 KiB to each of 10,000
// connections allocated and zeroed a 32 KiB page per write).
TEST(TxPages, ShortWritesToAnIdleSocketFillTheTasksPage) {
  constexpr uint64_t kWrite = 8 * 1024;  // more than a segment, a quarter page
  tt::Link link;
  link.open();
  ASSERT_GE(link.server, 0);
  const PageCounts before = page_counts(link.h1());
  for (uint64_t i = 0; i < 4; i++)
    ASSERT_NO_FATAL_FAILURE(write_then_idle(link, kWrite, i * kWrite));
  const PageCounts after = page_counts(link.h1());
  EXPECT_GE(after.shared - before.shared, 4U);
  EXPECT_EQ(after.fresh, before.fresh);
  EXPECT_EQ(after.reused, before.reused);
}

// Small writes after a paged skb join its frags; a large one after a
// small skb starts a paged one: the stream stays in order either way.
TEST(TxPages, SmallAndLargeWritesInterleaveInOrder) {
  const std::vector<uint64_t> sizes{100, 70000, 1, 5000, 1448, 300001, 7, 65536, 2, 40000};
  uint64_t total = 0;
  for (int round = 0; round < 8; round++)
    for (uint64_t s : sizes) total += s;
  tt::Link link;
  link.open();
  ASSERT_GE(link.server, 0);
  PatternReader reader(link.server, total);
  uint64_t off = 0;
  for (int round = 0; round < 8; round++) {
    for (uint64_t s : sizes) {
      ASSERT_TRUE(tt::send_pattern(link.client, kTxPageSeed, s, off));
      off += s;
    }
  }
  EXPECT_EQ(reader.join(), "");
}

// A page freed by its last holder (the ACK or the read, whichever comes
// last) is kept spare and filled by the next write that needs a page,
// instead of a new one the allocator zeroes (glass_txspare.c). Writes of
// 16 KiB to eight idle sockets in turn go into the task's page frag, two
// to a page: about three pages a round besides the one the frag keeps.
// Each round is read and acknowledged before the next, so all but the
// first round's pages can come from the spares.
TEST(TxPages, PagesFreedByTheirLastHolderAreFilledAgain) {
  constexpr int kLinks = 8;
  constexpr int kRounds = 32;
  constexpr uint64_t kWrite = 16 * 1024;
  gt::Pair pair;
  std::vector<std::unique_ptr<tt::Link>> links;
  for (int i = 0; i < kLinks; i++) {
    links.push_back(std::make_unique<tt::Link>(pair));
    links.back()->open();
    ASSERT_GE(links.back()->server, 0);
  }
  const PageCounts before = page_counts(pair.h1());
  for (uint64_t r = 0; r < kRounds; r++) {
    for (const auto& link : links)
      ASSERT_TRUE(tt::send_pattern(link->client, kTxPageSeed, kWrite, r * kWrite));
    for (const auto& link : links) {
      std::string why;
      ASSERT_TRUE(tt::recv_pattern(link->server, kTxPageSeed, kWrite, &why, r * kWrite)) << why;
      ASSERT_TRUE(tt::wait_all_acked(link->client, 5000)) << "never all acknowledged";
    }
  }
  const PageCounts after = page_counts(pair.h1());
  const uint64_t fresh = after.fresh - before.fresh;
  const uint64_t spare = after.spare - before.spare;
  EXPECT_GE(after.shared - before.shared, uint64_t{kLinks} * kRounds) << "a write began elsewhere";
  EXPECT_GE(spare, uint64_t{kRounds} * 2) << fresh << " new pages";
  EXPECT_LE(fresh, uint64_t{kRounds}) << spare << " spare pages";
}
