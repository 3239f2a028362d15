// io_uring IORING_OP_SEND / IORING_OP_RECV on glass sockets, through the
// raw system calls (no liburing dependency).
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cstring>
#include <thread>

#include "socket_util.hpp"

namespace {

// The smallest useful ring: submit one SQE, reap CQEs.
class Ring {
 public:
  bool init(unsigned entries = 8) {
    io_uring_params p{};
    fd_ = static_cast<int>(syscall(__NR_io_uring_setup, entries, &p));
    if (fd_ < 0) return false;
    sq_len_ = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    cq_len_ = p.cq_off.cqes + p.cq_entries * sizeof(io_uring_cqe);
    bool single = p.features & IORING_FEAT_SINGLE_MMAP;
    if (single) sq_len_ = cq_len_ = std::max(sq_len_, cq_len_);
    sq_ = mmap(nullptr, sq_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd_,
               IORING_OFF_SQ_RING);
    if (sq_ == MAP_FAILED) return false;
    cq_ = single ? sq_
                 : mmap(nullptr, cq_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd_,
                        IORING_OFF_CQ_RING);
    if (cq_ == MAP_FAILED) return false;
    sqes_len_ = p.sq_entries * sizeof(io_uring_sqe);
    sqes_ = static_cast<io_uring_sqe*>(mmap(nullptr, sqes_len_, PROT_READ | PROT_WRITE,
                                            MAP_SHARED | MAP_POPULATE, fd_, IORING_OFF_SQES));
    if (sqes_ == MAP_FAILED) return false;
    auto* sq = static_cast<char*>(sq_);
    auto* cq = static_cast<char*>(cq_);
    sq_tail_ = reinterpret_cast<unsigned*>(sq + p.sq_off.tail);
    sq_mask_ = reinterpret_cast<unsigned*>(sq + p.sq_off.ring_mask);
    sq_array_ = reinterpret_cast<unsigned*>(sq + p.sq_off.array);
    cq_head_ = reinterpret_cast<unsigned*>(cq + p.cq_off.head);
    cq_tail_ = reinterpret_cast<unsigned*>(cq + p.cq_off.tail);
    cq_mask_ = reinterpret_cast<unsigned*>(cq + p.cq_off.ring_mask);
    cqes_ = reinterpret_cast<io_uring_cqe*>(cq + p.cq_off.cqes);
    return true;
  }
  ~Ring() {
    if (sqes_ && sqes_ != MAP_FAILED) munmap(sqes_, sqes_len_);
    if (cq_ && cq_ != MAP_FAILED && cq_ != sq_) munmap(cq_, cq_len_);
    if (sq_ && sq_ != MAP_FAILED) munmap(sq_, sq_len_);
    if (fd_ >= 0) close(fd_);
  }
  // Queues one operation and submits it without waiting.
  void submit(uint8_t op, int fd, void* buf, unsigned len, int msg_flags, uint64_t tag) {
    unsigned tail = *sq_tail_;
    unsigned idx = tail & *sq_mask_;
    io_uring_sqe* e = &sqes_[idx];
    memset(e, 0, sizeof(*e));
    e->opcode = op;
    e->fd = fd;
    e->addr = reinterpret_cast<uint64_t>(buf);
    e->len = len;
    e->msg_flags = static_cast<uint32_t>(msg_flags);
    e->user_data = tag;
    sq_array_[idx] = idx;
    __atomic_store_n(sq_tail_, tail + 1, __ATOMIC_RELEASE);
    long n = syscall(__NR_io_uring_enter, fd_, 1, 0, 0, nullptr, 0);
    if (n != 1) ADD_FAILURE() << "io_uring_enter submit: " << strerror(errno);
  }
  // Waits for one completion; returns its result, and its tag in *tag.
  int wait(uint64_t* tag = nullptr) {
    for (;;) {
      unsigned head = __atomic_load_n(cq_head_, __ATOMIC_ACQUIRE);
      if (head != __atomic_load_n(cq_tail_, __ATOMIC_ACQUIRE)) {
        io_uring_cqe c = cqes_[head & *cq_mask_];
        __atomic_store_n(cq_head_, head + 1, __ATOMIC_RELEASE);
        if (tag) *tag = c.user_data;
        return c.res;
      }
      if (syscall(__NR_io_uring_enter, fd_, 0, 1, IORING_ENTER_GETEVENTS, nullptr, 0) < 0 &&
          errno != EINTR) {
        ADD_FAILURE() << "io_uring_enter wait: " << strerror(errno);
        return -9999;
      }
    }
  }
  // True if a completion is ready now.
  bool ready() const {
    return __atomic_load_n(cq_head_, __ATOMIC_ACQUIRE) !=
           __atomic_load_n(cq_tail_, __ATOMIC_ACQUIRE);
  }

