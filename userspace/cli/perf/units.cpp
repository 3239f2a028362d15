// -f units and iperf3's number format.
#include "units.hpp"

#include <cmath>
#include <cstdio>

namespace glass::cli {

RateUnit rate_unit(char letter) {
  switch (letter) {
    case 'k':
      return {'k', 1e3 / 8, "Kbits/sec"};
    case 'g':
      return {'g', 1e9 / 8, "Gbits/sec"};
    case 'K':
      return {'K', 1024.0, "KBytes/sec"};
    case 'M':
      return {'M', 1024.0 * 1024, "MBytes/sec"};
    case 'G':
      return {'G', 1024.0 * 1024 * 1024, "GBytes/sec"};
    default:
      return {'m', 1e6 / 8, "Mbits/sec"};
  }
}

std::string three_digits(double v) {
  char buf[32];
  const double a = std::fabs(v);
  std::snprintf(buf, sizeof(buf), a >= 99.95 ? "%.0f" : (a >= 9.995 ? "%.1f" : "%.2f"), v);
  return buf;
}

std::string format_rate(double bytes_per_s, char letter) {
  const RateUnit u = rate_unit(letter);
  return three_digits(bytes_per_s / u.per_second) + " " + u.name;
}

std::string format_bytes(double bytes) {
  static const char* const kNames[] = {"Bytes", "KBytes", "MBytes", "GBytes", "TBytes"};
  std::size_t k = 0;
  while (bytes >= 1024 && k + 1 < std::size(kNames)) {
    bytes /= 1024;
    k++;
  }
  return three_digits(bytes) + " " + kNames[k];
}

}  // namespace glass::cli
