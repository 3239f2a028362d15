// glass CLI: `glass perf` — glass against TCP (over a veth pair and over lo)
// and AF_UNIX, in the same run: bulk throughput, request/response latency,
// connection setup rate. Under emulation only the ratios mean something, so
// every figure is printed with its ratio to TCP over veth. With -s / -c
// ADDR it is a server and a client on two hosts, like iperf3 (remote.hpp).
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
  // iperf3's modes: -s (server), -c ADDR (client); neither: the one-host run.
  bool server = false;
  std::string client;    // -c ADDR: the server's glass address
  bool one_off = false;  // -1: serve one client, then exit
  bool tcp = false;      // -c: also the same test over TCP, and the ratio
  std::string netns;     // -s/-c: run in this network namespace
  int parallel = 1;      // -P: streams (bulk, and -c)
  bool reverse = false;  // -R: the server sends
  char format = 0;       // -f k|m|g|K|M|G (0: MB/s in the table, Mbits/sec in -c/-s)
  double interval = 0;   // -i SECONDS: interval reports (-c/-s; 0: none)
  std::string netem;     // --netem "delay 5ms loss 2%": on the glass and veth pairs
  int many = 1000;       // many: connections moving data at once
  std::vector<std::string> tests{"bulk", "rr", "connect"};
  std::vector<std::string> transports{"glass", "tcp-veth", "tcp-lo", "unix"};
  double seconds = 2.0;        // bulk: duration (unless bytes)
  std::uint64_t bytes = 0;     // bulk: fixed byte count
  int write_size = 64 * 1024;  // bulk: bytes per write()
  int writes_per_wake = 1;     // several streams: writes per ready stream
  int size = 64;               // rr: request = response size
  int requests = 2000;         // rr: round trips
  int busy_poll = 0;           // rr: SO_BUSY_POLL on both ends, us (0: none)
  int connections = 200;       // connect: connections to open
  int idle = 2000;             // idle: connected pairs held open to weigh
  int rcvbuf = 0, sndbuf = 0;  // SO_RCVBUF/SO_SNDBUF on both ends (0: default)
  int mtu = 0;                 // MTU of both pairs, glass and veth (0: the default, 1500)
  std::uint16_t port = 5201;   // first port; each measurement uses its own
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

// The measurements (bench.cpp); each opens its own connections. bulk
// moves -P streams at once; many moves --many; both also give CPU per MB.
std::vector<PerfFigure> perf_bulk(const PerfTransport& t, const PerfOptions& o);
std::vector<PerfFigure> perf_many(const PerfTransport& t, const PerfOptions& o);
std::vector<PerfFigure> perf_rr(const PerfTransport& t, const PerfOptions& o);
std::vector<PerfFigure> perf_connect(const PerfTransport& t, const PerfOptions& o);
// Kernel memory per idle connected pair, from /proc/slabinfo and /proc/meminfo.
std::vector<PerfFigure> perf_idle(const PerfTransport& t, const PerfOptions& o);

// Fills ratio against the baseline transport's same figure.
void perf_ratios(std::vector<PerfFigure>& figs, const std::string& baseline);
// The table for people, and --json (report.cpp).
void perf_table(std::ostream& out, const std::vector<PerfFigure>& figs,
                const std::string& baseline);
// What the one-host setup put on the pairs, for the report.
struct PerfSetup {
  std::string netem;  // the --netem arguments ("" without)
  int glass_mtu = 0;  // the MTUs read back from ga and va after --mtu (0: not set)
  int veth_mtu = 0;
};
void perf_json(std::ostream& out, const std::vector<PerfFigure>& figs, const std::string& baseline,
               const PerfSetup& setup = {});

int run_perf(const PerfOptions& opts);

}  // namespace glass::cli
