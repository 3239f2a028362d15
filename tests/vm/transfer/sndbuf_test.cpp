// Send-buffer autotuning (kmod/glass_sndbuf.c, net.glass.wmem): a default
// socket whose writer waits for room while the congestion window has room
// grows its send buffer, bounded by net.glass.wmem's max; SO_SNDBUF turns
// it off. Every byte is checked; no assertion is about time.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "transfer.hpp"

namespace {

constexpr uint64_t kSndbufSeed = 31;

using Wmem = tt::BufLimits;

Wmem read_wmem(const gt::Netns& ns) {
  return tt::read_buf_limits(ns, "wmem");
}

void set_wmem(const gt::Netns& ns, const Wmem& w) {
  tt::set_buf_limits(ns, "wmem", w);
}

// Sends bytes from client to server, the server reading as fast as it can;
// returns the client's send buffer at the end.
uint32_t sndbuf_after(tt::Link& link, uint64_t bytes) {
  std::thread writer([&] { EXPECT_TRUE(tt::send_pattern(link.client, kSndbufSeed, bytes)); });
  std::string why;
  EXPECT_TRUE(tt::recv_pattern(link.server, kSndbufSeed, bytes, &why)) << why;
  writer.join();
  return gt::info(link.client).gi_sndbuf;
}

int sndbuf_of_new_socket(const gt::Netns& ns) {
  gt::InNetns in(ns.name());
  const int fd = gt::glass_socket();
  int v = 0;
  socklen_t len = sizeof(v);
  EXPECT_EQ(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len), 0);
  close(fd);
  return v;
}

}  // namespace

TEST(SndbufAutotune, DefaultSenderGrowsUpToWmemMax) {
  tt::Link link;
  const Wmem w = read_wmem(link.h1());
  EXPECT_EQ(w.min, 4096);
  EXPECT_EQ(w.def, 212992);
  EXPECT_EQ(w.max, 4194304);
  // A lower max, so the bound can be reached within the transfer.
  const int cap = 700000;
  set_wmem(link.h1(), {w.min, w.def, cap});
  link.open();
  ASSERT_GE(link.client, 0);
  EXPECT_EQ(gt::info(link.client).gi_sndbuf, static_cast<uint32_t>(w.def));
  const uint32_t grown = sndbuf_after(link, 32u << 20);
  std::printf("sndbuf autotune: %d -> %u (max %d)\n", w.def, grown, cap);
  EXPECT_GT(grown, static_cast<uint32_t>(w.def));
  EXPECT_LE(grown, static_cast<uint32_t>(cap));
  // The namespace's default is what a new socket starts with.
  set_wmem(link.h1(), {w.min, 100000, cap});
  EXPECT_EQ(sndbuf_of_new_socket(link.h1()), 100000);
}

TEST(SndbufAutotune, MaxAtDefaultKeepsTheBufferWhereItStarts) {
  tt::Link link;
  const Wmem w = read_wmem(link.h1());
  set_wmem(link.h1(), {w.min, w.def, w.def});
  link.open();
  ASSERT_GE(link.client, 0);
  EXPECT_EQ(sndbuf_after(link, 8u << 20), static_cast<uint32_t>(w.def));
}

TEST(SndbufAutotune, SoSndbufTurnsItOff) {
  tt::Link link;
  tt::Options o;
  o.client_sndbuf = 100000;  // doubled by the kernel, as for TCP
  link.open(o);
  ASSERT_GE(link.client, 0);
  EXPECT_EQ(sndbuf_after(link, 16u << 20), 200000u);
}
