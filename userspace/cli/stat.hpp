// glass CLI: `glass stat` — the counters of /proc/net/glass_stat.
#pragma once

#include "command.hpp"

#include <glass/procfs.hpp>

#include <functional>
#include <string>

namespace glass::cli {

struct StatOptions {
  bool json = false;
  bool zeros = false;   // -z: also the counters that did not change (text view of deltas)
  std::string netns;    // -n: read the counters of this network namespace
  double interval = 0;  // -i: per-interval deltas
  int count = 0;        // -c: intervals with -i (0: until interrupted)
  std::string save;     // --save FILE: write a baseline
  std::string since;    // --since FILE: deltas against a baseline
  std::string file{kProcStat};
};

CLI::App* add_stat_options(CLI::App& parent, StatOptions& opts, std::function<void()> then = {});
int run_stat(const StatOptions& opts);

// "name  value" lines (names padded to one width) or a JSON object.
std::string stat_render_text(const Counters& c);
std::string stat_render_json(const Counters& c);
// The counters that are not zero (what a delta view shows without -z, like nstat).
Counters nonzero(const Counters& c);
// One -i interval as one JSON line: {"ts": SECONDS, "interval_s": S, "NAME":
// DELTA, ...}, ts being seconds since the epoch (every counter, zeros too).
std::string stat_render_json_sample(const Counters& c, double ts, double interval_s);

}  // namespace glass::cli
