// Cli: builds the CLI11 app from the registry, maps outcomes to exit statuses.
#include "app.hpp"

#include "help_alias.hpp"
#include "usage_message.hpp"

#include <glass/error.hpp>

#include <algorithm>

#ifndef GLASS_VERSION
#define GLASS_VERSION "unknown"
#endif

namespace glass::cli {

std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}

Registration::Registration(std::string_view name, int order, SetupFn setup) {
  registry().push_back({name, order, setup});
}

Cli::Cli() : app_(std::make_unique<CLI::App>("glass: drive and watch AF_GLASS sockets", "glass")) {
  app_->require_subcommand(1);
  app_->set_version_flag("-V,--version", std::string("glass ") + GLASS_VERSION,
                         "Print the version (git describe at build time) and exit");
  app_->footer(
      "Exit status: 0 success, 1 runtime error, 2 usage error (glass lab: 3 phenomenon not\n"
      "shown). 'glass help SUBCOMMAND' or 'glass SUBCOMMAND --help' shows a subcommand's "
      "options.");
  std::vector<Command> commands = registry();
  std::stable_sort(commands.begin(), commands.end(),
                   [](const Command& a, const Command& b) { return a.order < b.order; });
  for (const Command& c : commands) c.setup(*app_, ctx_);
}

std::optional<int> Cli::parse(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  args = expand_help_alias(*app_, std::move(args));
  std::reverse(args.begin(), args.end());  // CLI11 consumes the vector from the back
  // Every failure is a usage error on one line: CLI11's errors, and anything
  // a validator or conversion throws (a bug, but it must not abort).
  try {
    app_->parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app_->exit(e, out, err);  // --help, --version
    err << usage_message(*app_, e.what()) << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    err << usage_message(*app_, e.what()) << "\n";
    return kExitUsage;
  }
  if (!ctx_.action) {
    err << "glass: nothing to do\n";
    return kExitUsage;
  }
  return std::nullopt;
}

int Cli::execute(std::ostream& err) {
  try {
    return ctx_.action();
  } catch (const std::exception& e) {
    err << "glass: " << one_line(e.what()) << "\n";
    return kExitError;
  }
}

int Cli::run(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  if (const auto rc = parse(std::move(args))) return *rc;
  return execute();
}

}  // namespace glass::cli
