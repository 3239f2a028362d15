// `glass lab`: one subcommand per scenario, plus `all` (every scenario and a
// summary page) and `plot` (render the gnuplot scripts on a host).
#include "lab.hpp"
#include "testbed.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

namespace glass::cli {
namespace {

struct LabState {
  std::vector<std::unique_ptr<Scenario>> scenarios;
  LabOptions opts;
  std::vector<std::string> only;
  std::string plot_dir;
};

void add_common(CLI::App* sub, LabOptions& opts) {
  sub->add_option("-o,--out", opts.out, "Folder for the CSV, plot, explanation and facts")
      ->required()
      ->type_name("DIR");
  sub->add_flag("--quick", opts.quick, "Shorter run (for tests); the phenomenon is still shown");
  sub->add_option("--sample-ms", opts.interval_ms, "Sampling period of GLASS_INFO in ms")
      ->check(CLI::Range(1.0, 1000.0))
      ->capture_default_str();
  sub->add_flag("!--no-plot", opts.plot, "Do not run gnuplot (the .gp script is still written)");
  sub->add_flag("!--no-tcp", opts.tcp,
                "glass only: skip the same experiment over TCP (a veth pair between the same "
                "namespaces)");
}

// Breaks text into lines of at most width columns at spaces.
std::string wrap(const std::string& text, std::size_t width) {
  std::string out, line, word;
  std::istringstream in(text);
  while (in >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line + "\n";
}

constexpr const char* kFooter =
    "Needs root (it creates network namespaces, glass and veth pairs, netem qdiscs).\n"
    "Exit status: 0 the phenomenon was shown, 3 it was not, 1 runtime error, 2 usage error\n"
    "(glass lab all: 1 if any scenario broke, else 3 if any did not show its phenomenon).";

}  // namespace

void setup_lab(CLI::App& parent, Context& ctx) {
  auto st = std::make_shared<LabState>();
  st->scenarios = make_scenarios();
  CLI::App* lab = parent.add_subcommand(
      "lab", "Experiments that make buffers, windows, Nagle and readiness visible");
  lab->require_subcommand(1);
  lab->footer(
      "Each scenario builds two hosts (network namespaces) joined by a glass pair\n"
      "(10.7.0.1 <-> 10.7.0.2) and a veth pair (10.8.0.1 <-> 10.8.0.2), runs the experiment\n"
      "over glass and then over TCP, samples GLASS_INFO/TCP_INFO every few ms and writes\n"
      "into -o DIR:\n"
      "  NAME.csv   the samples      NAME.gp/NAME.svg  the plot (gnuplot)\n"
      "  NAME.md    what happened    facts.txt         key facts as name=value\n"
      "Example: glass lab slow-reader -o /tmp/slow\n" +
      std::string(kFooter));
  // The App keeps the state alive: options are bound to its fields.
  lab->callback([st] {});
  for (auto& s : st->scenarios) {
    CLI::App* sub = lab->add_subcommand(s->name(), s->title());
    add_common(sub, st->opts);
    s->add_options(*sub);
    sub->footer(wrap(s->help(), 80) + "\n" + kFooter);
    Scenario* scen = s.get();
    sub->callback([st, scen, &ctx] {
      ctx.action = [st, scen] {
        require_root("glass lab");
        return run_scenario(*scen, st->opts, std::cout);
      };
    });
  }
  CLI::App* all = lab->add_subcommand("all", "Run every scenario; write DIR/NAME/ and index.html");
  add_common(all, st->opts);
  std::string names;
  for (auto& s : st->scenarios) names += std::string(names.empty() ? "" : ", ") + s->name();
  all->add_option("--only", st->only, "Run only these scenarios (" + names + ")")
      ->delimiter(',')
      ->check(CLI::IsMember([st] {
        std::vector<std::string> v;
        for (auto& s : st->scenarios) v.emplace_back(s->name());
        return v;
      }()));
  all->footer(
      "Writes DIR/NAME/ for each scenario and a summary page DIR/index.html (and index.md)\n"
      "linking every plot with its explanation.\n" +
      std::string(kFooter));
  all->callback([st, &ctx] {
    ctx.action = [st] {
      require_root("glass lab all");
      return run_all(st->scenarios, st->opts, st->only, std::cout);
    };
  });
  CLI::App* plot =
      lab->add_subcommand("plot", "Render every NAME.gp under DIR to NAME.svg with gnuplot");
  plot->add_option("dir", st->plot_dir, "Results folder (of glass lab or glass lab all)")
      ->required()
      ->check(CLI::ExistingDirectory);
  plot->footer(
      "For results made where gnuplot is not installed (the guest): run on the host.\n"
      "Exit status: 0 success, 1 runtime error (gnuplot missing or failing), 2 usage error.");
  plot->callback([st, &ctx] {
    ctx.action = [st] {
      const int n = render_plots(st->plot_dir, std::cout);
      std::cout << n << " plot(s) rendered\n";
      return kExitOk;
    };
  });
}

std::vector<std::unique_ptr<Scenario>> make_scenarios() {
  std::vector<std::unique_ptr<Scenario>> v;
  v.push_back(make_slow_reader());
  v.push_back(make_nagle());
  v.push_back(make_rcvbuf());
  v.push_back(make_loss());
  v.push_back(make_readiness());
  v.push_back(make_copy());
  v.push_back(make_delack());
  v.push_back(make_http());
  return v;
}

}  // namespace glass::cli