 private:
  int fd_ = -1;
  void *sq_ = nullptr, *cq_ = nullptr;
  size_t sq_len_ = 0, cq_len_ = 0, sqes_len_ = 0;
  io_uring_sqe* sqes_ = nullptr;
  io_uring_cqe* cqes_ = nullptr;
  unsigned *sq_tail_ = nullptr, *sq_mask_ = nullptr, *sq_array_ = nullptr;
  unsigned *cq_head_ = nullptr, *cq_tail_ = nullptr, *cq_mask_ = nullptr;
};

#define NEED_RING(r)                                                              \
  do {                                                                            \
    if (!(r).init()) GTEST_SKIP() << "io_uring unavailable: " << strerror(errno); \
  } while (0)

}  // namespace

TEST(Uring, SendAndRecvAreByteExact) {
  st::LoopConn c(6000);
  Ring r;
  NEED_RING(r);
  auto p = st::pattern(50000, 12);
  r.submit(IORING_OP_SEND, c.client, p.data(), static_cast<unsigned>(p.size()), 0, 1);
  EXPECT_EQ(r.wait(), static_cast<int>(p.size()));
  std::vector<char> got(p.size());
  size_t done = 0;
  while (done < got.size()) {
    r.submit(IORING_OP_RECV, c.server, got.data() + done, static_cast<unsigned>(got.size() - done),
             0, 2);
    int n = r.wait();
    ASSERT_GT(n, 0) << strerror(-n);
    done += static_cast<size_t>(n);
  }
  EXPECT_EQ(got, p);
}

TEST(Uring, PendingRecvCompletesWhenDataArrives) {
  st::LoopConn c(6001);
  Ring r;
  NEED_RING(r);
  char buf[16] = {};
  r.submit(IORING_OP_RECV, c.client, buf, sizeof(buf), 0, 7);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(r.ready()) << "the receive completed with no data";
  ASSERT_TRUE(gt::write_all(c.server, "uring", 5));
  uint64_t tag = 0;
  EXPECT_EQ(r.wait(&tag), 5);
  EXPECT_EQ(tag, 7u);
  EXPECT_EQ(std::string(buf, 5), "uring");
}

TEST(Uring, RecvReturnsZeroAtOrderlyClose) {
  st::LoopConn c(6002);
  Ring r;
  NEED_RING(r);
  char buf[4];
  r.submit(IORING_OP_RECV, c.client, buf, sizeof(buf), 0, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(shutdown(c.server, SHUT_WR), 0);
  EXPECT_EQ(r.wait(), 0);
}

TEST(Uring, RecvReportsResetAsECONNRESET) {
  st::LoopConn c(6003);
  Ring r;
  NEED_RING(r);
  char buf[4];
  r.submit(IORING_OP_RECV, c.client, buf, sizeof(buf), 0, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  linger lg{1, 0};
  ASSERT_EQ(setsockopt(c.server, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
  c.server.reset();
  EXPECT_EQ(r.wait(), -ECONNRESET);
}

TEST(Uring, SendAfterShutWrIsEPIPE) {
  st::LoopConn c(6004);
  Ring r;
  NEED_RING(r);
  ASSERT_EQ(shutdown(c.client, SHUT_WR), 0);
  char b = 'x';
  r.submit(IORING_OP_SEND, c.client, &b, 1, MSG_NOSIGNAL, 1);
  EXPECT_EQ(r.wait(), -EPIPE);
}
