// glass run / libglass_preload.so: how a TCP program's socket options map
// onto a glass socket. Pure functions (tests/unit/preload).
#pragma once

#include <netinet/in.h>

#include <linux/glass.h>

#include <cstddef>
#include <optional>

namespace glass::preload {

// The SOL_GLASS option a TCP_* option (level IPPROTO_TCP) becomes:
// TCP_NODELAY → GLASS_NODELAY, TCP_CORK → GLASS_CORK, TCP_MAXSEG →
// GLASS_MAXSEG. nullopt for every other TCP option (TCP_INFO is answered
// separately, by tcp_info_from_glass).
std::optional<int> glass_option_for_tcp(int tcp_optname);

// A name for an option at a level, for messages ("TCP_KEEPIDLE",
// "IP_TOS", "level 41 option 26" when unknown).
const char* option_name(int level, int optname, char* buf, std::size_t size);

// TCP_INFO answered from GLASS_INFO: the state, RTO/RTT (µs), MSS, windows,
// congestion window and ssthresh (packets, as TCP counts them), counters
// and byte totals. Fields glass has no notion of (SACK, pacing, delivery
// rate, options) are zero. The answer is the kernel's full struct tcp_info
// of <linux/tcp.h>; at most size bytes of it are written to out (a program
// built against an older, shorter struct gets its prefix). Returns the
// number of bytes written.
std::size_t tcp_info_from_glass(const glass_info& gi, void* out, std::size_t size);

}  // namespace glass::preload
