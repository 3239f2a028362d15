// SPDX-License-Identifier: GPL-2.0
/*
 * Instantiates the glass tracepoints (glass_trace.h), pins the layout of
 * their records to the ABI that tracers compile against
 * (include/uapi/linux/glass_tracepoints.h), and holds the one helper every
 * discard goes through, so each drop is both counted in
 * /proc/net/glass_stat and visible to tracers.
 */
#define CREATE_TRACE_POINTS
#include "glass_trace.h"

/*
 * Every field of every record at the offset and size the uapi struct
 * gives it, after the common header. A tracer reads the records through
 * those structs (the module has no BTF), so a change on one side only
 * must not build. (The macros name a struct member twice, which
 * checkpatch's MACRO_ARG_REUSE cannot tell from an expression with side
 * effects; scripts/check.sh waives that check for this file.)
 */
#define GLASS_TP_PIN(event, field)					\
	static_assert(offsetof(struct trace_event_raw_glass_##event, field) == \
		      GLASS_TP_COMMON_LEN +				\
		      offsetof(struct glass_tp_##event, field) &&	\
		      sizeof_field(struct trace_event_raw_glass_##event, field) == \
		      sizeof_field(struct glass_tp_##event, field))

static_assert(sizeof(struct trace_entry) == GLASS_TP_COMMON_LEN);

GLASS_TP_PIN(segment, cookie);
GLASS_TP_PIN(segment, saddr);
GLASS_TP_PIN(segment, daddr);
GLASS_TP_PIN(segment, sport);
GLASS_TP_PIN(segment, dport);
GLASS_TP_PIN(segment, seq);
GLASS_TP_PIN(segment, ack);
GLASS_TP_PIN(segment, len);
GLASS_TP_PIN(segment, window);
GLASS_TP_PIN(segment, snd_una);
GLASS_TP_PIN(segment, snd_nxt);
GLASS_TP_PIN(segment, snd_cwnd);
GLASS_TP_PIN(segment, snd_wnd);
GLASS_TP_PIN(segment, rcv_wnd);
GLASS_TP_PIN(segment, srtt);
GLASS_TP_PIN(segment, flags);
GLASS_TP_PIN(segment, state);

GLASS_TP_PIN(retransmit, cookie);
GLASS_TP_PIN(retransmit, saddr);
GLASS_TP_PIN(retransmit, daddr);
GLASS_TP_PIN(retransmit, sport);
GLASS_TP_PIN(retransmit, dport);
GLASS_TP_PIN(retransmit, seq);
GLASS_TP_PIN(retransmit, len);
GLASS_TP_PIN(retransmit, snd_una);
GLASS_TP_PIN(retransmit, snd_nxt);
GLASS_TP_PIN(retransmit, snd_cwnd);
GLASS_TP_PIN(retransmit, ssthresh);
GLASS_TP_PIN(retransmit, rto);
GLASS_TP_PIN(retransmit, backoff);
GLASS_TP_PIN(retransmit, state);
GLASS_TP_PIN(retransmit, reason);

GLASS_TP_PIN(state_change, cookie);
GLASS_TP_PIN(state_change, saddr);
GLASS_TP_PIN(state_change, daddr);
GLASS_TP_PIN(state_change, sport);
GLASS_TP_PIN(state_change, dport);
GLASS_TP_PIN(state_change, oldstate);
GLASS_TP_PIN(state_change, newstate);

GLASS_TP_PIN(window, cookie);
GLASS_TP_PIN(window, saddr);
GLASS_TP_PIN(window, daddr);
GLASS_TP_PIN(window, sport);
GLASS_TP_PIN(window, dport);
GLASS_TP_PIN(window, rcv_wnd);
GLASS_TP_PIN(window, rcv_nxt);
GLASS_TP_PIN(window, unread);
GLASS_TP_PIN(window, rcv_space);
GLASS_TP_PIN(window, zero);

GLASS_TP_PIN(drop, saddr);
GLASS_TP_PIN(drop, daddr);
GLASS_TP_PIN(drop, sport);
GLASS_TP_PIN(drop, dport);
GLASS_TP_PIN(drop, seq);
GLASS_TP_PIN(drop, len);
GLASS_TP_PIN(drop, reason);

GLASS_TP_PIN(sndbuf, cookie);
GLASS_TP_PIN(sndbuf, saddr);
GLASS_TP_PIN(sndbuf, daddr);
GLASS_TP_PIN(sndbuf, sport);
GLASS_TP_PIN(sndbuf, dport);
GLASS_TP_PIN(sndbuf, sndbuf);
GLASS_TP_PIN(sndbuf, wmem_queued);
GLASS_TP_PIN(sndbuf, unacked);
GLASS_TP_PIN(sndbuf, unsent);
GLASS_TP_PIN(sndbuf, snd_wnd);
GLASS_TP_PIN(sndbuf, blocked);

GLASS_TP_PIN(destroy_sock, cookie);
GLASS_TP_PIN(destroy_sock, saddr);
GLASS_TP_PIN(destroy_sock, daddr);
GLASS_TP_PIN(destroy_sock, sport);
GLASS_TP_PIN(destroy_sock, dport);
GLASS_TP_PIN(destroy_sock, bytes_sent);
GLASS_TP_PIN(destroy_sock, bytes_acked);
GLASS_TP_PIN(destroy_sock, bytes_received);
GLASS_TP_PIN(destroy_sock, segs_out);
GLASS_TP_PIN(destroy_sock, segs_in);
GLASS_TP_PIN(destroy_sock, lifetime_us);
GLASS_TP_PIN(destroy_sock, retransmits);
GLASS_TP_PIN(destroy_sock, srtt);

/* Every field is pinned: the records end where the uapi structs do. */
#define GLASS_TP_PIN_END(event, last)					\
	static_assert(offsetof(struct trace_event_raw_glass_##event, __data) == \
		      GLASS_TP_COMMON_LEN +				\
		      offsetofend(struct glass_tp_##event, last))

GLASS_TP_PIN_END(segment, state);
GLASS_TP_PIN_END(retransmit, reason);
GLASS_TP_PIN_END(state_change, newstate);
GLASS_TP_PIN_END(window, zero);
GLASS_TP_PIN_END(drop, reason);
GLASS_TP_PIN_END(sndbuf, blocked);
GLASS_TP_PIN_END(destroy_sock, srtt);

/**
 * glass_note_drop() - count a discarded frame or segment and trace it.
 * @net: namespace whose counter to bump.
 * @gh: its header, or NULL when it was not trustworthy enough to read.
 * @len: bytes discarded.
 * @why: the GLASS_MIB_DROP_* counter.
 */
void glass_note_drop(struct net *net, const struct glass_hdr *gh, u32 len,
		     enum glass_mib why)
{
	glass_inc_stat(net, why);
	trace_glass_drop(gh, len, why);
}
