// socket() and bind(): types, protocols, ports, addresses, SO_REUSEADDR,
// privileged ports, and the errors TCP gives for the same calls.
#include <arpa/inet.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "socket_util.hpp"

using st::Fd;

namespace {

uint16_t local_port(int fd) {
  sockaddr_glass a{};
  socklen_t l = sizeof(a);
  EXPECT_EQ(getsockname(fd, st::sa(&a), &l), 0) << strerror(errno);
  EXPECT_EQ(l, sizeof(a));
  return ntohs(a.sg_port);
}

std::string local_ip(int fd) {
  sockaddr_glass a{};
  socklen_t l = sizeof(a);
  EXPECT_EQ(getsockname(fd, st::sa(&a), &l), 0) << strerror(errno);
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &a.sg_addr, buf, sizeof(buf));
  return buf;
}

int bind_to(int fd, const char* ip, uint16_t port) {
  sockaddr_glass a = gt::addr(ip, port);
  return bind(fd, st::sa(&a), sizeof(a));
}

void reuse(int fd) {
  int one = 1;
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
}

}  // namespace

TEST(Socket, DatagramTypeIsESOCKTNOSUPPORT) {
  for (int type : {SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW, SOCK_RDM}) {
    errno = 0;
    EXPECT_EQ(socket(AF_GLASS, type, 0), -1) << "type " << type;
    EXPECT_EQ(errno, ESOCKTNOSUPPORT) << "type " << type;
  }
}

TEST(Socket, NonzeroProtocolIsEPROTONOSUPPORT) {
  for (int proto : {1, 6, 17, 255}) {
    errno = 0;
    EXPECT_EQ(socket(AF_GLASS, SOCK_STREAM, proto), -1) << "protocol " << proto;
    EXPECT_EQ(errno, EPROTONOSUPPORT) << "protocol " << proto;
  }
}

TEST(Socket, TypeFlagsSetNonblockAndCloexec) {
  Fd s = st::sock(SOCK_NONBLOCK | SOCK_CLOEXEC);
  EXPECT_TRUE(fcntl(s, F_GETFL) & O_NONBLOCK);
  EXPECT_TRUE(fcntl(s, F_GETFD) & FD_CLOEXEC);
}

TEST(Bind, ExplicitPortAndAddressShowInGetsockname) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd s = st::sock();
  ASSERT_EQ(bind_to(s, gt::Loopback::kAddr, 4242), 0) << strerror(errno);
  EXPECT_EQ(local_port(s), 4242);
  EXPECT_EQ(local_ip(s), gt::Loopback::kAddr);
}

TEST(Bind, UnboundSocketNameIsAnyAddressPortZero) {
  Fd s = st::sock();
  sockaddr_glass a{};
  a.sg_port = 0xffff;
  socklen_t l = sizeof(a);
  ASSERT_EQ(getsockname(s, st::sa(&a), &l), 0);
  EXPECT_EQ(a.sg_family, AF_GLASS);
  EXPECT_EQ(a.sg_port, 0);
  EXPECT_EQ(a.sg_addr.s_addr, 0u);
}

TEST(Bind, PortZeroPicksEphemeralPort) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  std::vector<Fd> socks;
  for (int i = 0; i < 8; i++) {
    socks.push_back(st::sock());
    ASSERT_EQ(bind_to(socks.back(), gt::Loopback::kAddr, 0), 0) << strerror(errno);
    uint16_t p = local_port(socks.back());
    EXPECT_GE(p, GLASS_EPHEMERAL_LO);
    EXPECT_LE(p, GLASS_EPHEMERAL_HI);
    for (int j = 0; j < i; j++) EXPECT_NE(local_port(socks[j]), p) << "port handed out twice";
  }
}

TEST(Bind, ListenWithoutBindPicksEphemeralPort) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = st::sock();
  ASSERT_EQ(listen(l, 4), 0) << strerror(errno);
  uint16_t p = local_port(l);
  EXPECT_GE(p, GLASS_EPHEMERAL_LO);
  EXPECT_LE(p, GLASS_EPHEMERAL_HI);
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, p));
  Fd a = Fd(accept(l, nullptr, nullptr));
  EXPECT_GE(a, 0);
}

