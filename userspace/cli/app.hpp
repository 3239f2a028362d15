// glass CLI: the application object that parses and dispatches subcommands.
#pragma once

#include "command.hpp"

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace glass::cli {

class Cli {
 public:
  // Builds the CLI11 app with every subcommand of the table (commands.cpp).
  Cli();

  CLI::App& app() noexcept { return *app_; }

  // Parses args (without the program name). Returns an exit status when
  // parsing ends the run (0 after --help, 2 after a usage error, with the
  // message printed to out/err), nullopt when the action should run.
  std::optional<int> parse(std::vector<std::string> args, std::ostream& out = std::cout,
                           std::ostream& err = std::cerr);
  // Runs the parsed action; errors are printed as "glass: message" → 1.
  int execute(std::ostream& err = std::cerr);
  // parse + execute.
  int run(int argc, const char* const* argv);

 private:
  std::unique_ptr<CLI::App> app_;
  Context ctx_;
};

}  // namespace glass::cli
