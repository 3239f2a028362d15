/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the `glass` system (/sys/kernel/tracing/events/glass/).
 * Every field is fixed-size so a BPF program can read the record without
 * module BTF: the layout of each record is an ABI, declared in
 * include/uapi/linux/glass_tracepoints.h (struct glass_tp_<event>) and
 * pinned to the TP_STRUCT__entry() below field by field in glass_trace.c.
 * A field added here must be added there, in the same place. Field names
 * follow TCP's tracepoints where they mean the same thing.
 * docs/tracing.md documents each event.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM glass

#if !defined(_GLASS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GLASS_TRACE_H

#include <linux/tracepoint.h>
#include <net/sock.h>

#include "glass_sock.h"
#include "glass_ext.h"

#define glass_show_reason(r)						\
	__print_symbolic(r, { GLASS_RETRANS_RTO, "rto" },		\
			 { GLASS_RETRANS_FAST, "fast" },		\
			 { GLASS_RETRANS_PROBE, "probe" },		\
			 { GLASS_RETRANS_SYN, "syn" })

/* The connection's identity, shared by the per-socket events. */
#define GLASS_TP_SOCK_ENTRY						\
	__field(u64, cookie)						\
	__field(__u32, saddr)						\
	__field(__u32, daddr)						\
	__field(__u16, sport)						\
	__field(__u16, dport)

#define GLASS_TP_SOCK_ASSIGN(sk)					\
	do {								\
		__entry->cookie = atomic64_read(&(sk)->sk_cookie);	\
		__entry->saddr = be32_to_cpu((sk)->sk_rcv_saddr);	\
		__entry->daddr = be32_to_cpu((sk)->sk_daddr);		\
		__entry->sport = (sk)->sk_num;				\
		__entry->dport = ntohs((sk)->sk_dport);			\
	} while (0)

DECLARE_EVENT_CLASS(glass_segment,
	TP_PROTO(const struct sock *sk, const struct glass_hdr *gh),
	TP_ARGS(sk, gh),
	TP_STRUCT__entry(
		__field(u64, cookie)
		__field(__u32, saddr)
		__field(__u32, daddr)
		__field(__u16, sport)
		__field(__u16, dport)
		__field(__u32, seq)
		__field(__u32, ack)
		__field(__u32, len)
		__field(__u32, window)
		__field(__u32, snd_una)
		__field(__u32, snd_nxt)
		__field(__u32, snd_cwnd)
		__field(__u32, snd_wnd)
		__field(__u32, rcv_wnd)
		__field(__u32, srtt)
		__field(__u8, flags)
		__field(__u8, state)
	),
	TP_fast_assign(
		const struct glass_sock *gs = glass_sk(sk);

		__entry->cookie = gs ? atomic64_read(&gs->sk.sk_cookie) : 0;
		__entry->saddr = be32_to_cpu(gh->saddr);
		__entry->daddr = be32_to_cpu(gh->daddr);
		__entry->sport = ntohs(gh->sport);
		__entry->dport = ntohs(gh->dport);
		__entry->seq = ntohl(gh->seq);
		__entry->ack = ntohl(gh->ack);
		__entry->len = glass_hdr_payload(gh);	/* no extension */
		__entry->window = ntohl(gh->window);
		__entry->flags = gh->flags;
		__entry->snd_una = gs ? gs->snd_una : 0;
		__entry->snd_nxt = gs ? gs->snd_nxt : 0;
		__entry->snd_cwnd = gs ? gs->cc.cwnd : 0;
		__entry->snd_wnd = gs ? gs->snd_wnd : 0;
		__entry->rcv_wnd = gs ? gs->rcv_wnd_last : 0;
		__entry->srtt = gs ? gs->rto.srtt_us : 0;
		__entry->state = sk ? sk->sk_state : 0;
	),
	TP_printk("%pI4h:%u > %pI4h:%u flags=%s%s%s%s%s seq=%u ack=%u len=%u win=%u snd_una=%u snd_nxt=%u snd_cwnd=%u snd_wnd=%u rcv_wnd=%u srtt=%u state=%u",
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport,
		  __entry->flags & GLASS_SYN ? "S" : "",
		  __entry->flags & GLASS_FIN ? "F" : "",
		  __entry->flags & GLASS_RST ? "R" : "",
		  __entry->flags & GLASS_PSH ? "P" : "",
		  __entry->flags & GLASS_ACK ? "." : "",
		  __entry->seq, __entry->ack, __entry->len, __entry->window,
		  __entry->snd_una, __entry->snd_nxt, __entry->snd_cwnd,
		  __entry->snd_wnd, __entry->rcv_wnd, __entry->srtt,
		  __entry->state)
);

