// Privilege: what an unprivileged user may do with glass inside a user
// namespace of its own, and what it may not do to namespaces it does not
// own. Every rule is tried from a child that drops to uid 65534 and then
// becomes root of a fresh user + network namespace (`unshare -Urn`), as any
// local user can on Debian 12.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>

#include "glass/error.hpp"
#include "glass/netlink.hpp"
#include "hostile.hpp"

namespace hostile {
namespace {

// Drops to uid/gid 65534 and enters a new user + network namespace whose
// root is that user. Returns 0, or the step that failed (with errno).
int become_userns_root() {
  if (!become_nobody()) return 1;
  // A process that changed its uid is not dumpable, which makes its
  // /proc/self files root's: uid_map could not be written.
  if (::prctl(PR_SET_DUMPABLE, 1) != 0) return 1;
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) return 2;
  if (!write_file("/proc/self/uid_map", "0 65534 1")) return 3;
  if (!write_file("/proc/self/setgroups", "deny")) return 4;
  if (!write_file("/proc/self/gid_map", "0 65534 1")) return 5;
  return 0;
}

// Sends RTM_NEWLINK for req; returns 0 or the positive errno of the ACK.
int link_add(const glass::LinkAddRequest& req) {
  try {
    glass::Netlink nl;
    char buf[glass::kNetlinkBufSize];
    nl.request(glass::build_link_add(buf, req, 1), "RTM_NEWLINK");
    return 0;
  } catch (const glass::Error& e) {
    return e.code();
  }
}

// Runs body in a child that became root of its own user namespace; the
// child's exit status is body's return value (a bitmask of failed rules).
int as_userns_root(const std::function<int()>& body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (const int step = become_userns_root()) {
      std::fprintf(stderr, "becoming root of a user namespace failed at step %d: %s\n", step,
                   std::strerror(errno));
      ::_exit(200 + step);
    }
    ::_exit(body());
  }
  int st = 0;
  if (pid < 0 || ::waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) return 255;
  return WEXITSTATUS(st);
}

bool has_link(const std::string& ns, const std::string& name) {
  const std::string in = ns.empty() ? "" : "-n " + ns + " ";
  return gt::sh("/usr/sbin/ip " + in + "link show " + name + " >/dev/null 2>&1") == 0;
}

TEST(Privilege, OwnNamespaceDevicesSocketsAndSysctlsWork) {
  const int bad = as_userns_root([] {
    int b = 0;
    if (link_add({.name = "own0"}) != 0) b |= 1;
    if (link_add({.name = "pa", .peer = "pb"}) != 0) b |= 2;
    if (gt::sh("/usr/sbin/ip addr add 10.7.9.1/24 dev own0 && /usr/sbin/ip link set own0 up") != 0)
      b |= 4;
    // A connection over its own device carries bytes.
    const int l = ::socket(AF_GLASS, SOCK_STREAM, 0);
    const int c = ::socket(AF_GLASS, SOCK_STREAM, 0);
    sockaddr_glass a = gt::addr("10.7.9.1", 7000);
    auto* sa = reinterpret_cast<sockaddr*>(&a);
    char out[] = "over glass", in[sizeof(out)] = {};
    if (::bind(l, sa, sizeof(a)) != 0 || ::listen(l, 1) != 0 || ::connect(c, sa, sizeof(a)) != 0)
      b |= 8;
    const int s = ::accept(l, nullptr, nullptr);
    if (s < 0 || ::write(c, out, sizeof(out)) != sizeof(out) ||
        ::read(s, in, sizeof(in)) != sizeof(in) || std::memcmp(in, out, sizeof(in)) != 0)
      b |= 16;
    // Its namespace's tunables are its own to set.
    if (!write_file("/proc/sys/net/glass/time_wait_ms", "1234")) b |= 32;
    std::ifstream f("/proc/sys/net/glass/time_wait_ms");
    int v = 0;
    f >> v;
    if (v != 1234) b |= 64;
    return b;
  });
  EXPECT_EQ(bad, 0) << "1 loopback device, 2 pair in own netns, 4 ip addr/up, 8 listen/connect, "
                       "16 data, 32 sysctl write, 64 sysctl value, 201-205 setuid/unshare/maps";
}

// The peer of a pair may not be planted in a namespace the caller does not
// administer: not by fd, not by pid; and nothing is left behind.
TEST(Privilege, PeerInAnotherNamespaceIsRefused) {
  gt::Netns victim("victim" + std::to_string(::getpid()));
  const Fd victim_fd(::open(("/run/netns/" + victim.name()).c_str(), O_RDONLY | O_CLOEXEC));
  const Fd init_fd(::open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(victim_fd);
  ASSERT_TRUE(init_fd);
  const int vfd = victim_fd.get(), ifd = init_fd.get();
  const int bad = as_userns_root([vfd, ifd] {
    int b = 0;
    if (link_add({.name = "sx0", .peer = "sxv", .peer_netns_fd = vfd}) != EPERM) b |= 1;
    if (link_add({.name = "sx1", .peer = "sxi", .peer_netns_fd = ifd}) != EPERM) b |= 2;
    if (link_add({.name = "sx2", .peer = "sxp", .peer_netns_pid = 1}) != EPERM) b |= 4;
    // Nothing half-made stays in its own namespace either.
    for (const char* n : {"sx0", "sx1", "sx2"})
      if (has_link("", n)) b |= 8;
    // Its own device may not be moved out to the host.
    if (link_add({.name = "own1"}) != 0) b |= 16;
    if (gt::sh("/usr/sbin/ip link set own1 netns 1 2>/dev/null") == 0) b |= 32;
    return b;
  });
  EXPECT_EQ(bad, 0) << "1 peer by fd into a root netns, 2 peer by fd into init_net, 4 peer by "
                       "pid 1, 8 half-made device left, 16 own device, 32 moved to init_net";
  for (const char* n : {"sxv", "sxi", "sxp", "own1"}) {
    EXPECT_FALSE(has_link(victim.name(), n)) << n << " appeared in the victim namespace";
    EXPECT_FALSE(has_link("", n)) << n << " appeared in init_net";
  }
}

// Without a user namespace, a plain user changes nothing of the host's.
TEST(Privilege, PlainUserCannotCreateDevicesOrWriteSysctls) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int b = 0;
    if (!become_nobody()) ::_exit(200);
    if (link_add({.name = "plain0"}) != EPERM) b |= 1;
    if (write_file("/proc/sys/net/glass/time_wait_ms", "1")) b |= 2;
    ::_exit(b);
  }
  int st = 0;
  ASSERT_EQ(::waitpid(pid, &st, 0), pid);
  ASSERT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 0) << "1 device created, 2 sysctl written";
  EXPECT_FALSE(has_link("", "plain0"));
}

}  // namespace
}  // namespace hostile
