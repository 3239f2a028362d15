// glass CLI: `glass fault DEV [loss P%] [duplicate P%] [reorder P%]
// [corrupt P%] [delay MS] [seed N]`, `glass fault DEV show [--json]`,
// `glass fault DEV clear` — the seeded fault injector of a glass device.
#pragma once

#include "command.hpp"

#include <glass/fault.hpp>

#include <functional>
#include <string>
#include <vector>

namespace glass::cli {

struct FaultOptions {
  enum class Op { kShow, kSet, kClear } op = Op::kShow;
  std::vector<std::string> words;  // DEV [show|clear|KEY VALUE...], as typed
  std::string device;
  FaultSettings settings;
  bool json = false;
};

// Adds `fault` to parent; its callback fills opts (parse_fault_words), then
// calls `then` (if any).
CLI::App* add_fault_options(CLI::App& parent, FaultOptions& opts, std::function<void()> then = {});
// Turns the words into opts; throws CLI::ValidationError with a clear message.
void parse_fault_words(FaultOptions& opts);
// The `show` output.
std::string fault_render_text(const FaultState& st);
std::string fault_render_json(const FaultState& st);

int run_fault(const FaultOptions& opts);

}  // namespace glass::cli
