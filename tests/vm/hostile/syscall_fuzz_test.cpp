// Syscall fuzzer: threads in both namespaces of a pair call the socket API on
// glass sockets in random order with random arguments — bad pointers, odd
// lengths, junk options, random flags — for a bounded time. Sockets are
// non-blocking so nothing hangs. Afterwards every descriptor is closed and
// the module must return to its baseline: no rows in /proc/net/glass (once
// TIME_WAIT and retransmissions end) and the module reference count back.
//
// GLASS_SYSCALL_FUZZ_SECONDS overrides the duration (default 15).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/sockios.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>

#include "hostile.hpp"

namespace hostile {
namespace {

void* const kBad = reinterpret_cast<void*>(1);

class Worker {
 public:
  Worker(uint32_t seed, bool in_h1) : rng_(seed), in_h1_(in_h1), buf_(65536) {}
  ~Worker() {
    for (int fd : fds_) ::close(fd);
  }
  uint64_t calls = 0;

  void step() {
    ++calls;
    switch (below(22)) {
      case 0:
      case 1:
        return op_socket();
      case 2:
        return op_close();
      case 3:
        return op_bind();
      case 4:
      case 5:
        return op_connect();
      case 6:
        return op_listen();
      case 7:
        return op_accept();
      case 8:
      case 9:
        return op_send();
      case 10:
      case 11:
        return op_recv();
      case 12:
        return op_shutdown();
      case 13:
        return op_setsockopt();
      case 14:
        return op_getsockopt();
      case 15:
        return op_poll();
      case 16:
        return op_ioctl();
      case 17:
        return op_names();
      case 18:
        return op_msg();
      case 19:
        return op_rw();
      case 20:
        return op_dup();
      default:
        return op_bad_socket();
    }
  }

 private:
  uint32_t r() { return rng_(); }
  uint32_t below(uint32_t n) { return n ? r() % n : 0; }
  int pick() { return fds_.empty() ? -1 : fds_[below(static_cast<uint32_t>(fds_.size()))]; }
  void add(int fd) {
    if (fd < 0) return;
    if (fds_.size() >= 24) {
      ::close(fd);
      return;
    }
    fds_.push_back(fd);
  }
  void* maybe_bad(void* good) { return below(8) == 0 ? kBad : good; }
  size_t odd_len(size_t good) {
    switch (below(8)) {
      case 0:
        return 0;
      case 1:
        return below(64);
      case 2:
        return ~size_t{0} >> below(4);
      default:
        return good;
    }
  }
  sockaddr_glass some_addr() {
    sockaddr_glass a{};
    a.sg_family = below(10) == 0 ? static_cast<sa_family_t>(below(64)) : AF_GLASS;
    const char* ips[] = {"10.7.0.1", "10.7.0.2",        "0.0.0.0",  "127.0.0.1",
                         "10.7.0.9", "255.255.255.255", "224.0.0.1"};
    inet_pton(AF_INET, ips[below(7)], &a.sg_addr);
    const uint16_t ports[] = {0, 80, 6000, 6001, 6002, 6003, 65535};
    a.sg_port = htons(below(4) == 0 ? static_cast<uint16_t>(r()) : ports[below(7)]);
    if (below(10) == 0) a.sg_zero[below(8)] = static_cast<unsigned char>(r());
    return a;
  }
  socklen_t addr_len() {
    const socklen_t lens[] = {
        sizeof(sockaddr_glass), sizeof(sockaddr_glass), 0, 1, 2, 8, 15, 17, 128, 0x7fffffff};
    return lens[below(10)];
  }
  int flags() {
    int f = MSG_NOSIGNAL | MSG_DONTWAIT;
    const int extra[] = {0,        MSG_PEEK, MSG_WAITALL, MSG_OOB,      MSG_TRUNC,
                         MSG_MORE, MSG_EOR,  MSG_CONFIRM, MSG_ERRQUEUE, 0x40000000};
    f |= extra[below(10)];
    return f;
  }