/* A segment left (sk may be NULL for a reply to a segment with no socket). */
DEFINE_EVENT(glass_segment, glass_segment_send,
	TP_PROTO(const struct sock *sk, const struct glass_hdr *gh),
	TP_ARGS(sk, gh)
);

/* A valid segment arrived for sk (before it is processed). */
DEFINE_EVENT(glass_segment, glass_segment_recv,
	TP_PROTO(const struct sock *sk, const struct glass_hdr *gh),
	TP_ARGS(sk, gh)
);

TRACE_EVENT(glass_retransmit,
	TP_PROTO(const struct sock *sk, u32 seq, u32 len, int reason),
	TP_ARGS(sk, seq, len, reason),
	TP_STRUCT__entry(
		GLASS_TP_SOCK_ENTRY
		__field(__u32, seq)
		__field(__u32, len)
		__field(__u32, snd_una)
		__field(__u32, snd_nxt)
		__field(__u32, snd_cwnd)
		__field(__u32, ssthresh)
		__field(__u32, rto)
		__field(__u32, backoff)
		__field(__u8, state)
		__field(__u8, reason)
	),
	TP_fast_assign(
		const struct glass_sock *gs = glass_sk(sk);

		GLASS_TP_SOCK_ASSIGN((struct sock *)sk);
		__entry->seq = seq;
		__entry->len = len;
		__entry->snd_una = gs->snd_una;
		__entry->snd_nxt = gs->snd_nxt;
		__entry->snd_cwnd = gs->cc.cwnd;
		__entry->ssthresh = gs->cc.ssthresh;
		__entry->rto = glass_rto_timeout(&gs->rto);
		__entry->backoff = gs->rto.backoff;
		__entry->state = sk->sk_state;
		__entry->reason = reason;
	),
	TP_printk("%pI4h:%u > %pI4h:%u reason=%s seq=%u len=%u snd_una=%u snd_nxt=%u snd_cwnd=%u ssthresh=%u rto=%u backoff=%u state=%u",
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, glass_show_reason(__entry->reason),
		  __entry->seq, __entry->len, __entry->snd_una,
		  __entry->snd_nxt, __entry->snd_cwnd, __entry->ssthresh,
		  __entry->rto, __entry->backoff, __entry->state)
);

TRACE_EVENT(glass_state_change,
	TP_PROTO(const struct sock *sk, int oldstate, int newstate),
	TP_ARGS(sk, oldstate, newstate),
	TP_STRUCT__entry(
		GLASS_TP_SOCK_ENTRY
		__field(__u8, oldstate)
		__field(__u8, newstate)
	),
	TP_fast_assign(
		GLASS_TP_SOCK_ASSIGN((struct sock *)sk);
		__entry->oldstate = oldstate;
		__entry->newstate = newstate;
	),
	TP_printk("%pI4h:%u > %pI4h:%u oldstate=%u newstate=%u",
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, __entry->oldstate, __entry->newstate)
);

/* We advertised a zero window (zero=1) or sent a window update (zero=0). */
TRACE_EVENT(glass_window,
	TP_PROTO(const struct sock *sk, u32 rcv_wnd, bool zero),
	TP_ARGS(sk, rcv_wnd, zero),
	TP_STRUCT__entry(
		GLASS_TP_SOCK_ENTRY
		__field(__u32, rcv_wnd)
		__field(__u32, rcv_nxt)
		__field(__u32, unread)
		__field(__u32, rcv_space)
		__field(__u8, zero)
	),
	TP_fast_assign(
		const struct glass_sock *gs = glass_sk(sk);

		GLASS_TP_SOCK_ASSIGN((struct sock *)sk);
		__entry->rcv_wnd = rcv_wnd;
		__entry->rcv_nxt = gs->rcv_nxt;
		__entry->unread = gs->rcv_unread;
		__entry->rcv_space = gs->rcv_space;
		__entry->zero = zero;
	),
	TP_printk("%pI4h:%u > %pI4h:%u %s rcv_wnd=%u rcv_nxt=%u unread=%u rcv_space=%u",
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, __entry->zero ? "zero-window" : "update",
		  __entry->rcv_wnd, __entry->rcv_nxt, __entry->unread,
		  __entry->rcv_space)
);

