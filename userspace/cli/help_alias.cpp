// `glass help ...` / `glass SUB help`: the word form of --help.
#include "help_alias.hpp"

namespace glass::cli {
namespace {

// The subcommand of app called name, or nullptr.
const CLI::App* find_sub(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->check_name(name)) return sub;
  return nullptr;
}

// True when every word of args[begin, end) names a subcommand of the one before.
bool subcommand_chain(const CLI::App& root, const std::vector<std::string>& args, std::size_t begin,
                      std::size_t end) {
  const CLI::App* app = &root;
  for (std::size_t i = begin; i < end; ++i)
    if ((app = find_sub(*app, args[i])) == nullptr) return false;
  return true;
}

}  // namespace

std::vector<std::string> expand_help_alias(const CLI::App& root, std::vector<std::string> args) {
  if (!args.empty() && args.front() == "help") {
    // `help nosuch` is `glass nosuch`: an unknown subcommand, a usage error.
    const bool known = subcommand_chain(root, args, 1, args.size());
    args.erase(args.begin());
    if (known) args.emplace_back("--help");
  } else if (!args.empty() && args.back() == "help" &&
             subcommand_chain(root, args, 0, args.size() - 1)) {
    args.back() = "--help";
  }
  return args;
}

}  // namespace glass::cli
