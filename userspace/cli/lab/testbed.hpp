// glass lab/perf: the hosts a measurement runs on. Two network namespaces
// joined by a glass pair (10.7.0.1 ga <-> 10.7.0.2 gb) and, optionally, a
// veth pair (10.8.0.1 va <-> 10.8.0.2 vb) for TCP to compare against.
// Threads enter a namespace with NetnsGuard; a socket keeps the namespace it
// was created in, so one process can hold both ends of a connection.
#pragma once

#include "netns.hpp"

#include <glass/fd.hpp>

#include <string>
#include <vector>

namespace glass::cli {

inline constexpr const char* kIpTool = "/usr/sbin/ip";
inline constexpr const char* kTcTool = "/usr/sbin/tc";

// Runs argv[0] with its arguments (no shell) and waits; throws Error naming
// the command when it cannot start or exits non-zero. stdout is discarded
// unless keep_stdout; stderr passes through.
void run_tool(const std::vector<std::string>& argv, bool keep_stdout = false);

// What the testbed builds.
struct TestbedSpec {
  std::string tag = "lab";  // namespace names: glass-<tag>-<pid>-{a,b}
  bool veth = false;        // also the 10.8.0.x veth pair
  int mtu = 0;              // MTU of every device of both pairs (0: the default, 1500)
};

// The two hosts, removed (namespaces deleted) on destruction.
class Testbed {
 public:
  static constexpr const char* kGlassA = "10.7.0.1";
  static constexpr const char* kGlassB = "10.7.0.2";
  static constexpr const char* kVethA = "10.8.0.1";
  static constexpr const char* kVethB = "10.8.0.2";
  static constexpr const char* kDevA = "ga";
  static constexpr const char* kDevB = "gb";

  explicit Testbed(const TestbedSpec& spec);
  ~Testbed();
  Testbed(const Testbed&) = delete;
  Testbed& operator=(const Testbed&) = delete;

  const std::string& a() const { return a_; }
  const std::string& b() const { return b_; }

  // Writes /proc/sys/net/glass/<name> in namespace ns.
  void sysctl(const std::string& ns, const std::string& name, int value) const;
  // `tc qdisc replace dev DEV root netem ARGS...` in namespace ns.
  void netem(const std::string& ns, const std::string& dev,
             const std::vector<std::string>& args) const;
  // Removes the root qdisc of dev (ignores "nothing to delete").
  void clear_qdisc(const std::string& ns, const std::string& dev) const;
  // The MTU device dev in namespace ns has now (SIOCGIFMTU).
  int mtu(const std::string& ns, const std::string& dev) const;

 private:
  void create(const TestbedSpec& spec);
  void destroy() noexcept;
  std::string a_, b_;
  bool made_a_ = false, made_b_ = false;
};

}  // namespace glass::cli
