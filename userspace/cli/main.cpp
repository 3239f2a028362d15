// glass: the command-line tool. Subcommands register themselves (command.hpp).
#include "app.hpp"

int main(int argc, char** argv) {
  glass::cli::Cli cli;
  return cli.run(argc, argv);
}
