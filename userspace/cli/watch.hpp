// glass CLI: the `-i SECONDS` refresh loop shared by ss and stat.
#pragma once

#include <functional>

namespace glass::cli {

// Calls show(iteration) every `interval` seconds (iteration 0 at once), count
// times (0: until interrupted).
void watch(double interval, int count, const std::function<void(int)>& show);

// The terminal escape that clears the screen and homes the cursor, or ""
// when stdout is not a terminal.
const char* clear_screen();

}  // namespace glass::cli
