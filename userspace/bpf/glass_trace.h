/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the glass tracer's BPF program and its C++ front end share: the
 * fields of every glass tracepoint as laid out in tracefs (after the 8-byte
 * common header; /sys/kernel/tracing/events/glass/<event>/format), the
 * record sent through the ring buffer, and the RTT histogram's shape.
 *
 * The module has no BTF, so nothing here uses CO-RE: the offsets are fixed
 * by kmod/glass_trace.h (natural alignment, declaration order) and pinned
 * by the static assertions at the end, checked against the guest's format
 * files. A change to kmod/glass_trace.h must be mirrored here.
 */
#ifndef GLASS_TRACE_SHARED_H
#define GLASS_TRACE_SHARED_H

#include <linux/types.h>

/* Event numbers: bit (1 << n) in glass_trace_config.events. */
enum glass_trace_event {
  GLASS_EV_SEGMENT_SEND,
  GLASS_EV_SEGMENT_RECV,
  GLASS_EV_RETRANSMIT,
  GLASS_EV_STATE_CHANGE,
  GLASS_EV_WINDOW,
  GLASS_EV_DROP,
  GLASS_EV_SNDBUF,
  GLASS_EV_DESTROY_SOCK,
  GLASS_EV_COUNT
};

/*
 * The connection identity at the start of every per-socket event. A macro,
 * not a nested struct: a struct would be padded to 24 bytes and move the
 * next field from @28 to @32.
 */
#define GLASS_TP_SOCK_FIELDS          \
  __u64 cookie; /* @8 */              \
  __u32 saddr;  /* @16, host order */ \
  __u32 daddr;  /* @20 */             \
  __u16 sport;  /* @24, host order */ \
  __u16 dport;  /* @26 */

/* glass_segment_send / glass_segment_recv: the header's addresses. */
struct glass_tp_segment {
  GLASS_TP_SOCK_FIELDS
  __u32 seq;      /* @28 */
  __u32 ack;      /* @32 */
  __u32 len;      /* @36 */
  __u32 window;   /* @40 */
  __u32 snd_una;  /* @44 */
  __u32 snd_nxt;  /* @48 */
  __u32 snd_cwnd; /* @52 */
  __u32 snd_wnd;  /* @56 */
  __u32 rcv_wnd;  /* @60 */
  __u32 srtt;     /* @64, microseconds */
  __u8 flags;     /* @68, GLASS_SYN ... */
  __u8 state;     /* @69 */
};

struct glass_tp_retransmit {
  GLASS_TP_SOCK_FIELDS
  __u32 seq;      /* @28 */
  __u32 len;      /* @32 */
  __u32 snd_una;  /* @36 */
  __u32 snd_nxt;  /* @40 */
  __u32 snd_cwnd; /* @44 */
  __u32 ssthresh; /* @48 */
  __u32 rto;      /* @52 */
  __u32 backoff;  /* @56 */
  __u8 state;     /* @60 */
  __u8 reason;    /* @61: 0 rto, 1 fast, 2 probe, 3 syn */
};

struct glass_tp_state_change {
  GLASS_TP_SOCK_FIELDS
  __u8 oldstate; /* @28 */
  __u8 newstate; /* @29 */
};

struct glass_tp_window {
  GLASS_TP_SOCK_FIELDS
  __u32 rcv_wnd;   /* @28 */
  __u32 rcv_nxt;   /* @32 */
  __u32 unread;    /* @36 */
  __u32 rcv_space; /* @40 */
  __u8 zero;       /* @44 */
};

/* glass_drop has no cookie: its fields start at @8. */
struct glass_tp_drop {
  __u32 saddr;  /* @8 */
  __u32 daddr;  /* @12 */
  __u16 sport;  /* @16 */
  __u16 dport;  /* @18 */
  __u32 seq;    /* @20 */
  __u32 len;    /* @24 */
  __u32 reason; /* @28: line of /proc/net/glass_stat */
};

struct glass_tp_sndbuf {
  GLASS_TP_SOCK_FIELDS
  __u32 sndbuf;      /* @28 */
  __u32 wmem_queued; /* @32 */
  __u32 unacked;     /* @36 */
  __u32 unsent;      /* @40 */
  __u32 snd_wnd;     /* @44 */
  __u8 blocked;      /* @48 */
};

