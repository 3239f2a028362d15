/*
 * The userspace ABI has one layout on every architecture a program may be
 * built for: this file is compiled for x86-64 and for i386 (-m32, as a
 * 32-bit program on a 64-bit kernel sees it) by the build, and any
 * difference fails the build. The kernel pins the same numbers with
 * BUILD_BUG_ON (kmod/glass_main.c), and the tracepoint records field by
 * field to its tracepoints (kmod/glass_trace.c).
 */
#include <linux/glass.h>
#include <linux/glass_tracepoints.h>
#include <linux/glass_wire.h>
#include <stddef.h>

_Static_assert(sizeof(struct sockaddr_glass) == 16, "sockaddr_glass is 16 bytes");
_Static_assert(sizeof(struct glass_hdr) == GLASS_HDR_LEN, "glass_hdr is 32 bytes");
_Static_assert(sizeof(struct glass_info) == 216, "glass_info is 216 bytes everywhere");
_Static_assert(offsetof(struct glass_info, gi_pad0) == 124, "explicit padding at 124");
_Static_assert(offsetof(struct glass_info, gi_segs_out) == 128, "u64 fields start at 128");
_Static_assert(offsetof(struct glass_info, gi_writer_blocked) == 184, "last u64 at 184");
_Static_assert(offsetof(struct glass_info, gi_sack) == 192, "SACK fields appended at 192");
_Static_assert(offsetof(struct glass_info, gi_sacked) == 196, "explicit padding at 195");
_Static_assert(offsetof(struct glass_info, gi_tlp_probes) == 212, "last field at 212");
_Static_assert(_Alignof(struct glass_info) == 8, "glass_info is 8-aligned everywhere");

/*
 * Tracepoint records: the offsets the guest's tracefs format files list
 * (/sys/kernel/tracing/events/glass/<event>/format), common header included.
 */
#define TP_OFF(type, field) (GLASS_TP_COMMON_LEN + offsetof(struct glass_tp_##type, field))
_Static_assert(TP_OFF(segment, cookie) == 8, "segment.cookie");
_Static_assert(TP_OFF(segment, dport) == 26, "segment.dport");
_Static_assert(TP_OFF(segment, seq) == 28, "segment.seq");
_Static_assert(TP_OFF(segment, srtt) == 64, "segment.srtt");
_Static_assert(TP_OFF(segment, flags) == 68, "segment.flags");
_Static_assert(TP_OFF(segment, state) == 69, "segment.state");
_Static_assert(TP_OFF(retransmit, seq) == 28, "retransmit.seq");
_Static_assert(TP_OFF(retransmit, backoff) == 56, "retransmit.backoff");
_Static_assert(TP_OFF(retransmit, state) == 60, "retransmit.state");
_Static_assert(TP_OFF(retransmit, reason) == 61, "retransmit.reason");
_Static_assert(TP_OFF(state_change, dport) == 26, "state_change.dport");
_Static_assert(TP_OFF(state_change, oldstate) == 28, "state_change.oldstate");
_Static_assert(TP_OFF(state_change, newstate) == 29, "state_change.newstate");
_Static_assert(TP_OFF(window, rcv_wnd) == 28, "window.rcv_wnd");
_Static_assert(TP_OFF(window, rcv_space) == 40, "window.rcv_space");
_Static_assert(TP_OFF(window, zero) == 44, "window.zero");
_Static_assert(TP_OFF(drop, saddr) == 8, "drop.saddr");
_Static_assert(TP_OFF(drop, sport) == 16, "drop.sport");
_Static_assert(TP_OFF(drop, reason) == 28, "drop.reason");
_Static_assert(TP_OFF(sndbuf, sndbuf) == 28, "sndbuf.sndbuf");
_Static_assert(TP_OFF(sndbuf, snd_wnd) == 44, "sndbuf.snd_wnd");
_Static_assert(TP_OFF(sndbuf, blocked) == 48, "sndbuf.blocked");
_Static_assert(TP_OFF(destroy_sock, bytes_sent) == 32, "destroy_sock.bytes_sent");
_Static_assert(TP_OFF(destroy_sock, lifetime_us) == 72, "destroy_sock.lifetime_us");
_Static_assert(TP_OFF(destroy_sock, retransmits) == 80, "destroy_sock.retransmits");
_Static_assert(TP_OFF(destroy_sock, srtt) == 84, "destroy_sock.srtt");
