// Many sockets at once: threads open many concurrent connections across a
// glass pair, each carrying its own byte pattern, checked byte for byte at
// both ends.
#include <sys/resource.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "socket_util.hpp"

using st::Fd;

namespace {

constexpr int kThreads = 8;
// 128 connections per thread; 32 in the debug kernel (paths, not scale).
int conns_per_thread() {
  return gt::per_kernel(128, 32);
}
constexpr size_t kBytes = 8192;
constexpr uint16_t kPort = 5800;

// The bytes connection (t, c) sends: its id, then a pattern seeded by it.
std::vector<char> payload(uint32_t t, uint32_t c) {
  auto v = st::pattern(kBytes, t * 1000 + c + 1);
  memcpy(v.data(), &t, 4);
  memcpy(v.data() + 4, &c, 4);
  return v;
}

}  // namespace

TEST(Stress, ManyConcurrentConnectionsAreByteExact) {
  const int total = kThreads * conns_per_thread();
  // Every client connection is an open fd at once: lift the 1024 default.
  rlimit nofile{8192, 8192};
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &nofile), 0) << strerror(errno);
  gt::Pair pair;
  Fd l;
  uint64_t passive0, active0, fails0;
  {
    gt::InNetns in(pair.h2().name());
    l = Fd(gt::listener(gt::Pair::kAddr2, kPort, total));
    // A failure must not hang the run: accepted sockets inherit the timeout.
    timeval tv{20, 0};
    setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    passive0 = st::stat("passive_opens");
  }
  {
    gt::InNetns in(pair.h1().name());
    active0 = st::stat("active_opens");
    fails0 = st::stat("attempt_fails");
  }
  std::atomic<int> accepted{0}, server_ok{0}, client_ok{0};
  std::vector<std::thread> servers, clients;
  for (int i = 0; i < kThreads; i++) {
    servers.emplace_back([&] {
      while (accepted.fetch_add(1) < total) {
        Fd a(accept(l, nullptr, nullptr));
        if (a < 0) {
          ADD_FAILURE() << "accept: " << strerror(errno);
          return;
        }
        std::vector<char> got(kBytes);
        if (!gt::read_all(a, got.data(), got.size())) {
          ADD_FAILURE() << "server read: " << strerror(errno);
          continue;
        }
        uint32_t t, c;
        memcpy(&t, got.data(), 4);
        memcpy(&c, got.data() + 4, 4);
        if (t >= kThreads || c >= static_cast<uint32_t>(conns_per_thread()) ||
            got != payload(t, c)) {
          ADD_FAILURE() << "server got wrong bytes for " << t << "/" << c;
          continue;
        }
        // Echo back, reversed, so a mixed-up reply cannot pass.
        std::vector<char> reply(got.rbegin(), got.rend());
        if (!gt::write_all(a, reply.data(), reply.size())) {
          ADD_FAILURE() << "server write: " << strerror(errno);
          continue;
        }
        char b;
        if (read(a, &b, 1) == 0) server_ok++;  // the client closes first
      }
    });
  }
  for (int t = 0; t < kThreads; t++) {
    clients.emplace_back([&, t] {
      gt::InNetns in(pair.h1().name());
      std::vector<Fd> conns;
      for (int c = 0; c < conns_per_thread(); c++) {
        conns.emplace_back(gt::connect_to(gt::Pair::kAddr2, kPort));
        if (conns.back() < 0) return;
      }
      for (int c = 0; c < conns_per_thread(); c++) {
        auto p = payload(t, c);
        if (!gt::write_all(conns[c], p.data(), p.size())) {
          ADD_FAILURE() << "client write " << t << "/" << c << ": " << strerror(errno);
          return;
        }
      }
      for (int c = 0; c < conns_per_thread(); c++) {
        auto p = payload(t, c);
        std::vector<char> got(kBytes);
        if (!gt::read_all(conns[c], got.data(), got.size())) {
          ADD_FAILURE() << "client read " << t << "/" << c << ": " << strerror(errno);
          return;
        }
        if (std::vector<char>(got.rbegin(), got.rend()) != p) {
          ADD_FAILURE() << "client got wrong bytes on " << t << "/" << c;
          return;
        }
        client_ok++;
        conns[c].reset();
      }
    });
  }
  for (auto& th : clients) th.join();
  for (auto& th : servers) th.join();
  EXPECT_EQ(client_ok.load(), total);
  EXPECT_EQ(server_ok.load(), total);
  {
    gt::InNetns in(pair.h2().name());
    EXPECT_EQ(st::stat("passive_opens") - passive0, static_cast<uint64_t>(total));
  }
  gt::InNetns in(pair.h1().name());
  EXPECT_EQ(st::stat("active_opens") - active0, static_cast<uint64_t>(total));
  EXPECT_EQ(st::stat("attempt_fails"), fails0);
}
