// glass perf -c / -s: one test's results in iperf3's shape, as text lines
// ("[  1]   0.00-1.00   sec  113 MBytes   948 Mbits/sec") and as JSON with
// iperf3's field names (start / intervals / end, sum_sent, sum_received,
// bytes, seconds, bits_per_second), plus the spread over streams.
#pragma once

#include "streams.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace glass::cli {

// Bytes each stream moved in [start, end) seconds of the test.
struct IntervalSample {
  double start = 0, end = 0;
  std::vector<std::uint64_t> bytes;
};

struct IperfRun {
  std::string transport;  // "glass" or "tcp"
  std::string host;       // the server's address
  std::uint16_t port = 0;
  int streams = 1;
  std::size_t blksize = 0;                // bytes per write (-l)
  double duration = 0;                    // -t (0 with -n)
  std::uint64_t bytes = 0;                // -n (0 with -t)
  bool reverse = false;                   // -R: the server sends
  double timesecs = 0;                    // start, seconds since the epoch
  std::vector<IntervalSample> intervals;  // this side's, with -i
  SideResult sent, received;              // per-stream totals of each side
};

// Bits per second of a byte count over seconds (0 when seconds is 0).
double bits_per_second(std::uint64_t bytes, double seconds);
// Smallest and largest per-stream receiver rate, bits/s.
std::pair<double, double> stream_spread(const IperfRun& r);

// "Connecting to host A, port P over glass" and the column header.
void iperf_text_start(std::ostream& out, const IperfRun& r, bool server);
void iperf_text_interval(std::ostream& out, const IntervalSample& s, char unit);
// The summary: per stream and [SUM] sender and receiver lines, the spread,
// CPU per MB of each side.
void iperf_text_end(std::ostream& out, const IperfRun& r, char unit, bool server);
// One JSON object (no trailing newline).
std::string iperf_json(const IperfRun& r);

// CPU microseconds per MB (10^6 bytes) moved; 0 when nothing moved.
double cpu_us_per_mb(double cpu_seconds, std::uint64_t bytes);

}  // namespace glass::cli