struct glass_tp_destroy_sock {
  GLASS_TP_SOCK_FIELDS
  __u64 bytes_sent;     /* @32 */
  __u64 bytes_acked;    /* @40 */
  __u64 bytes_received; /* @48 */
  __u64 segs_out;       /* @56 */
  __u64 segs_in;        /* @64 */
  __u64 lifetime_us;    /* @72 */
  __u32 retransmits;    /* @80 */
  __u32 srtt;           /* @84 */
};

/* One ring-buffer record: which event, when, and its fields. */
struct glass_trace_record {
  __u64 ts_ns; /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) */
  __u64 aux;   /* state_change: ns in oldstate (0: unknown) */
  __u32 type;  /* enum glass_trace_event */
  __u32 pad;
  union {
    struct glass_tp_segment segment;
    struct glass_tp_retransmit retransmit;
    struct glass_tp_state_change state_change;
    struct glass_tp_window window;
    struct glass_tp_drop drop;
    struct glass_tp_sndbuf sndbuf;
    struct glass_tp_destroy_sock destroy_sock;
  } u;
};

/* RTT histogram: slot 0 counts srtt 0, slot k counts [2^(k-1), 2^k). */
#define GLASS_RTT_SLOTS 33

/*
 * Offsets in the tracepoint record are these offsets plus 8. The event
 * structs must keep the layout of the tracefs format files exactly.
 */
#define GLASS_TP_OFF(type, field) (__builtin_offsetof(type, field) + 8)
#ifdef __cplusplus
#define GLASS_STATIC_ASSERT static_assert
#else
#define GLASS_STATIC_ASSERT _Static_assert
#endif
#define GLASS_TP_ASSERT(type, field, off) \
  GLASS_STATIC_ASSERT(GLASS_TP_OFF(type, field) == (off), #type "." #field)

GLASS_TP_ASSERT(struct glass_tp_segment, dport, 26);
GLASS_TP_ASSERT(struct glass_tp_segment, seq, 28);
GLASS_TP_ASSERT(struct glass_tp_segment, srtt, 64);
GLASS_TP_ASSERT(struct glass_tp_segment, flags, 68);
GLASS_TP_ASSERT(struct glass_tp_segment, state, 69);
GLASS_TP_ASSERT(struct glass_tp_retransmit, backoff, 56);
GLASS_TP_ASSERT(struct glass_tp_retransmit, state, 60);
GLASS_TP_ASSERT(struct glass_tp_retransmit, reason, 61);
GLASS_TP_ASSERT(struct glass_tp_state_change, oldstate, 28);
GLASS_TP_ASSERT(struct glass_tp_state_change, newstate, 29);
GLASS_TP_ASSERT(struct glass_tp_window, rcv_space, 40);
GLASS_TP_ASSERT(struct glass_tp_window, zero, 44);
GLASS_TP_ASSERT(struct glass_tp_drop, sport, 16);
GLASS_TP_ASSERT(struct glass_tp_drop, reason, 28);
GLASS_TP_ASSERT(struct glass_tp_sndbuf, snd_wnd, 44);
GLASS_TP_ASSERT(struct glass_tp_sndbuf, blocked, 48);
GLASS_TP_ASSERT(struct glass_tp_destroy_sock, bytes_sent, 32);
GLASS_TP_ASSERT(struct glass_tp_destroy_sock, lifetime_us, 72);
GLASS_TP_ASSERT(struct glass_tp_destroy_sock, retransmits, 80);
GLASS_TP_ASSERT(struct glass_tp_destroy_sock, srtt, 84);
GLASS_TP_ASSERT(struct glass_tp_state_change, dport, 26);
GLASS_TP_ASSERT(struct glass_tp_window, rcv_wnd, 28);
GLASS_TP_ASSERT(struct glass_tp_sndbuf, sndbuf, 28);
GLASS_TP_ASSERT(struct glass_tp_retransmit, seq, 28);

#endif /* GLASS_TRACE_SHARED_H */
