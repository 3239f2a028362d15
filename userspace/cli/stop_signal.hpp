// SIGINT and SIGTERM as "stop now" for a command's loop (glass capture,
// glass trace): while a StopOnSignal lives, either signal sets a flag the
// loop polls, and interrupts its wait (no SA_RESTART: poll() and friends
// return EINTR), so the loop can finish its output whole. The previous
// handlers come back on destruction.
#pragma once

#include <csignal>

namespace glass::cli {

class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  // True once SIGINT or SIGTERM arrived since construction.
  static bool stopped();

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace glass::cli
