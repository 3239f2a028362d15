// Helpers the lab scenarios share: one glass connection across the testbed,
// GLASS_INFO snapshots, statistics of samples.
#pragma once

#include "lab.hpp"
#include "testbed.hpp"

#include <glass/error.hpp>
#include <glass/info.hpp>

#include <cstdint>
#include <vector>

namespace glass::cli::lab {

// Socket buffers and options of the one connection a scenario watches.
struct ConnSpec {
  int server_rcvbuf = 0;  // SO_RCVBUF of the listener (the accepted socket inherits it)
  int server_sndbuf = 0;
  int client_rcvbuf = 0;
  int client_sndbuf = 0;
  bool nodelay = false;  // GLASS_NODELAY on the client
  std::uint16_t port = 7400;
};

// client: the connecting socket in host a (10.7.0.1); server: the accepted
// socket in host b (10.7.0.2).
struct Connection {
  Fd client;
  Fd server;
};

Endpoint glass_endpoint(const Testbed& tb, std::uint16_t port);
Connection connect_glass(const Testbed& tb, const ConnSpec& spec);

// getsockopt(GLASS_INFO), the raw structure.
glass_info info_of(int fd);

// The q-quantile (0..1) of values (copied, nth_element); NaN when empty.
double quantile(std::vector<double> values, double q);

// "once", "2 times", for the printed facts.
std::string times_text(std::uint64_t n);

// "12.3 KiB", "4.5 MB/s" style numbers for the printed facts.
std::string bytes_text(double bytes);
std::string rate_text(double bytes_per_s);

}  // namespace glass::cli::lab