/*
 * A frame or segment was discarded; reason is its counter, a
 * GLASS_MIB_DROP_* of enum glass_mib (the line of /proc/net/glass_stat).
 */
TRACE_EVENT(glass_drop,
	TP_PROTO(const struct glass_hdr *gh, u32 len, int reason),
	TP_ARGS(gh, len, reason),
	TP_STRUCT__entry(
		__field(__u32, saddr)
		__field(__u32, daddr)
		__field(__u16, sport)
		__field(__u16, dport)
		__field(__u32, seq)
		__field(__u32, len)
		__field(__u32, reason)
	),
	TP_fast_assign(
		__entry->saddr = gh ? be32_to_cpu(gh->saddr) : 0;
		__entry->daddr = gh ? be32_to_cpu(gh->daddr) : 0;
		__entry->sport = gh ? ntohs(gh->sport) : 0;
		__entry->dport = gh ? ntohs(gh->dport) : 0;
		__entry->seq = gh ? ntohl(gh->seq) : 0;
		__entry->len = len;
		__entry->reason = reason;
	),
	TP_printk("%pI4h:%u > %pI4h:%u seq=%u len=%u reason=%u",
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, __entry->seq, __entry->len, __entry->reason)
);

/* A writer blocked on a full send buffer (blocked=1) or was woken (0). */
TRACE_EVENT(glass_sndbuf,
	TP_PROTO(const struct sock *sk, bool blocked),
	TP_ARGS(sk, blocked),
	TP_STRUCT__entry(
		GLASS_TP_SOCK_ENTRY
		__field(__u32, sndbuf)
		__field(__u32, wmem_queued)
		__field(__u32, unacked)
		__field(__u32, unsent)
		__field(__u32, snd_wnd)
		__field(__u8, blocked)
	),
	TP_fast_assign(
		const struct glass_sock *gs = glass_sk(sk);

		GLASS_TP_SOCK_ASSIGN((struct sock *)sk);
		__entry->sndbuf = sk->sk_sndbuf;
		__entry->wmem_queued = sk->sk_wmem_queued;
		__entry->unacked = gs->snd_nxt - gs->snd_una;
		__entry->unsent = gs->write_seq - gs->snd_nxt;
		__entry->snd_wnd = gs->snd_wnd;
		__entry->blocked = blocked;
	),
	TP_printk("%pI4h:%u > %pI4h:%u %s sndbuf=%u wmem_queued=%u unacked=%u unsent=%u snd_wnd=%u",
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, __entry->blocked ? "blocked" : "woken",
		  __entry->sndbuf, __entry->wmem_queued, __entry->unacked,
		  __entry->unsent, __entry->snd_wnd)
);

/* The socket is freed: its lifetime totals (as tcplife reports). */
TRACE_EVENT(glass_destroy_sock,
	TP_PROTO(const struct sock *sk),
	TP_ARGS(sk),
	TP_STRUCT__entry(
		GLASS_TP_SOCK_ENTRY
		__field(u64, bytes_sent)
		__field(u64, bytes_acked)
		__field(u64, bytes_received)
		__field(u64, segs_out)
		__field(u64, segs_in)
		__field(u64, lifetime_us)
		__field(__u32, retransmits)
		__field(__u32, srtt)
	),
	TP_fast_assign(
		const struct glass_sock *gs = glass_sk(sk);

		GLASS_TP_SOCK_ASSIGN((struct sock *)sk);
		__entry->bytes_sent = gs->bytes_sent;
		__entry->bytes_acked = gs->bytes_acked;
		__entry->bytes_received = gs->bytes_received;
		__entry->segs_out = gs->segs_out;
		__entry->segs_in = gs->segs_in;
		__entry->lifetime_us = glass_now_us() - gs->born_us;
		__entry->retransmits = gs->total_retrans;
		__entry->srtt = gs->rto.srtt_us;
	),
	TP_printk("%pI4h:%u > %pI4h:%u bytes_sent=%llu bytes_acked=%llu bytes_received=%llu segs_out=%llu segs_in=%llu retransmits=%u srtt=%u lifetime_us=%llu",
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, __entry->bytes_sent, __entry->bytes_acked,
		  __entry->bytes_received, __entry->segs_out, __entry->segs_in,
		  __entry->retransmits, __entry->srtt, __entry->lifetime_us)
);

#endif /* _GLASS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE glass_trace
#include <trace/define_trace.h>
