// Busy polling (SO_BUSY_POLL, as TCP's): a reader with nothing to read
// spins on the device poll its segments arrive by (the socket's
// sk_napi_id, set from each frame's poll in glass_dev.c) instead of
// sleeping, and takes the reply itself. The kernel counts every frame
// such a spin delivered in the namespace's TcpExt BusyPollRxPackets
// (napi_busy_loop()), which nothing else raises: it stays still without
// the option and moves with it.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "transfer.hpp"

namespace {

constexpr int kRoundTrips = 200;
constexpr size_t kMsg = 64;

// TcpExt BusyPollRxPackets of a namespace (/proc/net/netstat: a line of
// names, then a line of values, both prefixed "TcpExt:").
uint64_t busy_poll_rx_packets(const gt::Netns& ns) {
  gt::InNetns in(ns.name());
  std::ifstream f("/proc/thread-self/net/netstat");
  std::string names;
  std::string values;
  while (std::getline(f, names) && std::getline(f, values)) {
    if (names.rfind("TcpExt:", 0) != 0) continue;
    std::istringstream n(names);
    std::istringstream v(values);
    std::string name;
    std::string value;
    while (n >> name && v >> value)
      if (name == "BusyPollRxPackets") return std::stoull(value);
  }
  ADD_FAILURE() << "no TcpExt BusyPollRxPackets in " << ns.name() << "'s netstat";
  return 0;
}

// kRoundTrips requests of kMsg bytes from client to server, each answered
// with the same bytes plus one; every reply is checked.
void ping_pong(int client, int server) {
  std::thread echo([server] {
    std::array<uint8_t, kMsg> b{};
    for (int i = 0; i < kRoundTrips; i++) {
      if (!gt::read_all(server, b.data(), b.size())) return;
      for (auto& c : b) c++;
      if (!gt::write_all(server, b.data(), b.size())) return;
    }
  });
  std::array<uint8_t, kMsg> req{};
  std::array<uint8_t, kMsg> rep{};
  for (int i = 0; i < kRoundTrips; i++) {
    req.fill(static_cast<uint8_t>(i));
    ASSERT_TRUE(gt::write_all(client, req.data(), req.size()));
    ASSERT_TRUE(gt::read_all(client, rep.data(), rep.size())) << "round trip " << i;
    ASSERT_EQ(rep[0], static_cast<uint8_t>(i + 1)) << "round trip " << i;
    ASSERT_EQ(rep[kMsg - 1], static_cast<uint8_t>(i + 1)) << "round trip " << i;
  }
  echo.join();
}

}  // namespace

TEST(BusyPoll, AReaderWithSoBusyPollTakesRepliesFromThePoll) {
  tt::Link link;
  tt::Options o;
  o.client_nodelay = true;
  link.open(o);
  ASSERT_GE(link.server, 0);
  const int one = 1;
  ASSERT_EQ(setsockopt(link.server, SOL_GLASS, GLASS_NODELAY, &one, sizeof(one)), 0);

  const uint64_t before = busy_poll_rx_packets(link.h1());
  ping_pong(link.client, link.server);
  const uint64_t without = busy_poll_rx_packets(link.h1()) - before;
  EXPECT_EQ(without, 0U) << "frames busy-polled with no socket asking for it";

  // Long enough for a reply under the debug kernel; raising it needs
  // CAP_NET_ADMIN, as for TCP.
  const int usec = 50000;
  ASSERT_EQ(setsockopt(link.client, SOL_SOCKET, SO_BUSY_POLL, &usec, sizeof(usec)), 0);
  int got = 0;
  socklen_t len = sizeof(got);
  ASSERT_EQ(getsockopt(link.client, SOL_SOCKET, SO_BUSY_POLL, &got, &len), 0);
  EXPECT_EQ(got, usec);
  ping_pong(link.client, link.server);
  const uint64_t with = busy_poll_rx_packets(link.h1()) - before - without;
  EXPECT_GE(with, static_cast<uint64_t>(kRoundTrips / 2))
      << "of " << kRoundTrips << " replies, " << with << " were taken by the reader's spin";
}
