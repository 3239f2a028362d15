// The lab's plumbing: CSV, facts, checks, files, gnuplot, the sampler and
// the summary pages of `glass lab all`.
#include "lab.hpp"

#include "testbed.hpp"

#include <glass/error.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace glass::cli {
namespace {

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw Error("write(" + path + ")", errno ? errno : EIO);
}

void make_dirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("mkdir(" + dir + ")", ec.value());
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else {
      out += c;
    }
  }
  return out;
}

// Markdown paragraphs → HTML paragraphs (the explanations are plain prose).
std::string paragraphs_html(const std::string& md) {
  std::string out, para;
  std::istringstream in(md);
  std::string line;
  const auto flush = [&] {
    if (!para.empty()) out += "<p>" + html_escape(para) + "</p>\n";
    para.clear();
  };
  while (std::getline(in, line)) {
    if (line.empty()) {
      flush();
    } else {
      para += (para.empty() ? "" : " ") + line;
    }
  }
  flush();
  return out;
}

}  // namespace

void Csv::row(std::vector<std::string> cells) {
  rows_.push_back(std::move(cells));
}

std::string Csv::str() const {
  std::string s;
  for (std::size_t i = 0; i < columns_.size(); i++) s += (i ? "," : "") + columns_[i];
  s += "\n";
  for (const auto& r : rows_) {
    for (std::size_t i = 0; i < r.size(); i++) s += (i ? "," : "") + r[i];
    s += "\n";
  }
  return s;
}

