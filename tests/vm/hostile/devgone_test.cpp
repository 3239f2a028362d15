// A device that goes away under its connections fails them with ENETDOWN
// without stalling rtnetlink: the deletion walks the connections once and
// never sleeps on a socket lock under RTNL, however many sockets there are
// and whatever a program holding one is waiting for.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "hostile.hpp"

namespace hostile {
namespace {

using Clock = std::chrono::steady_clock;

// The debug kernel (vm/run --debug) checks every lock and memory access
// and runs glass about fifteen times slower: time bounds scale with it.
double kernel_slowdown() {
  return gt::debug_kernel() ? 10.0 : 1.0;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A namespace with two loopback glass devices: g0 (10.7.9.1), g1 (10.7.8.1).
struct TwoDevices {
  gt::Netns ns{"dg" + std::to_string(::getpid())};
  TwoDevices() {
    for (const char* cmd :
         {"link add g0 type glass", "link add g1 type glass", "addr add 10.7.9.1/24 dev g0",
          "addr add 10.7.8.1/24 dev g1", "link set g0 up", "link set g1 up"})
      ns.run(std::string("/usr/sbin/ip ") + cmd);
  }
};

// n connected pairs to ip:port (both ends in the calling thread's netns).
std::vector<Fd> open_pairs(const char* ip, uint16_t port, int n) {
  std::vector<Fd> fds;
  const Fd l(gt::listener(ip, port, 4096));
  const sockaddr_glass a = gt::addr(ip, port);
  for (int i = 0; l && i < n; ++i) {
    Fd c(gt::glass_socket());
    if (::connect(c.get(), reinterpret_cast<const sockaddr*>(&a), sizeof(a)) != 0) {
      ADD_FAILURE() << "connect " << i << ": " << strerror(errno);
      break;
    }
    Fd s(::accept(l.get(), nullptr, nullptr));
    if (!s) {
      ADD_FAILURE() << "accept " << i << ": " << strerror(errno);
      break;
    }
    fds.push_back(std::move(c));
    fds.push_back(std::move(s));
  }
  return fds;
}

// The errno a read on fd ends with (0 on EOF), waiting up to 5 s.
int read_error(int fd) {
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  char b[256];
  for (;;) {
    const ssize_t n = ::read(fd, b, sizeof(b));
    if (n == 0) return 0;
    if (n < 0) return errno;
  }
}

TEST(DeviceGone, DeletionWithTenThousandSocketsIsQuick) {
  rlimit rl{40000, 40000};
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &rl), 0);
  TwoDevices d;
  gt::InNetns in(d.ns.name());
  // The debug kernel checks the path's locks and memory, not its scale:
  // 2,000 sockets there (the setup alone took 55 s with 10,000).
  const int pairs = gt::debug_kernel() ? 1000 : 5000;
  std::vector<Fd> gone = open_pairs("10.7.9.1", 7000, pairs);  // 2 x pairs sockets on g0
  std::vector<Fd> kept = open_pairs("10.7.8.1", 7000, 50);     // and some on g1
  ASSERT_EQ(gone.size(), 2u * pairs);
  const auto t0 = Clock::now();
  gt::must("/usr/sbin/ip link del g0");
  const double took = seconds_since(t0);
  EXPECT_LT(took, 1.0 * kernel_slowdown())
      << "deleting a device with " << gone.size() << " sockets held RTNL this long";
  // Every connection of g0 fails (sampled), the others carry on.
  for (size_t i = 0; i < gone.size(); i += 997) EXPECT_EQ(read_error(gone[i].get()), ENETDOWN);
  for (size_t i = 0; i + 1 < kept.size(); i += 2) {
    char c = 'k', r = 0;
    ASSERT_EQ(::write(kept[i].get(), &c, 1), 1);
    ASSERT_EQ(::read(kept[i + 1].get(), &r, 1), 1);
    EXPECT_EQ(r, 'k');
  }
  std::cout << "[ figures  ] ip link del with " << gone.size() << " sockets: " << took << " s\n";
}

// A program sleeps inside send() with its socket locked (its buffer is a
// page that userfaultfd has not filled yet, as a FUSE-backed page would
// keep it). Deleting the device must not wait for it.
TEST(DeviceGone, DeletionDoesNotWaitForAProgramHoldingASocket) {
  TwoDevices d;
  gt::InNetns in(d.ns.name());
  std::vector<Fd> pair = open_pairs("10.7.9.1", 7100, 1);
  ASSERT_EQ(pair.size(), 2u);
  const Fd uffd(static_cast<int>(::syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK)));
  if (!uffd && errno == ENOSYS) GTEST_SKIP() << "this kernel has no userfaultfd";
  ASSERT_TRUE(uffd) << strerror(errno);
  uffdio_api api{.api = UFFD_API, .features = 0, .ioctls = 0};
  ASSERT_EQ(::ioctl(uffd.get(), UFFDIO_API, &api), 0);
  constexpr size_t kLen = 16 * 4096;
  void* buf = ::mmap(nullptr, kLen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(buf, MAP_FAILED);
  uffdio_register reg{.range = {reinterpret_cast<uintptr_t>(buf), kLen},
                      .mode = UFFDIO_REGISTER_MODE_MISSING,
                      .ioctls = 0};
  ASSERT_EQ(::ioctl(uffd.get(), UFFDIO_REGISTER, &reg), 0);

  std::thread sender([&] { ::send(pair[0].get(), buf, kLen, MSG_NOSIGNAL); });
  pollfd pf{uffd.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&pf, 1, 5000), 1) << "send() never touched its buffer";
  // The sender is now asleep in the fault, holding its socket's lock.
  const auto t0 = Clock::now();
  auto del = std::async(std::launch::async, [] { return gt::sh("/usr/sbin/ip link del g0"); });
  const bool done = del.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  const double took = seconds_since(t0);
  // Let the sender go (zero pages), whatever happened.
  uffdio_zeropage zp{.range = {reinterpret_cast<uintptr_t>(buf), kLen}, .mode = 0, .zeropage = 0};
  ::ioctl(uffd.get(), UFFDIO_ZEROPAGE, &zp);
  sender.join();
  EXPECT_TRUE(done) << "ip link del waited for a program's socket lock (RTNL held)";
  EXPECT_EQ(del.get(), 0);
  EXPECT_LT(took, 1.0 * kernel_slowdown());
  EXPECT_EQ(read_error(pair[1].get()), ENETDOWN);
  char c = 0;
  EXPECT_EQ(::send(pair[0].get(), &c, 1, MSG_NOSIGNAL), -1);
  EXPECT_EQ(errno, ENETDOWN);
  ::munmap(buf, kLen);
}

}  // namespace
}  // namespace hostile
