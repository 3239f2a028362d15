// glass CLI: `glass run -- PROG ARGS`: an unmodified program on glass,
// through libglass_preload.so (docs/run.md).
#pragma once

#include "command.hpp"

#include <optional>
#include <string>
#include <vector>

namespace glass::cli {

struct RunOptions {
  std::string nets;                // --nets CIDR,...: empty = the routing rule
  std::string wildcard = "glass";  // --wildcard glass|tcp: listeners on 0.0.0.0 / ::
  bool verbose = false;            // -v: a line per socket made glass
  std::vector<std::string> command;
};

// The environment glass run gives the program, as NAME=VALUE pairs to set
// (an empty value means: unset it). lib is the preload library's path,
// old_preload the LD_PRELOAD already in the environment (or null).
std::vector<std::pair<std::string, std::string>> run_environment(const RunOptions& opts,
                                                                 const std::string& lib,
                                                                 const char* old_preload);

// Where libglass_preload.so is: $GLASS_PRELOAD, else next to the glass
// binary (../lib/ of its folder, as in build/ and in the guest's /glass),
// else the installed ../lib/glass/. nullopt when none exists.
std::optional<std::string> find_preload_library(const std::string& self_exe);

// A dynamically linked ELF program has a PT_INTERP header; a static one
// (busybox, Go programs) does not, and LD_PRELOAD cannot reach it. True
// only for an ELF file without one; scripts and unreadable files are false.
bool is_static_elf(const std::string& path);

// PROG as execvp would find it on PATH ("" if not found).
std::string find_on_path(const std::string& prog);

int run_run(const RunOptions& opts);

}  // namespace glass::cli
