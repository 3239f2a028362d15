// Option mapping and TCP_INFO for glass run (options.hpp).
#include "options.hpp"

// The kernel's full struct tcp_info (glibc's <netinet/tcp.h> has an old,
// shorter one); do not mix the two headers in this file.
#include <linux/tcp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace glass::preload {
namespace {

struct Named {
  int level;
  int name;
  const char* text;
};

constexpr Named kNames[] = {
    {IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY"},
    {IPPROTO_TCP, TCP_MAXSEG, "TCP_MAXSEG"},
    {IPPROTO_TCP, TCP_CORK, "TCP_CORK"},
    {IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE"},
    {IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL"},
    {IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT"},
    {IPPROTO_TCP, TCP_SYNCNT, "TCP_SYNCNT"},
    {IPPROTO_TCP, TCP_LINGER2, "TCP_LINGER2"},
    {IPPROTO_TCP, TCP_DEFER_ACCEPT, "TCP_DEFER_ACCEPT"},
    {IPPROTO_TCP, TCP_WINDOW_CLAMP, "TCP_WINDOW_CLAMP"},
    {IPPROTO_TCP, TCP_INFO, "TCP_INFO"},
    {IPPROTO_TCP, TCP_QUICKACK, "TCP_QUICKACK"},
    {IPPROTO_TCP, TCP_CONGESTION, "TCP_CONGESTION"},
    {IPPROTO_TCP, TCP_USER_TIMEOUT, "TCP_USER_TIMEOUT"},
    {IPPROTO_TCP, TCP_FASTOPEN, "TCP_FASTOPEN"},
    {IPPROTO_TCP, TCP_FASTOPEN_CONNECT, "TCP_FASTOPEN_CONNECT"},
    {IPPROTO_TCP, TCP_NOTSENT_LOWAT, "TCP_NOTSENT_LOWAT"},
    {IPPROTO_TCP, TCP_ULP, "TCP_ULP"},
    {IPPROTO_IP, IP_TOS, "IP_TOS"},
    {IPPROTO_IP, IP_TTL, "IP_TTL"},
    {IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY"},
    {IPPROTO_IPV6, IPV6_TCLASS, "IPV6_TCLASS"},
};

std::uint32_t packets(std::uint32_t bytes, std::uint32_t mss) {
  return mss == 0 ? 0 : (bytes + mss - 1) / mss;
}

std::uint8_t sat8(std::uint32_t v) {
  return static_cast<std::uint8_t>(std::min<std::uint32_t>(v, 255));
}

}  // namespace

std::optional<int> glass_option_for_tcp(int tcp_optname) {
  switch (tcp_optname) {
    case TCP_NODELAY:
      return GLASS_NODELAY;
    case TCP_CORK:
      return GLASS_CORK;
    case TCP_MAXSEG:
      return GLASS_MAXSEG;
    default:
      return std::nullopt;
  }
}

const char* option_name(int level, int optname, char* buf, std::size_t size) {
  for (const Named& n : kNames) {
    if (n.level == level && n.name == optname) return n.text;
  }
  std::snprintf(buf, size, "level %d option %d", level, optname);
  return buf;
}

std::size_t tcp_info_from_glass(const glass_info& gi, void* dest, std::size_t size) {
  tcp_info ti{};
  tcp_info* out = &ti;
  const std::uint32_t mss = gi.gi_mss;
  out->tcpi_state = gi.gi_state;
  out->tcpi_retransmits = sat8(gi.gi_backoff);
  out->tcpi_probes = sat8(gi.gi_probes);
  out->tcpi_backoff = sat8(gi.gi_backoff);
  out->tcpi_rto = gi.gi_rto_us;
  out->tcpi_snd_mss = mss;
  out->tcpi_rcv_mss = gi.gi_peer_mss;
  out->tcpi_unacked = packets(gi.gi_unacked, mss);
  out->tcpi_rtt = gi.gi_srtt_us;
  out->tcpi_rttvar = gi.gi_rttvar_us;
  // TCP counts ssthresh and cwnd in packets; "not set yet" is 0x7fffffff.
  out->tcpi_snd_ssthresh =
      gi.gi_ssthresh == ~std::uint32_t{0} ? 0x7fffffffU : gi.gi_ssthresh / std::max(mss, 1U);
  out->tcpi_snd_cwnd = packets(gi.gi_cwnd, mss);
  out->tcpi_advmss = mss;
  out->tcpi_rcv_space = gi.gi_rcv_space;
  out->tcpi_rcv_ssthresh = gi.gi_rcv_wnd;
  out->tcpi_total_retrans = gi.gi_retransmits;
  out->tcpi_bytes_acked = gi.gi_bytes_acked;
  out->tcpi_bytes_received = gi.gi_bytes_received;
  out->tcpi_segs_out = static_cast<std::uint32_t>(gi.gi_segs_out);
  out->tcpi_segs_in = static_cast<std::uint32_t>(gi.gi_segs_in);
  out->tcpi_notsent_bytes = gi.gi_unsent;
  out->tcpi_data_segs_in = static_cast<std::uint32_t>(gi.gi_data_segs_in);
  out->tcpi_data_segs_out = static_cast<std::uint32_t>(gi.gi_data_segs_out);
  out->tcpi_bytes_sent = gi.gi_bytes_sent;
  out->tcpi_snd_wnd = gi.gi_snd_wnd;
  const std::size_t n = std::min(size, sizeof(ti));
  std::memcpy(dest, &ti, n);
  return n;
}

}  // namespace glass::preload
