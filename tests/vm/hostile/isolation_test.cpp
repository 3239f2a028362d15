// Isolation and lifetime: namespaces are separate hosts; devices that move or
// vanish fail their connections cleanly; an unprivileged user stays confined;
// a namespace deleted under live sockets keeps working until they close and
// leaves nothing behind.
#include <arpa/inet.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "hostile.hpp"

namespace hostile {
namespace {

void set_timeout(int fd, int optname, int ms) {
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, optname, &tv, sizeof(tv));
}

// Reads until EOF or error; returns the errno of the error (0 on EOF).
int read_until_error(int fd) {
  std::vector<uint8_t> buf(65536);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n == 0) return 0;
    if (n < 0) return errno;
  }
}

void echo_check(int from, int to, size_t n, uint32_t id) {
  std::vector<uint8_t> out(n), in(n);
  fill_pattern(id, 0, out.data(), n);
  std::thread w([&] { EXPECT_TRUE(gt::write_all(from, out.data(), n)); });
  EXPECT_TRUE(gt::read_all(to, in.data(), n));
  w.join();
  EXPECT_EQ(in, out);
}

TEST(Isolation, NamespacesNeverSeeEachOthersSocketsPortsRowsOrCounters) {
  gt::Loopback a, b;  // both use 10.7.9.1 on their own glass0
  Fd la, lb, ca, sa, cb, sb;
  {
    gt::InNetns in(a.ns().name());
    la = Fd(gt::listener(gt::Loopback::kAddr, 7500));
    ca = Fd(gt::connect_to(gt::Loopback::kAddr, 7500));
    sa = Fd(::accept(la.get(), nullptr, nullptr));
    echo_check(ca.get(), sa.get(), 10000, 1);
  }
  std::map<std::string, uint64_t> cnt_a;
  {
    gt::InNetns in(b.ns().name());
    // Same address and port: a separate port space.
    for (const auto& [k, v] : counters()) EXPECT_EQ(v, 0u) << "b sees a's counter " << k;
    EXPECT_TRUE(proc_table().rows.empty()) << "b sees a's sockets";
    lb = Fd(gt::listener(gt::Loopback::kAddr, 7500));
    cb = Fd(gt::connect_to(gt::Loopback::kAddr, 7500));
    sb = Fd(::accept(lb.get(), nullptr, nullptr));
    ASSERT_TRUE(sb);
    echo_check(cb.get(), sb.get(), 3000, 2);
    const ProcTable t = proc_table();
    EXPECT_EQ(t.rows.size(), 3u);
    const auto c = counters();
    EXPECT_EQ(c.at("bytes_in"), 3000u);
    EXPECT_EQ(c.at("active_opens"), 1u);
  }
  {
    gt::InNetns in(a.ns().name());
    const ProcTable t = proc_table();
    EXPECT_EQ(t.rows.size(), 3u);  // its own listener and connection, nothing of b's
    const auto* l = t.find("local", "10.7.9.1:7500");
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(t.num(*l, "recvq"), 0u);  // b's connect never reached a's listener
    const auto c = counters();
    EXPECT_EQ(c.at("bytes_in"), 10000u);
    EXPECT_EQ(c.at("active_opens"), 1u);
    EXPECT_EQ(c.at("passive_opens"), 1u);
  }
}

TEST(Isolation, PairEndMovedToAnotherNamespace) {
  gt::Pair p;
  gt::Netns h3("mv" + std::to_string(::getpid()));
  for (const gt::Netns* ns : {&p.h1(), &p.h2(), static_cast<const gt::Netns*>(&h3)}) {
    set_sysctl(ns->name(), "rto_min_ms", 50);
    set_sysctl(ns->name(), "rto_max_ms", 500);
  }
  Conn c = connect_pair(p, 7600);
  echo_check(c.client.get(), c.server.get(), 5000, 3);
  p.h2().run("/usr/sbin/ip link set gb netns " + h3.name());
  // The end that left fails its connections at once.
  set_timeout(c.server.get(), SO_RCVTIMEO, 5000);
  EXPECT_EQ(read_until_error(c.server.get()), ENETDOWN);
  // The new namespace configures the device and serves on it.
  h3.run("/usr/sbin/ip addr add 10.7.0.2/24 dev gb");
  h3.run("/usr/sbin/ip link set gb up");
  Fd l3;
  {
    gt::InNetns in(h3.name());
    l3 = Fd(gt::listener(gt::Pair::kAddr2, 7601));
  }
  // The other end's old connection now reaches a host that never heard of
  // it: the RST ends it with an error, not a hang.
  set_timeout(c.client.get(), SO_RCVTIMEO, 15000);
  const char ping[] = "anyone?";
  ::send(c.client.get(), ping, sizeof(ping), MSG_NOSIGNAL);
  const int err = read_until_error(c.client.get());
  EXPECT_TRUE(err == ECONNRESET || err == ETIMEDOUT) << strerror(err);
  Fd c2;
  {
    gt::InNetns in(p.h1().name());
    c2 = Fd(gt::connect_to(gt::Pair::kAddr2, 7601));
  }
  Fd s2(::accept(l3.get(), nullptr, nullptr));
  ASSERT_TRUE(s2);
  echo_check(c2.get(), s2.get(), 20000, 4);
  echo_check(s2.get(), c2.get(), 20000, 5);
}

