// Data calls: write/send/sendmsg/writev and read/recv/recvmsg/readv, their
// flags, timeouts, EPIPE/SIGPIPE, resets, and the queue-size ioctls.
#include <signal.h>
#include <sys/uio.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "socket_util.hpp"

using st::Fd;

namespace {

std::atomic<int> g_sigpipes{0};

// Counts SIGPIPE instead of dying of it, for the life of the object.
class SigpipeCounter {
 public:
  SigpipeCounter() {
    struct sigaction sa {};
    sa.sa_handler = [](int) { g_sigpipes++; };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, &old_);
    g_sigpipes = 0;
  }
  ~SigpipeCounter() { sigaction(SIGPIPE, &old_, nullptr); }
  int count() const { return g_sigpipes.load(); }

 private:
  struct sigaction old_ {};
};

// Writes without blocking until the send buffer is full and stays full:
// nothing more is accepted even after in-flight data had time to be
// acknowledged (the peer does not read, so its window closes).
size_t fill(int fd) {
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  std::vector<char> chunk(4096, 'f');
  size_t total = 0;
  for (int rounds = 0; rounds < 50; rounds++) {
    for (;;) {
      ssize_t w = write(fd, chunk.data(), chunk.size());
      if (w < 0) {
        EXPECT_EQ(errno, EAGAIN);
        break;
      }
      total += static_cast<size_t>(w);
      if (total > (64u << 20)) {
        ADD_FAILURE() << "the send buffer never fills";
        return total;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ssize_t w = write(fd, chunk.data(), 1);
    if (w < 0) break;
    total += static_cast<size_t>(w);
  }
  fcntl(fd, F_SETFL, fl);
  return total;
}

void small_buffers(int fd) {
  int v = 8192;
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), 0);
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)), 0);
}

}  // namespace

TEST(IO, WritevReadvScatterGatherIsByteExact) {
  st::LoopConn c(5300);
  auto p = st::pattern(10000, 1);
  iovec out[3] = {{p.data(), 1}, {p.data() + 1, 4999}, {p.data() + 5000, 5000}};
  ASSERT_EQ(writev(c.client, out, 3), 10000);
  std::vector<char> got(10000, 0);
  size_t done = 0;
  while (done < got.size()) {
    // Odd-sized pieces, so iovec boundaries never line up with segments.
    size_t a = std::min<size_t>(7, got.size() - done);
    size_t b = std::min<size_t>(1000, got.size() - done - a);
    size_t rest = got.size() - done - a - b;
    iovec in[3] = {
        {got.data() + done, a}, {got.data() + done + a, b}, {got.data() + done + a + b, rest}};
    ssize_t r = readv(c.server, in, 3);
    ASSERT_GT(r, 0) << strerror(errno);
    done += static_cast<size_t>(r);
  }
  EXPECT_EQ(got, p);
}

TEST(IO, SendmsgRecvmsgScatterGatherIsByteExact) {
  st::LoopConn c(5301);
  auto p = st::pattern(3000, 2);
  iovec out[4] = {
      {p.data(), 100}, {p.data() + 100, 0}, {p.data() + 100, 1900}, {p.data() + 2000, 1000}};
  msghdr m{};
  m.msg_iov = out;
  m.msg_iovlen = 4;
  ASSERT_EQ(sendmsg(c.client, &m, 0), 3000);
  std::vector<char> got(3000, 0);
  iovec in[2] = {{got.data(), 1500}, {got.data() + 1500, 1500}};
  sockaddr_glass name{};
  msghdr r{};
  r.msg_name = &name;
  r.msg_namelen = sizeof(name);
  r.msg_iov = in;
  r.msg_iovlen = 2;
  ASSERT_EQ(recvmsg(c.server, &r, MSG_WAITALL), 3000) << strerror(errno);
  EXPECT_EQ(got, p);
  EXPECT_EQ(r.msg_namelen, 0u) << "a stream socket reports no source address, as TCP";
  EXPECT_EQ(r.msg_flags, 0);
}

TEST(IO, SendRecvByteExactBothDirections) {
  st::LoopConn c(5302);
  auto up = st::pattern(200000, 3), down = st::pattern(150000, 4);
  std::thread t([&] {
    std::vector<char> got(up.size());
    EXPECT_TRUE(gt::read_all(c.server, got.data(), got.size()));
    EXPECT_EQ(got, up);
    EXPECT_TRUE(gt::write_all(c.server, down.data(), down.size()));
  });
  ASSERT_TRUE(gt::write_all(c.client, up.data(), up.size()));
  std::vector<char> got(down.size());
  ASSERT_TRUE(gt::read_all(c.client, got.data(), got.size()));
  t.join();
  EXPECT_EQ(got, down);
  EXPECT_EQ(gt::info(c.client).gi_bytes_received, down.size());
  EXPECT_EQ(gt::info(c.server).gi_bytes_received, up.size());
}

