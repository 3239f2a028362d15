// glass run, call by call (docs/run.md): this binary runs itself under
// `glass run` (main below) and makes the calls an unmodified TCP program
// makes, over a glass pair between two namespaces. What a socket really is
// comes from raw system calls (real_domain), which the preload library
// cannot see; what the program sees comes from the ordinary libc calls.
// Settings the library reads once (--nets, --wildcard) and stderr lines
// are checked in child processes ("probes", see probe.cpp).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/glass.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "preload_util.hpp"
#include "support.hpp"

namespace {

using pt::Fd;

class Preload : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pair_ = std::make_unique<gt::Pair>(); }
  static void TearDownTestSuite() { pair_.reset(); }

  static std::string h1() { return pair_->h1().name(); }
  static std::string h2() { return pair_->h2().name(); }

  // A port no other test uses.
  static uint16_t port() {
    static std::atomic<uint16_t> next{7300};
    return next++;
  }

  static std::unique_ptr<gt::Pair> pair_;
};

std::unique_ptr<gt::Pair> Preload::pair_;

// --- connect ---------------------------------------------------------------

TEST_F(Preload, BlockingConnectIpv4BecomesGlass) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_GE(c.get(), 0);
  EXPECT_EQ(pt::real_domain(c.get()), AF_INET) << "a TCP socket until it connects";
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  EXPECT_EQ(pt::real_domain(c.get()), AF_GLASS);
  EXPECT_EQ(pt::int_opt(c.get(), SOL_SOCKET, SO_DOMAIN), AF_INET) << "the program's family";
  EXPECT_EQ(pt::int_opt(c.get(), SOL_SOCKET, SO_PROTOCOL), IPPROTO_TCP);
  EXPECT_EQ(pt::int_opt(c.get(), SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  EXPECT_EQ(pt::peer(c.get()), "AF_INET 10.7.0.1:" + std::to_string(p));
  EXPECT_EQ(pt::name(c.get()).rfind("AF_INET 10.7.0.2:", 0), 0U) << pt::name(c.get());
  EXPECT_TRUE(pt::echo(c.get(), "hello over glass"));
}

TEST_F(Preload, Ipv6MappedConnectAnswersInIpv6) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET6, SOCK_STREAM, 0));
  const sockaddr_in6 to = pt::sin6("::ffff:10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  EXPECT_EQ(pt::real_domain(c.get()), AF_GLASS);
  EXPECT_EQ(pt::int_opt(c.get(), SOL_SOCKET, SO_DOMAIN), AF_INET6);
  EXPECT_EQ(pt::peer(c.get()), "AF_INET6 ::ffff:10.7.0.1:" + std::to_string(p));
  EXPECT_EQ(pt::name(c.get()).rfind("AF_INET6 ::ffff:10.7.0.2:", 0), 0U) << pt::name(c.get());
  EXPECT_EQ(pt::int_opt(c.get(), IPPROTO_IPV6, IPV6_V6ONLY), 0);
  EXPECT_TRUE(pt::echo(c.get(), "v6 mapped"));
}

TEST_F(Preload, NonblockingConnectRegisteredInEpollBeforehand) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  Fd ep(epoll_create1(EPOLL_CLOEXEC));
  epoll_event ev{};
  ev.events = EPOLLOUT;
  ev.data.u64 = 0xfeed;
  ASSERT_EQ(epoll_ctl(ep.get(), EPOLL_CTL_ADD, c.get(), &ev), 0);
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  const int rc = connect(c.get(), pt::sa(&to), sizeof(to));
  EXPECT_TRUE(rc == 0 || errno == EINPROGRESS) << strerror(errno);
  EXPECT_EQ(pt::real_domain(c.get()), AF_GLASS);
  EXPECT_NE(fcntl(c.get(), F_GETFL) & O_NONBLOCK, 0) << "O_NONBLOCK carried over";
  EXPECT_NE(fcntl(c.get(), F_GETFD) & FD_CLOEXEC, 0) << "FD_CLOEXEC carried over";
  // The registration made on the TCP socket now reports the glass one.
  epoll_event got{};
  ASSERT_EQ(epoll_wait(ep.get(), &got, 1, 5000), 1);
  EXPECT_EQ(got.data.u64, 0xfeedU);
  EXPECT_NE(got.events & EPOLLOUT, 0U);
  pollfd pfd{c.get(), POLLOUT, 0};
  EXPECT_EQ(poll(&pfd, 1, 5000), 1);
  fd_set w;
  FD_ZERO(&w);
  FD_SET(c.get(), &w);
  timeval tv{5, 0};
  EXPECT_EQ(select(c.get() + 1, nullptr, &w, nullptr, &tv), 1);
  EXPECT_EQ(pt::int_opt(c.get(), SOL_SOCKET, SO_ERROR), 0);
  // Connecting again, TCP's answers: the first reports the completion, then EISCONN.
  EXPECT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  EXPECT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), -1);
  EXPECT_EQ(errno, EISCONN);
  EXPECT_TRUE(pt::echo(c.get(), "nonblocking", true));
}