  void op_socket() {
    const int types[] = {SOCK_STREAM, SOCK_STREAM, SOCK_STREAM,
                         SOCK_DGRAM,  SOCK_RAW,    SOCK_SEQPACKET};
    const int protos[] = {0, 0, 0, 6, 17, -1, 255};
    add(::socket(AF_GLASS, types[below(6)] | SOCK_NONBLOCK | SOCK_CLOEXEC, protos[below(7)]));
  }
  void op_close() {
    if (fds_.empty()) return;
    const size_t i = below(static_cast<uint32_t>(fds_.size()));
    if (below(2)) {  // abortive close half of the time
      linger l{1, 0};
      ::setsockopt(fds_[i], SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    }
    ::close(fds_[i]);
    fds_.erase(fds_.begin() + static_cast<long>(i));
  }
  void op_bind() {
    sockaddr_glass a = some_addr();
    (void)::bind(pick(), static_cast<sockaddr*>(maybe_bad(&a)), addr_len());
  }
  void op_connect() {
    sockaddr_glass a = some_addr();
    if (below(2)) {  // mostly towards the other namespace's likely listeners
      inet_pton(AF_INET, in_h1_ ? "10.7.0.2" : "10.7.0.1", &a.sg_addr);
      a.sg_port = htons(static_cast<uint16_t>(6000 + below(4)));
      a.sg_family = AF_GLASS;
    }
    (void)::connect(pick(), static_cast<sockaddr*>(maybe_bad(&a)), addr_len());
  }
  void op_listen() {
    const int fd = pick();
    if (below(3) == 0) {
      sockaddr_glass a{};
      a.sg_family = AF_GLASS;
      a.sg_port = htons(static_cast<uint16_t>(6000 + below(4)));
      int one = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      (void)::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    }
    const int backlogs[] = {-1, 0, 1, 5, 128, 100000};
    ::listen(fd, backlogs[below(6)]);
  }
  void op_accept() {
    sockaddr_glass a{};
    socklen_t l = addr_len();
    add(::accept4(pick(), static_cast<sockaddr*>(maybe_bad(&a)),
                  below(4) == 0 ? static_cast<socklen_t*>(kBad) : &l,
                  SOCK_NONBLOCK | SOCK_CLOEXEC));
  }
  void op_send() {
    // A length past the buffer only makes the kernel read further (EFAULT
    // at worst); receives below never get more room than the buffer has.
    const size_t n = odd_len(1 + below(static_cast<uint32_t>(buf_.size())));
    ::send(pick(), maybe_bad(buf_.data()), n, flags());
  }
  void op_recv() {
    const size_t n = std::min(odd_len(1 + below(static_cast<uint32_t>(buf_.size()))), buf_.size());
    sockaddr_glass a{};
    socklen_t l = addr_len();
    ::recvfrom(pick(), maybe_bad(buf_.data()), n, flags(),
               below(4) == 0 ? static_cast<sockaddr*>(maybe_bad(&a)) : nullptr,
               below(4) == 0 ? &l : nullptr);
  }
  void op_shutdown() { ::shutdown(pick(), static_cast<int>(below(5)) - 1 + (below(2) ? 1 : 0)); }
  void op_setsockopt() {
    int v = below(3) == 0 ? static_cast<int>(r()) : static_cast<int>(below(70000));
    int level, name;
    switch (below(4)) {
      case 0:
      case 1:
        level = SOL_GLASS;
        name = static_cast<int>(below(8));
        break;
      case 2: {
        level = SOL_SOCKET;
        // Not: SO_LINGER with a long timeout (close would block), BPF fd
        // attachments, SO_BINDTODEVICE names; the rest at random.
        const int names[] = {
            SO_RCVBUF,    SO_SNDBUF,    SO_RCVLOWAT,  SO_SNDLOWAT, SO_KEEPALIVE,   SO_REUSEADDR,
            SO_REUSEPORT, SO_PRIORITY,  SO_MARK,      SO_RCVTIMEO, SO_SNDTIMEO,    SO_OOBINLINE,
            SO_PEEK_OFF,  SO_BUSY_POLL, SO_TIMESTAMP, SO_ZEROCOPY, SO_RCVBUFFORCE, SO_SNDBUFFORCE};
        name = names[below(18)];
        if (name == SO_RCVTIMEO || name == SO_SNDTIMEO) {
          timeval tv{0, static_cast<long>(below(100000))};
          ::setsockopt(pick(), level, name, &tv, sizeof(tv));
          return;
        }
        break;
      }
      default:
        level = static_cast<int>(r() % 400);
        name = static_cast<int>(below(100));
        if (level == SOL_SOCKET) return;
        break;
    }
    const socklen_t lens[] = {sizeof(int), sizeof(int), 0, 1, 2, 3, 8, 1000};
    char big[1000] = {};
    std::memcpy(big, &v, sizeof(v));
    ::setsockopt(pick(), level, name, maybe_bad(big), lens[below(8)]);
  }
  void op_getsockopt() {
    char out[512];
    socklen_t l = static_cast<socklen_t>(below(2) ? sizeof(out) : below(300));
    if (below(10) == 0) l = static_cast<socklen_t>(-1);
    const int level = below(2) ? SOL_GLASS : (below(2) ? SOL_SOCKET : static_cast<int>(r() % 400));
    ::getsockopt(pick(), level, static_cast<int>(below(70)), maybe_bad(out),
                 below(8) == 0 ? static_cast<socklen_t*>(kBad) : &l);
  }
  void op_poll() {
    pollfd p[4];
    int n = 0;
    for (; n < 4 && n < static_cast<int>(fds_.size()); ++n)
      p[n] = {pick(), static_cast<short>(POLLIN | POLLOUT | POLLPRI | POLLRDHUP), 0};
    ::poll(below(10) == 0 ? static_cast<pollfd*>(kBad) : p, static_cast<nfds_t>(n),
           static_cast<int>(below(5)));
  }
  void op_ioctl() {
    int v = 0;
    const unsigned long cmds[] = {FIONREAD,
                                  SIOCOUTQ,
                                  SIOCINQ,
                                  SIOCATMARK,
                                  SIOCOUTQNSD,
                                  SIOCGSTAMP_OLD,
                                  0x12340000UL | below(0x10000),
                                  0x5401 /*TCGETS*/};
    ::ioctl(pick(), cmds[below(8)], below(6) == 0 ? kBad : &v);
  }
  void op_names() {
    sockaddr_glass a{};
    socklen_t l = addr_len();
    if (below(2))
      ::getsockname(pick(), static_cast<sockaddr*>(maybe_bad(&a)), &l);
    else
      ::getpeername(pick(), static_cast<sockaddr*>(maybe_bad(&a)), &l);
  }
  void op_msg() {
    iovec iov[3] = {{buf_.data(), below(4096)},
                    {below(4) == 0 ? kBad : buf_.data() + 8192, below(4096)},
                    {buf_.data() + 16384, std::min<size_t>(odd_len(100), 16384)}};
    msghdr m{};
    m.msg_iov = below(10) == 0 ? static_cast<iovec*>(kBad) : iov;
    m.msg_iovlen = below(4);
    sockaddr_glass a = some_addr();
    if (below(4) == 0) {
      m.msg_name = &a;
      m.msg_namelen = addr_len();
    }
    char ctl[64] = {};
    if (below(4) == 0) {
      m.msg_control = ctl;
      m.msg_controllen = below(64);
    }
    if (below(2))
      (void)::sendmsg(pick(), &m, flags());
    else
      (void)::recvmsg(pick(), &m, flags());
  }
  void op_rw() {
    if (below(2))
      (void)!::write(pick(), buf_.data(), below(8192));
    else
      (void)!::read(pick(), buf_.data(), below(8192));
  }
  void op_dup() {
    const int fd = pick();
    if (fd >= 0) add(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  }
  void op_bad_socket() {
    // Argument checks of socket() itself.
    const int fd = ::socket(AF_GLASS, static_cast<int>(r() & 0xf) | SOCK_NONBLOCK,
                            static_cast<int>(r() % 300) - 10);
    if (fd >= 0) add(fd);
  }

  std::mt19937 rng_;
  bool in_h1_;
  std::vector<uint8_t> buf_;
  std::vector<int> fds_;
};

bool idle(const std::string& ns) {
  gt::InNetns in(ns);
  return proc_table().rows.empty();
}

TEST(SyscallFuzz, RandomCallsLeaveNoSocketsOrReferencesBehind) {
  const char* s = std::getenv("GLASS_SYSCALL_FUZZ_SECONDS");
  const int seconds = s != nullptr && std::atoi(s) > 0 ? std::atoi(s) : 15;
  ::signal(SIGPIPE, SIG_IGN);
  gt::Pair p;
  for (const auto* ns : {&p.h1(), &p.h2()}) {
    set_sysctl(ns->name(), "time_wait_ms", 100);
    set_sysctl(ns->name(), "retries", 3);
    set_sysctl(ns->name(), "syn_retries", 2);
    set_sysctl(ns->name(), "rto_max_ms", 1000);
    set_sysctl(ns->name(), "rto_initial_ms", 200);
  }
  ASSERT_TRUE(idle(p.h1().name()));
  ASSERT_TRUE(idle(p.h2().name()));
  const long refs0 = module_refcnt();
  ASSERT_GE(refs0, 0);

  std::atomic<bool> stop{false};
  std::atomic<uint64_t> calls{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      const bool h1 = i % 2 == 0;
      gt::InNetns in(h1 ? p.h1().name() : p.h2().name());
      Worker w(0x5eed0000u + static_cast<uint32_t>(i), h1);
      while (!stop.load()) w.step();
      calls += w.calls;
    });  // the Worker's destructor closes what is left
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  std::printf("syscall fuzz: %llu calls by 8 threads in %d s\n",
              static_cast<unsigned long long>(calls.load()), seconds);

  // Orphans finish their FIN exchange, retransmissions give up, TIME_WAIT ends.
  const bool gone1 = gt::wait_until([&] { return idle(p.h1().name()); }, 60000);
  const bool gone2 = gt::wait_until([&] { return idle(p.h2().name()); }, 60000);
  if (!gone1 || !gone2) {
    for (const auto* ns : {&p.h1(), &p.h2()}) {
      gt::InNetns in(ns->name());
      const ProcTable t = proc_table();
      for (const auto& r : t.rows) {
        std::string line;
        for (const auto& f : r) line += f + " ";
        ADD_FAILURE() << ns->name() << " left: " << line;
      }
    }
  }
  EXPECT_TRUE(gt::wait_until([&] { return module_refcnt() == refs0; }, 10000))
      << "refcnt " << module_refcnt() << " baseline " << refs0;
}

}  // namespace
}  // namespace hostile
