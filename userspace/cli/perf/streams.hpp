// glass perf: moving bytes over N connections at once (iperf3's -P), the
// engine of every throughput figure. One thread sends on all of them and
// one receives on all of them (epoll, non-blocking) so that 10,000
// connections cost two threads; a single stream uses plain blocking calls.
// Per-stream counters are atomics a reporter thread samples for -i.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace glass::cli {

// Bytes moved per stream so far, readable from any thread.
class StreamMeter {
 public:
  explicit StreamMeter(std::size_t streams)
      : n_(streams), bytes_(std::make_unique<std::atomic<std::uint64_t>[]>(streams)) {}
  std::size_t size() const { return n_; }
  void add(std::size_t i, std::uint64_t n) { bytes_[i].fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t get(std::size_t i) const { return bytes_[i].load(std::memory_order_relaxed); }
  std::vector<std::uint64_t> snapshot() const;
  std::uint64_t total() const;

 private:
  std::size_t n_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> bytes_;
};

// What one side did: its time from start to its last byte, and the CPU
// time (user + system) of its thread.
struct SideResult {
  double seconds = 0;
  double cpu_seconds = 0;
  std::vector<std::uint64_t> bytes;  // per stream
  std::uint64_t total() const;
};

// How long the sender sends.
struct SendPlan {
  double seconds = 2;       // when bytes == 0
  std::uint64_t bytes = 0;  // total over all streams (split evenly), 0: by time
  std::size_t write_len = 64 * 1024;
  // With several streams: writes to each stream epoll reports writable
  // before the next, until one falls short (iperf3's multisend makes 10).
  int writes_per_wake = 1;
};

struct PerfOptions;
// The plan glass perf's options ask for (time or bytes, write size, writes per wake).
SendPlan send_plan(const PerfOptions& o);

// Writes on every fd until the plan is done, then shutdown(SHUT_WR) on each;
// done_writing, if given, runs between the two (the end of the data phase).
// Throws Error on a failed write (a reset, for one).
SideResult send_streams(std::span<const int> fds, const SendPlan& plan, StreamMeter& meter,
                        const std::function<void()>& done_writing = {});
// Up to plan.writes_per_wake non-blocking writes of buf to fd (stream i
// of meter), stopping at the first that falls short or would block; left
// is what the stream may still send under a byte budget. Returns true once
// that budget is spent.
bool send_burst(int fd, const SendPlan& plan, StreamMeter& meter, std::size_t i,
                std::span<const std::byte> buf, std::uint64_t& left);
// Reads every fd until EOF on all of them.
SideResult recv_streams(std::span<const int> fds, StreamMeter& meter);

// CPU time (user + system) of the calling thread, seconds.
double thread_cpu_seconds();

}  // namespace glass::cli
