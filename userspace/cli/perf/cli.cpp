// `glass perf`: options, the topology it builds (lab/testbed.hpp), and the
// order of the measurements.
#include "lab/testbed.hpp"
#include "perf.hpp"
#include "validators.hpp"

#include <glass/error.hpp>

#include <unistd.h>

#include <linux/glass.h>

#include <iostream>
#include <memory>
#include <optional>

namespace glass::cli {
namespace {

const std::vector<std::string> kTests{"bulk", "rr", "connect"};
const std::vector<std::string> kTransports{"glass", "tcp-veth", "tcp-lo", "unix"};

bool wants(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<PerfTransport> transports(const PerfOptions& o, const Testbed* tb) {
  const std::string sns = tb ? tb->b() : o.server_netns;
  const std::string cns = tb ? tb->a() : o.client_netns;
  std::vector<PerfTransport> v;
  for (const auto& name : o.transports) {
    Endpoint ep;
    ep.server_netns = sns;
    ep.client_netns = cns;
    if (name == "glass") {
      ep.family = AF_GLASS;
      ep.host = tb ? Testbed::kGlassB : o.glass_addr;
    } else if (name == "tcp-veth") {
      if (!tb && o.tcp_addr.empty()) continue;  // no veth without --tcp-addr
      ep.family = AF_INET;
      ep.host = tb ? Testbed::kVethB : o.tcp_addr;
    } else if (name == "tcp-lo") {
      ep.family = AF_INET;
      ep.host = "127.0.0.1";
      ep.server_netns = cns;  // both ends on the client's lo
    } else {
      ep.family = AF_UNIX;
      ep.unix_name = "glass-perf-" + std::to_string(::getpid());
      ep.server_netns = cns;
    }
    v.push_back({name, ep});
  }
  return v;
}

}  // namespace

CLI::App* add_perf_options(CLI::App& parent, PerfOptions& o, std::function<void()> then) {
  CLI::App* perf = parent.add_subcommand(
      "perf", "Benchmark glass against TCP (veth, lo) and AF_UNIX in the same run");
  perf->add_flag("!--no-setup", o.setup,
                 "Use existing addresses (--glass-addr, --tcp-addr) instead of building "
                 "namespaces, a glass pair (10.7.0.x) and a veth pair (10.8.0.x)");
  perf->add_option("--glass-addr", o.glass_addr,
                   "With --no-setup: address the glass server listens on (a glass device's)")
      ->check(ipv4_validator());
  perf->add_option("--tcp-addr", o.tcp_addr,
                   "With --no-setup: address of the TCP server (tcp-veth is skipped without it)")
      ->check(ipv4_validator());
  perf->add_option("--server-netns", o.server_netns, "With --no-setup: servers' namespace")
      ->check(netns_validator());
  perf->add_option("--client-netns", o.client_netns, "With --no-setup: clients' namespace")
      ->check(netns_validator());
  perf->add_option("--tests", o.tests, "Measurements to run: bulk, rr, connect")
      ->delimiter(',')
      ->check(CLI::IsMember(kTests))
      ->capture_default_str();
  perf->add_option("--transports", o.transports, "Transports: glass, tcp-veth, tcp-lo, unix")
      ->delimiter(',')
      ->check(CLI::IsMember(kTransports))
      ->capture_default_str();
  CLI::Option* secs = perf->add_option("-t,--time", o.seconds, "bulk: seconds per transport")
                          ->check(CLI::Range(0.05, 3600.0))
                          ->capture_default_str();
  perf->add_option("-n,--bytes", o.bytes, "bulk: send this many bytes instead (e.g. 64M)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
      ->excludes(secs);
  perf->add_option("--write-size", o.write_size, "bulk: bytes per write()")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(1, 16 << 20))
      ->capture_default_str();
  perf->add_option("-s,--size", o.size, "rr: request and response size in bytes")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  perf->add_option("-r,--requests", o.requests, "rr: measured round trips")
      ->check(CLI::Range(10, 10000000))
      ->capture_default_str();
  perf->add_option("-c,--connections", o.connections, "connect: connections to open")
      ->check(CLI::Range(1, 20000))
      ->capture_default_str();
  perf->add_option("--rcvbuf", o.rcvbuf, "SO_RCVBUF on every socket (0: the default)")
      ->check(CLI::Range(0, 1 << 30));
  perf->add_option("--sndbuf", o.sndbuf, "SO_SNDBUF on every socket (0: the default)")
      ->check(CLI::Range(0, 1 << 30));
  perf->add_option("-p,--port", o.port, "First port; each measurement takes the next")
      ->check(CLI::Range(1, 65000))
      ->capture_default_str();
  perf->add_option("--mtu", o.glass_mtu,
                   "MTU of the glass pair it sets up (default 1500: MSS 1468); shows what the "
                   "per-segment cost is")
      ->check(CLI::Range(576, 65535));
  perf->add_flag("--json", o.json, "Print the results as JSON");
  perf->footer(
      "Measures, for each transport, in one run:\n"
      "  bulk     throughput (MB/s): one connection, writes for --time or --bytes\n"
      "  rr       latency p50/p99/p99.9 (us) of --size byte request/response round trips\n"
      "  connect  connections per second (connect+accept+close, one at a time)\n"
      "Transports: glass (10.7.0.1 -> 10.7.0.2 over a glass pair between two namespaces),\n"
      "tcp-veth (10.8.0.1 -> 10.8.0.2 over a veth pair between the same namespaces),\n"
      "tcp-lo (127.0.0.1) and unix (abstract AF_UNIX socket). Every figure is shown with\n"
      "its ratio to tcp-veth (to tcp-lo without it): under QEMU TCG only ratios mean much.\n"
      "The default setup needs root; --no-setup uses existing addresses, e.g.\n"
      "  glass perf --no-setup --glass-addr 10.7.9.1 --transports glass,tcp-lo\n"
      "Exit status: 0 success, 1 runtime error, 2 usage error.");
  perf->callback([perf, &o, then = std::move(then)] {
    const bool netns = !o.server_netns.empty() || !o.client_netns.empty();
    if (o.setup && (!o.glass_addr.empty() || !o.tcp_addr.empty() || netns))
      throw CLI::ValidationError(perf->get_name(),
                                 "--glass-addr, --tcp-addr and --*-netns need --no-setup");
    if (!o.setup && o.glass_mtu > 0)
      throw CLI::ValidationError(perf->get_name(), "--mtu applies to the pair --setup builds");
    if (!o.setup && wants(o.transports, "glass") && o.glass_addr.empty())
      throw CLI::ValidationError(perf->get_name(),
                                 "--no-setup with the glass transport needs --glass-addr");
    if (!o.setup && wants(o.transports, "tcp-veth") && o.tcp_addr.empty() &&
        o.transports.size() == 1)
      throw CLI::ValidationError(perf->get_name(), "--no-setup with tcp-veth needs --tcp-addr");
    if (then) then();
  });
  return perf;
}

int run_perf(const PerfOptions& o) {
  std::optional<Testbed> tb;
  if (o.setup) {
    require_root("glass perf (setup)");
    tb.emplace(TestbedSpec{"perf", true, o.glass_mtu});
  }
  const auto ts = transports(o, tb ? &*tb : nullptr);
  const bool has_veth =
      std::any_of(ts.begin(), ts.end(), [](const auto& t) { return t.name == "tcp-veth"; });
  const std::string baseline = has_veth ? "tcp-veth" : "tcp-lo";
  std::vector<PerfFigure> figs;
  std::uint16_t port = o.port;
  for (const auto& test : kTests) {
    if (!wants(o.tests, test)) continue;
    for (PerfTransport t : ts) {
      t.ep.port = port++;
      t.ep.unix_name += "-" + std::to_string(t.ep.port);
      if (!o.json) std::cerr << "glass perf: " << test << " over " << t.name << "...\n";
      std::vector<PerfFigure> f = test == "bulk" ? perf_bulk(t, o)
                                  : test == "rr" ? perf_rr(t, o)
                                                 : perf_connect(t, o);
      figs.insert(figs.end(), f.begin(), f.end());
    }
  }
  perf_ratios(figs, baseline);
  if (o.json) {
    perf_json(std::cout, figs, baseline);
  } else {
    perf_table(std::cout, figs, baseline);
  }
  return kExitOk;
}

void setup_perf(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<PerfOptions>();
  add_perf_options(parent, *opts,
                   [opts, &ctx] { ctx.action = [opts] { return run_perf(*opts); }; });
}
}  // namespace glass::cli
