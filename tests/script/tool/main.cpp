// glass_script: run packetdrill-style scripts against the glass stack.
//   glass_script [options] SCRIPT...   a file path, or the name of an embedded script
//   glass_script [options] --all       every embedded script (tests/script/*.gs)
//   glass_script --list                names of the embedded scripts
// Options: -v (log every event), --check (syntax only, no kernel needed),
//   --tolerance_usecs=N --tolerance_percent=N (override the scripts' values),
//   --timeout=S (per script, default 120).
// Prints one "PASS name" or "FAIL name" line per script; exit 0 if all passed.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "embedded.hpp"
#include "script.hpp"

namespace {

int usage() {
  std::cerr << "usage: glass_script [-v] [--check] [--timeout=S] [--tolerance_usecs=N]\n"
               "                    [--tolerance_percent=N] (--all | --list | SCRIPT...)\n";
  return 2;
}

bool load(const std::string& arg, std::string* name, std::string* text) {
  std::ifstream in(arg);
  if (in) {
    std::ostringstream ss;
    ss << in.rdbuf();
    *text = ss.str();
    auto slash = arg.find_last_of('/');
    *name = arg.substr(slash == std::string::npos ? 0 : slash + 1);
    if (name->size() > 3 && name->ends_with(".gs")) name->resize(name->size() - 3);
    return true;
  }
  for (size_t i = 0; i < glass::script::kEmbeddedCount; i++) {
    if (arg == glass::script::kEmbedded[i].name) {
      *name = arg;
      *text = glass::script::kEmbedded[i].text;
      return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  glass::script::Options opt;
  bool check = false, all = false;
  int timeout = 120;
  std::vector<std::string> args;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto value = [&](const char* prefix) { return a.substr(std::string(prefix).size()); };
    if (a == "-v" || a == "--verbose") {
      opt.verbose = true;
    } else if (a == "--check") {
      check = true;
    } else if (a == "--all") {
      all = true;
    } else if (a == "--list") {
      for (size_t k = 0; k < glass::script::kEmbeddedCount; k++)
        std::cout << glass::script::kEmbedded[k].name << "\n";
      return 0;
    } else if (a.rfind("--timeout=", 0) == 0) {
      timeout = std::atoi(value("--timeout=").c_str());
    } else if (a.rfind("--tolerance_usecs=", 0) == 0) {
      opt.tolerance_usecs = std::atof(value("--tolerance_usecs=").c_str());
      opt.force_tolerance = true;
    } else if (a.rfind("--tolerance_percent=", 0) == 0) {
      opt.tolerance_percent = std::atof(value("--tolerance_percent=").c_str());
      opt.force_tolerance = true;
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (a.rfind('-', 0) == 0) {
      return usage();
    } else {
      args.push_back(a);
    }
  }
  if (all)
    for (size_t k = 0; k < glass::script::kEmbeddedCount; k++)
      args.emplace_back(glass::script::kEmbedded[k].name);
  if (args.empty()) return usage();
  int failed = 0;
  for (const auto& a : args) {
    std::string name, text;
    if (!load(a, &name, &text)) {
      std::cout << "FAIL " << a << ": no such file or embedded script\n";
      failed++;
      continue;
    }
    if (check) {
      bool ok = glass::script::check_script(name, text, std::cout);
      std::cout << (ok ? "OK   " : "BAD  ") << name << "\n";
      failed += !ok;
      continue;
    }
    std::string out;
    bool ok = glass::script::run_isolated(name, text, opt, timeout, &out);
    std::cout << out << std::flush;
    failed += !ok;
  }
  if (args.size() > 1)
    std::cout << (args.size() - failed) << "/" << args.size() << " scripts passed\n";
  return failed ? 1 : 0;
}
