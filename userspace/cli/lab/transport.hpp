// The lab's two transports, so a scenario can run the same experiment on
// glass (the glass pair) and on TCP (a veth pair between the same two
// namespaces) in one boot, and read both in the same terms: a connection's
// state from GLASS_INFO or TCP_INFO plus the SIOC*Q ioctls, and a namespace's
// counters from /proc/net/glass_stat or /proc/net/netstat and snmp.
#pragma once

#include "common.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace glass::cli::lab {

enum class Transport { kGlass, kTcp };

// Both, glass first: the order every scenario runs and prints them in.
inline constexpr Transport kTransports[] = {Transport::kGlass, Transport::kTcp};

// "glass" / "tcp": CSV columns, file names, fact keys.
const char* key_of(Transport t);
// "glass" / "TCP": printed text and plot titles.
const char* label_of(Transport t);

// gnuplot colour (lc) of a TCP series drawn beside the glass series of
// colour lc (1-4): another colour, so dense overlays stay readable.
constexpr int tcp_color(int lc) {
  constexpr int kMap[] = {0, 7, 4, 6, 8};
  return lc >= 1 && lc <= 4 ? kMap[lc] : lc;
}

// The server's address in host b on this transport's link (gb 10.7.0.2 or
// vb 10.8.0.2); needs a testbed made with veth for TCP.
Endpoint endpoint_of(const Testbed& tb, Transport t, std::uint16_t port);
// connect_glass() for either transport; nodelay sets TCP_NODELAY for TCP.
Connection connect_pair(const Testbed& tb, Transport t, const ConnSpec& spec);

// One socket's state in common units: bytes and microseconds. For TCP,
// cwnd and ssthresh are tcpi_snd_cwnd/ssthresh times the MSS, unacked is
// SIOCOUTQ - SIOCOUTQNSD, snd_wnd is tcpi_snd_wnd (the window the peer last
// advertised, as GLASS_INFO's gi_snd_wnd).
struct SockState {
  std::uint32_t snd_wnd = 0;   // window the peer advertised
  std::uint32_t unsent = 0;    // queued, not yet sent
  std::uint32_t unacked = 0;   // sent, not yet acknowledged
  std::uint32_t unread = 0;    // received in order, not yet read (SIOCINQ)
  std::uint32_t cwnd = 0;      // congestion window
  std::uint32_t ssthresh = 0;  // 0 while it is "infinite" (before the first loss)
  std::uint32_t srtt_us = 0, rto_us = 0, backoff = 0, mss = 0;
  std::uint32_t retransmits = 0;
  std::uint64_t data_segs_out = 0, bytes_sent = 0;
};

SockState state_of(Transport t, int fd);

// The namespace-wide counters a scenario compares, under one name for both
// transports (glass_stat name / TcpExt or Tcp name).
enum class Counter {
  kDelayedAcks,           // delayed_acks / DelayedACKs: ACKs sent by the delayed-ACK timer
  kZeroWindowProbes,      // zero_window_probes / TCPWinProbe
  kZeroWindowAdvertised,  // zero_window_advertised / TCPToZeroWindowAdv
  kTimeouts,              // timeouts / TCPTimeouts: RTO expirations
  kFastRetransmits,       // fast_retransmits / TCPFastRetrans
  kRetransmits,           // retransmitted_segments / Tcp RetransSegs
};

// The counter files of one namespace, opened in it once (procfs keeps the
// namespace of the opener) and read again on every get().
class NetCounters {
 public:
  NetCounters(Transport t, const std::string& netns);
  std::uint64_t get(Counter c) const;
  // Every counter of the files, by their own names.
  std::map<std::string, std::uint64_t> all() const;

 private:
  Transport t_;
  std::vector<Fd> files_;
};

// Parses "name value" lines (glass_stat) and the "Prefix: names" /
// "Prefix: values" line pairs of /proc/net/netstat and snmp (keys become
// "Prefix.name", e.g. "TcpExt.DelayedACKs"). Exposed for the unit tests.
std::map<std::string, std::uint64_t> parse_counters(const std::string& text);

// write() that counts how often the writer had to wait for room: a
// non-blocking attempt first; when it finds the send buffer full (EAGAIN),
// `waits` is incremented and a blocking write() sleeps until there is room.
// The count is raised before the sleep, so a sampler on another thread sees
// a writer that is asleep now, not only once its write() returns. The same
// on both transports (glass also counts its sleeps in the kernel,
// gi_writer_blocked). Throws Error.
void write_counting_waits(int fd, std::span<const std::byte> buf,
                          std::atomic<std::uint64_t>& waits);

}  // namespace glass::cli::lab
