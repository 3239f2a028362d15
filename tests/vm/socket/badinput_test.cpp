// Bad arguments: wrong lengths and families, unmapped user memory (EFAULT
// and no partial state), unsupported flags, unknown ioctls.
#include <sys/mman.h>
#include <sys/uio.h>

#include <cstring>
#include <thread>

#include "socket_util.hpp"

using st::Fd;

namespace {

// An address that is certainly not mapped: a page we unmapped ourselves.
void* unmapped_page() {
  void* p = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  EXPECT_NE(p, MAP_FAILED);
  munmap(p, 4096);
  return p;
}

}  // namespace

TEST(BadInput, ConnectShortAddrlenIsEINVAL) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 6100));
  Fd s = st::sock();
  sockaddr_glass a = gt::addr(gt::Loopback::kAddr, 6100);
  for (socklen_t len : {0u, 1u, 8u, 15u}) {
    EXPECT_EQ(connect(s, st::sa(&a), len), -1) << len;
    EXPECT_EQ(errno, EINVAL) << len;
  }
  EXPECT_EQ(gt::info(s).gi_state, GLASS_CLOSE) << "no partial state";
  EXPECT_EQ(connect(s, st::sa(&a), sizeof(a)), 0) << strerror(errno);
}

TEST(BadInput, ConnectWrongFamilyIsEAFNOSUPPORT) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd s = st::sock();
  sockaddr_glass a = gt::addr(gt::Loopback::kAddr, 6101);
  a.sg_family = AF_INET;
  EXPECT_EQ(connect(s, st::sa(&a), sizeof(a)), -1);
  EXPECT_EQ(errno, EAFNOSUPPORT);
}

TEST(BadInput, ConnectBadPointerIsEFAULT) {
  Fd s = st::sock();
  EXPECT_EQ(connect(s, static_cast<sockaddr*>(unmapped_page()), sizeof(sockaddr_glass)), -1);
  EXPECT_EQ(errno, EFAULT);
}

TEST(BadInput, OversizedAddrlenIsEINVAL) {
  Fd s = st::sock();
  sockaddr_glass a = gt::addr("0.0.0.0", 6102);
  EXPECT_EQ(bind(s, st::sa(&a), 4096), -1) << "longer than sockaddr_storage, as for TCP";
  EXPECT_EQ(errno, EINVAL);
}

TEST(BadInput, WriteFromUnmappedBufferIsEFAULTAndQueuesNothing) {
  st::LoopConn c(6103);
  EXPECT_EQ(write(c.client, unmapped_page(), 1000), -1);
  EXPECT_EQ(errno, EFAULT);
  EXPECT_EQ(st::outq(c.client), 0);
  glass_info gi = gt::info(c.client);
  EXPECT_EQ(gi.gi_unsent, 0u);
  EXPECT_EQ(gi.gi_unacked, 0u);
  EXPECT_EQ(gi.gi_bytes_sent, 0u);
  // The connection still works, and no stray byte went out.
  ASSERT_TRUE(gt::write_all(c.client, "ok", 2));
  char b[8];
  ASSERT_TRUE(gt::read_all(c.server, b, 2));
  EXPECT_EQ(std::string(b, 2), "ok");
  EXPECT_EQ(recv(c.server, b, sizeof(b), MSG_DONTWAIT), -1);
  EXPECT_EQ(errno, EAGAIN);
}

TEST(BadInput, WritevWithOneBadIovecIsEFAULTAndSendsNothing) {
  st::LoopConn c(6104);
  char good[100];
  memset(good, 'g', sizeof(good));
  iovec v[2] = {{good, sizeof(good)}, {unmapped_page(), 100}};
  // As TCP: the chunk that faults is copied whole or not at all, and here
  // it spans both iovecs.
  EXPECT_EQ(writev(c.client, v, 2), -1);
  EXPECT_EQ(errno, EFAULT);
  EXPECT_EQ(st::outq(c.client), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(st::unread(c.server), 0);
}

TEST(BadInput, ReadIntoUnmappedBufferIsEFAULTAndKeepsData) {
  st::LoopConn c(6105);
  ASSERT_TRUE(gt::write_all(c.server, "keep", 4));
  ASSERT_TRUE(gt::wait_until([&] { return st::unread(c.client) == 4; }));
  EXPECT_EQ(read(c.client, unmapped_page(), 4), -1);
  EXPECT_EQ(errno, EFAULT);
  EXPECT_EQ(st::unread(c.client), 4) << "nothing was consumed";
  char b[4];
  ASSERT_EQ(read(c.client, b, 4), 4);
  EXPECT_EQ(std::string(b, 4), "keep");
}

TEST(BadInput, MsgOobIsEOPNOTSUPP) {
  st::LoopConn c(6106);
  EXPECT_EQ(send(c.client, "x", 1, MSG_OOB), -1);
  EXPECT_EQ(errno, EOPNOTSUPP);
  char b;
  EXPECT_EQ(recv(c.client, &b, 1, MSG_OOB), -1);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_EQ(st::outq(c.client), 0);
}

TEST(BadInput, GetsockoptBadPointersAreEFAULT) {
  Fd s = st::sock();
  EXPECT_EQ(getsockopt(s, SOL_GLASS, GLASS_INFO, unmapped_page(),
                       static_cast<socklen_t*>(unmapped_page())),
            -1);
  EXPECT_EQ(errno, EFAULT);
  socklen_t len = sizeof(glass_info);
  EXPECT_EQ(getsockopt(s, SOL_GLASS, GLASS_INFO, unmapped_page(), &len), -1);
  EXPECT_EQ(errno, EFAULT);
  len = sizeof(int);
  EXPECT_EQ(getsockopt(s, SOL_GLASS, GLASS_NODELAY, unmapped_page(), &len), -1);
  EXPECT_EQ(errno, EFAULT);
}

TEST(BadInput, SetsockoptBadPointerIsEFAULT) {
  Fd s = st::sock();
  EXPECT_EQ(setsockopt(s, SOL_GLASS, GLASS_NODELAY, unmapped_page(), sizeof(int)), -1);
  EXPECT_EQ(errno, EFAULT);
  EXPECT_EQ(st::int_opt(s, SOL_GLASS, GLASS_NODELAY), 0);
}

TEST(BadInput, IoctlBadPointerIsEFAULT) {
  st::LoopConn c(6107);
  EXPECT_EQ(ioctl(c.client, FIONREAD, unmapped_page()), -1);
  EXPECT_EQ(errno, EFAULT);
}

TEST(BadInput, UnknownIoctlIsENOTTY) {
  Fd s = st::sock();
  int v = 0;
  EXPECT_EQ(ioctl(s, 0x89ff0001, &v), -1);
  EXPECT_EQ(errno, ENOTTY);
}

TEST(BadInput, SocketpairIsEOPNOTSUPP) {
  int sv[2];
  EXPECT_EQ(socketpair(AF_GLASS, SOCK_STREAM, 0, sv), -1);
  EXPECT_EQ(errno, EOPNOTSUPP);
}
