// Testbed: namespaces, a glass pair and a veth pair, built with the library's
// rtnetlink request (glass link) and iproute2 (addresses, veth, netem).
#include "testbed.hpp"

#include <glass/error.hpp>
#include <glass/netlink.hpp>

#include <fcntl.h>
#include <net/if.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>

extern char** environ;

namespace glass::cli {
namespace {

std::string join(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// Reads what the child wrote to fd until EOF.
std::string drain(int fd) {
  std::string out;
  std::array<char, 512> buf{};
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n > 0) {
      out.append(buf.data(), static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

void run_tool(const std::vector<std::string>& argv, bool keep_stdout) {
  std::array<int, 2> err_pipe{};
  if (::pipe2(err_pipe.data(), O_CLOEXEC) != 0) throw_errno("pipe2", errno);
  Fd rd(err_pipe[0]), wr(err_pipe[1]);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (!keep_stdout) posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, wr.get(), 2);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  wr.reset();
  if (rc != 0) throw Error(join(argv), rc);
  const std::string err = drain(rd.get());
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error(join(argv), EIO, err.empty() ? "failed" : err);
}

Testbed::Testbed(const TestbedSpec& spec) {
  const std::string base = "glass-" + spec.tag + "-" + std::to_string(::getpid());
  a_ = base + "-a";
  b_ = base + "-b";
  try {
    create(spec);
  } catch (...) {
    destroy();
    throw;
  }
}

Testbed::~Testbed() {
  destroy();
}

void Testbed::create(const TestbedSpec& spec) {
  run_tool({kIpTool, "netns", "add", a_});
  made_a_ = true;
  run_tool({kIpTool, "netns", "add", b_});
  made_b_ = true;
  {
    NetnsGuard in(a_);
    const Fd peer_ns = Fd::open(netns_path(b_), O_RDONLY);
    std::array<char, kNetlinkBufSize> buf{};
    Netlink nl;
    nl.request(
        build_link_add(
            buf, {.name = kDevA, .peer = std::string(kDevB), .peer_netns_fd = peer_ns.get()}, 1),
        std::string("link add ") + kDevA);
  }
  if (spec.veth)
    run_tool({kIpTool, "-n", a_, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns",
              b_});
  const auto host = [&](const std::string& ns, const char* dev, const char* addr, const char* vdev,
                        const char* vaddr) {
    run_tool({kIpTool, "-n", ns, "link", "set", "lo", "up"});
    run_tool({kIpTool, "-n", ns, "addr", "add", std::string(addr) + "/24", "dev", dev});
    if (spec.mtu > 0)
      run_tool({kIpTool, "-n", ns, "link", "set", dev, "mtu", std::to_string(spec.mtu)});
    run_tool({kIpTool, "-n", ns, "link", "set", dev, "up"});
    if (!spec.veth) return;
    run_tool({kIpTool, "-n", ns, "addr", "add", std::string(vaddr) + "/24", "dev", vdev});
    if (spec.mtu > 0)
      run_tool({kIpTool, "-n", ns, "link", "set", vdev, "mtu", std::to_string(spec.mtu)});
    run_tool({kIpTool, "-n", ns, "link", "set", vdev, "up"});
  };
  host(a_, kDevA, kGlassA, "va", kVethA);
  host(b_, kDevB, kGlassB, "vb", kVethB);
}

void Testbed::destroy() noexcept {
  for (auto [made, ns] : {std::pair{made_a_, a_}, std::pair{made_b_, b_}}) {
    if (!made) continue;
    try {
      run_tool({kIpTool, "netns", "del", ns});
    } catch (const std::exception&) {
      // Nothing more to do: the namespace goes when its last user does.
    }
  }
  made_a_ = made_b_ = false;
}

void Testbed::sysctl(const std::string& ns, const std::string& name, int value) const {
  NetnsGuard in(ns);
  const std::string path = "/proc/sys/net/glass/" + name;
  const Fd f = Fd::open(path, O_WRONLY | O_TRUNC);
  const std::string v = std::to_string(value) + "\n";
  if (::write(f.get(), v.data(), v.size()) != static_cast<ssize_t>(v.size()))
    throw_errno("write(" + path + ")", errno);
}

int Testbed::mtu(const std::string& ns, const std::string& dev) const {
  NetnsGuard in(ns);
  const Fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!s) throw_errno("socket(AF_INET)", errno);
  ifreq ifr{};
  dev.copy(ifr.ifr_name, IFNAMSIZ - 1);
  if (::ioctl(s.get(), SIOCGIFMTU, &ifr) < 0) throw_errno("SIOCGIFMTU " + dev, errno);
  return ifr.ifr_mtu;
}

void Testbed::netem(const std::string& ns, const std::string& dev,
                    const std::vector<std::string>& args) const {
  std::vector<std::string> argv{kTcTool, "-n", ns, "qdisc", "replace", "dev", dev, "root", "netem"};
  argv.insert(argv.end(), args.begin(), args.end());
  run_tool(argv);
}

void Testbed::clear_qdisc(const std::string& ns, const std::string& dev) const {
  try {
    run_tool({kTcTool, "-n", ns, "qdisc", "del", "dev", dev, "root"});
  } catch (const Error&) {
    // No qdisc was installed.
  }
}

}  // namespace glass::cli
