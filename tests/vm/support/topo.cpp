// Fast topologies for the socket suite; see topo.hpp.
#include "topo.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/glass.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>  // before the linux/ headers, which would clash
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <sstream>
#include <thread>
#include <vector>

#include "support.hpp"

namespace gt {

namespace {

// A netlink request under construction.
struct Msg {
  alignas(NLMSG_ALIGNTO) char buf[2048] = {};
  nlmsghdr* h = reinterpret_cast<nlmsghdr*>(buf);

  Msg(uint16_t type, uint16_t flags) {
    h->nlmsg_len = NLMSG_LENGTH(0);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    h->nlmsg_seq = 1;
  }
  void* tail() { return buf + NLMSG_ALIGN(h->nlmsg_len); }
  void put(const void* data, size_t len) {
    memcpy(tail(), data, len);
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + static_cast<uint32_t>(len);
  }
  rtattr* attr(uint16_t type, const void* data, size_t len) {
    auto* a = static_cast<rtattr*>(tail());
    a->rta_type = type;
    a->rta_len = static_cast<uint16_t>(RTA_LENGTH(len));
    if (len) memcpy(RTA_DATA(a), data, len);
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
    return a;
  }
  rtattr* attr_str(uint16_t type, const std::string& s) {
    return attr(type, s.c_str(), s.size() + 1);
  }
  rtattr* begin(uint16_t type) { return attr(type, nullptr, 0); }
  void end(rtattr* a) {
    a->rta_len = static_cast<uint16_t>(static_cast<char*>(tail()) - reinterpret_cast<char*>(a));
  }
};

// Sends the request and returns the kernel's answer (0 or -errno).
int talk(Msg& m) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return -errno;
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  int rc = -EIO;
  if (sendto(fd, m.buf, m.h->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) < 0) {
    rc = -errno;
  } else {
    alignas(NLMSG_ALIGNTO) char reply[8192];
    ssize_t n = recv(fd, reply, sizeof(reply), 0);
    if (n < 0) {
      rc = -errno;
    } else {
      for (auto* h = reinterpret_cast<nlmsghdr*>(reply); NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
        if (h->nlmsg_type == NLMSG_ERROR) {
          rc = static_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
          break;
        }
      }
    }
  }
  close(fd);
  return rc;
}

int checked(int rc, const std::string& what) {
  if (rc != 0) ADD_FAILURE() << what << ": " << strerror(-rc);
  return rc;
}

// A test that fails on a dead connection must report EPIPE, not kill the
// whole binary; tests that count SIGPIPE install their own handler.
const bool kSigpipeIgnored = [] {
  signal(SIGPIPE, SIG_IGN);
  return true;
}();

// No IPv6 autoconfiguration noise (router solicitations) on glass devices
// made from now on in the calling thread's namespace: frame counts must be
// exactly glass's own.
void no_ipv6() {
  for (const char* f : {"/proc/sys/net/ipv6/conf/all/disable_ipv6",
                        "/proc/sys/net/ipv6/conf/default/disable_ipv6"}) {
    int fd = open(f, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      if (write(fd, "1", 1) != 1) ADD_FAILURE() << "write " << f;
      close(fd);
    }
  }
}

std::string unique_name() {
  static std::atomic<int> n{0};
  return "gt" + std::to_string(getpid()) + "_" + std::to_string(n++);
}

}  // namespace

int link_add_glass_loopback(const std::string& name) {
  Msg m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  m.put(&ifi, sizeof(ifi));
  m.attr_str(IFLA_IFNAME, name);
  rtattr* li = m.begin(IFLA_LINKINFO);
  m.attr_str(IFLA_INFO_KIND, "glass");
  m.end(li);
  return checked(talk(m), "link add " + name + " type glass");
}

