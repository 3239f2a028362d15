// glass CLI: how subcommands plug into the app.
//
// A subcommand lives in its own file and registers itself with a static
// Registration object:
//
//   void setup_foo(CLI::App& parent, Context& ctx) {
//     auto opts = std::make_shared<FooOptions>();
//     CLI::App* sub = parent.add_subcommand("foo", "one-line description");
//     sub->add_option(...)->check(...);
//     sub->callback([opts, &ctx] { ctx.action = [opts] { return run_foo(*opts); }; });
//   }
//   const Registration kFoo{"foo", 70, &setup_foo};
//
// The callback runs during parsing: it may throw CLI::ValidationError for
// combinations CLI11 cannot express (exit status 2), and it sets ctx.action,
// which runs after parsing (exit status 0, or 1 if it throws).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string_view>
#include <vector>

namespace glass::cli {

// Exit statuses of every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // runtime error (syscall, procfs, netlink)
inline constexpr int kExitUsage = 2;  // bad command line
// glass lab only: the run worked but did not show its phenomenon.
inline constexpr int kExitNotShown = 3;

// What parsing leaves behind: the chosen subcommand's work.
struct Context {
  std::function<int()> action;
};

using SetupFn = void (*)(CLI::App& parent, Context& ctx);

struct Command {
  std::string_view name;
  int order;  // position in --help (link 10, cat 20, ss 30, stat 40, ...)
  SetupFn setup;
};

// All registered subcommands, in registration order (sorted by the app).
std::vector<Command>& registry();

// Registers a subcommand at static-initialization time.
struct Registration {
  Registration(std::string_view name, int order, SetupFn setup);
};

}  // namespace glass::cli
