// `glass perf` output: an aligned table for people, JSON for scripts.
#include "json.hpp"
#include "perf.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace glass::cli {
namespace {

std::string value_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), v >= 100 ? "%.0f" : (v >= 10 ? "%.1f" : "%.2f"), v);
  return buf;
}

std::string ratio_text(double r) {
  if (!std::isfinite(r)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2fx", r);
  return buf;
}

}  // namespace

void perf_table(std::ostream& out, const std::vector<PerfFigure>& figs,
                const std::string& baseline) {
  const std::string vs = "vs " + baseline;
  out << std::left << std::setw(8) << "test" << std::setw(10) << "transport" << std::setw(11)
      << "figure" << std::right << std::setw(10) << "value"
      << "  " << std::left << std::setw(7) << "unit" << std::right << std::setw(12) << vs
      << "  how measured\n";
  std::string last_test;
  for (const auto& f : figs) {
    if (!last_test.empty() && f.test != last_test) out << "\n";
    last_test = f.test;
    out << std::left << std::setw(8) << f.test << std::setw(10) << f.transport << std::setw(11)
        << f.figure << std::right << std::setw(10) << value_text(f.value) << "  " << std::left
        << std::setw(7) << f.unit << std::right << std::setw(12) << ratio_text(f.ratio) << "  "
        << f.how << "\n";
  }
  out << "\nratio = value / " << baseline
      << "'s value in this run (higher is better for MB/s and conn/s, lower for us).\n"
         "Absolute figures from an emulated guest are not comparable across runs; ratios are.\n";
}

void perf_json(std::ostream& out, const std::vector<PerfFigure>& figs, const std::string& baseline,
               const PerfSetup& setup) {
  out << "{\"baseline\":" << json_string(baseline) << ",\"results\":[";
  for (std::size_t i = 0; i < figs.size(); i++) {
    const auto& f = figs[i];
    out << (i ? "," : "") << "\n  {\"test\":" << json_string(f.test)
        << ",\"transport\":" << json_string(f.transport) << ",\"figure\":" << json_string(f.figure)
        << ",\"value\":" << json_number(f.value) << ",\"unit\":" << json_string(f.unit)
        << ",\"ratio\":" << json_number(f.ratio) << ",\"how\":" << json_string(f.how) << "}";
  }
  out << "\n]";
  if (!setup.netem.empty()) out << ",\"netem\":" << json_string(setup.netem);
  if (setup.glass_mtu)
    out << ",\"mtu\":{\"glass\":" << setup.glass_mtu << ",\"veth\":" << setup.veth_mtu << "}";
  out << "}\n";
}

}  // namespace glass::cli
