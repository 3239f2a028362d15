// glass CLI: running in another network namespace (`-n NS`, the lab's and
// perf's hosts) and the root check of the subcommands that build namespaces.
#pragma once

#include <glass/fd.hpp>

#include <string>

namespace glass::cli {

// /run/netns/NAME for a bare name (made by `ip netns add NAME`), else NAME.
std::string netns_path(const std::string& name);

// Throws Error(EPERM) with `what` and a hint unless the process is root.
void require_root(const std::string& what);

// Switches the calling thread into a network namespace (by /run/netns name
// or path) and back on destruction. An empty name stays where it is.
class NetnsGuard {
 public:
  explicit NetnsGuard(const std::string& name);
  ~NetnsGuard();
  NetnsGuard(const NetnsGuard&) = delete;
  NetnsGuard& operator=(const NetnsGuard&) = delete;

 private:
  Fd saved_;
};

}  // namespace glass::cli
