// Transports of the lab: glass or TCP over the same testbed, read alike.
#include "transport.hpp"

#include <glass/error.hpp>

#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <unistd.h>

// The kernel's tcp_info (tcpi_snd_wnd, tcpi_notsent_bytes, ...); glibc's
// <netinet/tcp.h> has an older copy and must not be included with it.
#include <linux/tcp.h>

#include <array>
#include <cerrno>
#include <sstream>

namespace glass::cli::lab {
namespace {

// TCP's "no ssthresh yet" (TCP_INFINITE_SSTHRESH); anything this large is.
constexpr std::uint32_t kTcpInfiniteSsthresh = 0x7fffffff;

int ioctl_int(int fd, unsigned long req, const char* what) {
  int v = 0;
  if (::ioctl(fd, req, &v) != 0) throw_errno(std::string("ioctl(") + what + ")", errno);
  return v;
}

tcp_info tcp_info_of(int fd) {
  tcp_info ti{};
  socklen_t len = sizeof(ti);
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
    throw_errno("getsockopt(TCP_INFO)", errno);
  return ti;
}

SockState glass_state(int fd) {
  const glass_info gi = info_of(fd);
  SockState s;
  s.snd_wnd = gi.gi_snd_wnd;
  s.unsent = gi.gi_unsent;
  s.unacked = gi.gi_unacked;
  s.unread = gi.gi_unread;
  s.cwnd = gi.gi_cwnd;
  s.ssthresh = gi.gi_ssthresh > (1u << 30) ? 0 : gi.gi_ssthresh;
  s.srtt_us = gi.gi_srtt_us;
  s.rto_us = gi.gi_rto_us;
  s.backoff = gi.gi_backoff;
  s.mss = gi.gi_mss;
  s.retransmits = gi.gi_retransmits;
  s.data_segs_out = gi.gi_data_segs_out;
  s.bytes_sent = gi.gi_bytes_sent;
  return s;
}

SockState tcp_state(int fd) {
  const tcp_info ti = tcp_info_of(fd);
  SockState s;
  s.snd_wnd = ti.tcpi_snd_wnd;
  s.unsent = ti.tcpi_notsent_bytes;
  const int outq = ioctl_int(fd, SIOCOUTQ, "SIOCOUTQ");
  const int nsd = ioctl_int(fd, SIOCOUTQNSD, "SIOCOUTQNSD");
  s.unacked = outq > nsd ? static_cast<std::uint32_t>(outq - nsd) : 0;
  s.unread = static_cast<std::uint32_t>(ioctl_int(fd, SIOCINQ, "SIOCINQ"));
  s.mss = ti.tcpi_snd_mss;
  s.cwnd = ti.tcpi_snd_cwnd * ti.tcpi_snd_mss;
  s.ssthresh =
      ti.tcpi_snd_ssthresh >= kTcpInfiniteSsthresh / 2 ? 0 : ti.tcpi_snd_ssthresh * ti.tcpi_snd_mss;
  s.srtt_us = ti.tcpi_rtt;
  s.rto_us = ti.tcpi_rto;
  s.backoff = ti.tcpi_backoff;
  s.retransmits = ti.tcpi_total_retrans;
  s.data_segs_out = ti.tcpi_data_segs_out;
  s.bytes_sent = ti.tcpi_bytes_sent;
  return s;
}

std::string read_again(int fd) {
  if (::lseek(fd, 0, SEEK_SET) != 0) throw_errno("lseek(counters)", errno);
  std::string out;
  std::array<char, 4096> buf{};
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read(counters)", errno);
    if (n == 0) break;
    out.append(buf.data(), static_cast<std::size_t>(n));
  }
  return out;
}

const char* counter_name(Transport t, Counter c) {
  const bool g = t == Transport::kGlass;
  switch (c) {
    case Counter::kDelayedAcks:
      return g ? "delayed_acks" : "TcpExt.DelayedACKs";
    case Counter::kZeroWindowProbes:
      return g ? "zero_window_probes" : "TcpExt.TCPWinProbe";
    case Counter::kZeroWindowAdvertised:
      return g ? "zero_window_advertised" : "TcpExt.TCPToZeroWindowAdv";
    case Counter::kTimeouts:
      return g ? "timeouts" : "TcpExt.TCPTimeouts";
    case Counter::kFastRetransmits:
      return g ? "fast_retransmits" : "TcpExt.TCPFastRetrans";
    case Counter::kRetransmits:
      return g ? "retransmitted_segments" : "Tcp.RetransSegs";
  }
  return "";
}

}  // namespace