TEST(Bind, ConnectAutobindsEphemeralPortAndRouteAddress) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5001));
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5001));
  uint16_t p = local_port(c);
  EXPECT_GE(p, GLASS_EPHEMERAL_LO);
  EXPECT_LE(p, GLASS_EPHEMERAL_HI);
  EXPECT_EQ(local_ip(c), gt::Loopback::kAddr);
}

TEST(Bind, AnyAddressAcceptsOnEveryLocalAddress) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  gt::addr_add("glass0", "10.7.9.2", 24);
  Fd l = st::sock();
  ASSERT_EQ(bind_to(l, "0.0.0.0", 5002), 0) << strerror(errno);
  EXPECT_EQ(local_ip(l), "0.0.0.0");
  ASSERT_EQ(listen(l, 4), 0);
  for (const char* ip : {gt::Loopback::kAddr, "10.7.9.2"}) {
    Fd c = Fd(gt::connect_to(ip, 5002));
    Fd a = Fd(accept(l, nullptr, nullptr));
    ASSERT_GE(a, 0);
    EXPECT_EQ(local_ip(a), ip) << "the accepted socket has the address the SYN was sent to";
  }
}

TEST(Bind, BoundToAnyThenConnectTakesRouteAddress) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5003));
  Fd c = st::sock();
  ASSERT_EQ(bind_to(c, "0.0.0.0", 6003), 0);
  sockaddr_glass a = gt::addr(gt::Loopback::kAddr, 5003);
  ASSERT_EQ(connect(c, st::sa(&a), sizeof(a)), 0) << strerror(errno);
  EXPECT_EQ(local_ip(c), gt::Loopback::kAddr);
  EXPECT_EQ(local_port(c), 6003);
}

TEST(Bind, SamePortTwiceIsEADDRINUSE) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd a = st::sock(), b = st::sock(), c = st::sock();
  ASSERT_EQ(bind_to(a, gt::Loopback::kAddr, 5004), 0);
  EXPECT_EQ(bind_to(b, gt::Loopback::kAddr, 5004), -1);
  EXPECT_EQ(errno, EADDRINUSE);
  EXPECT_EQ(bind_to(c, "0.0.0.0", 5004), -1) << "any address overlaps a specific one";
  EXPECT_EQ(errno, EADDRINUSE);
}

TEST(Bind, NonLocalAddressIsEADDRNOTAVAIL) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd s = st::sock();
  EXPECT_EQ(bind_to(s, "10.7.9.77", 5005), -1);
  EXPECT_EQ(errno, EADDRNOTAVAIL);
  EXPECT_EQ(bind_to(s, gt::Loopback::kAddr, 5005), 0) << "a failed bind leaves the socket unbound";
}

TEST(Bind, ReuseAddrSharesPortUntilOneListens) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd a = st::sock(), b = st::sock(), c = st::sock();
  reuse(a);
  reuse(b);
  reuse(c);
  ASSERT_EQ(bind_to(a, gt::Loopback::kAddr, 5006), 0);
  ASSERT_EQ(bind_to(b, gt::Loopback::kAddr, 5006), 0) << "TCP: both SO_REUSEADDR, none listening";
  ASSERT_EQ(listen(a, 4), 0);
  errno = 0;
  EXPECT_EQ(listen(b, 4), -1) << "TCP refuses a second listener on the port";
  EXPECT_EQ(errno, EADDRINUSE);
  EXPECT_EQ(bind_to(c, gt::Loopback::kAddr, 5006), -1) << "the port has a listener";
  EXPECT_EQ(errno, EADDRINUSE);
}

TEST(Bind, WithoutReuseAddrSecondBindFailsEvenIfFirstHasIt) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd a = st::sock(), b = st::sock();
  reuse(a);
  ASSERT_EQ(bind_to(a, gt::Loopback::kAddr, 5007), 0);
  EXPECT_EQ(bind_to(b, gt::Loopback::kAddr, 5007), -1);
  EXPECT_EQ(errno, EADDRINUSE);
}

