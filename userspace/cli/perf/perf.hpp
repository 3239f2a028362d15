// glass CLI: `glass perf` — glass against TCP (over a veth pair and over lo)
// and AF_UNIX, in the same run: bulk throughput, request/response latency,
// connection setup rate. Under emulation only the ratios mean something, so
// every figure is printed with its ratio to TCP over veth.
#pragma once

#include "command.hpp"
#include "lab/stream.hpp"

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace glass::cli {

struct PerfOptions {
  bool setup = true;         // build namespaces, a glass pair and a veth pair
  std::string glass_addr;    // --no-setup: where the glass server listens
  std::string tcp_addr;      // --no-setup: where the TCP (veth) server listens
  std::string server_netns;  // --no-setup: namespace of the servers
  std::string client_netns;  // --no-setup: namespace of the clients
  std::vector<std::string> tests{"bulk", "rr", "connect"};
  std::vector<std::string> transports{"glass", "tcp-veth", "tcp-lo", "unix"};
  double seconds = 2.0;        // bulk: duration (unless bytes)
  std::uint64_t bytes = 0;     // bulk: fixed byte count
  int write_size = 64 * 1024;  // bulk: bytes per write()
  int size = 64;               // rr: request = response size
  int requests = 2000;         // rr: round trips
  int connections = 200;       // connect: connections to open
  int rcvbuf = 0, sndbuf = 0;  // SO_RCVBUF/SO_SNDBUF on both ends (0: default)
  int glass_mtu = 0;           // MTU of the glass pair (0: the default, 1500)
  std::uint16_t port = 7300;   // first port; each measurement uses its own
  bool json = false;
};

// Adds `perf` to parent; its callback checks option combinations (throwing
// CLI::ValidationError), then calls `then`.
CLI::App* add_perf_options(CLI::App& parent, PerfOptions& opts, std::function<void()> then = {});

// One transport under test: its name and where its server listens.
struct PerfTransport {
  std::string name;  // glass, tcp-veth, tcp-lo, unix
  Endpoint ep;
};

// One measured figure.
struct PerfFigure {
  std::string test;  // bulk, rr, connect
  std::string transport;
  std::string figure;  // throughput, p50, p99, p99.9, rate
  double value = 0;
  std::string unit;  // MB/s, us, conn/s
  std::string how;   // how it was measured
  double ratio = 0;  // value / baseline's value; NaN when there is none
};

// The measurements (bench.cpp); each opens its own connections.
std::vector<PerfFigure> perf_bulk(const PerfTransport& t, const PerfOptions& o);
std::vector<PerfFigure> perf_rr(const PerfTransport& t, const PerfOptions& o);
std::vector<PerfFigure> perf_connect(const PerfTransport& t, const PerfOptions& o);

// Fills ratio against the baseline transport's same figure.
void perf_ratios(std::vector<PerfFigure>& figs, const std::string& baseline);
// The table for people, and --json (report.cpp).
void perf_table(std::ostream& out, const std::vector<PerfFigure>& figs,
                const std::string& baseline);
void perf_json(std::ostream& out, const std::vector<PerfFigure>& figs, const std::string& baseline);

int run_perf(const PerfOptions& opts);

}  // namespace glass::cli
