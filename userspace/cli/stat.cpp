// `glass stat`: counters once, as deltas per interval, or against a baseline.
#include "stat.hpp"

#include "json.hpp"
#include "netns.hpp"
#include "validators.hpp"
#include "watch.hpp"

#include <glass/error.hpp>
#include <glass/fd.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>

namespace glass::cli {
namespace {

void write_baseline(const std::string& path, const Counters& c) {
  const Fd fd = Fd::open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const std::string text = format_counters(c);
  std::string_view rest = text;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd.get(), rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("write(" + path + ")", errno);
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

Counters read_baseline(const std::string& path) {
  return parse_counters(read_file(path), path);
}

// Deltas: zeros hidden in the text view unless -z (nstat's rule).
void print_deltas(const StatOptions& opts, const Counters& c) {
  std::cout << (opts.json ? stat_render_json(c) : stat_render_text(opts.zeros ? c : nonzero(c)));
  std::cout.flush();
}

double now_s() {
  using std::chrono::duration;
  return duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string stat_render_text(const Counters& c) {
  std::size_t width = 0;
  for (const auto& kv : c) width = std::max(width, kv.first.size());
  std::string out;
  for (const auto& [name, value] : c)
    out += name + std::string(width - name.size() + 2, ' ') + std::to_string(value) + "\n";
  return out;
}

Counters nonzero(const Counters& c) {
  Counters out;
  std::copy_if(c.begin(), c.end(), std::back_inserter(out),
               [](const auto& kv) { return kv.second != 0; });
  return out;
}

std::string stat_render_json_sample(const Counters& c, double ts, double interval_s) {
  char head[96];
  std::snprintf(head, sizeof(head), "{\"ts\": %.6f, \"interval_s\": %g", ts, interval_s);
  std::string out = head;
  for (const auto& [name, value] : c)
    out += ", " + json_string(name) + ": " + std::to_string(value);
  return out + "}\n";
}

std::string stat_render_json(const Counters& c) {
  std::string out = "{";
  for (std::size_t i = 0; i < c.size(); ++i)
    out +=
        (i == 0 ? "\n  " : ",\n  ") + json_string(c[i].first) + ": " + std::to_string(c[i].second);
  return out + (c.empty() ? "}\n" : "\n}\n");
}

CLI::App* add_stat_options(CLI::App& parent, StatOptions& opts, std::function<void()> then) {
  CLI::App* st = parent.add_subcommand("stat", "Show glass counters (/proc/net/glass_stat)");
  st->add_flag("-j,--json", opts.json,
               "Print a JSON object (with -i: one line per interval, with ts and interval_s)");
  st->add_flag("-z,--zeros", opts.zeros, "Also show counters whose delta is zero (-i, --since)");
  st->add_option("-n,--netns", opts.netns, "Show the counters of network namespace NS (ip -n)")
      ->type_name("NS")
      ->check(netns_validator());
  CLI::Option* interval =
      st->add_option("-i,--interval", opts.interval, "Print per-interval deltas every SECONDS")
          ->check(CLI::Range(0.1, 86400.0));
  st->add_option("-c,--count", opts.count, "With -i: stop after N intervals")
      ->check(CLI::Range(1, 1000000))
      ->needs(interval);
  CLI::Option* save =
      st->add_option("--save", opts.save, "Write the counters to FILE as a baseline");
  CLI::Option* since =
      st->add_option("--since", opts.since, "Print the change since the baseline in FILE")
          ->check(CLI::ExistingFile);
  interval->excludes(save)->excludes(since);
  st->add_option("-f,--file", opts.file, "Read this file instead of /proc/net/glass_stat")
      ->check(CLI::ExistingFile);
  st->footer(
      "Shows the counters of this network namespace: all of them, their change every\n"
      "-i SECONDS, or their change since a baseline saved with --save. Deltas that are\n"
      "zero are hidden (like nstat) unless -z. With -i --json each interval is one line:\n"
      "{\"ts\": EPOCH-SECONDS, \"interval_s\": S, \"NAME\": DELTA, ...}.\n"
      "Examples:\n  glass stat\n  glass stat -i 1\n  glass stat --save /tmp/base\n"
      "  glass stat --since /tmp/base --json\n"
      "With --since and --save together, the deltas are printed, then the baseline replaced.\n"
      "Exit status: 0 success, 1 runtime error (e.g. module not loaded), 2 usage error.");
  st->callback([then = std::move(then)] {
    if (then) then();
  });
  return st;
}

int run_stat(const StatOptions& opts) {
  const NetnsGuard ns(opts.netns);  // /proc/net follows the namespace entered
  if (opts.interval > 0) {
    Counters prev = read_counters(opts.file);
    watch(opts.interval, opts.count == 0 ? 0 : opts.count + 1, [&](int i) {
      if (i == 0) return;  // the first sample is the baseline
      Counters now = read_counters(opts.file);
      const Counters d = counter_deltas(now, prev);
      if (opts.json) {
        std::cout << stat_render_json_sample(d, now_s(), opts.interval) << std::flush;
      } else {
        if (i > 1) std::cout << "\n";
        print_deltas(opts, d);
      }
      prev = std::move(now);
    });
    return kExitOk;
  }
  const Counters now = read_counters(opts.file);
  if (!opts.since.empty()) {
    print_deltas(opts, counter_deltas(now, read_baseline(opts.since)));
  } else if (opts.save.empty()) {
    std::cout << (opts.json ? stat_render_json(now) : stat_render_text(now)) << std::flush;
  }
  if (!opts.save.empty()) write_baseline(opts.save, now);
  return kExitOk;
}

void setup_stat(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<StatOptions>();
  add_stat_options(parent, *opts,
                   [opts, &ctx] { ctx.action = [opts] { return run_stat(*opts); }; });
}
}  // namespace glass::cli
