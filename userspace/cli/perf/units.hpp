// glass perf: iperf3's -f units. k, m, g: bits per second in powers of 1000
// (Kbits/sec ...); K, M, G: bytes per second in powers of 1024 (KBytes/sec).
// Transfers are always bytes, in powers of 1024 (iperf3's KBytes, MBytes).
#pragma once

#include <string>

namespace glass::cli {

struct RateUnit {
  char letter;        // k m g K M G
  double per_second;  // bytes/s per unit
  const char* name;   // "Mbits/sec"
};

// The unit of -f LETTER (LETTER one of "kmgKMG"; anything else is m).
RateUnit rate_unit(char letter);
// "948 Mbits/sec": bytes_per_s in the unit of letter, 3 significant digits.
std::string format_rate(double bytes_per_s, char letter);
// "113 MBytes", "1.10 GBytes", "512 KBytes": the largest unit that keeps the
// number at least 1, 3 significant digits.
std::string format_bytes(double bytes);
// 3 significant digits, as iperf3 prints ("948", "94.8", "9.48").
std::string three_digits(double v);

}  // namespace glass::cli