int link_add_glass_pair(const std::string& name, const std::string& peer, int peer_netns_fd) {
  Msg m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  m.put(&ifi, sizeof(ifi));
  m.attr_str(IFLA_IFNAME, name);
  rtattr* li = m.begin(IFLA_LINKINFO);
  m.attr_str(IFLA_INFO_KIND, "glass");
  rtattr* data = m.begin(IFLA_INFO_DATA);
  rtattr* p = m.begin(GLASS_INFO_PEER);
  m.put(&ifi, sizeof(ifi));
  m.attr_str(IFLA_IFNAME, peer);
  uint32_t nsfd = static_cast<uint32_t>(peer_netns_fd);
  m.attr(IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
  m.end(p);
  m.end(data);
  m.end(li);
  return checked(talk(m), "glass link add " + name + " peer " + peer);
}

int link_set(const std::string& name, bool up) {
  Msg m(RTM_NEWLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = static_cast<int>(if_nametoindex(name.c_str()));
  ifi.ifi_flags = up ? IFF_UP : 0;
  ifi.ifi_change = IFF_UP;
  if (!ifi.ifi_index) return checked(-ENODEV, "link set " + name);
  m.put(&ifi, sizeof(ifi));
  return checked(talk(m), "link set " + name + (up ? " up" : " down"));
}

int link_set_txqueuelen(const std::string& name, uint32_t frames) {
  Msg m(RTM_NEWLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = static_cast<int>(if_nametoindex(name.c_str()));
  if (!ifi.ifi_index) return checked(-ENODEV, "link set " + name);
  m.put(&ifi, sizeof(ifi));
  m.attr(IFLA_TXQLEN, &frames, sizeof(frames));
  return checked(talk(m), "link set " + name + " txqueuelen " + std::to_string(frames));
}

namespace {

int addr_change(uint16_t type, uint16_t flags, const std::string& dev, const std::string& ip,
                int prefix) {
  Msg m(type, flags);
  ifaddrmsg ifa{};
  ifa.ifa_family = AF_INET;
  ifa.ifa_prefixlen = static_cast<uint8_t>(prefix);
  ifa.ifa_index = if_nametoindex(dev.c_str());
  if (!ifa.ifa_index) return checked(-ENODEV, "addr add dev " + dev);
  m.put(&ifa, sizeof(ifa));
  in_addr a{};
  inet_pton(AF_INET, ip.c_str(), &a);
  m.attr(IFA_LOCAL, &a, sizeof(a));
  m.attr(IFA_ADDRESS, &a, sizeof(a));
  return checked(talk(m), (type == RTM_NEWADDR ? "addr add " : "addr del ") + ip + " dev " + dev);
}

}  // namespace

int addr_add(const std::string& dev, const std::string& ip, int prefix) {
  return addr_change(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, dev, ip, prefix);
}

int addr_del(const std::string& dev, const std::string& ip, int prefix) {
  return addr_change(RTM_DELADDR, 0, dev, ip, prefix);
}

int route_add_host(const std::string& dev, const std::string& ip, const RouteMetrics& metrics) {
  Msg m(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  rtmsg rt{};
  rt.rtm_family = AF_INET;
  rt.rtm_dst_len = 32;
  rt.rtm_table = RT_TABLE_MAIN;
  rt.rtm_protocol = RTPROT_BOOT;
  rt.rtm_scope = RT_SCOPE_LINK;
  rt.rtm_type = RTN_UNICAST;
  m.put(&rt, sizeof(rt));
  in_addr a{};
  inet_pton(AF_INET, ip.c_str(), &a);
  m.attr(RTA_DST, &a, sizeof(a));
  const uint32_t oif = if_nametoindex(dev.c_str());
  if (!oif) return checked(-ENODEV, "route add dev " + dev);
  m.attr(RTA_OIF, &oif, sizeof(oif));
  rtattr* nest = m.begin(RTA_METRICS);
  const auto metric = [&m](uint16_t type, uint32_t value) {
    if (value) m.attr(type, &value, sizeof(value));
  };
  metric(RTAX_INITCWND, metrics.initcwnd);
  metric(RTAX_RTO_MIN, metrics.rto_min_ms);
  metric(RTAX_LOCK, metrics.rto_min_ms ? 1U << RTAX_RTO_MIN : 0);
  metric(RTAX_ADVMSS, metrics.advmss);
  metric(RTAX_QUICKACK, metrics.quickack ? 1 : 0);
  m.end(nest);
  return checked(talk(m), "route add " + ip + " dev " + dev);
}

namespace {

// tc's percentage ("25%") as netem's probability: a share of 2^32 - 1.
bool netem_percent(const std::string& t, uint32_t* out) {
  if (t.empty() || t.back() != '%') return false;
  const double p = std::stod(t.substr(0, t.size() - 1));
  if (p < 0 || p > 100) return false;
  *out = static_cast<uint32_t>(std::llround(p / 100.0 * UINT32_MAX));
  return true;
}

// tc's time ("10ms", "500us", "1s") in nanoseconds.
bool netem_time(const std::string& t, int64_t* ns) {
  size_t end = 0;
  double v = 0;
  try {
    v = std::stod(t, &end);
  } catch (const std::exception&) {
    return false;
  }
  const std::string unit = t.substr(end);
  const double scale = unit == "s" ? 1e9 : unit == "ms" ? 1e6 : unit == "us" ? 1e3 : 0;
  if (scale == 0 || v < 0) return false;
  *ns = std::llround(v * scale);
  return true;
}

// The netem options tc would send for ARGS (tc's q_netem.c): the fixed
// tc_netem_qopt, then attributes. Reordering needs a gap of 1, as tc sets.
bool netem_options(Msg& m, const std::string& args) {
  std::vector<std::string> w;
  std::istringstream in(args);
  for (std::string t; in >> t;) w.push_back(t);
  tc_netem_qopt q{};
  q.limit = 1000;
  tc_netem_corr corr{};
  tc_netem_reorder reorder{};
  tc_netem_corrupt corrupt{};
  int64_t latency = 0, jitter = 0;
  bool has_corr = false;
  // An optional second percentage after w[i] (a correlation): read into c.
  auto second = [&](size_t& i, uint32_t* c) {
    const bool there = i + 1 < w.size() && netem_percent(w[i + 1], c);
    if (there) i++;
    return there;
  };
  for (size_t i = 0; i < w.size(); i++) {
    const std::string& k = w[i];
    const bool more = i + 1 < w.size();
    if (k == "delay" && more && netem_time(w[++i], &latency)) {
      if (i + 1 < w.size() && netem_time(w[i + 1], &jitter)) i++;
    } else if (k == "loss" && more && netem_percent(w[++i], &q.loss)) {
      has_corr |= second(i, &corr.loss_corr);
    } else if (k == "duplicate" && more && netem_percent(w[++i], &q.duplicate)) {
      has_corr |= second(i, &corr.dup_corr);
    } else if (k == "reorder" && more && netem_percent(w[++i], &reorder.probability)) {
      second(i, &reorder.correlation);
    } else if (k == "corrupt" && more && netem_percent(w[++i], &corrupt.probability)) {
      second(i, &corrupt.correlation);
    } else if (k == "limit" && more) {
      q.limit = static_cast<uint32_t>(std::stoul(w[++i]));
    } else {
      ADD_FAILURE() << "netem: cannot read '" << k << "' in '" << args << "'";
      return false;
    }
  }
  if (reorder.probability) {
    if (!latency) {
      ADD_FAILURE() << "netem: reordering needs a delay ('" << args << "')";
      return false;
    }
    q.gap = 1;
  }
  rtattr* opts = m.begin(TCA_OPTIONS);
  m.put(&q, sizeof(q));
  if (has_corr) m.attr(TCA_NETEM_CORR, &corr, sizeof(corr));
  if (reorder.probability) m.attr(TCA_NETEM_REORDER, &reorder, sizeof(reorder));
  if (corrupt.probability) m.attr(TCA_NETEM_CORRUPT, &corrupt, sizeof(corrupt));
  if (latency) m.attr(TCA_NETEM_LATENCY64, &latency, sizeof(latency));
  if (jitter) m.attr(TCA_NETEM_JITTER64, &jitter, sizeof(jitter));
  m.end(opts);
  return true;
}

// RTM_NEWQDISC / RTM_DELQDISC for the root qdisc of DEV; WHAT (tc's
// command) names it in a failure.
int root_qdisc(uint16_t type, uint16_t flags, const std::string& dev, const std::string* netem,
               const std::string& what) {
  Msg m(type, flags);
  tcmsg tc{};
  tc.tcm_family = AF_UNSPEC;
  tc.tcm_ifindex = static_cast<int>(if_nametoindex(dev.c_str()));
  tc.tcm_parent = TC_H_ROOT;
  if (!tc.tcm_ifindex) return checked(-ENODEV, what);
  m.put(&tc, sizeof(tc));
  if (netem) {
    m.attr_str(TCA_KIND, "netem");
    if (!netem_options(m, *netem)) return -EINVAL;
  }
  return talk(m);
}

// `tc qdisc VERB dev DEV root netem ARGS`, checked.
int netem_root(const char* verb, uint16_t flags, const std::string& dev, const std::string& args) {
  const std::string what = std::string("tc qdisc ") + verb + " dev " + dev + " root netem " + args;
  return checked(root_qdisc(RTM_NEWQDISC, NLM_F_CREATE | flags, dev, &args, what), what);
}

}  // namespace

int netem_add(const std::string& dev, const std::string& args) {
  return netem_root("add", NLM_F_EXCL, dev, args);
}

int netem_replace(const std::string& dev, const std::string& args) {
  return netem_root("replace", NLM_F_REPLACE, dev, args);
}

int qdisc_del_root(const std::string& dev) {
  return root_qdisc(RTM_DELQDISC, 0, dev, nullptr, "tc qdisc del dev " + dev + " root");
}

namespace {

// One RTM_GETLINK answer: the counters and the operational state.
bool link_query(const std::string& name, LinkStats* stats, int* operstate) {
  Msg m(RTM_GETLINK, 0);
  m.h->nlmsg_flags = NLM_F_REQUEST;
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = static_cast<int>(if_nametoindex(name.c_str()));
  if (!ifi.ifi_index) {
    ADD_FAILURE() << "no device " << name;
    return false;
  }
  m.put(&ifi, sizeof(ifi));
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  alignas(NLMSG_ALIGNTO) static thread_local char reply[32768];
  ssize_t n = -1;
  if (sendto(fd, m.buf, m.h->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) >= 0)
    n = recv(fd, reply, sizeof(reply), 0);
  close(fd);
  for (auto* h = reinterpret_cast<nlmsghdr*>(reply); n > 0 && NLMSG_OK(h, n);
       h = NLMSG_NEXT(h, n)) {
    if (h->nlmsg_type != RTM_NEWLINK) continue;
    auto* info = static_cast<ifinfomsg*>(NLMSG_DATA(h));
    int len = static_cast<int>(IFLA_PAYLOAD(h));
    for (auto* a = IFLA_RTA(info); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
      if (a->rta_type == IFLA_OPERSTATE) {
        *operstate = *static_cast<uint8_t*>(RTA_DATA(a));
      } else if (a->rta_type == IFLA_STATS64) {
        rtnl_link_stats64 s{};
        memcpy(&s, RTA_DATA(a), std::min<size_t>(sizeof(s), RTA_PAYLOAD(a)));
        stats->rx_packets = s.rx_packets;
        stats->tx_packets = s.tx_packets;
        stats->rx_bytes = s.rx_bytes;
        stats->tx_bytes = s.tx_bytes;
        stats->rx_dropped = s.rx_dropped;
        stats->tx_dropped = s.tx_dropped;
      }
    }
    return true;
  }
  ADD_FAILURE() << "no RTM_NEWLINK answer for " << name;
  return false;
}

}  // namespace

LinkStats link_stats(const std::string& name) {
  LinkStats s;
  int op = -1;
  link_query(name, &s, &op);
  return s;
}

int link_operstate(const std::string& name) {
  LinkStats s;
  int op = -1;
  link_query(name, &s, &op);
  return op;
}

bool wait_oper_up(const std::string& name, int ms) {
  constexpr int kOperUp = 6;  // IF_OPER_UP; <linux/if.h> clashes with <net/if.h>
  bool up = wait_until([&] { return link_operstate(name) == kOperUp; }, ms);
  if (!up) ADD_FAILURE() << name << " did not come up (operstate " << link_operstate(name) << ")";
  return up;
}

Netns::Netns() : Netns(unique_name()) {}

Netns::Netns(std::string name) : name_(std::move(name)) {
  std::string path = "/run/netns/" + name_;
  int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd < 0) {
    ADD_FAILURE() << "create " << path << ": " << strerror(errno);
    return;
  }
  close(fd);
  std::thread t([&] {
    if (unshare(CLONE_NEWNET) != 0) {
      ADD_FAILURE() << "unshare(CLONE_NEWNET): " << strerror(errno);
      return;
    }
    if (mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) != 0) {
      ADD_FAILURE() << "bind mount " << path << ": " << strerror(errno);
      return;
    }
    link_set_up("lo");
  });
  t.join();
}

Netns::~Netns() {
  std::string path = "/run/netns/" + name_;
  umount2(path.c_str(), MNT_DETACH);
  unlink(path.c_str());
}

void Netns::run(const std::string& cmd) const {
  must("/usr/sbin/ip netns exec " + name_ + " " + cmd);
}

void Netns::netem(const std::string& dev, const std::string& args) const {
  exec([&] { netem_add(dev, args); });
}

void Netns::exec(const std::function<void()>& fn) const {
  std::thread t([&] {
    InNetns in(name_);
    fn();
  });
  t.join();
}

void glass_loopback_up(const std::string& name, const std::string& ip) {
  link_add_glass_loopback(name);
  addr_add(name, ip, 24);
  // Carrier is on before __dev_open() attaches the qdisc: no wait.
  link_set_up(name);
}

Loopback::Loopback() {
  ns_.exec([] {
    no_ipv6();
    glass_loopback_up("glass0", kAddr);
  });
}

Pair::Pair() {
  int h2fd = open(("/run/netns/" + h2_.name()).c_str(), O_RDONLY | O_CLOEXEC);
  if (h2fd < 0) ADD_FAILURE() << "open netns " << h2_.name();
  h2_.exec(no_ipv6);
  h1_.exec([&] {
    no_ipv6();
    link_add_glass_pair("ga", "gb", h2fd);
    addr_add("ga", kAddr1, 24);
    link_set_up("ga");
  });
  if (h2fd >= 0) close(h2fd);
  h2_.exec([] {
    addr_add("gb", kAddr2, 24);
    link_set_up("gb");
    wait_oper_up("gb");
  });
  // ga came up without carrier (gb was down), so its qdisc is attached
  // only when linkwatch runs, up to a second later; frames sent before
  // that are dropped. Wait, so that every frame of a test counts.
  h1_.exec([] { wait_oper_up("ga"); });
}

}  // namespace gt
