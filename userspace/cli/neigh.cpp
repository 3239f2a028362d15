// `glass neigh`: the neighbour tables of glass devices stacked on Ethernet
// (/proc/net/glass_neigh), as `ip neigh` shows ARP's.
#include "command.hpp"
#include "json.hpp"
#include "netns.hpp"
#include "validators.hpp"

#include <glass/fd.hpp>

#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace glass::cli {
namespace {

struct NeighOptions {
  std::string netns;
  std::string dev;
  bool json = false;
};

// One row of /proc/net/glass_neigh.
struct NeighRow {
  std::string dev, address, lladdr, state;
  unsigned long confirmed_ms = 0, probes = 0, queued = 0;
};

std::vector<NeighRow> parse_neigh(const std::string& text) {
  std::vector<NeighRow> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream f(line);
    NeighRow r;
    if (f >> r.dev >> r.address >> r.lladdr >> r.state >> r.confirmed_ms >> r.probes >> r.queued)
      rows.push_back(r);
  }
  return rows;
}

std::string render_json(const std::vector<NeighRow>& rows) {
  std::string out = "[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const NeighRow& r = rows[i];
    out += (i == 0 ? "\n  " : ",\n  ");
    out += "{\"dev\": " + json_string(r.dev) + ", \"dst\": " + json_string(r.address) +
           ", \"lladdr\": " + json_string(r.lladdr) + ", \"state\": " + json_string(r.state) +
           ", \"confirmed_ms\": " + std::to_string(r.confirmed_ms) +
           ", \"probes\": " + std::to_string(r.probes) +
           ", \"queued\": " + std::to_string(r.queued) + "}";
  }
  return out + (rows.empty() ? "]\n" : "\n]\n");
}

// `ip neigh`'s line: ADDRESS dev DEV lladdr MAC STATE, plus glass's extras.
std::string render_text(const std::vector<NeighRow>& rows) {
  std::string out;
  for (const NeighRow& r : rows) {
    out += r.address + " dev " + r.dev;
    if (r.state != "INCOMPLETE") out += " lladdr " + r.lladdr;
    out += " " + r.state + " confirmed " + std::to_string(r.confirmed_ms) + "ms";
    if (r.probes != 0) out += " probes " + std::to_string(r.probes);
    if (r.queued != 0) out += " queued " + std::to_string(r.queued);
    out += "\n";
  }
  return out;
}

int run_neigh(const NeighOptions& opts) {
  const NetnsGuard ns(opts.netns);  // /proc/net follows the namespace entered
  std::vector<NeighRow> rows =
      parse_neigh(read_file("/proc/thread-self/net/glass_neigh", "is glass.ko loaded?"));
  if (!opts.dev.empty()) std::erase_if(rows, [&](const NeighRow& r) { return r.dev != opts.dev; });
  std::cout << (opts.json ? render_json(rows) : render_text(rows)) << std::flush;
  return kExitOk;
}

}  // namespace

void setup_neigh(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<NeighOptions>();
  CLI::App* sub = parent.add_subcommand(
      "neigh", "Show the neighbours of glass devices on Ethernet (/proc/net/glass_neigh)");
  sub->add_option("-n,--netns", opts->netns, "Show the neighbours of network namespace NS (ip -n)")
      ->type_name("NS")
      ->check(netns_validator());
  sub->add_option("-d,--dev", opts->dev, "Only the neighbours of glass device DEV")
      ->type_name("DEV");
  sub->add_flag("-j,--json", opts->json, "Print a JSON array");
  sub->footer(
      "A glass device stacked on Ethernet (ip link add link eth1 name g0 type glass)\n"
      "finds its peers' MACs with glass neighbour messages; this lists what it knows, as\n"
      "`ip neigh` does for ARP: ADDRESS dev DEV lladdr MAC STATE (INCOMPLETE, REACHABLE,\n"
      "STALE, PROBE), ms since the last confirmation, requests of the current round and\n"
      "frames waiting. Counters (neigh_*) are in glass stat.\n"
      "Examples:\n  glass neigh\n  glass neigh -d g0 --json\n"
      "Exit status: 0 success, 1 runtime error (e.g. module not loaded), 2 usage error.");
  sub->callback([opts, &ctx] { ctx.action = [opts] { return run_neigh(*opts); }; });
}
}  // namespace glass::cli
