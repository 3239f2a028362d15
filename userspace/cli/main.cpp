// glass: the command-line tool. Its subcommands are the table of commands.cpp.
#include "app.hpp"

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  // Cli reports every error itself; this is the last resort, so that nothing
  // ever ends in std::terminate (SIGABRT) instead of a message and a status.
  try {
    glass::cli::Cli cli;
    return cli.run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "glass: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "glass: unexpected error\n");
  }
  return glass::cli::kExitError;
}
