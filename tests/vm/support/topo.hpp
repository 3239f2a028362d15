// The guest suites' topologies: namespaces, glass devices and addresses
// made in-process with unshare(), bind mounts and rtnetlink, in a few
// milliseconds (spawning `ip` and `glass` took about 2 s per test under
// TCG). The namespaces are named under /run/netns like `ip netns add`
// makes them, so gt::InNetns and `ip netns exec` work on them unchanged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace gt {

// A named network namespace, made without spawning a process (as `ip
// netns add` would: loopback up), deleted (unmounted and unlinked) on
// destruction. Without a name it gets a unique one.
class Netns {
 public:
  Netns();
  explicit Netns(std::string name);
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;
  const std::string& name() const { return name_; }
  // Runs a shell command inside the namespace (ip netns exec), failing the
  // test if it does not exit 0.
  void run(const std::string& cmd) const;
  // Runs fn on a thread inside the namespace and waits for it.
  void exec(const std::function<void()>& fn) const;
  // `tc qdisc add dev DEV root netem ARGS` inside the namespace (netem_add).
  void netem(const std::string& dev, const std::string& args) const;

 private:
  std::string name_;
};

// Rtnetlink helpers, acting on the calling thread's namespace; each fails
// the test on error and returns 0, or -errno.
int link_add_glass_loopback(const std::string& name);
// A loopback glass device with ip/24, up (the calling thread's namespace).
void glass_loopback_up(const std::string& name, const std::string& ip);
int link_add_glass_pair(const std::string& name, const std::string& peer, int peer_netns_fd);
int link_set(const std::string& name, bool up);
inline int link_set_up(const std::string& name) {
  return link_set(name, true);
}
// ip link set NAME txqueuelen FRAMES.
int link_set_txqueuelen(const std::string& name, uint32_t frames);
int addr_add(const std::string& dev, const std::string& ip, int prefix);
int addr_del(const std::string& dev, const std::string& ip, int prefix);
// The metrics of a route, as `ip route` sets them (0 or false leaves one
// out; rto_min is locked, as ip locks it).
struct RouteMetrics {
  uint32_t initcwnd = 0;
  uint32_t rto_min_ms = 0;
  uint32_t advmss = 0;
  bool quickack = false;
};
// ip route add IP/32 dev DEV [initcwnd N] [rto_min Tms] [advmss N]
// [quickack 1].
int route_add_host(const std::string& dev, const std::string& ip, const RouteMetrics& metrics);
// The device's counters (IFLA_STATS64), as `ip -s link` shows them.
struct LinkStats {
  uint64_t rx_packets = 0, tx_packets = 0, rx_bytes = 0, tx_bytes = 0, rx_dropped = 0,
           tx_dropped = 0;
};
LinkStats link_stats(const std::string& name);
// The device's operational state (IF_OPER_*), -1 if unknown.
int link_operstate(const std::string& name);
// tc netem as the root qdisc of a device, made without spawning `ip netns
// exec` and `tc` (three programs, seconds each in the debug kernel): ARGS
// are tc's (`delay 10ms [5ms]`, `loss 5%`, `reorder 25% [50%]`,
// `duplicate 5%`, `corrupt 2%`, `limit N`; a second percentage is the
// correlation). netem_add fails if a root qdisc is there already, as `tc
// qdisc add` does; netem_replace replaces it; qdisc_del_root deletes it
// (-ENOENT if there is none, unchecked).
int netem_add(const std::string& dev, const std::string& args);
int netem_replace(const std::string& dev, const std::string& args);
int qdisc_del_root(const std::string& dev);
// Waits until the device is operationally up: linkwatch has run and the
// qdisc is attached (until then transmitted frames are dropped).
bool wait_oper_up(const std::string& name, int ms = 5000);

// A loopback glass device glass0 with 10.7.9.1/24 in a fresh namespace
// without IPv6 (frame counts are glass's own).
class Loopback {
 public:
  Loopback();
  const Netns& ns() const { return ns_; }
  static constexpr const char* kAddr = "10.7.9.1";

 private:
  Netns ns_;
};

// Two namespaces joined by a glass pair: h1 holds ga (10.7.0.1/24), h2
// holds gb (10.7.0.2/24), both operationally up (every frame counts), no
// IPv6 in either.
class Pair {
 public:
  Pair();
  const Netns& h1() const { return h1_; }
  const Netns& h2() const { return h2_; }
  static constexpr const char* kAddr1 = "10.7.0.1";
  static constexpr const char* kAddr2 = "10.7.0.2";

 private:
  Netns h1_;
  Netns h2_;
};

}  // namespace gt
