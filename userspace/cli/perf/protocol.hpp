// glass perf -s / -c: the control exchange, one text line each way on the
// first connection (iperf3 has a control connection too):
//
//   client: glass-perf 1 streams=4 reverse=0 seconds=2 bytes=0 len=65536 cookie=HEX16
//   server: ok                      (or: error WHAT)
//   ... the client opens `streams` data connections to the same port, each
//   ... starting with the line HEX16 (the cookie: a connection from another
//   ... client does not join the test, as with iperf3's cookie),
//   ... the sender sends for `seconds` (or `bytes` in all), then shuts down
//   server: result seconds=2.0012 cpu=0.8123 bytes=1048576,1040000,...
//   client: result seconds=2.0000 cpu=0.7001 bytes=1048576,1040000,...
//
// Each result is one side's: bytes per stream it received (or sent), its
// time from start to its last byte and its thread's CPU time; both ends
// then hold both sides, as iperf3's exchange of results gives them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace glass::cli {

inline constexpr int kPerfProtocol = 1;
inline constexpr int kPerfMaxStreams = 20000;
inline constexpr int kPerfMaxWritesPerWake = 1000;
inline constexpr std::size_t kPerfMaxLine = 1 << 20;

struct PerfHello {
  int streams = 1;
  bool reverse = false;
  double seconds = 2;
  std::uint64_t bytes = 0;
  std::size_t len = 64 * 1024;
  std::string cookie;  // 16 lowercase hex digits
  // The sender's writes per wake (--writes-per-wake): "burst=N", sent only
  // when not 1, so a server from before it still understands the rest.
  int writes_per_wake = 1;
};

// A fresh cookie from the kernel's random source.
std::string make_cookie();

struct PerfResultLine {
  double seconds = 0;
  double cpu_seconds = 0;
  std::vector<std::uint64_t> bytes;
};

std::string format_hello(const PerfHello& h);
// The hello, or nullopt with why in *err: wrong version, a field missing,
// malformed or out of range (streams 1..kPerfMaxStreams, len 1..16 MiB,
// seconds 0.05..3600, a cookie of 16 lowercase hex digits, burst
// 1..kPerfMaxWritesPerWake when present).
std::optional<PerfHello> parse_hello(const std::string& line, std::string* err);

std::string format_result(const PerfResultLine& r);
std::optional<PerfResultLine> parse_result(const std::string& line, std::size_t streams);

// Reads one '\n'-terminated line (without it) of at most kPerfMaxLine bytes;
// throws Error at EOF, on an error or when the line is too long.
std::string read_line(int fd);

}  // namespace glass::cli