TEST_F(Preload, NoCloexecStaysOff) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  EXPECT_EQ(fcntl(c.get(), F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_EQ(fcntl(c.get(), F_GETFL) & O_NONBLOCK, 0);
}

TEST_F(Preload, RefusedConnectLeavesTheSocketTcpAndRetryWorks) {
  const uint16_t p = port();
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  EXPECT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), -1);
  EXPECT_EQ(errno, ECONNREFUSED) << "as TCP answers a closed port";
  EXPECT_EQ(pt::real_domain(c.get()), AF_INET);
  pt::EchoServer server(h1(), "10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  EXPECT_EQ(pt::real_domain(c.get()), AF_GLASS);
  EXPECT_TRUE(pt::echo(c.get(), "second try"));
}

TEST_F(Preload, ConnectAfterBindingAPortKeepsThePort) {
  const uint16_t p = port();
  const uint16_t local = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in any = pt::sin4("0.0.0.0", local);
  ASSERT_EQ(bind(c.get(), pt::sa(&any), sizeof(any)), 0);
  EXPECT_EQ(pt::real_domain(c.get()), AF_INET) << "a wildcard bind decides nothing yet";
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  EXPECT_EQ(pt::real_domain(c.get()), AF_GLASS);
  EXPECT_EQ(pt::name(c.get()), "AF_INET 10.7.0.2:" + std::to_string(local));
}

// --- bind, listen, accept ---------------------------------------------------

