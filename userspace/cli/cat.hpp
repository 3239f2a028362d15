// glass CLI: `glass cat` — netcat for glass sockets.
#pragma once

#include "command.hpp"

#include <functional>
#include <string>

namespace glass::cli {

struct CatOptions {
  std::string netns;  // -n: connect or listen in this network namespace
  bool listen = false;
  std::string address;  // ADDR:PORT, or [ADDR:]PORT with -l
  bool nodelay = false;
  int sndbuf = 0;  // 0: leave the default
  int rcvbuf = 0;
  bool verbose = false;
};

// Adds `cat` to parent. Its callback validates the address against -l and
// then calls `then` (the registration sets the action there).
CLI::App* add_cat_options(CLI::App& parent, CatOptions& opts, std::function<void()> then = {});
int run_cat(const CatOptions& opts);

}  // namespace glass::cli
