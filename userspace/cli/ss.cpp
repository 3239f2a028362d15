// `glass ss`: options, and the print-once / live-view loop (ss_view.cpp renders).
#include "ss.hpp"

#include "validators.hpp"
#include "watch.hpp"

#include <iostream>
#include <memory>

namespace glass::cli {

CLI::App* add_ss_options(CLI::App& parent, SsOptions& opts, std::function<void()> then) {
  CLI::App* ss = parent.add_subcommand("ss", "Show glass sockets (/proc/net/glass), like ss -tmi");
  ss->add_flag("-e,--extended", opts.extended, "Show every column");
  ss->add_option("--state", opts.states,
                 "Only sockets in this state (repeatable): ESTAB, "
                 "LISTEN, SYN-SENT, TIME-WAIT, ...")
      ->check(state_validator());
  ss->add_option("--port", opts.port, "Only sockets with this port at either end")
      ->check(CLI::Range(0, 65535));
  ss->add_option("--addr", opts.addr, "Only sockets with this address at either end")
      ->check(ipv4_validator());
  ss->add_flag("-j,--json", opts.json, "Print a JSON array (every column, state by name)");
  CLI::Option* interval =
      ss->add_option("-i,--interval", opts.interval, "Refresh every SECONDS as a live view")
          ->check(CLI::Range(0.1, 86400.0));
  ss->add_option("-c,--count", opts.count, "With -i: stop after N refreshes")
      ->check(CLI::Range(1, 1000000))
      ->needs(interval);
  ss->add_option("-f,--file", opts.file, "Read this file instead of /proc/net/glass")
      ->check(CLI::ExistingFile);
  ss->footer(
      "Default columns: State, Recv-Q, Send-Q, local and peer address. -e adds every\n"
      "column the kernel prints (buffers, windows, RTT, timers), including columns\n"
      "newer than this tool. --json always includes every column.\n"
      "Examples:\n  glass ss\n  glass ss -e --state ESTAB --port 7000\n  glass ss -e -i 0.5\n"
      "Exit status: 0 success, 1 runtime error (e.g. module not loaded), 2 usage error.");
  ss->callback([then = std::move(then)] {
    if (then) then();
  });
  return ss;
}

Table ss_read(const std::string& path) {
  return Table::read(path, {"local", "remote", "state", "recvq", "sendq"});
}

int run_ss(const SsOptions& opts) {
  auto show = [&opts](int /*iteration*/) {
    const Table t = ss_read(opts.file);
    if (opts.interval > 0 && !opts.json) std::cout << clear_screen();
    std::cout << (opts.json ? ss_render_json(t, opts) : ss_render_text(t, opts));
    if (opts.interval > 0 && !opts.json && *clear_screen() == '\0') std::cout << "\n";
    std::cout.flush();
  };
  if (opts.interval > 0)
    watch(opts.interval, opts.count, show);
  else
    show(0);
  return kExitOk;
}

namespace {

void setup_ss(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<SsOptions>();
  add_ss_options(parent, *opts, [opts, &ctx] { ctx.action = [opts] { return run_ss(*opts); }; });
}

const Registration kSs{"ss", 30, &setup_ss};

}  // namespace
}  // namespace glass::cli