TEST(IO, ZeroLengthWriteReturnsZero) {
  st::LoopConn c(5303);
  EXPECT_EQ(write(c.client, "", 0), 0);
  EXPECT_EQ(send(c.client, nullptr, 0, 0), 0);
  EXPECT_EQ(st::revents(c.server, POLLIN, 100), 0);
}

TEST(IO, MsgDontwaitOnEmptyIsEAGAIN) {
  st::LoopConn c(5304);
  char b[4];
  EXPECT_EQ(recv(c.client, b, sizeof(b), MSG_DONTWAIT), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(recv(c.client, b, sizeof(b), MSG_DONTWAIT | MSG_PEEK), -1);
  EXPECT_EQ(errno, EAGAIN);
}

TEST(IO, MsgDontwaitOnFullSendBufferIsEAGAIN) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5305));
  small_buffers(l);
  Fd cl = st::sock();
  small_buffers(cl);
  sockaddr_glass a = gt::addr(gt::Loopback::kAddr, 5305);
  ASSERT_EQ(connect(cl, st::sa(&a), sizeof(a)), 0);
  Fd sv = Fd(accept(l, nullptr, nullptr));
  size_t n = fill(cl);
  EXPECT_GT(n, 0u);
  EXPECT_EQ(send(cl, "x", 1, MSG_DONTWAIT), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_FALSE(st::revents(cl, POLLOUT) & POLLOUT);
}

TEST(IO, MsgPeekThenReadReturnsSameBytes) {
  st::LoopConn c(5306);
  ASSERT_TRUE(gt::write_all(c.server, "hello world", 11));
  ASSERT_TRUE(gt::wait_until([&] { return st::unread(c.client) == 11; }));
  char b[32] = {};
  EXPECT_EQ(recv(c.client, b, 5, MSG_PEEK), 5);
  EXPECT_EQ(std::string(b, 5), "hello");
  EXPECT_EQ(st::unread(c.client), 11) << "peeking consumes nothing";
  EXPECT_EQ(recv(c.client, b, sizeof(b), MSG_PEEK), 11);
  EXPECT_EQ(std::string(b, 11), "hello world");
  memset(b, 0, sizeof(b));
  EXPECT_EQ(read(c.client, b, sizeof(b)), 11);
  EXPECT_EQ(std::string(b, 11), "hello world");
  EXPECT_EQ(st::unread(c.client), 0);
}

TEST(IO, MsgWaitallReturnsFullCount) {
  st::LoopConn c(5307);
  auto p = st::pattern(3000, 5);
  std::thread t([&] {
    for (int i = 0; i < 3; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      EXPECT_TRUE(gt::write_all(c.server, p.data() + i * 1000, 1000));
    }
  });
  std::vector<char> got(3000);
  EXPECT_EQ(recv(c.client, got.data(), got.size(), MSG_WAITALL), 3000);
  t.join();
  EXPECT_EQ(got, p);
}

TEST(IO, MsgWaitallStopsShortAtOrderlyClose) {
  st::LoopConn c(5308);
  ASSERT_TRUE(gt::write_all(c.server, "abc", 3));
  ASSERT_EQ(shutdown(c.server, SHUT_WR), 0);
  char b[100];
  EXPECT_EQ(recv(c.client, b, sizeof(b), MSG_WAITALL), 3);
  EXPECT_EQ(recv(c.client, b, sizeof(b), MSG_WAITALL), 0);
}

TEST(IO, MsgNosignalGivesEPIPEWithoutSigpipe) {
  st::LoopConn c(5309);
  SigpipeCounter sig;
  ASSERT_EQ(shutdown(c.client, SHUT_WR), 0);
  EXPECT_EQ(send(c.client, "x", 1, MSG_NOSIGNAL), -1);
  EXPECT_EQ(errno, EPIPE);
  EXPECT_EQ(sig.count(), 0);
}

TEST(IO, WriteAfterShutWrIsEPIPEWithSigpipe) {
  st::LoopConn c(5310);
  SigpipeCounter sig;
  ASSERT_EQ(shutdown(c.client, SHUT_WR), 0);
  EXPECT_EQ(write(c.client, "x", 1), -1);
  EXPECT_EQ(errno, EPIPE);
  EXPECT_EQ(sig.count(), 1);
  char b;
  EXPECT_EQ(read(c.server, &b, 1), 0) << "the peer sees end of file, and no byte";
}

