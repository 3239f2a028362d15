// `glass ss`: options, and the print-once / live-view loop (ss_view.cpp renders).
#include "ss.hpp"

#include "netns.hpp"
#include "validators.hpp"
#include "watch.hpp"

#include <iostream>
#include <memory>

namespace glass::cli {

namespace {

// ss's flags that glass takes for muscle memory but that change nothing:
// glass is stream-only (-t) and always numeric (-n).
void add_noop_flags(CLI::App* ss) {
  ss->add_flag("-t,--tcp")->description("Stream sockets (no-op: every glass socket is one)");
  ss->add_flag("-n,--numeric")->description("Numeric addresses (no-op: glass never resolves)");
}

// -e -m -i -o -H: which columns, as in ss.
void add_column_flags(CLI::App* ss, SsOptions& opts) {
  ss->add_flag("-e,--extended", opts.extended, "Show every column the kernel prints");
  ss->add_flag("-m,--memory", opts.memory, "Show buffer and queue columns");
  ss->add_flag("-i,--info", opts.info,
               "Show window, RTT and congestion columns (cwnd also in segments)");
  ss->add_flag("-o,--options", opts.timers, "Show the timers column");
  ss->add_flag_callback(
      "-H,--no-header", [&opts] { opts.header = false; }, "Do not print the header line");
}

// -a -l --state and the `state NAME` / `exclude NAME` words.
void add_state_filters(CLI::App* ss, SsOptions& opts) {
  ss->add_flag("-a,--all", opts.filter.all, "Show listening and connected sockets");
  ss->add_flag("-l,--listening", opts.filter.listening, "Show listening sockets only");
  ss->add_option("--state", opts.filter.states,
                 "Only sockets in this state (repeatable): established, listening, "
                 "syn-sent, time-wait, ... (ss's names or glass's ESTAB, LISTEN, ...)")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            return ss_state_mask(s) != 0 ? "" : "unknown state '" + s + "'";
          },
          "STATE", "state"));
  ss->add_option("filter", opts.filter.words, "state NAME | exclude NAME (repeatable), as in ss")
      ->type_name("FILTER");
}

// -w/--watch (and the old --interval) with -c.
void add_watch_options(CLI::App* ss, SsOptions& opts) {
  ss->add_option("-w,--watch", opts.interval, "Refresh every SECONDS as a live view")
      ->check(CLI::Range(0.1, 86400.0));
  ss->add_option("--interval", opts.interval, "Old spelling of --watch")
      ->check(CLI::Range(0.1, 86400.0))
      ->group("");
  ss->add_option("-c,--count", opts.count, "With -w: stop after N refreshes")
      ->check(CLI::Range(1, 1000000));
}

}  // namespace

CLI::App* add_ss_options(CLI::App& parent, SsOptions& opts, std::function<void()> then) {
  CLI::App* ss = parent.add_subcommand(
      "ss", "Show glass sockets (/proc/net/glass) with ss's flags (-tlnaemioH, state NAME)");
  add_noop_flags(ss);
  add_column_flags(ss, opts);
  add_state_filters(ss, opts);
  ss->add_option("--port", opts.port, "Only sockets with this port at either end")
      ->check(CLI::Range(0, 65535));
  ss->add_option("--addr", opts.addr, "Only sockets with this address at either end")
      ->check(ipv4_validator());
  ss->add_option("-N,--net,--netns", opts.netns, "Show the sockets of network namespace NS")
      ->type_name("NS")
      ->check(netns_validator());
  ss->add_flag("-j,--json", opts.json, "Print a JSON array (every column, state by name)");
  add_watch_options(ss, opts);
  ss->add_option("-f,--file", opts.file, "Read this file instead of /proc/net/glass")
      ->check(CLI::ExistingFile);
  ss->footer(
      "Like ss: connected sockets by default, -l listeners only, -a both; or\n"
      "'state NAME' / 'exclude NAME' (ss's names and groups: established, listening,\n"
      "connected, ...). Default columns: State, Recv-Q, Send-Q, local and peer address;\n"
      "-m adds buffers and queues, -i windows, RTT and cwnd (bytes and segments), -o\n"
      "timers, -e every column the kernel prints (also columns newer than this tool).\n"
      "-t and -n are accepted and change nothing. --json always has every column.\n"
      "Examples:\n  glass ss -tmi\n  glass ss -tln\n  glass ss -e state established --port 7000\n"
      "  glass ss -N h2 -a\n  glass ss -i -w 0.5\n"
      "Exit status: 0 success, 1 runtime error (e.g. module not loaded), 2 usage error.");
  ss->callback([&opts, then = std::move(then)] {
    ss_check_words(opts.filter.words);
    if (opts.count > 0 && opts.interval == 0)
      throw CLI::ValidationError("ss", "-c/--count requires -w/--watch");
    if (then) then();
  });
  return ss;
}

Table ss_read(const std::string& path) {
  return Table::read(path, {"local", "remote", "state", "recvq", "sendq"});
}

int run_ss(const SsOptions& opts) {
  const NetnsGuard ns(opts.netns);  // /proc/net follows the namespace entered
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

void setup_ss(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<SsOptions>();
  add_ss_options(parent, *opts, [opts, &ctx] { ctx.action = [opts] { return run_ss(*opts); }; });
}
}  // namespace glass::cli
