/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The records of the glass tracepoints (system `glass`,
 * /sys/kernel/tracing/events/glass/), as a BPF program or a reader of the
 * raw trace buffer sees them, and the numbers in their reason fields.
 *
 * Each struct glass_tp_<event> is the part of the record after the 8-byte
 * common header (struct trace_entry): the tracefs format file of an event
 * lists each field at GLASS_TP_COMMON_LEN + offsetof(struct, field). The
 * module pins every field of every record to these structs with
 * BUILD_BUG_ON (kmod/glass_trace.c), so the two cannot drift apart; the
 * module has no BTF, so a tracer cannot learn the layout any other way.
 * docs/tracing.md describes what each event means.
 */
#ifndef _UAPI_LINUX_GLASS_TRACEPOINTS_H
#define _UAPI_LINUX_GLASS_TRACEPOINTS_H

#include <linux/types.h>

/* Bytes of the common header that precedes every record's fields. */
#define GLASS_TP_COMMON_LEN	8

/*
 * Why a segment was sent again: glass_tp_retransmit.reason. Plain numbers,
 * so the event's print format in tracefs shows them as numbers too.
 */
#define GLASS_RETRANS_RTO	0	/* the retransmission timer expired */
#define GLASS_RETRANS_FAST	1	/* duplicate ACKs, or a partial ACK */
#define GLASS_RETRANS_PROBE	2	/* a zero-window probe */
#define GLASS_RETRANS_SYN	3	/* the SYN (or SYN-ACK) timed out */
#define GLASS_RETRANS_MAX	4

/*
 * The counters of /proc/net/glass_stat, in the file's line order. A
 * discarded frame or segment bumps one GLASS_MIB_DROP_* counter and is
 * traced by glass_drop with that number as its reason.
 */
enum glass_mib {
	GLASS_MIB_ACTIVE_OPENS,
	GLASS_MIB_PASSIVE_OPENS,
	GLASS_MIB_ATTEMPT_FAILS,
	GLASS_MIB_ESTAB_RESETS,
	GLASS_MIB_RSTS_SENT,
	GLASS_MIB_RSTS_RECV,
	GLASS_MIB_SEGS_IN,
	GLASS_MIB_SEGS_OUT,
	GLASS_MIB_BYTES_IN,
	GLASS_MIB_BYTES_OUT,
	GLASS_MIB_RETRANS_SEGS,
	GLASS_MIB_TIMEOUTS,
	GLASS_MIB_FAST_RETRANS,
	GLASS_MIB_DUP_ACKS,
	GLASS_MIB_OOO_SEGS,
	GLASS_MIB_ZERO_WND_ADV,
	GLASS_MIB_WND_UPDATES,
	GLASS_MIB_ZERO_WND_PROBES,
	GLASS_MIB_DELAYED_ACKS,
	GLASS_MIB_CHALLENGE_ACKS,
	GLASS_MIB_CONN_TIMEOUTS,
	GLASS_MIB_DROP_CSUM,
	GLASS_MIB_DROP_MALFORMED,
	GLASS_MIB_DROP_TRUNCATED,
	GLASS_MIB_DROP_NOT_LOCAL,
	GLASS_MIB_DROP_NO_SOCKET,
	GLASS_MIB_DROP_RCVBUF,
	GLASS_MIB_DROP_BACKLOG,
	GLASS_MIB_DROP_LISTEN_OVERFLOW,
	GLASS_MIB_DROP_OOO_FULL,
	GLASS_MIB_DROP_OUT_OF_WINDOW,
	GLASS_MIB_DROP_DUPLICATE,
	GLASS_MIB_DROP_BAD_ACK,
	GLASS_MIB_DROP_BAD_STATE,
	GLASS_MIB_DROP_BAD_RST,
	GLASS_MIB_DROP_BAD_SYN,
	GLASS_MIB_DROP_NOMEM,
	GLASS_MIB_DROP_WRONG_DEVICE,
	GLASS_MIB_DROP_TX_NO_DEVICE,
	GLASS_MIB_DROP_TX_DEVICE,
	GLASS_MIB_DROP_FILTER,
	GLASS_MIB_DROP_MEMORY,
	GLASS_MIB_ORPHAN_RESETS,
	GLASS_MIB_SACK_RECOVERIES,
	GLASS_MIB_SACK_RETRANS,
	GLASS_MIB_DSACKS_IN,
	GLASS_MIB_SACK_IGNORED,
	GLASS_MIB_SACK_RENEGED,
	GLASS_MIB_UNDOS,
	GLASS_MIB_TLP_PROBES,
	GLASS_MIB_TLP_RECOVERIES,
	GLASS_MIB_RACK_LOST,
	GLASS_MIB_RACK_LOST_RETRANS,
	GLASS_MIB_RACK_REO_TIMEOUTS,
	GLASS_MIB_BACKLOG_SEGS,
	GLASS_MIB_SPURIOUS_RTOS,
	GLASS_MIB_TX_PAGES_NEW,
	GLASS_MIB_TX_PAGES_REUSED,
	GLASS_MIB_TX_HELD,
	GLASS_MIB_TLP_IN_HOST,
	GLASS_MIB_TX_PAGES_SHARED,
	GLASS_MIB_REPLY_POLLS,
	GLASS_MIB_REPLY_POLL_HITS,
	GLASS_MIB_TX_PAGES_SPARE,
	GLASS_MIB_WRITE_MEM_WAITS,
	GLASS_MIB_TIMEWAIT_REUSED,
	GLASS_MIB_MAX
};