TEST(IO, WriteToClosedPeerGetsEPIPEAndSigpipe) {
  st::LoopConn c(5311);
  SigpipeCounter sig;
  uint64_t rst = st::stat("resets_sent");
  c.server.reset();  // orderly close; the peer's program is gone
  ASSERT_TRUE(st::revents(c.client, POLLRDHUP, 3000) & POLLRDHUP);
  // As TCP: the first write is accepted; the closed end answers it with RST.
  EXPECT_EQ(write(c.client, "x", 1), 1);
  // POLLIN is already up (end of file), so poll would not wait for the RST.
  ASSERT_TRUE(gt::wait_until([&] { return st::revents(c.client, POLLIN) & POLLERR; }));
  EXPECT_GT(st::stat("resets_sent"), rst);
  EXPECT_EQ(write(c.client, "x", 1), -1);
  EXPECT_EQ(errno, EPIPE);
  EXPECT_EQ(sig.count(), 1);
  EXPECT_EQ(write(c.client, "x", 1), -1);
  EXPECT_EQ(errno, EPIPE);
  EXPECT_EQ(sig.count(), 2);
  char b;
  EXPECT_EQ(read(c.client, &b, 1), 0);
}

TEST(IO, ReadReturnsZeroAtOrderlyClose) {
  st::LoopConn c(5312);
  ASSERT_TRUE(gt::write_all(c.server, "bye", 3));
  c.server.reset();
  char b[8];
  ASSERT_TRUE(gt::read_all(c.client, b, 3));
  EXPECT_EQ(std::string(b, 3), "bye");
  EXPECT_EQ(read(c.client, b, sizeof(b)), 0);
  EXPECT_EQ(read(c.client, b, sizeof(b)), 0) << "end of file stays";
}

TEST(IO, AbortiveCloseMakesPeerReadECONNRESET) {
  st::LoopConn c(5313);
  uint64_t rst = st::stat("resets_sent"), estab = st::stat("estab_resets");
  linger lg{1, 0};
  ASSERT_EQ(setsockopt(c.server, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
  c.server.reset();
  EXPECT_EQ(st::stat("resets_sent"), rst + 1);
  ASSERT_TRUE(st::revents(c.client, POLLIN, 3000) & POLLERR);
  EXPECT_EQ(st::stat("estab_resets"), estab + 1);
  char b;
  EXPECT_EQ(read(c.client, &b, 1), -1);
  EXPECT_EQ(errno, ECONNRESET);
  EXPECT_EQ(read(c.client, &b, 1), 0) << "as TCP: the error is reported once";
  EXPECT_EQ(gt::info(c.client).gi_state, GLASS_CLOSE);
}

TEST(IO, WriteAfterResetIsECONNRESETThenEPIPE) {
  st::LoopConn c(5314);
  SigpipeCounter sig;
  linger lg{1, 0};
  ASSERT_EQ(setsockopt(c.server, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
  c.server.reset();
  ASSERT_TRUE(st::revents(c.client, POLLIN, 3000) & POLLERR);
  EXPECT_EQ(write(c.client, "x", 1), -1);
  EXPECT_EQ(errno, ECONNRESET);
  EXPECT_EQ(sig.count(), 0);
  EXPECT_EQ(write(c.client, "x", 1), -1);
  EXPECT_EQ(errno, EPIPE);
  EXPECT_EQ(sig.count(), 1);
}

TEST(IO, CloseWithUnreadDataResetsPeer) {
  st::LoopConn c(5315);
  ASSERT_TRUE(gt::write_all(c.client, "unread", 6));
  ASSERT_TRUE(gt::wait_until([&] { return st::unread(c.server) == 6; }));
  c.server.reset();
  ASSERT_TRUE(st::revents(c.client, POLLIN, 3000) & POLLERR);
  char b;
  EXPECT_EQ(read(c.client, &b, 1), -1);
  EXPECT_EQ(errno, ECONNRESET);
}

TEST(IO, NonblockingReadOnEmptyIsEAGAIN) {
  st::LoopConn c(5316);
  ASSERT_EQ(fcntl(c.client, F_SETFL, O_NONBLOCK), 0);
  char b;
  EXPECT_EQ(read(c.client, &b, 1), -1);
  EXPECT_EQ(errno, EAGAIN);
  ASSERT_TRUE(gt::write_all(c.server, "z", 1));
  ASSERT_TRUE(st::revents(c.client, POLLIN, 3000) & POLLIN);
  EXPECT_EQ(read(c.client, &b, 1), 1);
  EXPECT_EQ(b, 'z');
}

TEST(IO, NonblockingWriteStopsWithEAGAINWhenPeerDoesNotRead) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5317));
  small_buffers(l);
  Fd cl = st::sock();
  small_buffers(cl);
  sockaddr_glass a = gt::addr(gt::Loopback::kAddr, 5317);
  ASSERT_EQ(connect(cl, st::sa(&a), sizeof(a)), 0);
  Fd sv = Fd(accept(l, nullptr, nullptr));
  size_t n = fill(cl);
  EXPECT_GT(n, 0u);
  EXPECT_LT(n, 1u << 20) << "buffers of 16 KiB hold far less than 1 MiB";
  // Everything accepted arrives, byte for byte, once the reader reads.
  std::vector<char> got(n);
  ASSERT_TRUE(gt::read_all(sv, got.data(), n));
  EXPECT_EQ(got, std::vector<char>(n, 'f'));
  EXPECT_TRUE(st::revents(cl, POLLOUT, 3000) & POLLOUT);
}

TEST(IO, RcvtimeoReadGivesEAGAINAfterTimeout) {
  st::LoopConn c(5318);
  timeval tv{0, 200000};
  ASSERT_EQ(setsockopt(c.client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
  auto t0 = std::chrono::steady_clock::now();
  char b;
  EXPECT_EQ(read(c.client, &b, 1), -1);
  EXPECT_EQ(errno, EAGAIN);
  long ms = st::ms_since(t0);
  EXPECT_GE(ms, 180);
  EXPECT_LT(ms, 3000);
}

TEST(IO, SndtimeoWriteGivesEAGAINAfterTimeout) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5319));
  small_buffers(l);
  Fd cl = st::sock();
  small_buffers(cl);
  sockaddr_glass a = gt::addr(gt::Loopback::kAddr, 5319);
  ASSERT_EQ(connect(cl, st::sa(&a), sizeof(a)), 0);
  Fd sv = Fd(accept(l, nullptr, nullptr));
  fill(cl);
  timeval tv{0, 200000};
  ASSERT_EQ(setsockopt(cl, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), 0);
  auto t0 = std::chrono::steady_clock::now();
  std::vector<char> chunk(4096, 'f');
  EXPECT_EQ(write(cl, chunk.data(), chunk.size()), -1);
  EXPECT_EQ(errno, EAGAIN);
  long ms = st::ms_since(t0);
  EXPECT_GE(ms, 180);
  EXPECT_LT(ms, 3000);
  EXPECT_GE(gt::info(cl).gi_writer_blocked, 1u);
}