TEST_F(Preload, BindToGlassAddressListenAccept4) {
  const uint16_t p = port();
  gt::InNetns ns(h1());
  Fd l(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const int one = 1;
  ASSERT_EQ(setsockopt(l.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
  const sockaddr_in at = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(bind(l.get(), pt::sa(&at), sizeof(at)), 0) << strerror(errno);
  EXPECT_EQ(pt::real_domain(l.get()), AF_GLASS) << "a glass address: glass at bind()";
  EXPECT_EQ(pt::int_opt(l.get(), SOL_SOCKET, SO_REUSEADDR), 1) << "carried over";
  ASSERT_EQ(listen(l.get(), 8), 0);
  EXPECT_EQ(pt::name(l.get()), "AF_INET 10.7.0.1:" + std::to_string(p));
  EXPECT_EQ(pt::int_opt(l.get(), SOL_SOCKET, SO_ACCEPTCONN), 1);
  pt::Client client(h2(), "10.7.0.1", p);
  sockaddr_in from{};
  socklen_t len = sizeof(from);
  Fd a(accept4(l.get(), pt::sa(&from), &len, SOCK_NONBLOCK | SOCK_CLOEXEC));
  ASSERT_GE(a.get(), 0) << strerror(errno);
  EXPECT_EQ(len, sizeof(sockaddr_in));
  EXPECT_EQ(from.sin_family, AF_INET);
  EXPECT_EQ(pt::text(from), "10.7.0.2");
  EXPECT_EQ(pt::real_domain(a.get()), AF_GLASS);
  EXPECT_EQ(pt::int_opt(a.get(), SOL_SOCKET, SO_DOMAIN), AF_INET);
  EXPECT_NE(fcntl(a.get(), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(fcntl(a.get(), F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_EQ(pt::peer(a.get()).rfind("AF_INET 10.7.0.2:", 0), 0U);
  client.done();
}

TEST_F(Preload, WildcardIpv6ListenerBecomesGlassAtListen) {
  const uint16_t p = port();
  gt::InNetns ns(h1());
  Fd l(socket(AF_INET6, SOCK_STREAM, 0));
  const int off = 0;
  ASSERT_EQ(setsockopt(l.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)), 0);
  const sockaddr_in6 at = pt::sin6("::", p);
  ASSERT_EQ(bind(l.get(), pt::sa(&at), sizeof(at)), 0) << strerror(errno);
  EXPECT_EQ(pt::real_domain(l.get()), AF_INET6) << "a wildcard: decided at listen()";
  ASSERT_EQ(listen(l.get(), 8), 0) << strerror(errno);
  EXPECT_EQ(pt::real_domain(l.get()), AF_GLASS);
  EXPECT_EQ(pt::name(l.get()), "AF_INET6 :::" + std::to_string(p));
  pt::Client client(h2(), "10.7.0.1", p);
  sockaddr_in6 from{};
  socklen_t len = sizeof(from);
  Fd a(accept(l.get(), pt::sa(&from), &len));
  ASSERT_GE(a.get(), 0) << strerror(errno);
  EXPECT_EQ(len, sizeof(sockaddr_in6));
  EXPECT_EQ(pt::text(from), "::ffff:10.7.0.2");
  EXPECT_EQ(pt::int_opt(a.get(), SOL_SOCKET, SO_DOMAIN), AF_INET6);
  client.done();
}

TEST_F(Preload, AcceptWithAShortAddressBufferTruncatesLikeTcp) {
  const uint16_t p = port();
  gt::InNetns ns(h1());
  Fd l(socket(AF_INET6, SOCK_STREAM, 0));
  const sockaddr_in6 at = pt::sin6("::ffff:10.7.0.1", p);
  ASSERT_EQ(bind(l.get(), pt::sa(&at), sizeof(at)), 0) << strerror(errno);
  ASSERT_EQ(listen(l.get(), 8), 0);
  pt::Client client(h2(), "10.7.0.1", p);
  unsigned char buf[sizeof(sockaddr_in6)];
  std::memset(buf, 0xAB, sizeof(buf));
  socklen_t len = 8;
  Fd a(accept(l.get(), reinterpret_cast<sockaddr*>(buf), &len));
  ASSERT_GE(a.get(), 0) << strerror(errno);
  EXPECT_EQ(len, sizeof(sockaddr_in6)) << "the full size, as the kernel reports it";
  EXPECT_EQ(buf[8], 0xAB) << "nothing written past the buffer given";
  Fd b(accept(l.get(), nullptr, nullptr));  // no address wanted: fine too
  client.done();
}

TEST_F(Preload, LoopbackAndOtherAddressesStayTcp) {
  const uint16_t p = port();
  gt::InNetns ns(h1());
  Fd l(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in lo = pt::sin4("127.0.0.1", p);
  ASSERT_EQ(bind(l.get(), pt::sa(&lo), sizeof(lo)), 0);
  ASSERT_EQ(listen(l.get(), 4), 0);
  EXPECT_EQ(pt::real_domain(l.get()), AF_INET);
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_EQ(connect(c.get(), pt::sa(&lo), sizeof(lo)), 0) << strerror(errno);
  EXPECT_EQ(pt::real_domain(c.get()), AF_INET);
  Fd a(accept(l.get(), nullptr, nullptr));
  EXPECT_EQ(pt::real_domain(a.get()), AF_INET);
  EXPECT_EQ(write(c.get(), "tcp", 3), 3);
  char buf[4] = {};
  EXPECT_EQ(read(a.get(), buf, 3), 3);
  // UDP to a glass address is not glass's business.
  Fd u(socket(AF_INET, SOCK_DGRAM, 0));
  const sockaddr_in g = pt::sin4("10.7.0.1", p);
  EXPECT_EQ(connect(u.get(), pt::sa(&g), sizeof(g)), 0);
  EXPECT_EQ(pt::real_domain(u.get()), AF_INET);
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  EXPECT_EQ(pt::real_domain(sv[0]), AF_UNIX);
  close(sv[0]);
  close(sv[1]);
}

TEST_F(Preload, NativeGlassSocketsAreLeftAlone) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_GLASS, SOCK_STREAM, 0));
  const sockaddr_glass to = gt::addr("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), reinterpret_cast<const sockaddr*>(&to), sizeof(to)), 0);
  sockaddr_glass me{};
  socklen_t len = sizeof(me);
  ASSERT_EQ(getsockname(c.get(), reinterpret_cast<sockaddr*>(&me), &len), 0);
  EXPECT_EQ(me.sg_family, AF_GLASS);
  EXPECT_EQ(pt::int_opt(c.get(), SOL_SOCKET, SO_DOMAIN), AF_GLASS);
  const int one = 1;
  EXPECT_EQ(setsockopt(c.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), -1)
      << "the program's own glass socket gets glass's answers";
}

// --- options ----------------------------------------------------------------

TEST_F(Preload, OptionsSetBeforeConnectAreCarriedOver) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const int one = 1;
  const int rcvbuf = 40000;
  const int maxseg = 700;
  ASSERT_EQ(setsockopt(c.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
  ASSERT_EQ(setsockopt(c.get(), IPPROTO_TCP, TCP_MAXSEG, &maxseg, sizeof(maxseg)), 0);
  ASSERT_EQ(setsockopt(c.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
  ASSERT_EQ(setsockopt(c.get(), SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)), 0);
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  ASSERT_EQ(pt::real_domain(c.get()), AF_GLASS);
  EXPECT_EQ(pt::real_int_opt(c.get(), SOL_GLASS, GLASS_NODELAY), 1);
  EXPECT_EQ(pt::real_int_opt(c.get(), SOL_SOCKET, SO_RCVBUF), 2 * rcvbuf);
  EXPECT_EQ(pt::real_int_opt(c.get(), SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_LE(gt::info(c.get()).gi_mss, static_cast<uint32_t>(maxseg));
}

// A TCP program's SO_ZEROCOPY (which Linux 6.1 refuses for AF_GLASS at
// SOL_SOCKET) becomes GLASS_ZEROCOPY, before connect or after, and its
// MSG_ZEROCOPY completions come off the error queue as TCP's would.
TEST_F(Preload, SoZerocopyWorksAsOnTcp) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  const int one = 1;
  Fd before(socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_EQ(setsockopt(before.get(), SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)), 0);
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(before.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  EXPECT_EQ(pt::real_int_opt(before.get(), SOL_SOCKET, SO_ZEROCOPY), 1);
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  ASSERT_EQ(setsockopt(c.get(), SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)), 0);
  EXPECT_EQ(pt::int_opt(c.get(), SOL_SOCKET, SO_ZEROCOPY), 1);
  const std::string msg(5000, 'z');
  ASSERT_EQ(send(c.get(), msg.data(), msg.size(), MSG_ZEROCOPY), static_cast<ssize_t>(msg.size()));
  std::string back(msg.size(), '\0');
  ASSERT_EQ(recv(c.get(), back.data(), back.size(), MSG_WAITALL),
            static_cast<ssize_t>(back.size()));
  EXPECT_EQ(back, msg);
  char control[128];
  msghdr m{};
  EXPECT_TRUE(gt::wait_until([&] {
    m = msghdr{};
    m.msg_control = control;
    m.msg_controllen = sizeof(control);
    return recvmsg(c.get(), &m, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0;
  }));
  const cmsghdr* cm = CMSG_FIRSTHDR(&m);
  ASSERT_NE(cm, nullptr);
  EXPECT_EQ(cm->cmsg_level, SOL_IP);
  EXPECT_EQ(cm->cmsg_type, IP_RECVERR);
}

TEST_F(Preload, TcpOptionsMapToGlassOptions) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  const int one = 1;
  const int zero = 0;
  ASSERT_EQ(setsockopt(c.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
  EXPECT_EQ(pt::real_int_opt(c.get(), SOL_GLASS, GLASS_NODELAY), 1);
  EXPECT_EQ(pt::int_opt(c.get(), IPPROTO_TCP, TCP_NODELAY), 1);
  ASSERT_EQ(setsockopt(c.get(), IPPROTO_TCP, TCP_CORK, &one, sizeof(one)), 0);
  EXPECT_EQ(pt::real_int_opt(c.get(), SOL_GLASS, GLASS_CORK), 1);
  EXPECT_EQ(pt::int_opt(c.get(), IPPROTO_TCP, TCP_CORK), 1);
  ASSERT_EQ(setsockopt(c.get(), IPPROTO_TCP, TCP_CORK, &zero, sizeof(zero)), 0);
  EXPECT_EQ(pt::real_int_opt(c.get(), SOL_GLASS, GLASS_CORK), 0);
  EXPECT_GT(pt::int_opt(c.get(), IPPROTO_TCP, TCP_MAXSEG), 0);
  EXPECT_EQ(pt::int_opt(c.get(), IPPROTO_TCP, TCP_MAXSEG),
            pt::real_int_opt(c.get(), SOL_GLASS, GLASS_MAXSEG));
  // SO_* reach the glass socket as they are.
  const int sndbuf = 50000;
  ASSERT_EQ(setsockopt(c.get(), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
  EXPECT_EQ(pt::int_opt(c.get(), SOL_SOCKET, SO_SNDBUF), 2 * sndbuf);
  EXPECT_EQ(gt::info(c.get()).gi_sndbuf, static_cast<uint32_t>(2 * sndbuf));
}

TEST_F(Preload, TcpInfoIsAnsweredFromGlassInfo) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  const std::string msg(5000, 'x');
  ASSERT_TRUE(pt::echo(c.get(), msg));
  tcp_info ti{};
  socklen_t len = sizeof(ti);
  ASSERT_EQ(getsockopt(c.get(), IPPROTO_TCP, TCP_INFO, &ti, &len), 0) << strerror(errno);
  EXPECT_EQ(len, sizeof(ti)) << "glibc's struct: its size";
  const glass_info gi = gt::info(c.get());
  EXPECT_EQ(ti.tcpi_state, TCP_ESTABLISHED);
  EXPECT_EQ(ti.tcpi_snd_mss, gi.gi_mss);
  EXPECT_EQ(ti.tcpi_rto, gi.gi_rto_us);
  EXPECT_GT(ti.tcpi_rtt, 0U);
  EXPECT_GE(ti.tcpi_snd_cwnd, 1U);
}

TEST_F(Preload, UnmappableOptionsFailWithOneLineEach) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  pt::StderrCapture err;
  const int v = 5;
  for (int i = 0; i < 3; ++i) {
    errno = 0;
    EXPECT_EQ(setsockopt(c.get(), IPPROTO_TCP, TCP_USER_TIMEOUT, &v, sizeof(v)), -1);
    EXPECT_EQ(errno, ENOPROTOOPT);
  }
  EXPECT_EQ(setsockopt(c.get(), IPPROTO_IP, IP_TTL, &v, sizeof(v)), -1);
  EXPECT_EQ(errno, ENOPROTOOPT);
  char cc[16];
  socklen_t len = sizeof(cc);
  EXPECT_EQ(getsockopt(c.get(), IPPROTO_TCP, TCP_CONGESTION, cc, &len), -1);
  EXPECT_EQ(errno, ENOPROTOOPT);
  const std::string text = err.text();
  EXPECT_EQ(pt::count(text, "TCP_USER_TIMEOUT"), 1) << "one line, once:\n" << text;
  EXPECT_EQ(pt::count(text, "IP_TTL"), 1) << text;
  EXPECT_EQ(pt::count(text, "TCP_CONGESTION"), 1) << text;
  EXPECT_EQ(pt::count(text, "glass run["), 3) << text;
  EXPECT_NE(text.find("ENOPROTOOPT"), std::string::npos) << text;
}

TEST_F(Preload, OptionsWithoutEquivalentSetBeforeConnectAreReportedNotFatal) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  pt::StderrCapture err;
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const int v = 30;
  ASSERT_EQ(setsockopt(c.get(), IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof(v)), 0) << "still TCP";
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  EXPECT_EQ(pt::real_domain(c.get()), AF_GLASS);
  EXPECT_NE(err.text().find("TCP_KEEPCNT was set before the socket became glass"),
            std::string::npos)
      << err.text();
}

// --- data paths, processes, threads -----------------------------------------

TEST_F(Preload, SendfileOverGlass) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  char path[] = "/tmp/sendfile.XXXXXX";
  Fd f(mkstemp(path));
  unlink(path);
  std::string data(256 * 1024, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + i / 251);
  ASSERT_TRUE(gt::write_all(f.get(), data.data(), data.size()));
  off_t off = 0;
  size_t sent = 0;
  std::string back(data.size(), '\0');
  std::thread reader([&] { EXPECT_TRUE(gt::read_all(c.get(), back.data(), back.size())); });
  while (sent < data.size()) {
    const ssize_t n = sendfile(c.get(), f.get(), &off, data.size() - sent);
    ASSERT_GT(n, 0) << strerror(errno);
    sent += static_cast<size_t>(n);
  }
  reader.join();
  EXPECT_TRUE(back == data) << "the echo differs from the file";
  EXPECT_GE(gt::info(c.get()).gi_bytes_sent, data.size());
}

TEST_F(Preload, ForkedChildUsesTheGlassSocket) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET6, SOCK_STREAM, 0));
  const sockaddr_in6 to = pt::sin6("::ffff:10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  const pid_t pid = fork();
  if (pid == 0) {
    const bool ok = pt::peer(c.get()) == "AF_INET6 ::ffff:10.7.0.1:" + std::to_string(p) &&
                    pt::echo(c.get(), "from the child");
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(Preload, ExecedProgramSeesItsFamilyOnAnInheritedSocket) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET6, SOCK_STREAM, 0));  // no SOCK_CLOEXEC: inherited
  const sockaddr_in6 to = pt::sin6("::ffff:10.7.0.1", p);
  ASSERT_EQ(connect(c.get(), pt::sa(&to), sizeof(to)), 0) << strerror(errno);
  const std::string out = pt::run_probe({"names", std::to_string(c.get())});
  EXPECT_EQ(out, "domain=10 peer=AF_INET6 ::ffff:10.7.0.1:" + std::to_string(p) + " echo=ok\n");
}

TEST_F(Preload, ThreadsConnectConcurrently) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      gt::InNetns ns(h2());
      for (int i = 0; i < 5; ++i) {
        Fd c(socket(t % 2 != 0 ? AF_INET6 : AF_INET, SOCK_STREAM, 0));
        const sockaddr_in to4 = pt::sin4("10.7.0.1", p);
        const sockaddr_in6 to6 = pt::sin6("::ffff:10.7.0.1", p);
        const int rc = t % 2 != 0 ? connect(c.get(), pt::sa(&to6), sizeof(to6))
                                  : connect(c.get(), pt::sa(&to4), sizeof(to4));
        if (rc == 0 && pt::real_domain(c.get()) == AF_GLASS &&
            pt::echo(c.get(), "thread " + std::to_string(t)))
          ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 40);
}

// --- what is refused ---------------------------------------------------------

TEST_F(Preload, GlassSocketRefusesAnIpv6Destination) {
  const uint16_t p = port();
  gt::InNetns ns(h1());
  Fd s(socket(AF_INET6, SOCK_STREAM, 0));
  const sockaddr_in6 at = pt::sin6("::ffff:10.7.0.1", p);
  ASSERT_EQ(bind(s.get(), pt::sa(&at), sizeof(at)), 0) << strerror(errno);
  ASSERT_EQ(pt::real_domain(s.get()), AF_GLASS);
  pt::StderrCapture err;
  const sockaddr_in6 v6 = pt::sin6("2001:db8::1", 80);
  EXPECT_EQ(connect(s.get(), pt::sa(&v6), sizeof(v6)), -1);
  EXPECT_EQ(errno, EAFNOSUPPORT);
  EXPECT_NE(err.text().find("not IPv4"), std::string::npos) << err.text();
}

TEST_F(Preload, FastOpenToGlassIsRefused) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  gt::InNetns ns(h2());
  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in to = pt::sin4("10.7.0.1", p);
  pt::StderrCapture err;
  EXPECT_EQ(sendto(c.get(), "x", 1, MSG_FASTOPEN, pt::sa(&to), sizeof(to)), -1);
  EXPECT_EQ(errno, EOPNOTSUPP);
  EXPECT_NE(err.text().find("Fast Open"), std::string::npos) << err.text();
}

// --- settings, in child processes ---------------------------------------------

TEST_F(Preload, NetsDecideWhatIsGlass) {
  const uint16_t p = port();
  pt::EchoServer server(h1(), "10.7.0.1", p);
  EXPECT_EQ(pt::run_probe({"connect", "10.7.0.1", std::to_string(p)}, "--nets 10.7.0.0/24", h2()),
            "domain=19 connect=0\n");
  // Not in the nets: the program's own TCP, which glass devices do not
  // carry (the probe gives up after 1 s: SO_SNDTIMEO).
  EXPECT_EQ(pt::run_probe({"connect", "10.7.0.1", std::to_string(p)}, "--nets 10.9.0.0/16", h2()),
            "domain=2 connect=EINPROGRESS\n");
}

TEST_F(Preload, WildcardTcpKeepsWildcardListenersOnTcp) {
  const uint16_t p = port();
  EXPECT_EQ(pt::run_probe({"listen-any", std::to_string(p)}, "--wildcard tcp", h1()), "domain=2\n");
  EXPECT_EQ(pt::run_probe({"listen-any", std::to_string(p)}, "", h1()), "domain=19\n");
}

}  // namespace
