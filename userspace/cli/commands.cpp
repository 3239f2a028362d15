// The subcommands of glass, in one table (bpftool's cmds[]), in the order
// `glass --help` lists them. A new subcommand is its own file defining
// setup_NAME (command.hpp), the declaration and the row below, and its file
// in glass_cli (userspace/CMakeLists.txt).
#include "command.hpp"

namespace glass::cli {

void setup_link(CLI::App& parent, Context& ctx);     // link.cpp
void setup_cat(CLI::App& parent, Context& ctx);      // cat.cpp
void setup_ss(CLI::App& parent, Context& ctx);       // ss.cpp
void setup_stat(CLI::App& parent, Context& ctx);     // stat.cpp
void setup_neigh(CLI::App& parent, Context& ctx);    // neigh.cpp
void setup_trace(CLI::App& parent, Context& ctx);    // trace/
void setup_perf(CLI::App& parent, Context& ctx);     // perf/
void setup_fault(CLI::App& parent, Context& ctx);    // fault.cpp
void setup_capture(CLI::App& parent, Context& ctx);  // capture.cpp
void setup_run(CLI::App& parent, Context& ctx);      // run.cpp
void setup_lab(CLI::App& parent, Context& ctx);      // lab/

namespace {

constexpr Command kCommands[] = {
    {"link", &setup_link},        // glass devices: loopback, pairs
    {"cat", &setup_cat},          // netcat for glass
    {"ss", &setup_ss},            // the socket table
    {"stat", &setup_stat},        // the counters
    {"neigh", &setup_neigh},      // neighbours on Ethernet
    {"trace", &setup_trace},      // BPF views of the tracepoints
    {"perf", &setup_perf},        // benchmark against TCP and AF_UNIX
    {"fault", &setup_fault},      // the fault injector of a device
    {"capture", &setup_capture},  // frames into a pcap file
    {"run", &setup_run},          // unmodified programs over glass
    {"lab", &setup_lab},          // experiments with plots
};

}  // namespace

std::span<const Command> commands() {
  return kCommands;
}

}  // namespace glass::cli
