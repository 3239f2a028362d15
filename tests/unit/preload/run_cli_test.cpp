// glass run: option parsing, the environment it gives the program, finding
// the preload library, telling static programs apart.
#include "run.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../lib/cli_parse.hpp"

namespace gc = glass::cli;
using glass::cli::parse_util::parse;

namespace {

std::string env_value(const std::vector<std::pair<std::string, std::string>>& env,
                      const std::string& name) {
  for (const auto& [n, v] : env) {
    if (n == name) return v;
  }
  ADD_FAILURE() << name << " not set";
  return "";
}

}  // namespace

TEST(RunEnvironment, DefaultsAndNets) {
  gc::RunOptions o;
  auto env = gc::run_environment(o, "/x/libglass_preload.so", nullptr);
  EXPECT_EQ(env_value(env, "LD_PRELOAD"), "/x/libglass_preload.so");
  EXPECT_EQ(env_value(env, "GLASS_NETS"), "");  // unset: the routing rule
  EXPECT_EQ(env_value(env, "GLASS_WILDCARD"), "glass");
  EXPECT_EQ(env_value(env, "GLASS_RUN_VERBOSE"), "");
  o.nets = "10.7.0.0/24";
  o.wildcard = "tcp";
  o.verbose = true;
  env = gc::run_environment(o, "/x/libglass_preload.so", nullptr);
  EXPECT_EQ(env_value(env, "GLASS_NETS"), "10.7.0.0/24");
  EXPECT_EQ(env_value(env, "GLASS_WILDCARD"), "tcp");
  EXPECT_EQ(env_value(env, "GLASS_RUN_VERBOSE"), "1");
}

TEST(RunEnvironment, KeepsAnotherPreloadAndLoadsOursOnce) {
  const gc::RunOptions o;
  const std::string lib = "/x/libglass_preload.so";
  EXPECT_EQ(env_value(gc::run_environment(o, lib, "/y/libother.so"), "LD_PRELOAD"),
            lib + ":/y/libother.so");
  EXPECT_EQ(env_value(gc::run_environment(o, lib, (lib + " /y/a.so").c_str()), "LD_PRELOAD"),
            lib + ":/y/a.so");
  EXPECT_EQ(env_value(gc::run_environment(o, lib, ""), "LD_PRELOAD"), lib);
}

TEST(RunCli, ParsesCommandAfterDoubleDash) {
  const auto r = parse({"run", "--nets", "10.7.0.0/24", "--", "curl", "-s", "http://x/"});
  EXPECT_FALSE(r.rc.has_value()) << r.err;
}

TEST(RunCli, ParsesCommandWithoutDoubleDash) {
  const auto r = parse({"run", "python3", "-c", "print(1)"});
  EXPECT_FALSE(r.rc.has_value()) << r.err;
}

TEST(RunCli, RefusesBadNetsAndWildcard) {
  auto r = parse({"run", "--nets", "10.7.0.1/24", "--", "true"});
  EXPECT_EQ(r.rc, gc::kExitUsage);
  EXPECT_NE(r.err.find("host bits set"), std::string::npos) << r.err;
  r = parse({"run", "--wildcard", "udp", "--", "true"});
  EXPECT_EQ(r.rc, gc::kExitUsage);
  r = parse({"run"});
  EXPECT_EQ(r.rc, gc::kExitUsage);
}

TEST(FindPreload, NextToTheBinaryOrFromTheEnvironment) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("glass-run-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir / "bin");
  std::filesystem::create_directories(dir / "lib");
  unsetenv("GLASS_PRELOAD");
  EXPECT_FALSE(gc::find_preload_library((dir / "bin/glass").string()));
  std::ofstream(dir / "lib/libglass_preload.so") << "x";
  EXPECT_EQ(gc::find_preload_library((dir / "bin/glass").string()),
            (dir / "lib/libglass_preload.so").string());
  setenv("GLASS_PRELOAD", "/nonexistent/libglass_preload.so", 1);
  EXPECT_FALSE(gc::find_preload_library((dir / "bin/glass").string()));
  unsetenv("GLASS_PRELOAD");
  std::filesystem::remove_all(dir);
}

TEST(StaticElf, BusyboxIsStaticShIsNot) {
  if (access("/bin/busybox", R_OK) == 0) {
    EXPECT_TRUE(gc::is_static_elf("/bin/busybox"));
  }
  EXPECT_FALSE(gc::is_static_elf("/bin/ls"));
  EXPECT_FALSE(gc::is_static_elf("/etc/passwd"));
  EXPECT_FALSE(gc::is_static_elf("/nonexistent"));
}

TEST(FindOnPath, LikeExecvp) {
  EXPECT_EQ(gc::find_on_path("/bin/ls"), "/bin/ls");
  EXPECT_FALSE(gc::find_on_path("ls").empty());
  EXPECT_EQ(gc::find_on_path("no-such-program-glass"), "");
}
