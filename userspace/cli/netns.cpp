// NetnsGuard and require_root: a thread enters a named network namespace
// with setns(2) and leaves it on scope exit.
#include "netns.hpp"

#include <glass/error.hpp>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>

namespace glass::cli {

std::string netns_path(const std::string& name) {
  return name.find('/') == std::string::npos ? "/run/netns/" + name : name;
}

void require_root(const std::string& what) {
  if (::geteuid() == 0) return;
  throw Error(what, EPERM, "needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN for namespaces)",
              "run as root (sudo)");
}

NetnsGuard::NetnsGuard(const std::string& name) {
  if (name.empty()) return;
  saved_ = Fd::open("/proc/thread-self/ns/net", O_RDONLY);
  Fd target;
  try {
    target = Fd::open(netns_path(name), O_RDONLY);
  } catch (const Error& e) {
    if (e.code() != ENOENT) throw;
    // Say what is missing and how it is made, as glass link add does.
    throw Error("netns " + name, ENOENT, "no such network namespace (ip netns add " + name + ")");
  }
  if (::setns(target.get(), CLONE_NEWNET) != 0) throw_errno("setns(" + name + ")", errno);
}

NetnsGuard::~NetnsGuard() {
  if (saved_) (void)::setns(saved_.get(), CLONE_NEWNET);
}

}  // namespace glass::cli
