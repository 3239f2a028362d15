// glass CLI: `glass lab SCENARIO -o DIR` — small experiments that make the
// socket data path visible. Each scenario builds its hosts (a glass pair
// across two namespaces, testbed.hpp), runs, samples GLASS_INFO over
// time, and leaves in DIR a CSV, a gnuplot script (rendered to SVG when
// gnuplot is installed), an explanation (NAME.md) and its key facts
// (facts.txt, "name=value" lines). It exits 0 when the run showed the
// phenomenon it is about, 3 (kExitNotShown) when it did not, saying which
// check failed, 1 on a runtime error and 2 on a usage error.
#pragma once

#include "command.hpp"
#include "stream.hpp"

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace glass::cli {

// Options every scenario takes.
struct LabOptions {
  std::string out;         // -o DIR
  bool quick = false;      // shorter runs (tests, smoke)
  double interval_ms = 5;  // --sample-ms: sampling period
  bool plot = true;        // run gnuplot when found
  bool tcp = true;         // also run the experiment over TCP (--no-tcp: glass only)
};

// A CSV table: a header and rows of cells.
class Csv {
 public:
  explicit Csv(std::vector<std::string> columns) : columns_(std::move(columns)) {}
  void row(std::vector<std::string> cells);
  std::size_t size() const { return rows_.size(); }
  std::string str() const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// A number as a CSV/fact cell: integers exactly, others with 4 significant
// decimals after the point at most.
std::string num(double v);

// What one run found and wrote.
class LabRun {
 public:
  // Printed lines go to out.
  LabRun(std::string name, std::string dir, const LabOptions& opts, std::ostream& out);

  const std::string& name() const { return name_; }
  const std::string& dir() const { return dir_; }
  const LabOptions& options() const { return opts_; }
  std::string path(const std::string& file) const { return dir_ + "/" + file; }

  // A key fact: printed, and saved to facts.txt as name=value.
  void fact(const std::string& key, double value, const std::string& text);
  // A fact whose value is not a double (a 64-bit seed): saved as given.
  void fact(const std::string& key, const std::string& value, const std::string& text);
  // A printed line that is not a fact.
  void note(const std::string& text);
  // A check of the phenomenon; a failed one makes the run exit 3.
  void check(bool ok, const std::string& what);
  // The run's result in one line, glass against TCP ("window closed after
  // 40 ms; TCP: 31 ms"): printed last, first in NAME.md, in the summary pages.
  void headline(const std::string& text) { headline_ = text; }
  const std::string& headline() const { return headline_; }
  // Files: NAME.csv (or NAME-SUFFIX.csv), NAME.gp (+ NAME.svg), NAME.md.
  void write_csv(const Csv& csv, const std::string& suffix = "");
  void set_plot(const std::string& gnuplot_body, int width = 960, int height = 720);
  void set_explanation(const std::string& title, const std::string& markdown);

  // Writes facts.txt and NAME.md, renders the plot; returns the exit status.
  int finish();

  const std::vector<std::string>& failures() const { return failures_; }
  const std::string& title() const { return title_; }
  const std::vector<std::string>& lines() const { return lines_; }
  bool has_plot() const { return has_plot_; }
  std::string summary_line() const;  // "ok: ..." or "FAILED: ..."

 private:
  std::string name_, dir_, title_, explanation_, headline_;
  LabOptions opts_;
  std::ostream& out_;
  std::vector<std::pair<std::string, std::string>> facts_;
  std::vector<std::string> lines_, failures_;
  bool has_plot_ = false;
};

// A lab experiment. run() may throw (exit 1, "glass: ...").
class Scenario {
 public:
  virtual ~Scenario() = default;
  virtual const char* name() const = 0;
  virtual const char* title() const = 0;
  virtual const char* help() const = 0;  // one paragraph for --help
  virtual void add_options(CLI::App& /*sub*/) {}
  virtual void run(LabRun& run) = 0;
};

std::unique_ptr<Scenario> make_slow_reader();
std::unique_ptr<Scenario> make_nagle();
std::unique_ptr<Scenario> make_rcvbuf();
std::unique_ptr<Scenario> make_loss();
std::unique_ptr<Scenario> make_readiness();
std::unique_ptr<Scenario> make_copy();
std::unique_ptr<Scenario> make_delack();
std::unique_ptr<Scenario> make_http();
// Every scenario, in the order `glass lab all` runs them.
std::vector<std::unique_ptr<Scenario>> make_scenarios();

// Calls tick(t_ms) every interval on its own thread until stopped (or
// destroyed); t_ms is clock's time.
class Sampler {
 public:
  Sampler(const Stopwatch& clock, double interval_ms, std::function<void(double)> tick);
  ~Sampler() { stop(); }
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;
  void stop();

 private:
  std::jthread thread_;
};

// Runs one scenario into opts.out; returns the exit status.
int run_scenario(Scenario& s, const LabOptions& opts, std::ostream& out);
// Runs every scenario into opts.out/NAME and writes index.md and index.html.
// Returns 1 if any scenario failed to run, else 3 if any did not show its
// phenomenon, else 0.
int run_all(std::vector<std::unique_ptr<Scenario>>& all, const LabOptions& opts,
            const std::vector<std::string>& only, std::ostream& out);
// Renders every *.gp under dir with gnuplot (for results made in a guest
// without gnuplot). Returns the number rendered; throws when gnuplot is missing.
int render_plots(const std::string& dir, std::ostream& out);
// Path of gnuplot in PATH, or "".
std::string find_gnuplot();

}  // namespace glass::cli
