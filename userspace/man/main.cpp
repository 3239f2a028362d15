// glass-mangen OUTDIR: writes glass.1 and glass-SUB.1 for every subcommand,
// from the same CLI11 app the glass binary parses with (manpage.hpp).
// A build tool, not installed: `make man` runs it into docs/man/.
#include "app.hpp"
#include "manpage.hpp"

#include <cstdio>
#include <fstream>

#ifndef GLASS_MAN_VERSION
#define GLASS_MAN_VERSION "0"
#endif

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: glass-mangen OUTDIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  glass::cli::Cli cli;
  for (const glass::man::Page& p : glass::man::pages(cli.app(), GLASS_MAN_VERSION)) {
    std::ofstream out(dir + "/" + p.file, std::ios::trunc);
    out << p.text;
    if (!out) {
      std::fprintf(stderr, "glass-mangen: cannot write %s/%s\n", dir.c_str(), p.file.c_str());
      return 1;
    }
  }
  return 0;
}
