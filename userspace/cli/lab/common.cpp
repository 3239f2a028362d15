// Shared scenario helpers: the watched connection, info snapshots, quantiles.
#include "common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <future>
#include <limits>

#include <linux/glass.h>

namespace glass::cli::lab {

Endpoint glass_endpoint(const Testbed& tb, std::uint16_t port) {
  Endpoint ep;
  ep.family = AF_GLASS;
  ep.host = Testbed::kGlassB;
  ep.port = port;
  ep.server_netns = tb.b();
  ep.client_netns = tb.a();
  return ep;
}

Connection connect_glass(const Testbed& tb, const ConnSpec& spec) {
  const Endpoint ep = glass_endpoint(tb, spec.port);
  const Fd listener = listen_on(ep, 4, spec.server_rcvbuf, spec.server_sndbuf);
  Connection c;
  c.client = connect_to(ep, spec.client_rcvbuf, spec.client_sndbuf);
  c.server = accept_from(listener.get());
  if (spec.nodelay) set_nodelay(c.client.get(), AF_GLASS, true);
  return c;
}

glass_info info_of(int fd) {
  return read_info(fd).raw;
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto k = static_cast<std::size_t>(
      std::min<double>(values.size() - 1, std::floor(q * static_cast<double>(values.size()))));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

namespace {

std::string scaled(double v, const char* const* units, double step, const char* suffix) {
  int i = 0;
  while (std::fabs(v) >= step && units[i + 1] != nullptr) {
    v /= step;
    i++;
  }
  char buf[48];
  std::snprintf(buf, sizeof(buf), i == 0 ? "%.0f %s%s" : "%.1f %s%s", v, units[i], suffix);
  return buf;
}

}  // namespace

std::string times_text(std::uint64_t n) {
  return n == 1 ? "once" : std::to_string(n) + " times";
}

std::string bytes_text(double bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", nullptr};
  return scaled(bytes, units, 1024, "");
}

std::string rate_text(double bytes_per_s) {
  static const char* const units[] = {"B", "kB", "MB", "GB", nullptr};
  return scaled(bytes_per_s, units, 1000, "/s");
}

}  // namespace glass::cli::lab
