// `glass perf`: options, the mode (one-host run, -s server, -c client),
// the topology the one-host run builds (lab/testbed.hpp), and the order of
// its measurements.
#include "lab/testbed.hpp"
#include "netem.hpp"
#include "perf.hpp"
#include "protocol.hpp"
#include "remote.hpp"
#include "validators.hpp"

#include <glass/error.hpp>

#include <unistd.h>

#include <csignal>

#include <linux/glass.h>

#include <iostream>
#include <memory>
#include <optional>

namespace glass::cli {
namespace {

const std::vector<std::string> kTests{"bulk", "rr", "connect", "many", "idle"};
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

// iperf3's client/server options.
void add_mode_options(CLI::App* perf, PerfOptions& o) {
  CLI::Option* srv = perf->add_flag("-s,--server", o.server,
                                    "Server mode (iperf3 -s): listen on glass and TCP at --port");
  perf->add_option("-c,--client", o.client,
                   "Client mode (iperf3 -c): test against the server at ADDR (its glass address)")
      ->check(ipv4_validator())
      ->type_name("ADDR")
      ->excludes(srv);
  perf->add_flag("-1,--one-off", o.one_off, "-s: serve one client, then exit");
  perf->add_flag("--tcp", o.tcp,
                 "-c: run the same test over TCP to the same server too, and print glass / TCP");
  perf->add_option("--tcp-addr", o.tcp_addr,
                   "-c --tcp: the server's TCP address (default: ADDR); --no-setup: address of "
                   "the TCP server (tcp-veth is skipped without it)")
      ->check(ipv4_validator());
  perf->add_option("--netns", o.netns, "-s/-c: run in network namespace NS (ip -n)")
      ->check(netns_validator())
      ->type_name("NS");
  perf->add_flag("-R,--reverse", o.reverse, "-c: the server sends, the client receives");
  perf->add_option("-i,--interval", o.interval, "-s/-c: report every SECONDS (0: only the end)")
      ->check(CLI::Range(0.1, 86400.0))
      ->type_name("SECONDS");
  perf->add_option_function<std::string>(
          "-f,--format", [&o](const std::string& f) { o.format = f.at(0); },
          "Rate unit: k m g (Kbits/sec, Mbits/sec, Gbits/sec), K M G (KBytes/sec, "
          "MBytes/sec, GBytes/sec, powers of 1024)")
      ->check(CLI::IsMember({"k", "m", "g", "K", "M", "G"}))
      ->type_name("UNIT");
}

// What is measured and how much.
void add_test_options(CLI::App* perf, PerfOptions& o) {
  perf->add_option(
          "--tests", o.tests,
          "One-host run: measurements: bulk, rr, connect, many, idle (many and idle are not "
          "defaults)")
      ->delimiter(',')
      ->check(CLI::IsMember(kTests))
      ->capture_default_str();
  perf->add_option("--transports", o.transports, "One-host run: glass, tcp-veth, tcp-lo, unix")
      ->delimiter(',')
      ->check(CLI::IsMember(kTransports))
      ->capture_default_str();
  CLI::Option* secs = perf->add_option("-t,--time", o.seconds, "bulk, many, -c: seconds of sending")
                          ->check(CLI::Range(0.05, 3600.0))
                          ->capture_default_str();
  perf->add_option("-n,--bytes", o.bytes, "bulk, many, -c: send this many bytes in all instead")
      ->transform(size_validator(1, std::uint64_t{1} << 40))
      ->excludes(secs);
  perf->add_option("-l,--len,--write-size", o.write_size, "bulk, many, -c: bytes per write()")
      ->transform(size_validator(1, 16 << 20))
      ->capture_default_str();
  perf->add_option("--writes-per-wake", o.writes_per_wake,
                   "bulk, many, -c with several streams (with -R, the server's): writes to each "
                   "stream epoll reports writable before the next, until one falls short "
                   "(iperf3's multisend: 10)")
      ->check(CLI::Range(1, kPerfMaxWritesPerWake))
      ->capture_default_str();
  perf->add_option("-P,--parallel", o.parallel, "bulk, -c: streams at once (iperf3 -P)")
      ->check(CLI::Range(1, 20000))
      ->capture_default_str();
  perf->add_option("--many", o.many, "many: connections moving data at once")
      ->check(CLI::Range(2, 20000))
      ->capture_default_str();
  perf->add_option("--size", o.size, "rr: request and response size in bytes")
      ->transform(size_validator(1, 1 << 20))
      ->capture_default_str();
  perf->add_option("-r,--requests", o.requests, "rr: measured round trips")
      ->check(CLI::Range(10, 10000000))
      ->capture_default_str();
  perf->add_option("--busy-poll", o.busy_poll,
                   "rr: SO_BUSY_POLL on both ends, us: a reader spins on its device's poll "
                   "before sleeping (needs CAP_NET_ADMIN; TCP over veth has no poll to spin on)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  perf->add_option("--connections", o.connections, "connect: connections to open")
      ->check(CLI::Range(1, 20000))
      ->capture_default_str();
  perf->add_option("--idle", o.idle, "idle: connected pairs held open and weighed")
      ->check(CLI::Range(100, 20000))
      ->capture_default_str();
}

// Sockets and the hosts of the one-host run.
void add_setup_options(CLI::App* perf, PerfOptions& o) {
  perf->add_option("--rcvbuf", o.rcvbuf, "SO_RCVBUF on every socket (0: the default)")
      ->transform(size_validator(0, 1 << 30));
  perf->add_option("--sndbuf", o.sndbuf, "SO_SNDBUF on every socket (0: the default)")
      ->transform(size_validator(0, 1 << 30));
  perf->add_option("-p,--port", o.port, "Port (-s/-c); first port of the one-host run")
      ->check(CLI::Range(1, 65000))
      ->capture_default_str();
  perf->add_option("--mtu", o.mtu,
                   "MTU of both pairs it sets up, glass and veth, so TCP crosses the same (default "
                   "1500: glass MSS 1468); shows what the per-segment cost is")
      ->check(CLI::Range(576, 65535));
  perf->add_option("--netem", o.netem,
                   "tc netem arguments applied to both glass devices and both veth devices "
                   "(both directions), e.g. \"delay 5ms loss 2%\"")
      ->check(netem_validator())
      ->type_name("ARGS");
  perf->add_flag("!--no-setup", o.setup,
                 "Use existing addresses (--glass-addr, --tcp-addr) instead of building "
                 "namespaces, a glass pair (10.7.0.x) and a veth pair (10.8.0.x)");
  perf->add_option("--glass-addr", o.glass_addr,
                   "With --no-setup: address the glass server listens on (a glass device's)")
      ->check(ipv4_validator());
  perf->add_option("--server-netns", o.server_netns, "With --no-setup: servers' namespace")
      ->check(netns_validator());
  perf->add_option("--client-netns", o.client_netns, "With --no-setup: clients' namespace")
      ->check(netns_validator());
  perf->add_flag("-J,--json", o.json, "Print the results as JSON (-c/-s: iperf3's field names)");
}

constexpr const char* kFooter =
    "One-host run (neither -s nor -c), for each transport, in one run:\n"
    "  bulk     throughput: -P connections write for --time or --bytes; with -P > 1 also\n"
    "           the slowest and fastest connection (stream-min, stream-max) and the data\n"
    "           phase alone (while-writing: read by the time the writer stopped); CPU per\n"
    "           MB (cpu-send, cpu-recv, us/MB) of the sending and the receiving thread\n"
    "  rr       latency p50/p99/p99.9 (us) of --size byte request/response round trips\n"
    "  connect  connections per second (connect+accept+close, one at a time)\n"
    "  many     like bulk with --many connections (not run unless named in --tests)\n"
    "  idle     kernel memory per idle connected pair (KB, from /proc/slabinfo and\n"
    "           /proc/meminfo) with --idle pairs open (not run unless named in --tests)\n"
    "Transports: glass (10.7.0.1 -> 10.7.0.2 over a glass pair between two namespaces),\n"
    "tcp-veth (10.8.0.1 -> 10.8.0.2 over a veth pair between the same namespaces),\n"
    "tcp-lo (127.0.0.1) and unix (abstract AF_UNIX socket). Every figure is shown with\n"
    "its ratio to tcp-veth (to tcp-lo without it): under QEMU TCG only ratios mean much.\n"
    "The default setup needs root; --no-setup uses existing addresses, e.g.\n"
    "  glass perf --no-setup --glass-addr 10.7.9.1 --transports glass,tcp-lo\n"
    "Two hosts, like iperf3: glass perf -s on one; glass perf -c ADDR [--tcp] [-P N] [-R]\n"
    "[-t S] [-i S] [-J] on the other (the server listens on glass and TCP at --port).\n"
    "Exit status: 0 success, 1 runtime error, 2 usage error.";

// Combinations CLI11 cannot express.
void check_combinations(const CLI::App* perf, const PerfOptions& o) {
  const auto fail = [perf](const std::string& what) {
    throw CLI::ValidationError(perf->get_name(), what);
  };
  const bool remote = o.server || !o.client.empty();
  const bool netns = !o.server_netns.empty() || !o.client_netns.empty();
  if (remote && (!o.setup || !o.glass_addr.empty() || netns || o.mtu > 0 || !o.netem.empty() ||
                 perf->count("--tests") || perf->count("--transports")))
    fail(
        "-s/-c run no one-host setup: --no-setup, --glass-addr, --*-netns, --mtu, --netem, "
        "--tests and --transports do not apply");
  if (o.client.empty() && (o.tcp || o.reverse)) fail("--tcp and -R need -c ADDR");
  if (!o.server && o.one_off) fail("-1 needs -s");
  if (!remote && (!o.netns.empty() || o.interval > 0)) fail("--netns and -i need -s or -c");
  if (!remote && !o.tcp_addr.empty() && o.setup) fail("--tcp-addr needs -c or --no-setup");
  if (o.setup && !remote && (!o.glass_addr.empty() || netns))
    fail("--glass-addr, --tcp-addr and --*-netns need --no-setup");
  if (!o.setup && o.mtu > 0) fail("--mtu applies to the pair --setup builds");
  if (!o.setup && !o.netem.empty()) fail("--netem applies to the pairs --setup builds");
  if (!o.setup && wants(o.transports, "glass") && o.glass_addr.empty())
    fail("--no-setup with the glass transport needs --glass-addr");
  if (!o.setup && wants(o.transports, "tcp-veth") && o.tcp_addr.empty() && o.transports.size() == 1)
    fail("--no-setup with tcp-veth needs --tcp-addr");
}

}  // namespace

CLI::App* add_perf_options(CLI::App& parent, PerfOptions& o, std::function<void()> then) {
  CLI::App* perf = parent.add_subcommand(
      "perf",
      "Benchmark glass against TCP (veth, lo) and AF_UNIX in the same run; -s/-c like iperf3");
  add_mode_options(perf, o);
  add_test_options(perf, o);
  add_setup_options(perf, o);
  perf->footer(kFooter);
  perf->callback([perf, &o, then = std::move(then)] {
    check_combinations(perf, o);
    if (then) then();
  });
  return perf;
}

int run_perf(const PerfOptions& o) {
  // A peer that goes away makes write() fail with EPIPE, reported as an
  // error, instead of killing the process (a server outlives its clients).
  ::signal(SIGPIPE, SIG_IGN);
  if (o.server) return run_perf_server(o);
  if (!o.client.empty()) return run_perf_client(o);
  std::optional<Testbed> tb;
  if (o.setup) {
    require_root("glass perf (setup)");
    tb.emplace(TestbedSpec{"perf", true, o.mtu});
    if (!o.netem.empty()) apply_netem(*tb, o.netem);
  }
  PerfSetup setup{o.netem};
  if (tb && o.mtu > 0) {
    setup.glass_mtu = tb->mtu(tb->a(), Testbed::kDevA);
    setup.veth_mtu = tb->mtu(tb->a(), "va");
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
      std::vector<PerfFigure> f = test == "bulk"   ? perf_bulk(t, o)
                                  : test == "rr"   ? perf_rr(t, o)
                                  : test == "many" ? perf_many(t, o)
                                  : test == "idle" ? perf_idle(t, o)
                                                   : perf_connect(t, o);
      figs.insert(figs.end(), f.begin(), f.end());
    }
  }
  perf_ratios(figs, baseline);
  if (o.json) {
    perf_json(std::cout, figs, baseline, setup);
  } else {
    if (!o.netem.empty()) std::cout << "netem on both pairs, both directions: " << o.netem << "\n";
    if (setup.glass_mtu)
      std::cout << "MTU of the glass pair " << setup.glass_mtu << ", of the veth pair "
                << setup.veth_mtu << "\n";
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