const char* key_of(Transport t) {
  return t == Transport::kGlass ? "glass" : "tcp";
}

const char* label_of(Transport t) {
  return t == Transport::kGlass ? "glass" : "TCP";
}

Endpoint endpoint_of(const Testbed& tb, Transport t, std::uint16_t port) {
  Endpoint ep = glass_endpoint(tb, port);
  if (t == Transport::kTcp) {
    ep.family = AF_INET;
    ep.host = Testbed::kVethB;
  }
  return ep;
}

Connection connect_pair(const Testbed& tb, Transport t, const ConnSpec& spec) {
  const Endpoint ep = endpoint_of(tb, t, spec.port);
  const Fd listener = listen_on(ep, 4, spec.server_rcvbuf, spec.server_sndbuf);
  Connection c;
  c.client = connect_to(ep, spec.client_rcvbuf, spec.client_sndbuf);
  c.server = accept_from(listener.get());
  if (spec.nodelay) set_nodelay(c.client.get(), ep.family, true);
  return c;
}

SockState state_of(Transport t, int fd) {
  return t == Transport::kGlass ? glass_state(fd) : tcp_state(fd);
}

std::map<std::string, std::uint64_t> parse_counters(const std::string& text) {
  std::map<std::string, std::uint64_t> m;
  std::istringstream in(text);
  std::string line, names;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      std::istringstream f(line);
      std::string k;
      std::uint64_t v = 0;
      if (f >> k >> v) m[k] = v;
      continue;
    }
    // netstat/snmp: a line of names, then a line of values, same prefix.
    if (names.empty() || names.substr(0, names.find(':')) != line.substr(0, colon)) {
      names = line;
      continue;
    }
    const std::string prefix = line.substr(0, colon);
    std::istringstream n(names.substr(colon + 1)), v(line.substr(colon + 1));
    std::string key;
    long long value = 0;
    while (n >> key && v >> value) {
      std::string name = prefix;
      name.append(".").append(key);
      m[name] = static_cast<std::uint64_t>(value);
    }
    names.clear();
  }
  return m;
}

NetCounters::NetCounters(Transport t, const std::string& netns) : t_(t) {
  const NetnsGuard in(netns);
  if (t == Transport::kGlass) {
    files_.push_back(Fd::open("/proc/thread-self/net/glass_stat", O_RDONLY));
  } else {
    files_.push_back(Fd::open("/proc/thread-self/net/netstat", O_RDONLY));
    files_.push_back(Fd::open("/proc/thread-self/net/snmp", O_RDONLY));
  }
}

std::map<std::string, std::uint64_t> NetCounters::all() const {
  std::string text;
  for (const Fd& f : files_) text += read_again(f.get());
  return parse_counters(text);
}

std::uint64_t NetCounters::get(Counter c) const {
  const auto m = all();
  const auto it = m.find(counter_name(t_, c));
  if (it == m.end()) throw Error(std::string("counter ") + counter_name(t_, c), ENOENT);
  return it->second;
}

void write_counting_waits(int fd, std::span<const std::byte> buf,
                          std::atomic<std::uint64_t>& waits) {
  while (!buf.empty()) {
    ssize_t n = ::send(fd, buf.data(), buf.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno == EAGAIN) {
      waits++;
      n = ::send(fd, buf.data(), buf.size(), MSG_NOSIGNAL);
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write", errno);
    }
    buf = buf.subspan(static_cast<std::size_t>(n));
  }
}

}  // namespace glass::cli::lab
