// The socket backlog (architecture.md, Locking): a segment that arrives
// while a program holds its socket (lock_sock()) is not processed in
// softirq but queued, and processed by release_sock() when the program lets
// go (glass_backlog_rcv(), counted in backlog_segments). The reader is held
// inside recvmsg() deterministically: its buffer is a page userfaultfd has
// not filled, so the copy to user memory sleeps with the socket owned.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>

#include "transfer.hpp"

namespace {

constexpr uint64_t kBacklogSeed = 23;
constexpr size_t kPage = 4096;

// One page of anonymous memory whose first touch waits for userfaultfd.
class FaultingPage {
 public:
  FaultingPage() {
    uffd_ = static_cast<int>(::syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK));
    if (uffd_ < 0) return;
    uffdio_api api{.api = UFFD_API, .features = 0, .ioctls = 0};
    if (::ioctl(uffd_, UFFDIO_API, &api) != 0) return;
    void* p = ::mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
    page_ = static_cast<unsigned char*>(p);
    uffdio_register reg{.range = {reinterpret_cast<uintptr_t>(page_), kPage},
                        .mode = UFFDIO_REGISTER_MODE_MISSING,
                        .ioctls = 0};
    registered_ = ::ioctl(uffd_, UFFDIO_REGISTER, &reg) == 0;
  }
  ~FaultingPage() {
    release();
    if (page_) ::munmap(page_, kPage);
    if (uffd_ >= 0) ::close(uffd_);
  }
  FaultingPage(const FaultingPage&) = delete;
  FaultingPage& operator=(const FaultingPage&) = delete;

  bool ok() const { return registered_; }
  unsigned char* data() const { return page_; }
  // True once something touched the page and sleeps in the fault.
  bool wait_fault(int ms) const {
    pollfd pf{uffd_, POLLIN, 0};
    return ::poll(&pf, 1, gt::scaled_ms(ms)) == 1;
  }
  // Maps a zero page: the sleeper wakes and its copy goes on.
  void release() {
    if (!registered_ || released_) return;
    uffdio_zeropage zp{
        .range = {reinterpret_cast<uintptr_t>(page_), kPage}, .mode = 0, .zeropage = 0};
    ::ioctl(uffd_, UFFDIO_ZEROPAGE, &zp);
    released_ = true;
  }

 private:
  int uffd_ = -1;
  unsigned char* page_ = nullptr;
  bool registered_ = false;
  bool released_ = false;
};

}  // namespace

TEST(Backlog, SegmentsForAHeldSocketWaitForReleaseSockAndArriveIntact) {
  constexpr size_t kMore = 64 * 1024;  // sent while the reader holds the socket
  FaultingPage page;
  if (!page.ok() && errno == ENOSYS) GTEST_SKIP() << "this kernel has no userfaultfd";
  ASSERT_TRUE(page.ok()) << "userfaultfd: " << strerror(errno);
  tt::Link link;
  link.open();
  ASSERT_GE(link.server, 0);

  // The first page is queued before the read, so read() copies at once
  // and falls asleep in the fault with the socket owned.
  ASSERT_TRUE(tt::send_pattern(link.client, kBacklogSeed, kPage));
  pollfd in{link.server, POLLIN, 0};
  ASSERT_EQ(::poll(&in, 1, gt::scaled_ms(5000)), 1);
  ssize_t got = -1;
  std::thread reader([&] { got = ::read(link.server, page.data(), kPage); });
  ASSERT_TRUE(page.wait_fault(5000)) << "read() never touched its buffer";

  // Everything below reads only counters: a call that locks the server
  // socket (FIONREAD, /proc/net/glass) would wait for the reader too.
  const uint64_t backlog0 = tt::stat(link.h2(), "backlog_segments");
  const uint64_t segs0 = tt::stat(link.h2(), "segments_in");
  ASSERT_TRUE(tt::send_pattern(link.client, kBacklogSeed, kMore, kPage));
  // With the receiver's ACKs held back too, the sender stops at its
  // congestion window (10 segments); wait for some of them.
  EXPECT_TRUE(gt::wait_until([&] { return tt::stat(link.h2(), "segments_in") >= segs0 + 5; }))
      << "segments for the held socket never arrived";
  const uint64_t arrived = tt::stat(link.h2(), "segments_in") - segs0;
  EXPECT_EQ(tt::stat(link.h2(), "backlog_segments"), backlog0)
      << "segments were processed while a program held the socket";
  EXPECT_EQ(tt::stat(link.h2(), "drop_backlog"), 0u);

  page.release();
  reader.join();
  ASSERT_GT(got, 0) << strerror(errno);
  // release_sock() processed at least what arrived while it was held.
  EXPECT_GE(tt::stat(link.h2(), "backlog_segments") - backlog0, arrived);
  for (ssize_t i = 0; i < got; ++i)
    ASSERT_EQ(page.data()[i], tt::pattern_byte(kBacklogSeed, static_cast<uint64_t>(i)))
        << "byte " << i;
  std::string why;
  const uint64_t rest = kPage + kMore - static_cast<uint64_t>(got);
  EXPECT_TRUE(tt::recv_pattern(link.server, kBacklogSeed, rest, &why, static_cast<uint64_t>(got)))
      << why;
  EXPECT_TRUE(tt::wait_all_acked(link.client));
  EXPECT_EQ(tt::stat(link.h2(), "drop_backlog"), 0u);
}
