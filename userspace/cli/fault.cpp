// `glass fault DEV ...`: set, show and clear the seeded fault injector of a
// glass device. The messages and value parsing are in the library
// (glass/fault.hpp); this file turns the words the user typed into settings
// and prints the kernel's answer.
#include "fault.hpp"

#include "json.hpp"
#include "validators.hpp"

#include <glass/error.hpp>

#include <functional>
#include <iostream>
#include <memory>

namespace glass::cli {
namespace {

constexpr const char* kGrammar =
    "DEV [show | clear | [loss P%] [duplicate P%] [reorder P%] [corrupt P%] [delay MS] [seed N]]";

[[noreturn]] void fault_usage(const std::string& msg) {
  throw CLI::ValidationError("fault", msg);
}

template <typename T, typename Fn>
void set_once(std::optional<T>& field, const std::string& key, const std::string& value, Fn parse) {
  if (field) fault_usage("'" + key + "' given twice");
  try {
    field = parse(value);
  } catch (const ParseError& e) {
    fault_usage(e.what());
  }
}

}  // namespace

void parse_fault_words(FaultOptions& opts) {
  const auto& w = opts.words;
  if (w.empty()) fault_usage(std::string("missing DEV (expected: ") + kGrammar + ")");
  opts.device = w[0];
  const std::string err = ifname_validator()(opts.device);
  if (!err.empty()) fault_usage(err);
  opts.op = FaultOptions::Op::kShow;
  opts.settings = {};
  if (w.size() == 1) return;
  if (w[1] == "show" || w[1] == "clear") {
    if (w.size() > 2) fault_usage("'" + w[1] + "' takes no further words, got '" + w[2] + "'");
    if (w[1] == "clear") {
      opts.op = FaultOptions::Op::kClear;
      opts.settings = FaultSettings::cleared();
    }
    return;
  }
  opts.op = FaultOptions::Op::kSet;
  FaultSettings& s = opts.settings;
  for (std::size_t i = 1; i < w.size(); i += 2) {
    const std::string& key = w[i];
    if (i + 1 >= w.size()) fault_usage("'" + key + "' needs a value");
    const std::string& value = w[i + 1];
    auto percent = [&key](const std::string& v) { return parse_percent_ppm(v, key); };
    if (key == "loss") {
      set_once(s.loss_ppm, key, value, percent);
    } else if (key == "duplicate") {
      set_once(s.duplicate_ppm, key, value, percent);
    } else if (key == "reorder") {
      set_once(s.reorder_ppm, key, value, percent);
    } else if (key == "corrupt") {
      set_once(s.corrupt_ppm, key, value, percent);
    } else if (key == "delay") {
      set_once(s.delay_us, key, value, [](const std::string& v) { return parse_delay_us(v); });
    } else if (key == "seed") {
      set_once(s.seed, key, value, [](const std::string& v) { return parse_seed(v); });
    } else {
      fault_usage("unknown keyword '" + key + "' (expected: " + kGrammar + ")");
    }
  }
  if (opts.json) fault_usage("--json applies to 'show' only");
}

std::string fault_render_text(const FaultState& st) {
  std::string out =
      st.device + ": seed " + std::to_string(st.seed) + " loss " + format_ppm_percent(st.loss_ppm) +
      " duplicate " + format_ppm_percent(st.duplicate_ppm) + " reorder " +
      format_ppm_percent(st.reorder_ppm) + " corrupt " + format_ppm_percent(st.corrupt_ppm) +
      " delay " + format_delay(st.delay_us) + "\n";
  const glass_fault_stats& f = st.stats;
  out += "  frames " + std::to_string(f.frames) + " lost " + std::to_string(f.lost) +
         " duplicated " + std::to_string(f.duplicated) + " reordered " +
         std::to_string(f.reordered) + " corrupted " + std::to_string(f.corrupted) + " delayed " +
         std::to_string(f.delayed) + "\n";
  return out;
}

std::string fault_render_json(const FaultState& st) {
  const glass_fault_stats& f = st.stats;
  auto kv = [](const char* k, std::uint64_t v) {
    return std::string("\"") + k + "\": " + std::to_string(v);
  };
  return "{" + std::string("\"device\": ") + json_string(st.device) + ", " + kv("seed", st.seed) +
         ", " + kv("loss_ppm", st.loss_ppm) + ", " + kv("duplicate_ppm", st.duplicate_ppm) + ", " +
         kv("reorder_ppm", st.reorder_ppm) + ", " + kv("corrupt_ppm", st.corrupt_ppm) + ", " +
         kv("delay_us", st.delay_us) + ", \"stats\": {" + kv("frames", f.frames) + ", " +
         kv("lost", f.lost) + ", " + kv("duplicated", f.duplicated) + ", " +
         kv("reordered", f.reordered) + ", " + kv("corrupted", f.corrupted) + ", " +
         kv("delayed", f.delayed) + "}}\n";
}

CLI::App* add_fault_options(CLI::App& parent, FaultOptions& opts, std::function<void()> then) {
  CLI::App* f = parent.add_subcommand(
      "fault", "Seeded fault injection on a glass device's transmit path (loss, duplicate, ...)");
  f->add_option("DEV", opts.words, kGrammar)->required()->expected(1, 13)->type_name("");
  f->add_flag("-j,--json", opts.json, "With show: print a JSON object");
  f->footer(
      "DEV alone or 'DEV show' prints the settings and what the injector did; 'DEV clear'\n"
      "sets every probability and the delay to 0 and restarts the statistics (seed 0).\n"
      "Keywords change only what they name. P is a percentage with up to 4 decimals\n"
      "(0.0001% = 1 ppm); MS milliseconds (or 250us); a seed restarts the generator and\n"
      "the statistics: the same seed and the same frames give the same faults.\n"
      "Faults apply to frames DEV transmits; set both ends of a pair for both directions.\n"
      "Examples:\n  glass fault ga loss 10% reorder 5% seed 42\n  glass fault ga show --json\n"
      "  glass fault ga clear\n"
      "Setting needs CAP_NET_ADMIN. Exit status: 0 success, 1 runtime error, 2 usage error.");
  f->callback([&opts, then = std::move(then)] {
    parse_fault_words(opts);
    if (then) then();
  });
  return f;
}

int run_fault(const FaultOptions& opts) {
  if (opts.op != FaultOptions::Op::kShow) {
    apply_fault(opts.device, opts.settings);
    return kExitOk;
  }
  const FaultState st = query_fault(opts.device);
  std::cout << (opts.json ? fault_render_json(st) : fault_render_text(st));
  std::cout.flush();
  return kExitOk;
}

void setup_fault(CLI::App& parent, Context& ctx) {
  auto opts = std::make_shared<FaultOptions>();
  add_fault_options(parent, *opts,
                    [opts, &ctx] { ctx.action = [opts] { return run_fault(*opts); }; });
}
}  // namespace glass::cli
