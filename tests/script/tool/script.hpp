// glass_script: a packetdrill-style scripted tester for the glass stack.
// docs/scripted-tests.md describes the script format; this is the API the
// command-line tool and the GoogleTest runner share.
#pragma once

#include <ostream>
#include <string>

namespace glass::script {

struct Options {
  // Timing tolerance of an event: usecs + percent of the gap since the
  // previous event. Script lines "--tolerance_usecs=N" and
  // "--tolerance_percent=N" override these unless forced.
  double tolerance_usecs = 20000;
  double tolerance_percent = 25;
  bool force_tolerance = false;  // command-line values win over the script's
  bool verbose = false;          // log every event as it runs
};

// Parses and runs one script in the calling process: it moves the process
// into fresh network namespaces, so call it in a child (run_isolated does).
// Writes a log to out; returns true when every event matched.
bool run_script(const std::string& name, const std::string& text, const Options& opt,
                std::ostream& out);

// Checks the syntax only (no namespaces, no kernel). Returns true if valid.
bool check_script(const std::string& name, const std::string& text, std::ostream& out);

// Forks a child that runs the script under a watchdog of timeout_s seconds;
// the child's log is returned in *output. Returns true on pass.
bool run_isolated(const std::string& name, const std::string& text, const Options& opt,
                  int timeout_s, std::string* output);

}  // namespace glass::script
