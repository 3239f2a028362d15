// watch(): a fixed-rate refresh loop (deadline-based, so output does not drift).
#include "watch.hpp"

#include <unistd.h>

#include <chrono>
#include <thread>

namespace glass::cli {

void watch(double interval, int count, const std::function<void(int)>& show) {
  using Clock = std::chrono::steady_clock;
  const auto step =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval));
  auto next = Clock::now();
  for (int i = 0; count == 0 || i < count; ++i) {
    if (i > 0) std::this_thread::sleep_until(next);
    show(i);
    next += step;
  }
}

const char* clear_screen() {
  return ::isatty(STDOUT_FILENO) != 0 ? "\x1b[H\x1b[2J" : "";
}

}  // namespace glass::cli