TEST(Isolation, UnprivilegedUserIsConfined) {
  gt::Pair p;
  gt::InNetns in(p.h1().name());  // the child inherits this namespace
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int bad = 0;
    if (!become_nobody()) ::_exit(100);
    // Its own sockets work.
    const int fd = ::socket(AF_GLASS, SOCK_STREAM, 0);
    if (fd < 0) bad |= 1;
    sockaddr_glass low = gt::addr("10.7.0.1", 80);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&low), sizeof(low)) != -1 || errno != EACCES)
      bad |= 2;
    sockaddr_glass high = gt::addr("10.7.0.1", 5000);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&high), sizeof(high)) != 0) bad |= 4;
    if (::listen(fd, 4) != 0) bad |= 4;
    // The injector is not its to change; reading it is fine.
    int rc = 0;
    const std::string out = capture("glass fault ga loss 50% 2>&1", &rc);
    if (rc != 1 || out.find("Operation not permitted") == std::string::npos) bad |= 8;
    capture("glass fault ga show >/dev/null 2>&1", &rc);
    if (rc != 0) bad |= 16;
    // Nor the namespace's tunables.
    std::ofstream sysctl("/proc/sys/net/glass/time_wait_ms");
    sysctl << "1" << std::flush;
    if (sysctl.good()) bad |= 32;
    // Junk from an unprivileged caller: errors, never warnings.
    char junk[64] = {};
    for (int opt = 0; opt < 10; ++opt) {
      ::setsockopt(fd, SOL_GLASS, opt, junk, static_cast<socklen_t>(opt * 7));
      ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, junk, 4);  // EPERM
    }
    ::close(fd);
    ::_exit(bad);
  }
  int st = 0;
  ASSERT_EQ(::waitpid(pid, &st, 0), pid);
  ASSERT_TRUE(WIFEXITED(st));
  const int bad = WEXITSTATUS(st);
  EXPECT_EQ(bad, 0) << "1 socket, 2 bind<1024 not EACCES, 4 bind/listen >=1024, 8 fault set not "
                       "EPERM, 16 fault show, 32 sysctl writable, 100 setresuid";
  EXPECT_EQ(show_fault(p.h1().name(), "ga")["loss_ppm"], 0u);
}

TEST(Isolation, DeviceDeletedMidTransferGivesEnetdown) {
  gt::Pair p;
  Conn up = connect_pair(p, 7700);    // h1 writes, h2 never reads: the writer blocks
  Conn down = connect_pair(p, 7701);  // h2 reads, h1 never writes: the reader blocks
  set_timeout(up.client.get(), SO_SNDTIMEO, 20000);
  set_timeout(down.server.get(), SO_RCVTIMEO, 20000);
  std::atomic<int> write_err{-1}, read_err{-1};
  std::thread writer([&] {
    std::vector<uint8_t> buf(65536, 1);
    for (;;) {
      if (::send(up.client.get(), buf.data(), buf.size(), MSG_NOSIGNAL) < 0) {
        write_err = errno;
        return;
      }
    }
  });
  std::thread reader([&] { read_err = read_until_error(down.server.get()); });
  EXPECT_TRUE(gt::wait_until([&] { return gt::info(up.client.get()).gi_writer_blocked > 0; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  p.h1().run("/usr/sbin/ip link del ga");  // both ends go
  writer.join();
  reader.join();
  EXPECT_EQ(write_err.load(), ENETDOWN) << strerror(write_err.load());
  EXPECT_EQ(read_err.load(), ENETDOWN) << strerror(read_err.load());
  // The other two ends fail too; buffered data may be read first.
  set_timeout(up.server.get(), SO_RCVTIMEO, 5000);
  EXPECT_EQ(read_until_error(up.server.get()), ENETDOWN);
  set_timeout(down.client.get(), SO_RCVTIMEO, 5000);
  EXPECT_EQ(read_until_error(down.client.get()), ENETDOWN);
  char b = 0;
  EXPECT_EQ(::send(down.client.get(), &b, 1, MSG_NOSIGNAL), -1);
}

bool has_ga(const std::string& ns) {
  return gt::sh("/usr/sbin/ip -n " + ns + " link show ga >/dev/null 2>&1") == 0;
}

TEST(Isolation, NamespaceDeletedUnderLiveSockets) {
  const long refs0 = module_refcnt();
  gt::Pair p;
  set_sysctl(p.h1().name(), "time_wait_ms", 100);
  set_sysctl(p.h2().name(), "time_wait_ms", 100);
  Conn c = connect_pair(p, 7800);
  gt::must("/usr/sbin/ip netns del " + p.h2().name());  // the name goes; sockets hold it
  // The programs keep working.
  echo_check(c.client.get(), c.server.get(), 20000, 6);
  echo_check(c.server.get(), c.client.get(), 20000, 7);
  Fd c2;
  {
    gt::InNetns in(p.h1().name());
    c2 = Fd(gt::connect_to(gt::Pair::kAddr2, 7800));
  }
  Fd s2(::accept(c.listener.get(), nullptr, nullptr));
  ASSERT_TRUE(s2);
  echo_check(c2.get(), s2.get(), 1000, 8);
  // The last sockets of the namespace close: it is torn down, its glass
  // end with it — and the pair's other end, whose connections now fail.
  s2.reset();
  c.server.reset();
  c.listener.reset();
  EXPECT_TRUE(gt::wait_until([&] { return !has_ga(p.h1().name()); }, 20000))
      << "the namespace's cleanup did not remove the pair";
  set_timeout(c.client.get(), SO_RCVTIMEO, 5000);
  const int err = read_until_error(c.client.get());
  EXPECT_TRUE(err == ENETDOWN || err == ECONNRESET || err == 0) << strerror(err);
  c.client.reset();
  c2.reset();
  EXPECT_TRUE(gt::wait_until(
      [&] {
        gt::InNetns in(p.h1().name());
        return proc_table().rows.empty();
      },
      10000));
  EXPECT_TRUE(gt::wait_until([&] { return module_refcnt() == refs0; }, 10000))
      << "refcnt " << module_refcnt() << " baseline " << refs0;
}

}  // namespace
}  // namespace hostile
