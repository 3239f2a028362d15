// glass CLI: what a subcommand provides, and the table of all of them.
//
// A subcommand lives in its own file (or folder: lab/, perf/, trace/) and
// defines one setup function, which adds it to the app:
//
//   void setup_foo(CLI::App& parent, Context& ctx) {
//     auto opts = std::make_shared<FooOptions>();
//     CLI::App* sub = parent.add_subcommand("foo", "one-line description");
//     sub->add_option(...)->check(...);
//     sub->callback([opts, &ctx] { ctx.action = [opts] { return run_foo(*opts); }; });
//   }
//
// and one row in the table of commands.cpp (bpftool's cmds[]) names it.
// The callback runs during parsing: it may throw CLI::ValidationError for
// combinations CLI11 cannot express (exit status 2), and it sets ctx.action,
// which runs after parsing (exit status 0, or 1 if it throws).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <span>

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

// One row of the table: the subcommand's name (what setup adds) and its setup.
struct Command {
  const char* name;
  SetupFn setup;
};

// Every subcommand, in the order `glass --help` lists them (commands.cpp).
std::span<const Command> commands();

}  // namespace glass::cli