TEST(IO, FionreadCountsExactUnreadBytes) {
  st::LoopConn c(5320);
  EXPECT_EQ(st::unread(c.client), 0);
  auto p = st::pattern(1234, 6);
  ASSERT_TRUE(gt::write_all(c.server, p.data(), p.size()));
  ASSERT_TRUE(gt::wait_until([&] { return st::unread(c.client) == 1234; }));
  int inq = -1;
  ASSERT_EQ(ioctl(c.client, SIOCINQ, &inq), 0);
  EXPECT_EQ(inq, 1234);
  char b[34];
  ASSERT_EQ(read(c.client, b, sizeof(b)), 34);
  EXPECT_EQ(st::unread(c.client), 1200);
  EXPECT_EQ(gt::info(c.client).gi_unread, 1200u);
}

TEST(IO, SiocoutqCountsUnacknowledgedBytes) {
  st::LoopConn c(5321);
  EXPECT_EQ(st::outq(c.client), 0);
  gt::netem_add("glass0", "loss 100%");
  auto p = st::pattern(1000, 7);
  ASSERT_TRUE(gt::write_all(c.client, p.data(), p.size()));
  EXPECT_EQ(st::outq(c.client), 1000);
  EXPECT_EQ(gt::info(c.client).gi_unacked, 1000u);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(st::outq(c.client), 1000) << "nothing can have been acknowledged";
  EXPECT_EQ(gt::qdisc_del_root("glass0"), 0);
  EXPECT_TRUE(gt::wait_until([&] { return st::outq(c.client) == 0; }, 10000));
  std::vector<char> got(1000);
  ASSERT_TRUE(gt::read_all(c.server, got.data(), got.size()));
  EXPECT_EQ(got, p);
  EXPECT_GE(gt::info(c.client).gi_retransmits, 1u);
}

TEST(IO, ReadOnUnconnectedIsENOTCONN) {
  Fd s = st::sock();
  char b;
  EXPECT_EQ(read(s, &b, 1), -1);
  EXPECT_EQ(errno, ENOTCONN);
}

TEST(IO, WriteOnUnconnectedIsEPIPE) {
  Fd s = st::sock();
  SigpipeCounter sig;
  EXPECT_EQ(send(s, "x", 1, MSG_NOSIGNAL), -1) << "as TCP";
  EXPECT_EQ(errno, EPIPE);
  EXPECT_EQ(sig.count(), 0);
}
