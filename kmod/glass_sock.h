/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket-state floor: struct glass_sock, what glass keeps in skb->cb,
 * the per-namespace state (counters, tunables) and the helpers every
 * file above the device may use: counting, tracing a drop, the clock.
 * It declares no protocol behaviour; the engine (glass_engine.h), the
 * connection lifecycle (glass_conn.h) and the socket calls
 * (glass_socket.h) sit on top of it. docs/architecture.md draws the
 * floors; scripts/check-layers.py keeps them.
 *
 * Locking, in one place:
 * - Every field of struct glass_sock below "Protected by the socket lock"
 *   is read and written only by the socket's owner: process context under
 *   lock_sock(), or softirq/timer context under bh_lock_sock() when
 *   !sock_owned_by_user(). Softirq work that finds the socket owned goes to
 *   the backlog (segments) or sets a deferred bit (timers) and is finished
 *   by release_sock() (glass_backlog_rcv() and glass_release_cb()).
 * - Hash tables (glass_table.c) have one spinlock per bucket, taken with
 *   BHs disabled; a lookup returns the socket with a reference held. Each
 *   table's buckets are a lock class of their own.
 * - A listener's accept queue is protected by its accept_lock, so a child
 *   can join it from softirq without the listener's socket lock.
 * - Lock order: listener socket lock, then a child's (a new child in
 *   softirq: subclass 0 under the listener's SINGLE_DEPTH_NESTING), then
 *   accept_lock or one bucket lock at a time (the SYN path takes the
 *   connection bucket, then the bind bucket, never both). listen() holds a
 *   bind bucket lock while it takes a listen bucket lock, the one nesting
 *   of bucket locks.
 * - Per-namespace counters are per-CPU and lock-free.
 * - Memory charged to a socket (sk_forward_alloc, glass_mem.c) changes only
 *   under its socket lock: write-queue and receive-queue skbs are queued
 *   and freed by the owner, never from another context.
 *
 * Read without the lock that protects them (each write WRITE_ONCE, or a
 * release store, each such read READ_ONCE or an acquire load):
 * - sk_state: glass_set_state() stores with release; poll loads with
 *   acquire (inet_sk_state_load()); table lookups and walks read it under
 *   a bucket lock (it is volatile in struct sock_common).
 * - sk_shutdown, sk_err, sk_max_ack_backlog, sk_sndbuf, sk_rcvbuf: poll,
 *   the SYN path, the receive path.
 * - rcv_unread: written by the owner, read by poll.
 * - reply_poll: written by the owner, read by a blocking read before it
 *   takes the lock (glass_reply_poll()).
 * - oif: written by the owner (glass_use_dev()), read by the device
 *   notifier under the connection bucket lock (glass_conn.c).
 * - accept_len, pending_len: written under accept_lock, read by poll, by
 *   the SYN path under the listener's lock, and by procfs.
 * - bind_hashed, conn_hashed, listen_hashed: written by the owner under
 *   the bucket lock, read by walks under another bucket's lock.
 * - born_us, and sk_cookie (the socket cookie, SO_COOKIE's): set before
 *   the socket is visible, never changed.
 * - sk_tsq_flags (the deferred timer work, as TCP keeps its own there,
 *   and the ACK gathered for release_sock()): atomic bit operations only.
 *
 * Fields of struct sock that glass uses as TCP uses them, instead of its
 * own copies (glass_sock's size is its slab slot): sk_send_head, the
 * first unsent skb on sk_write_queue (owner); sk_tsq_flags, the deferred
 * bits (atomic); sk_timer, the cork timer (owner); sk_cookie, the id
 * tracers see.
 */
#ifndef _GLASS_SOCK_H
#define _GLASS_SOCK_H

#include <linux/sched/clock.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <net/sock.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <linux/glass.h>
#include <linux/glass_wire.h>
#include <linux/glass_tracepoints.h>

#include "core/seq.h"
#include "core/rto.h"
#include "core/cc.h"
#include "core/ooo.h"
#include "core/sack.h"
#include "core/rack.h"
#include "core/rcvbuf.h"
#include "core/replypoll.h"
#include "glass_frame.h"

/*
 * Payload cap per segment: one linear skb within a 64 KiB allocation (an
 * order-4 page block with its shared info), so memory charged to a socket
 * stays close to the bytes it carries at any MTU.
 */
#define GLASS_MAX_MSS		(65536 - 1024 - GLASS_HEADROOM)
#define GLASS_MIN_MSS		64
#define GLASS_DEFAULT_MSS	536
/* The largest peer window believed (glass_input.c), TCP's 65535 << 14. */
#define GLASS_MAX_WINDOW	BIT(30)

struct glass_mib_counters {
	u64 v[GLASS_MIB_MAX];
};

/**
 * struct glass_sysctl - per-namespace tunables (net.glass.*).
 * @rto_min_ms: lower bound of the retransmission timeout.
 * @rto_max_ms: upper bound of any backed-off timeout.
 * @rto_initial_ms: timeout before the first RTT sample (SYN included).
 * @retries: RTO expirations in a row before ETIMEDOUT.
 * @syn_retries: SYN retransmissions before connect() fails.
 * @time_wait_ms: TIME_WAIT duration.
 * @delack_ms: delayed-ACK timer.
 * @orphan_retries: zero-window probes an orphan sends before it is reset.
 * @sack: offer SACK on the SYN and accept the peer's offer (0 or 1).
 * @congestion_control: GLASS_CC_* of new sockets.
 * @rmem: net.glass.rmem, bytes: min, default (a new socket's sk_rcvbuf),
 *	max (what autotuning may grow it to), as net.ipv4.tcp_rmem.
 * @wmem: net.glass.wmem, bytes: min (the floor under memory pressure, as
 *	net.ipv4.tcp_wmem's), default (a new socket's sk_sndbuf), max (what
 *	send-buffer autotuning may grow it to).
 * @queue_hold_bytes: a sender waits while the receiving queue of the pair
 *	(or loopback) it sends over holds this many bytes (glass_dev_hold());
 *	0 never waits.
 * @reply_poll_us: how long a read awaiting a reply spins before it sleeps
 *	(core/replypoll.h); 0 never spins.
 * @autocork: a write that leaves less than a train waits for the ACK of
 *	what is in flight (glass_autocork()), as net.ipv4.tcp_autocorking.
 */
struct glass_sysctl {
	int rto_min_ms;
	int rto_max_ms;
	int rto_initial_ms;
	int retries;
	int syn_retries;
	int time_wait_ms;
	int delack_ms;
	int orphan_retries;
	int sack;
	int congestion_control;
	int rmem[3];
	int wmem[3];
	int queue_hold_bytes;
	int reply_poll_us;
	int autocork;
};

/**
 * struct glass_net - what glass keeps per network namespace.
 * @mib: per-CPU counters.
 * @sysctl: tunables.
 * @sysctl_hdr: registration of @sysctl.
 * @sockets: glass sockets of the namespace (glass_sockstat's sockets_inuse).
 */
struct glass_net {
	struct glass_mib_counters __percpu *mib;
	struct glass_sysctl sysctl;
	struct ctl_table_header *sysctl_hdr;
	atomic_t sockets;
};

/* The namespace slot of struct glass_net (glass_sysctl.c). */
extern unsigned int glass_net_id;

static inline struct glass_net *glass_pernet(const struct net *net)
{
	return net_generic(net, glass_net_id);
}

static inline void glass_inc_stat(const struct net *net, enum glass_mib m)
{
	this_cpu_inc(glass_pernet(net)->mib->v[m]);
}

static inline void glass_add_stat(const struct net *net, enum glass_mib m,
				  u64 n)
{
	this_cpu_add(glass_pernet(net)->mib->v[m], n);
}

/**
 * struct glass_skb_cb - what glass keeps in skb->cb.
 * @seq: sequence number of the first payload byte (or SYN/FIN).
 * @end_seq: seq + payload length (+1 for SYN or FIN).
 * @flags: GLASS_* header flags.
 * @retransmitted: this segment was sent more than once (Karn's rule).
 * @ext_len: receive side: bytes of the header extension area (glass_ext.c),
 *	which follows the header at skb_transport_header().
 * @compact: receive side: a private skb that small segments are copied into.
 * @seg_size: receive side: payload of each segment the frame carries (the
 *	header's mss field for a train, else the payload length).
 * @offset: receive side: payload bytes already read (or trimmed).
 * @sacked: send side: every byte is SACKed (RACK has counted it delivered).
 * @rack_lost: send side: RACK found the last retransmission of these bytes
 *	lost; they go again before any other hole (glass_wq_rack_detect()).
 * @paged: send side: a copying write's payload, in page frags
 *	(glass_copy_to_frags()) rather than the skb's linear buffer.
 * @xmit_us: send side: when the skb was last (re)sent (RACK.xmit_ts).
 */
struct glass_skb_cb {
	u32 seq;
	u32 end_seq;
	u8 flags;
	u8 retransmitted;
	u8 ext_len;
	u8 compact;
	u16 seg_size;
	u32 offset;
	u8 sacked;
	u8 rack_lost;
	u8 paged;
	u64 xmit_us;
};

#define GLASS_SKB_CB(skb) ((struct glass_skb_cb *)&((skb)->cb[0]))

/* Deferred work bits, for timers that fire while the user owns the socket. */
enum {
	GLASS_WRITE_TIMER_DEFERRED,
	GLASS_DELACK_TIMER_DEFERRED,
	GLASS_CORK_TIMER_DEFERRED,	/* also: a held sender let go */
	GLASS_DEV_GONE,		/* not a timer: the device may be gone */
	/*
	 * Not timers either: an ACK (data taken from the backlog) or a window
	 * update (the reader made room) owed while the program held the
	 * socket, gathered into one ACK when it lets go (glass_ack_deferred()).
	 */
	GLASS_ACK_DEFERRED,
	GLASS_WND_UPDATE_DEFERRED,
	/* ACKs from the backlog opened the window: push once, at the end. */
	GLASS_PUSH_DEFERRED,
};

/* What the write timer is armed for. */
enum glass_timer_kind {
	GLASS_TIMER_NONE,
	GLASS_TIMER_RETRANS,	/* SYN, SYN-ACK, data or FIN retransmission */
	GLASS_TIMER_PROBE,	/* zero-window probe (persist) */
	GLASS_TIMER_TIMEWAIT,	/* end of TIME_WAIT */
	GLASS_TIMER_TLP,	/* tail loss probe (RFC 8985), then RTO */
	GLASS_TIMER_REO,	/* RACK reordering window (RFC 8985), then RTO */
};

/*
 * struct glass_sock - a glass socket. Addresses and ports live in
 * sk->__sk_common (skc_rcv_saddr, skc_daddr, skc_num, skc_dport). Each
 * group of fields below names the lock that protects it; a field also
 * read without that lock says so, and is in the list at the top of this
 * file.
 */
struct glass_sock {
	struct sock sk;

	/*
	 * Fields are grouped by the lock that protects them and, within a
	 * group, ordered so that alignment leaves almost no hole: the
	 * structure's size picks its slab slot (see the static_assert below
	 * it).
	 */

	/*
	 * Tables: changed by the socket's owner under the bucket lock of
	 * glass_table.c. The owner reads *_hashed without it; a walk of the
	 * bind table reads conn_hashed under the bind bucket's lock (ONCE).
	 */
	struct hlist_node bind_node;
	struct hlist_node conn_node;
	struct hlist_node listen_node;
	bool bind_hashed;
	bool conn_hashed;
	bool listen_hashed;

	/*
	 * Protected by the socket lock (the owner). oif is also read by the
	 * device notifier, rcv_unread by poll (both ONCE).
	 */
	u8 timer_kind;			/* enum glass_timer_kind */
	int oif;			/* the glass device the connection uses */
	u32 iss;
	u32 irs;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_max;			/* highest sequence number sent */
	u32 write_seq;			/* end of data queued by the writer */
	u32 snd_wnd;
	u32 max_snd_wnd;
	u32 snd_wl1;			/* seq of the segment that set snd_wnd */
	u32 snd_wl2;			/* ack of the segment that set snd_wnd */
	u32 snd_sml;			/* end of the last small segment sent */
	u32 mss;			/* payload per segment we send */
	u32 peer_mss;
	u32 user_mss;			/* GLASS_MAXSEG, 0 if unset */
	u32 train_bytes;		/* payload one frame may carry ... */
	u32 train_segs;			/* ... and segments (glass_output.c) */
	struct glass_rto rto;
	struct glass_cc cc;
	/*
	 * SACK scoreboard (glass_wq_*). sb.sacked is NULL until an ACK
	 * carries a SACK block, and freed again once nothing above snd_una
	 * is SACKed (glass_sb_attach(), glass_sb_trim()).
	 */
	struct glass_sb sb;
	/* The pages copying writes fill, NULL until the first (glass_txpage.c). */
	struct glass_txpage_ring *txpages;
	struct glass_rack rack;		/* RACK, RFC 8985 (glass_wq_*) */
	u32 rack_lost_bytes;		/* of skbs flagged rack_lost (glass_wq_*) */
	int undo_retrans;		/* resent since the cut, not D-SACKed; -1: no undo */
	u32 tlp_high_seq;		/* snd_max when it left */
	u32 retries;			/* RTO expirations in a row */
	int sndbuf_init;		/* sk_sndbuf before memory pressure */
	/* Persist timer: at most net.glass.*retries (100) + 1, and 16. */
	u8 probes_unanswered;		/* probes since the last ACK */
	u8 orphan_probes;		/* probes since closed, window still shut */
	u8 probe_backoff;		/* persist timer exponent */
	u8 route_iw;			/* route's initcwnd, segments; 0: ten */
	unsigned long cork_until;	/* jiffies: cork's 200 ms ceiling */
	u64 clock_us;			/* this event's time (glass_clock()) */

	u32 rcv_nxt;
	u32 rcv_adv;			/* right edge of the last advertised window */
	u32 rcv_acked;			/* rcv_nxt when we last sent an ACK */
	u32 rcv_space;			/* payload bytes the window spans */
	u32 rcv_unread;			/* in-order bytes not yet read */
	u32 rcv_mss;			/* largest segment received */
	struct glass_rcvbuf_tune rcv_tune;	/* autotuning (glass_rcvbuf.c) */
	struct sk_buff_head ooo_queue;	/* sorted by seq; may overlap */
	/*
	 * The byte ranges ooo_queue holds: NULL while it holds none,
	 * allocated by the first out-of-order segment, freed once the
	 * holes are filled (glass_input.c).
	 */
	struct glass_ooo_set *ooo;
	struct glass_sack_rcv sack_rcv;	/* blocks to report (sack_ok) */
	/*
	 * Packed flags: every write is by the owner (socket lock), or
	 * before the socket is visible, or at its destruction.
	 */
	bool sack_ok:1;			/* both ends agreed to SACK */
	bool tlp_out:1;			/* a loss probe awaits its ACK */
	bool orphan_counted:1;		/* in the global orphan count */
	bool nodelay:1;
	bool cork:1;
	bool fin_queued:1;		/* FIN is on the write queue */
	bool delack_pending:1;
	bool quickack:1;		/* GLASS_QUICKACK: ACK every segment */
	bool route_quickack:1;		/* ... set by the route, not the program */
	bool frto_orig:1;		/* this ACK delivered an original (F-RTO) */
	bool wake_owed:1;		/* readable: wake once unlocked (input) */
	u8 cc_algo;			/* GLASS_CC_*: sysctl, GLASS_CONGESTION */
	u8 reply_poll;			/* core/replypoll.h; read unlocked (ONCE) */

	/* Lifetime totals, for GLASS_INFO: protected by the socket lock. */
	u32 total_retrans;
	u32 fast_retrans;
	u32 sack_retrans;		/* holes resent by the scoreboard */
	u32 dsacks_in;			/* D-SACK blocks received */
	u32 undos;			/* window cuts undone (D-SACK, F-RTO) */
	u32 tlp_probes;			/* tail loss probes sent */
	u32 timeouts;
	u32 probes_sent;
	u32 dupacks_in;
	u32 zero_wnd_sent;
	u32 rcv_wnd_last;		/* window in the last segment sent */
	u32 segs_out;			/* u32, as tcp_info's: they wrap */
	u32 segs_in;
	u32 data_segs_out;
	u32 data_segs_in;
	u64 bytes_sent;
	u64 bytes_acked;
	u64 bytes_received;
	u64 writer_blocked;

	/*
	 * Timers (the cork timer is sk->sk_timer): armed and stopped by the
	 * owner (socket lock); a handler takes the lock itself, or defers to
	 * the owner through a bit in sk->sk_tsq_flags (GLASS_*_DEFERRED,
	 * GLASS_DEV_GONE). write_timeout is kept apart from
	 * write_timer.expires, which glass_dev_gone() moves to now without
	 * the socket lock.
	 */
	struct timer_list write_timer;
	struct timer_list delack_timer;
	unsigned long write_timeout;	/* jiffies the write timer is due */
	/*
	 * On a glass device's list of senders waiting for its peer's queue
	 * to drain (glass_dev_hold()), empty when not: the device's lock
	 * protects it; a reference is held while it is listed.
	 */
	struct list_head held;

	/*
	 * Listener: the accept queue, protected by accept_lock. accept_len
	 * and pending_len are also read without it (poll, the SYN path,
	 * procfs: ONCE); accept()'s wait tests list_empty(&accept_queue)
	 * under the listener's socket lock only.
	 */
	spinlock_t accept_lock;
	u32 accept_len;
	u32 pending_len;
	bool accept_ready;		/* child: see below */
	struct list_head accept_queue;	/* established children */
	union {
		struct list_head pending;	/* children in SYN_RECV */
		/*
		 * A connected socket (never a listener) on the list of
		 * writers waiting for glass memory, empty when not (so
		 * pending stays a valid empty list): glass_memwait.c's lock
		 * protects it, poll reads it without (list_empty()).
		 */
		struct list_head memwait_node;
	};
	/*
	 * Child: parent (a reference is held) is set at allocation and
	 * cleared by accept() under the child's socket lock; accept_node and
	 * accept_ready (on the accept queue, not pending; placed above to
	 * fill a hole) are protected by the listener's accept_lock.
	 */
	struct sock *parent;
	struct list_head accept_node;

	/* Set once by glass_init_sock(), read by anyone (tracepoints). */
	u64 born_us;
};

/*
 * An idle connected pair is two of these; the protocol's slab cache
 * aligns each to 64-byte cache lines, so 1537 B would take a 1600-byte
 * slot. Keep it within 1536 B (21 to an order-3 slab, where TCP's
 * 2.25 KB sockets fit 14); docs/perf.md ("Kernel memory per idle
 * connected pair") has what a pair costs against TCP. The bound is the
 * stock kernel's: sparse sizes this layout otherwise, and the debug
 * kernel's lock debugging (lockdep's maps, spinlock owners) grows
 * struct sock itself.
 */
#if !defined(__CHECKER__) && !defined(CONFIG_DEBUG_LOCK_ALLOC) && \
	!defined(CONFIG_DEBUG_SPINLOCK)
static_assert(sizeof(struct glass_sock) <= 1536);
#endif

static inline struct glass_sock *glass_sk(const struct sock *sk)
{
	return (struct glass_sock *)sk;
}

/* Payload bytes the receive buffer spans: half of SO_RCVBUF's doubled value. */
static inline u32 glass_rcv_space(const struct sock *sk)
{
	return READ_ONCE(sk->sk_rcvbuf) / 2;
}

static inline u32 glass_ms_to_us(int ms)
{
	return (u32)ms * 1000;
}

/* Monotonic time for rare stamps: a socket's birth and lifetime. */
static inline u64 glass_now_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/*
 * The source of the socket's clock: the scheduler's clock of this CPU
 * (the TSC), as TCP's tcp_clock_ns(), never the clock source device that
 * ktime_get() reads; under QEMU that is the HPET, whose every read is a
 * device access under QEMU's global lock: 4-7% of all CPU in a bulk or
 * 10,000-connection run (docs/perf.md). CPUs may differ by up to a tick;
 * glass_clock_refresh() keeps each socket's clock from going back.
 */
static inline u64 glass_cpu_clock_us(void)
{
	return div_u64(local_clock(), NSEC_PER_USEC);
}

/*
 * The socket's clock, as TCP's tcp_mstamp: read once at the start of an
 * event (a segment received, a push, a timer, a read) by
 * glass_clock_refresh(), and used by every stamp and timing within it
 * (glass_clock()): an ACK alone took four clock reads. It never goes
 * back, so an interval between two of its readings is never negative,
 * and each reading is later than the last (glass_clock_next()).
 * Owner only (socket lock).
 */
static inline u64 glass_clock_refresh(struct glass_sock *gs)
{
	gs->clock_us = glass_clock_next(gs->clock_us, glass_cpu_clock_us());
	return gs->clock_us;
}

static inline u64 glass_clock(const struct glass_sock *gs)
{
	return gs->clock_us;
}

/*
 * Range sets allocated on first use (glass_mem.c): the out-of-order set
 * and the SACK scoreboard's, from any context (GFP_ATOMIC).
 */
extern const struct glass_ooo_set glass_ranges_none;
struct glass_ooo_set *glass_ranges_alloc(void);
void glass_ranges_free(struct glass_ooo_set **s);

/* The out-of-order set, for reading: never NULL. */
static inline const struct glass_ooo_set *
glass_ooo_held(const struct glass_sock *gs)
{
	return gs->ooo ? gs->ooo : &glass_ranges_none;
}

/*
 * Give the scoreboard a set before a SACK block is recorded. Without one
 * (no memory), glass_sb_sack() answers GLASS_SB_FULL and the block is
 * ignored and counted (sack_ignored); recovery falls back on what the
 * cumulative ACK and the timers tell.
 */
static inline void glass_sb_attach(struct glass_sock *gs)
{
	if (!gs->sb.sacked)
		gs->sb.sacked = glass_ranges_alloc();
}

/* Free the scoreboard's set once nothing above snd_una is SACKed. */
static inline void glass_sb_trim(struct glass_sock *gs)
{
	if (gs->sb.sacked && !gs->sb.sacked->n)
		glass_ranges_free(&gs->sb.sacked);
}

/* glass_trace.c */
void glass_note_drop(struct net *net, const struct glass_hdr *gh, u32 len,
		     enum glass_mib why);

/* glass_sysctl.c */
int glass_sysctl_init_net(struct net *net);
const char *glass_cc_name(u32 algo);
int glass_cc_find(const char *name);
void glass_sysctl_exit_net(struct net *net);

#endif /* _GLASS_SOCK_H */
