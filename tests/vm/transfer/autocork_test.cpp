// Autocorking (net.glass.autocork): writes made in a row while earlier
// ones are in flight leave together, as trains, once a train is full or
// the ACK of what is in flight comes back; not as a train per write. The
// server's ACKs are delayed 200 ms (netem on gb), so every frame counted
// right after the writes left before any ACK could push.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "transfer.hpp"

namespace {

constexpr int kCorkWrites = 6;
constexpr size_t kCorkWriteLen = 16 * 1024;
constexpr uint64_t kCorkSeed = 77;

// Data frames the client sent right after kCorkWrites writes of
// kCorkWriteLen in a row; every byte then arrives intact.
uint64_t frames_for_writes_in_a_row(gt::Pair& pair) {
  tt::Link link(pair);
  tt::Options o;
  o.server_rcvbuf = 4 << 20;  // the window never limits the writes
  link.open(o);
  EXPECT_GE(link.server, 0);
  if (link.server < 0) return 0;
  tt::Capture cap(pair.h1(), "ga");
  std::vector<uint8_t> buf(kCorkWriteLen);
  for (int i = 0; i < kCorkWrites; i++) {
    tt::pattern_fill(kCorkSeed, i * kCorkWriteLen, buf.data(), buf.size());
    EXPECT_EQ(::write(link.client, buf.data(), buf.size()), static_cast<ssize_t>(buf.size()));
  }
  cap.drain();
  std::string why;
  EXPECT_TRUE(tt::recv_pattern(link.server, kCorkSeed, kCorkWrites * kCorkWriteLen, &why)) << why;
  return cap.data_frames_out;
}

}  // namespace

TEST(Autocork, WritesInARowLeaveAsTrainsNotATrainEach) {
  gt::Pair pair;
  // Room for every write at once: a window of 100 segments.
  pair.h1().exec(
      [&] { ASSERT_EQ(gt::route_add_host("ga", gt::Pair::kAddr2, {.initcwnd = 100}), 0); });
  tt::netem(pair.h2(), "gb", "delay 200ms");
  const uint64_t corked = frames_for_writes_in_a_row(pair);
  tt::sysctl(pair.h1(), "autocork", 0);
  const uint64_t each = frames_for_writes_in_a_row(pair);
  // The first write leaves alone; four more fill a train (64 KiB); the
  // last waits for the ACK.
  EXPECT_LE(corked, 3U) << "frames before any ACK came back, autocorking";
  EXPECT_GE(each, static_cast<uint64_t>(kCorkWrites)) << "frames, a train per write";
}