/*
 * The connection's identity at the start of every per-socket record. A
 * macro, not a nested struct: a struct would be padded to 24 bytes and
 * move the next field from 20 to 24. Addresses and ports in host order.
 */
#define GLASS_TP_SOCK_FIELDS						\
	__aligned_u64 cookie;	/* SO_COOKIE's: unique, never reused */	\
	__u32 saddr;							\
	__u32 daddr;							\
	__u16 sport;							\
	__u16 dport;

/*
 * glass_segment_send, glass_segment_recv: a segment's header (addresses
 * from the header; a reply to a segment no socket wants has cookie 0 and
 * zero connection fields) and its connection's state.
 */
struct glass_tp_segment {
	GLASS_TP_SOCK_FIELDS
	__u32 seq;
	__u32 ack;
	__u32 len;
	__u32 window;
	__u32 snd_una;
	__u32 snd_nxt;
	__u32 snd_cwnd;
	__u32 snd_wnd;
	__u32 rcv_wnd;
	__u32 srtt;		/* microseconds */
	__u8 flags;		/* GLASS_SYN ... (glass_wire.h) */
	__u8 state;		/* GLASS_ESTABLISHED ... (glass.h) */
};

/* glass_retransmit: a segment sent again. */
struct glass_tp_retransmit {
	GLASS_TP_SOCK_FIELDS
	__u32 seq;
	__u32 len;
	__u32 snd_una;
	__u32 snd_nxt;
	__u32 snd_cwnd;
	__u32 ssthresh;
	__u32 rto;		/* microseconds */
	__u32 backoff;
	__u8 state;
	__u8 reason;		/* GLASS_RETRANS_* */
};

/* glass_state_change. */
struct glass_tp_state_change {
	GLASS_TP_SOCK_FIELDS
	__u8 oldstate;
	__u8 newstate;
};

/* glass_window: a zero window advertised (zero = 1) or a window update. */
struct glass_tp_window {
	GLASS_TP_SOCK_FIELDS
	__u32 rcv_wnd;
	__u32 rcv_nxt;
	__u32 unread;
	__u32 rcv_space;
	__u8 zero;
};

/* glass_drop: no socket identity, the header's addresses (or zeros). */
struct glass_tp_drop {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 seq;
	__u32 len;
	__u32 reason;		/* enum glass_mib, a GLASS_MIB_DROP_* */
};

/* glass_sndbuf: a writer blocked on a full send buffer (1) or woken (0). */
struct glass_tp_sndbuf {
	GLASS_TP_SOCK_FIELDS
	__u32 sndbuf;
	__u32 wmem_queued;
	__u32 unacked;
	__u32 unsent;
	__u32 snd_wnd;
	__u8 blocked;
};

/* glass_destroy_sock: the socket's lifetime totals. */
struct glass_tp_destroy_sock {
	GLASS_TP_SOCK_FIELDS
	__aligned_u64 bytes_sent;
	__aligned_u64 bytes_acked;
	__aligned_u64 bytes_received;
	__aligned_u64 segs_out;
	__aligned_u64 segs_in;
	__aligned_u64 lifetime_us;
	__u32 retransmits;
	__u32 srtt;		/* microseconds */
};

#endif /* _UAPI_LINUX_GLASS_TRACEPOINTS_H */