TEST(Bind, AcceptedConnectionHoldsListenerPort) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5008));  // SO_REUSEADDR set
  Fd c = Fd(gt::connect_to(gt::Loopback::kAddr, 5008));
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  l.reset();
  // TCP: the accepted socket still owns port 5008.
  Fd plain = st::sock();
  EXPECT_EQ(bind_to(plain, gt::Loopback::kAddr, 5008), -1);
  EXPECT_EQ(errno, EADDRINUSE);
  plain.reset();
  Fd reusing = st::sock();
  reuse(reusing);
  EXPECT_EQ(bind_to(reusing, gt::Loopback::kAddr, 5008), 0) << strerror(errno);
}

TEST(Bind, TimeWaitPortNeedsReuseAddr) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd l = Fd(gt::listener(gt::Loopback::kAddr, 5009));
  Fd c = st::sock();
  reuse(c);
  ASSERT_EQ(bind_to(c, gt::Loopback::kAddr, 6009), 0);
  sockaddr_glass to = gt::addr(gt::Loopback::kAddr, 5009);
  ASSERT_EQ(connect(c, st::sa(&to), sizeof(to)), 0) << strerror(errno);
  Fd a = Fd(accept(l, nullptr, nullptr));
  ASSERT_GE(a, 0);
  // Active close by c: c ends in TIME_WAIT holding 6009.
  ASSERT_TRUE(st::close_into_time_wait(c, a));
  c.reset();
  Fd plain = st::sock();
  EXPECT_EQ(bind_to(plain, gt::Loopback::kAddr, 6009), -1);
  EXPECT_EQ(errno, EADDRINUSE);
  Fd reusing = st::sock();
  reuse(reusing);
  EXPECT_EQ(bind_to(reusing, gt::Loopback::kAddr, 6009), 0) << strerror(errno);
}

TEST(Bind, PrivilegedPortWithoutCapabilityIsEACCES) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: an ordinary user has no CAP_NET_BIND_SERVICE.
    prctl(PR_SET_KEEPCAPS, 0);
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(100);
    int s = socket(AF_GLASS, SOCK_STREAM, 0);
    if (s < 0) _exit(101);
    sockaddr_glass a{};
    a.sg_family = AF_GLASS;
    a.sg_port = htons(80);
    int rc = bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    int low = rc == 0 ? 0 : errno;
    a.sg_port = htons(1024);
    rc = bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    int high = rc == 0 ? 0 : errno;
    _exit(low == EACCES && high == 0 ? 0 : (low == 0 ? 102 : (high ? 103 : 104)));
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "100: setresuid failed, 102: port 80 bound, 103: port 1024 refused, 104: other errno";
  // Root may.
  Fd s = st::sock();
  EXPECT_EQ(bind_to(s, gt::Loopback::kAddr, 80), 0) << strerror(errno);
}

TEST(Bind, WrongFamilyIsEAFNOSUPPORT) {
  Fd s = st::sock();
  sockaddr_glass a = gt::addr("0.0.0.0", 5010);
  for (int fam : {AF_INET, AF_INET6, AF_UNIX}) {
    a.sg_family = static_cast<sa_family_t>(fam);
    errno = 0;
    EXPECT_EQ(bind(s, st::sa(&a), sizeof(a)), -1) << "family " << fam;
    EXPECT_EQ(errno, EAFNOSUPPORT) << "family " << fam;
  }
}

TEST(Bind, ShortAddrlenIsEINVAL) {
  Fd s = st::sock();
  sockaddr_glass a = gt::addr("0.0.0.0", 5011);
  for (socklen_t len : {0u, 2u, 8u, 15u}) {
    errno = 0;
    EXPECT_EQ(bind(s, st::sa(&a), len), -1) << "addrlen " << len;
    EXPECT_EQ(errno, EINVAL) << "addrlen " << len;
  }
}

TEST(Bind, BadPointerIsEFAULT) {
  Fd s = st::sock();
  EXPECT_EQ(bind(s, reinterpret_cast<sockaddr*>(1), sizeof(sockaddr_glass)), -1);
  EXPECT_EQ(errno, EFAULT);
}

TEST(Bind, SecondBindIsEINVAL) {
  gt::Loopback lo;
  gt::InNetns in(lo.ns().name());
  Fd s = st::sock();
  ASSERT_EQ(bind_to(s, gt::Loopback::kAddr, 5012), 0);
  EXPECT_EQ(bind_to(s, gt::Loopback::kAddr, 5013), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(local_port(s), 5012);
}