std::string num(double v) {
  if (!std::isfinite(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

LabRun::LabRun(std::string name, std::string dir, const LabOptions& opts, std::ostream& out)
    : name_(std::move(name)), dir_(std::move(dir)), opts_(opts), out_(out) {
  make_dirs(dir_);
}

void LabRun::fact(const std::string& key, double value, const std::string& text) {
  facts_.emplace_back(key, num(value));
  if (!text.empty()) note(text);
}

void LabRun::fact(const std::string& key, const std::string& value, const std::string& text) {
  facts_.emplace_back(key, value);
  if (!text.empty()) note(text);
}

void LabRun::note(const std::string& text) {
  lines_.push_back(text);
  out_ << "  " << text << "\n" << std::flush;
}

void LabRun::check(bool ok, const std::string& what) {
  if (!ok) failures_.push_back(what);
}

void LabRun::write_csv(const Csv& csv, const std::string& suffix) {
  write_text(path(name_ + (suffix.empty() ? "" : "-" + suffix) + ".csv"), csv.str());
}

void LabRun::set_plot(const std::string& body, int width, int height) {
  std::ostringstream gp;
  gp << "# gnuplot script of `glass lab " << name_ << "`; render with: gnuplot " << name_
     << ".gp (in this folder)\n"
     << "set terminal svg size " << width << "," << height
     << " dynamic noenhanced font 'sans,11' background rgb 'white'\n"
     << "set output '" << name_ << ".svg'\n"
     << "set datafile separator ','\n"
     << "set grid\n"
     << body;
  write_text(path(name_ + ".gp"), gp.str());
  has_plot_ = true;
}

void LabRun::set_explanation(const std::string& title, const std::string& markdown) {
  title_ = title;
  explanation_ = markdown;
}

std::string LabRun::summary_line() const {
  if (failures_.empty()) return "ok: the run showed what it is about";
  std::string s = "FAILED: not shown:";
  for (const auto& f : failures_) s += " [" + f + "]";
  return s;
}

int LabRun::finish() {
  std::ostream& out = out_;
  std::string facts;
  for (const auto& [k, v] : facts_) facts.append(k).append("=").append(v).append("\n");
  facts += "shown=" + std::string(failures_.empty() ? "1" : "0") + "\n";
  write_text(path("facts.txt"), facts);

  std::ostringstream md;
  md << "# " << title_ << "\n\n";
  if (!headline_.empty()) md << "**" << headline_ << "**\n\n";
  if (has_plot_) md << "![" << name_ << "](" << name_ << ".svg)\n\n";
  md << explanation_ << "\n\n## This run\n\n";
  for (const auto& l : lines_) md << "- " << l << "\n";
  md << "\nResult: " << summary_line() << "\n\nFiles: `" << name_ << ".csv` (samples), `" << name_
     << ".gp` (gnuplot script), `facts.txt` (key facts).\n";
  write_text(path(name_ + ".md"), md.str());

  if (has_plot_ && opts_.plot) {
    const std::string gp = find_gnuplot();
    if (gp.empty()) {
      out << "  plot: gnuplot not found here; render later with: glass lab plot " << dir_ << "\n";
    } else {
      try {
        run_tool({gp, "-e", "cd '" + dir_ + "'", name_ + ".gp"});
        out << "  plot: " << path(name_ + ".svg") << "\n";
      } catch (const Error& e) {
        out << "  plot: gnuplot failed: " << e.what() << "\n";
      }
    }
  }
  if (!headline_.empty()) out << "  => " << headline_ << "\n";
  out << "  " << summary_line() << "\n";
  return failures_.empty() ? kExitOk : kExitNotShown;
}

Sampler::Sampler(const Stopwatch& clock, double interval_ms, std::function<void(double)> tick)
    : thread_([&clock, interval_ms, tick = std::move(tick)](const std::stop_token& st) {
        while (!st.stop_requested()) {
          tick(clock.ms());
          sleep_ms(interval_ms);
        }
        tick(clock.ms());
      }) {}

void Sampler::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

std::string find_gnuplot() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string d;
  while (std::getline(dirs, d, ':')) {
    std::string p = (d.empty() ? "." : d) + "/gnuplot";
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return {};
}

namespace {

struct Outcome {
  std::string name, title, explanation, summary, headline;
  std::vector<std::string> lines;
  bool plot = false;
  int rc = kExitOk;
};

Outcome run_one(Scenario& s, const LabOptions& opts, std::ostream& out) {
  out << "== glass lab " << s.name() << ": " << s.title() << "\n" << std::flush;
  LabRun run(s.name(), opts.out, opts, out);
  run.set_explanation(s.title(), s.help());
  s.run(run);
  Outcome r{s.name(),       s.title(),   s.help(),      run.summary_line(),
            run.headline(), run.lines(), run.has_plot()};
  r.rc = run.finish();
  return r;
}

void write_index(const std::string& dir, const std::vector<Outcome>& results) {
  std::ostringstream md, html;
  md << "# glass lab\n\nEach experiment ran in the same guest boot. Absolute times come from "
        "a QEMU TCG guest and are slow; the shapes, and ratios within a run, are what "
        "matter. Every scenario ran its experiment over glass and then, on a veth pair between "
        "the same namespaces, over TCP.\n\n| scenario | what it shows | glass vs TCP | result "
        "|\n|---|---|---|---|\n";
  html << "<!doctype html>\n<html><head><meta charset='utf-8'><title>glass lab</title>\n"
       << "<style>body{font-family:sans-serif;max-width:1000px;margin:auto}"
          "img{max-width:100%;border:1px solid #ccc}ul.facts{background:#f4f4f4}"
          ".ok{color:green}.bad{color:#b00}</style></head><body>\n<h1>glass lab</h1>\n"
       << "<p>Each experiment ran in the same guest boot (QEMU TCG: absolute times are slow; "
          "the shapes, and ratios within a run, are what matter).</p>\n<ul>\n";
  for (const auto& r : results) {
    md << "| [" << r.name << "](#" << r.name << ") | " << r.title << " | " << r.headline << " | "
       << r.summary << " |\n";
    html << "<li><a href='#" << r.name << "'>" << r.name << "</a>: " << html_escape(r.title)
         << (r.headline.empty() ? "" : ": <b>" + html_escape(r.headline) + "</b>")
         << " — <span class='" << (r.rc == 0 ? "ok" : "bad") << "'>" << html_escape(r.summary)
         << "</span></li>\n";
  }
  html << "</ul>\n";
  for (const auto& r : results) {
    md << "\n<a id='" << r.name << "'></a>\n## " << r.title << " (`glass lab " << r.name
       << "`)\n\n";
    html << "<h2 id='" << r.name << "'>" << html_escape(r.title) << " (<code>glass lab " << r.name
         << "</code>)</h2>\n";
    if (!r.headline.empty()) {
      md << "**" << r.headline << "**\n\n";
      html << "<p><b>" << html_escape(r.headline) << "</b></p>\n";
    }
    if (r.plot) {
      md << "![" << r.name << "](" << r.name << "/" << r.name << ".svg)\n\n";
      html << "<p><img src='" << r.name << "/" << r.name << ".svg' alt='" << r.name
           << " plot'></p>\n";
    }
    md << r.explanation << "\n\n";
    html << paragraphs_html(r.explanation) << "<ul class='facts'>\n";
    for (const auto& l : r.lines) {
      md << "- " << l << "\n";
      html << "<li>" << html_escape(l) << "</li>\n";
    }
    md << "\nResult: " << r.summary << ". Data: [" << r.name << ".csv](" << r.name << "/" << r.name
       << ".csv), page: [" << r.name << ".md](" << r.name << "/" << r.name << ".md)\n";
    html << "</ul>\n<p>Result: <span class='" << (r.rc == 0 ? "ok" : "bad") << "'>"
         << html_escape(r.summary) << "</span>. Data: <a href='" << r.name << "/" << r.name
         << ".csv'>" << r.name << ".csv</a>, <a href='" << r.name << "/" << r.name
         << ".gp'>gnuplot script</a>, <a href='" << r.name << "/facts.txt'>facts.txt</a></p>\n";
  }
  html << "</body></html>\n";
  write_text(dir + "/index.md", md.str());
  write_text(dir + "/index.html", html.str());
}

}  // namespace

int run_scenario(Scenario& s, const LabOptions& opts, std::ostream& out) {
  return run_one(s, opts, out).rc;
}

int run_all(std::vector<std::unique_ptr<Scenario>>& all, const LabOptions& opts,
            const std::vector<std::string>& only, std::ostream& out) {
  make_dirs(opts.out);
  std::vector<Outcome> results;
  int rc = kExitOk;
  for (auto& s : all) {
    if (!only.empty() && std::find(only.begin(), only.end(), s->name()) == only.end()) continue;
    LabOptions o = opts;
    o.out = opts.out + "/" + s->name();
    Outcome r;
    try {
      r = run_one(*s, o, out);
    } catch (const std::exception& e) {
      out << "  error: " << e.what() << "\n";
      r = Outcome{s->name(), s->title(), s->help(), std::string("error: ") + e.what(),
                  "",        {},         false,     kExitError};
    }
    // A run that broke outranks one that only did not show its phenomenon.
    if (r.rc == kExitError || (r.rc != kExitOk && rc == kExitOk)) rc = r.rc;
    results.push_back(std::move(r));
    out << "\n" << std::flush;
  }
  write_index(opts.out, results);
  out << "== summary page: " << opts.out << "/index.html (and index.md)\n";
  return rc;
}

int render_plots(const std::string& dir, std::ostream& out) {
  const std::string gp = find_gnuplot();
  if (gp.empty())
    throw Error("gnuplot", ENOENT, "gnuplot not found in PATH", "apt-get install gnuplot-nox");
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".gp") continue;
    const std::string folder = e.path().parent_path().string();
    run_tool({gp, "-e", "cd '" + folder + "'", e.path().filename().string()});
    std::filesystem::path svg = e.path();
    out << "rendered " << svg.replace_extension(".svg").string() << "\n";
    n++;
  }
  return n;
}

}  // namespace glass::cli
