// SO_BINDTODEVICE on input, as TCP's: a listener bound to a device hears
// only the connections that arrive on it, its children are bound to it too,
// and one port can have a listener on each device.
//
// The topology: a glass pair (h1's ga, h2's gb) plus a loopback glass
// device glass1 (10.7.9.1) in h2, so h2 has two devices a connection can
// arrive on: gb from h1, glass1 from h2 itself.
#include <arpa/inet.h>
#include <net/if.h>

#include "socket_util.hpp"
#include "topo.hpp"

using st::Fd;

namespace {

constexpr const char* kLoAddr = "10.7.9.1";

// A pair whose h2 also holds the loopback glass device glass1.
struct TwoDevices {
  TwoDevices() {
    pair.h2().exec([] { gt::glass_loopback_up("glass1", kLoAddr); });
  }
  gt::Pair pair;
};

int bind_dev(int fd, const char* dev) {
  return setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, static_cast<socklen_t>(strlen(dev)));
}

std::string bound_dev(int fd) {
  char name[IFNAMSIZ] = {};
  socklen_t l = sizeof(name);
  EXPECT_EQ(getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &l), 0) << strerror(errno);
  return std::string(name, strnlen(name, sizeof(name)));
}

// A socket on 0.0.0.0:port bound to dev ("" for none); bind()'s result.
int bind_any(Fd& s, const char* dev, uint16_t port) {
  s = st::sock();
  if (*dev != '\0' && bind_dev(s, dev) != 0) return -1;
  sockaddr_glass a = gt::addr("0.0.0.0", port);
  return bind(s, st::sa(&a), sizeof(a));
}

// The next connection on listener l within a few seconds, or -1.
int accept_soon(int l) {
  pollfd p{l, POLLIN, 0};
  if (poll(&p, 1, gt::scaled_ms(3000)) != 1) return -1;
  return accept(l, nullptr, nullptr);
}

// connect() from the calling thread's namespace: 0 or the errno.
int connect_errno(int fd, const char* ip, uint16_t port) {
  sockaddr_glass a = gt::addr(ip, port);
  return connect(fd, st::sa(&a), sizeof(a)) == 0 ? 0 : errno;
}

}  // namespace

TEST(BindToDevice, ListenerHearsOnlyItsDeviceAndItsChildrenAreBoundToIt) {
  TwoDevices t;
  gt::InNetns in(t.pair.h2().name());
  Fd l;
  ASSERT_EQ(bind_any(l, "gb", 5601), 0) << strerror(errno);
  ASSERT_EQ(listen(l, 8), 0);
  // From h1, over ga -> gb: heard.
  {
    gt::InNetns in1(t.pair.h1().name());
    Fd c = st::sock();
    ASSERT_EQ(connect_errno(c, gt::Pair::kAddr2, 5601), 0);
  }
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0) << strerror(errno);
  EXPECT_EQ(bound_dev(a), "gb") << "the child is bound to its listener's device, as TCP's";
  // From h2 itself, over glass1: the listener is not there, as for TCP.
  const uint64_t refused0 = st::stat("drop_no_socket");
  Fd c2 = st::sock();
  EXPECT_EQ(connect_errno(c2, kLoAddr, 5601), ECONNREFUSED);
  EXPECT_GT(st::stat("drop_no_socket"), refused0) << "the SYN on glass1 found no socket";
}

TEST(BindToDevice, OnePortTakesOneListenerPerDevice) {
  TwoDevices t;
  gt::InNetns in(t.pair.h2().name());
  Fd on_gb, on_lo, unbound, again_gb;
  ASSERT_EQ(bind_any(on_gb, "gb", 5602), 0) << strerror(errno);
  ASSERT_EQ(listen(on_gb, 8), 0);
  ASSERT_EQ(bind_any(on_lo, "glass1", 5602), 0) << "another device: no conflict, as TCP's";
  ASSERT_EQ(listen(on_lo, 8), 0) << strerror(errno);
  EXPECT_EQ(bind_any(unbound, "", 5602), -1) << "no device overlaps both";
  EXPECT_EQ(errno, EADDRINUSE);
  EXPECT_EQ(bind_any(again_gb, "gb", 5602), -1) << "the same device";
  EXPECT_EQ(errno, EADDRINUSE);
  st::Fd from_h1;
  {
    gt::InNetns in1(t.pair.h1().name());
    from_h1 = st::sock();
    ASSERT_EQ(connect_errno(from_h1, gt::Pair::kAddr2, 5602), 0);
  }
  Fd from_h2 = st::sock();
  ASSERT_EQ(connect_errno(from_h2, kLoAddr, 5602), 0);
  // Each connection reached the listener of the device it arrived on.
  Fd a1 = Fd(accept_soon(on_gb));
  Fd a2 = Fd(accept_soon(on_lo));
  ASSERT_GE(a1, 0) << strerror(errno);
  ASSERT_GE(a2, 0) << strerror(errno);
  EXPECT_EQ(bound_dev(a1), "gb");
  EXPECT_EQ(bound_dev(a2), "glass1");
  sockaddr_glass p1{}, p2{};
  socklen_t l1 = sizeof(p1), l2 = sizeof(p2);
  ASSERT_EQ(getpeername(a1, st::sa(&p1), &l1), 0);
  ASSERT_EQ(getpeername(a2, st::sa(&p2), &l2), 0);
  EXPECT_EQ(p1.sg_addr.s_addr, inet_addr(gt::Pair::kAddr1));
  EXPECT_EQ(p2.sg_addr.s_addr, inet_addr(kLoAddr));
  EXPECT_EQ(st::revents(on_gb, POLLIN), 0) << "one each";
  EXPECT_EQ(st::revents(on_lo, POLLIN), 0);
}
