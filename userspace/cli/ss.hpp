// glass CLI: `glass ss` — the socket table of /proc/net/glass, with ss's flags.
#pragma once

#include "command.hpp"
#include "ss_filter.hpp"

#include <glass/procfs.hpp>

#include <functional>
#include <string>
#include <vector>

namespace glass::cli {

struct SsOptions {
  SsStateFilter filter;   // -a, -l, --state, `state NAME`, `exclude NAME`
  bool extended = false;  // -e: every column the kernel prints
  bool memory = false;    // -m: buffer and queue columns
  bool info = false;      // -i: window, RTT and congestion columns (cwnd also in segments)
  bool timers = false;    // -o: the timers column
  bool header = true;     // -H clears it
  int port = -1;          // --port: either end; -1 none
  std::string addr;       // --addr: either end; "" none
  std::string netns;      // -N: read the table of this network namespace
  bool json = false;
  double interval = 0;  // -w: 0 prints once
  int count = 0;        // -c: refreshes with -w (0: until interrupted)
  std::string file{kProcSockets};
};

// Reads the table with the columns `glass ss` needs (local, remote, state,
// recvq, sendq) checked.
Table ss_read(const std::string& path);

CLI::App* add_ss_options(CLI::App& parent, SsOptions& opts, std::function<void()> then = {});
int run_ss(const SsOptions& opts);

// The rows that pass the filters of opts (ParseError on a bad address cell).
std::vector<const Table::Row*> ss_select(const Table& t, const SsOptions& opts);
// The table as text (columns aligned) or as a JSON array of objects.
std::string ss_render_text(const Table& t, const SsOptions& opts);
std::string ss_render_json(const Table& t, const SsOptions& opts);

}  // namespace glass::cli
