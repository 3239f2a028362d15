// Where a train is received (glass_dev.c, glass_rx_kick()): the device
// polls a frame of a train's size on another CPU than the sender's, so a
// bulk transfer's receive work (the peer's poll, its socket, its ACKs)
// runs beside the writer instead of after it on the writer's CPU; small
// frames are polled where they were sent. Seen in /proc/softirqs: NET_RX
// runs counted per CPU, with the writer pinned to one CPU and the reader
// to the other.
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "transfer.hpp"

namespace {

constexpr uint64_t kSteerSeed = 37;

// NET_RX softirq runs per CPU, from /proc/softirqs.
std::vector<uint64_t> net_rx_runs() {
  std::ifstream f("/proc/softirqs");
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    std::string name;
    in >> name;
    if (name != "NET_RX:") continue;
    std::vector<uint64_t> v;
    for (uint64_t n = 0; in >> n;) v.push_back(n);
    return v;
  }
  return {};
}

bool pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof(set), &set) == 0;
}

}  // namespace

TEST(RxSteer, TrainsArePolledOnAnotherCpuThanTheWriters) {
  if (sysconf(_SC_NPROCESSORS_ONLN) < 2) GTEST_SKIP() << "one CPU: nowhere to steer";
  constexpr uint64_t kTotal = 32ull << 20;
  tt::Link link;
  link.open();
  ASSERT_GE(link.server, 0);
  const std::vector<uint64_t> before = net_rx_runs();
  ASSERT_GE(before.size(), 2U);
  std::string why;
  bool read_ok = false;
  std::thread reader([&] {
    if (pin_to(1)) read_ok = tt::recv_pattern(link.server, kSteerSeed, kTotal, &why);
  });
  bool write_ok = false;
  std::thread writer([&] {
    if (pin_to(0)) write_ok = tt::send_pattern(link.client, kSteerSeed, kTotal);
  });
  writer.join();
  reader.join();
  ASSERT_TRUE(write_ok);
  ASSERT_TRUE(read_ok) << why;
  const std::vector<uint64_t> after = net_rx_runs();
  const uint64_t writer_cpu = after[0] - before[0];
  const uint64_t reader_cpu = after[1] - before[1];
  EXPECT_GT(reader_cpu, writer_cpu) << "NET_RX runs: " << writer_cpu << " on the writer's CPU, "
                                    << reader_cpu << " on the reader's";
}
