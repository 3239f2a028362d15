/* SPDX-License-Identifier: GPL-2.0 */
/*
 * glass internals shared by the module's files: the socket structure, the
 * per-skb control block, per-namespace state and counters, and the calls
 * between the socket layer (af_glass.c, glass_io.c), the engine
 * (glass_input.c, glass_output.c, glass_timer.c), the tables
 * (glass_table.c), the device (glass_dev.c) and procfs (glass_proc.c).
 *
 * Locking, in one place:
 * - Every field of struct glass_sock below "Protected by the socket lock"
 *   is read and written only by the socket's owner: process context under
 *   lock_sock(), or softirq/timer context under bh_lock_sock() when
 *   !sock_owned_by_user(). Softirq work that finds the socket owned goes to
 *   the backlog (segments) or sets a deferred bit (timers) and is finished
 *   by release_sock() (glass_backlog_rcv() and glass_release_cb()).
 * - Hash tables (glass_table.c) have one spinlock per bucket, taken with
 *   BHs disabled; a lookup returns the socket with a reference held.
 * - A listener's accept queue is protected by its accept_lock, so a child
 *   can join it from softirq without the listener's socket lock. Lock
 *   order: listener socket lock, then a child's, then accept_lock.
 * - Per-namespace counters are per-CPU and lock-free.
 * - Memory charged to a socket (sk_forward_alloc, glass_mem.c) changes only
 *   under its socket lock: write-queue and receive-queue skbs are queued
 *   and freed by the owner, never from another context.
 */
#ifndef _GLASS_IMPL_H
#define _GLASS_IMPL_H

#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <net/sock.h>
#include <net/net_namespace.h>
#include <linux/glass.h>
#include <linux/glass_wire.h>
#include <linux/glass_tracepoints.h>

#include "core/seq.h"
#include "core/rto.h"
#include "core/cc.h"
#include "core/ooo.h"

/* Frame overhead on a glass device: Ethernet header plus the glass header. */
#define GLASS_FRAME_OVERHEAD	(ETH_HLEN + GLASS_HDR_LEN)
/* Headroom reserved in every skb we build. */
#define GLASS_HEADROOM		(LL_MAX_HEADER + GLASS_HDR_LEN)
/*
 * Payload cap per segment: one linear skb within a 64 KiB allocation (an
 * order-4 page block with its shared info), so memory charged to a socket
 * stays close to the bytes it carries at any MTU.
 */
#define GLASS_MAX_MSS		(65536 - 1024 - GLASS_HEADROOM)
#define GLASS_MIN_MSS		64
#define GLASS_DEFAULT_MSS	536
/*
 * Payload cap of one frame carrying a train of segments (glass_output.c):
 * the header's 16-bit length field.
 */
#define GLASS_TRAIN_MAX		65535
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

struct glass_net *glass_pernet(const struct net *net);

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
 * @compact: receive side: a private skb that small segments are copied into.
 * @seg_size: receive side: payload of each segment the frame carries (the
 *	header's mss field for a train, else the payload length).
 * @offset: receive side: payload bytes already read (or trimmed).
 */
struct glass_skb_cb {
	u32 seq;
	u32 end_seq;
	u8 flags;
	u8 retransmitted;
	u8 compact;
	u16 seg_size;
	u32 offset;
};

#define GLASS_SKB_CB(skb) ((struct glass_skb_cb *)&((skb)->cb[0]))

/* The segment size of a train (glass_output.c) in this header, or 0. */
static inline u32 glass_hdr_train_mss(const struct glass_hdr *gh)
{
	return (gh->flags & GLASS_SYN) ? 0 : ntohs(gh->mss);
}

/* Segments in len payload bytes cut at seg_size: one unless a train. */
static inline u32 glass_segs(u32 len, u32 seg_size)
{
	return seg_size && len > seg_size ? DIV_ROUND_UP(len, seg_size) : 1;
}

/* Deferred work bits, for timers that fire while the user owns the socket. */
enum {
	GLASS_WRITE_TIMER_DEFERRED,
	GLASS_DELACK_TIMER_DEFERRED,
	GLASS_CORK_TIMER_DEFERRED,
	GLASS_DEV_GONE,		/* not a timer: the device may be gone */
};

/* What the write timer is armed for. */
enum glass_timer_kind {
	GLASS_TIMER_NONE,
	GLASS_TIMER_RETRANS,	/* SYN, SYN-ACK, data or FIN retransmission */
	GLASS_TIMER_PROBE,	/* zero-window probe (persist) */
	GLASS_TIMER_TIMEWAIT,	/* end of TIME_WAIT */
};

/**
 * struct glass_sock - a glass socket. Addresses and ports live in
 * sk->__sk_common (skc_rcv_saddr, skc_daddr, skc_num, skc_dport).
 */
struct glass_sock {
	struct sock sk;

	/* Tables: changed only under the bucket locks of glass_table.c. */
	struct hlist_node bind_node;
	struct hlist_node conn_node;
	struct hlist_node listen_node;
	bool bind_hashed;
	bool conn_hashed;
	bool listen_hashed;

	/* Protected by the socket lock. */
	/* The glass device the connection uses; read locklessly too. */
	int oif;
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
	struct sk_buff *send_head;	/* first unsent skb on sk_write_queue */
	struct glass_rto rto;
	struct glass_cc cc;
	u32 retries;			/* RTO expirations in a row */
	u32 probes_unanswered;		/* probes since the last ACK */
	u32 orphan_probes;		/* probes since closed, window still shut */
	bool orphan_counted;		/* in the global orphan count */
	int sndbuf_init;		/* sk_sndbuf before memory pressure */
	u32 probe_backoff;		/* persist timer exponent */
	u8 timer_kind;			/* enum glass_timer_kind */
	bool nodelay;
	bool cork;
	bool fin_queued;		/* FIN is on the write queue */
	unsigned long cork_until;	/* jiffies: cork's 200 ms ceiling */

	u32 rcv_nxt;
	u32 rcv_adv;			/* right edge of the last advertised window */
	u32 rcv_acked;			/* rcv_nxt when we last sent an ACK */
	u32 rcv_space;			/* payload bytes the window spans */
	u32 rcv_unread;			/* in-order bytes not yet read */
	u32 rcv_mss;			/* largest segment received */
	bool delack_pending;
	bool quickack;
	struct sk_buff_head ooo_queue;	/* sorted by seq; may overlap */
	struct glass_ooo_set ooo;

	struct timer_list write_timer;
	struct timer_list delack_timer;
	struct timer_list cork_timer;
	unsigned long write_timeout;	/* jiffies the write timer is due */
	unsigned long deferred;		/* GLASS_*_DEFERRED bits, atomic */

	/* Listener: the accept queue, protected by accept_lock. */
	spinlock_t accept_lock;
	struct list_head accept_queue;	/* established children */
	struct list_head pending;	/* children in SYN_RECV */
	u32 accept_len;
	u32 pending_len;
	/* Child: its listener (a reference is held) and its list link. */
	struct sock *parent;
	struct list_head accept_node;
	bool accept_ready;		/* on the accept queue, not pending */

	/* Lifetime totals, for GLASS_INFO; protected by the socket lock. */
	u32 total_retrans;
	u32 fast_retrans;
	u32 timeouts;
	u32 probes_sent;
	u32 dupacks_in;
	u32 zero_wnd_sent;
	u32 rcv_wnd_last;		/* window in the last segment sent */
	u64 segs_out;
	u64 segs_in;
	u64 data_segs_out;
	u64 data_segs_in;
	u64 bytes_sent;
	u64 bytes_acked;
	u64 bytes_received;
	u64 writer_blocked;
	u64 born_us;
	u64 cookie;			/* unique id for tracers, never reused */
};

static inline struct glass_sock *glass_sk(const struct sock *sk)
{
	return (struct glass_sock *)sk;
}

static inline u32 glass_sndbuf_used(const struct glass_sock *gs)
{
	return gs->write_seq - gs->snd_una;
}

/* glass_main.c */
extern struct proto glass_proto;
extern unsigned int glass_net_id;

/* af_glass.c */
extern const struct proto_ops glass_stream_ops;
int glass_create(struct net *net, struct socket *sock, int protocol,
		 int kern);
void glass_set_state(struct sock *sk, int state);
void glass_done(struct sock *sk);
void glass_reset_conn(struct sock *sk, int err);
struct sock *glass_child_alloc(struct sock *parent, gfp_t gfp);
void glass_child_established(struct sock *child);
void glass_listen_stop(struct sock *sk);
void glass_init_conn_vars(struct sock *sk);

/* glass_io.c: sendmsg, recvmsg, poll, ioctl, options */
int glass_sendmsg(struct socket *sock, struct msghdr *msg, size_t len);
int glass_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		  int flags);
__poll_t glass_poll(struct file *file, struct socket *sock,
		    struct poll_table_struct *wait);
int glass_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
int glass_setsockopt(struct socket *sock, int level, int optname,
		     sockptr_t optval, unsigned int optlen);
int glass_getsockopt(struct socket *sock, int level, int optname,
		     char __user *optval, int __user *optlen);
void glass_fill_info(struct sock *sk, struct glass_info *info);

/* glass_table.c */
int glass_table_init(void);
void glass_table_exit(void);
int glass_bind_port(struct sock *sk, __be32 addr, u16 port);
void glass_unbind(struct sock *sk);
void glass_bind_child(struct sock *sk);
int glass_table_listen(struct sock *sk);
void glass_table_unlisten(struct sock *sk);
int glass_conn_hash(struct sock *sk);
void glass_conn_unhash(struct sock *sk);
struct sock *glass_lookup(struct net *net, __be32 saddr, __be16 sport,
			  __be32 daddr, __be16 dport);
struct sock *glass_lookup_listener(struct net *net, __be32 daddr, u16 dport);
/* Visits one connection under its bucket lock (glass_table.c). */
typedef void (*glass_conn_fn)(struct sock *sk, void *arg);
void glass_table_walk_conns(struct net *net, glass_conn_fn fn, void *arg);
/**
 * struct glass_cursor - a place in a walk of a namespace's sockets.
 * @table: 0 the connection table, 1 the bind table, 2 the end.
 * @bucket: the bucket in that table.
 * @skip: sockets of the namespace already returned from that bucket.
 */
struct glass_cursor {
	u32 table;
	u32 bucket;
	u32 skip;
};

struct sock *glass_table_next(struct net *net, struct glass_cursor *c);

/* glass_input.c */
int glass_rcv(struct sk_buff *skb, struct net_device *dev,
	      struct packet_type *pt, struct net_device *orig_dev);
int glass_backlog_rcv(struct sock *sk, struct sk_buff *skb);
void glass_rcv_space_init(struct sock *sk);

/* glass_output.c */
int glass_route(struct sock *sk, __be32 daddr, __be32 *saddr);
int glass_send_syn(struct sock *sk, bool retransmit);
void glass_send_ack(struct sock *sk);
void glass_send_rst_reply(struct net *net, const struct glass_hdr *gh,
			  int oif);
void glass_send_rst(struct sock *sk);
void glass_send_probe(struct sock *sk);
void glass_push(struct sock *sk);
bool glass_send_into_window(struct sock *sk);
int glass_retransmit_head(struct sock *sk, int reason);
void glass_queue_fin(struct sock *sk);
u32 glass_select_window(struct sock *sk, bool commit);
void glass_window_update_check(struct sock *sk);
u32 glass_mss_for_dev(const struct net_device *dev);
void glass_train_limits(struct glass_sock *gs, const struct net_device *dev);
u32 glass_fit_mss(u32 mss);
bool glass_dev_is_glass(const struct net_device *dev);

/* glass_timer.c */
void glass_init_timers(struct sock *sk);
void glass_clear_timers(struct sock *sk);
void glass_arm_write_timer(struct sock *sk, enum glass_timer_kind kind,
			   unsigned long delay);
void glass_stop_write_timer(struct sock *sk);
void glass_release_cb(struct sock *sk);
void glass_rearm_rtx(struct sock *sk);
void glass_start_timewait(struct sock *sk);
void glass_orphan_timeout(struct sock *sk);
void glass_dev_gone(struct sock *sk);

/* glass_dev.c */
int glass_dev_init(void);
void glass_dev_exit(void);

/* glass_notify.c */
int glass_notify_init(void);
void glass_notify_exit(void);

/* glass_trace.c */
void glass_note_drop(struct net *net, const struct glass_hdr *gh, u32 len,
		     enum glass_mib why);

/* glass_proc.c */
int glass_proc_init_net(struct net *net);
void glass_proc_exit_net(struct net *net);

/* glass_sysctl.c */
int glass_sysctl_init_net(struct net *net);
void glass_sysctl_exit_net(struct net *net);
int glass_sysctl_init(void);
void glass_sysctl_exit(void);

/* glass_mem.c: protocol memory and orphan limits (docs/limits.md) */
extern long sysctl_glass_mem[3];
extern int sysctl_glass_max_orphans;
void glass_proto_mem_init(struct proto *prot);
int glass_mem_init(void);
void glass_mem_exit(void);
void glass_mem_netns_add(int n);
long glass_memory_pages(void);
bool glass_under_memory_pressure(const struct sock *sk);
bool glass_memory_over_limit(void);
bool glass_wmem_schedule(struct sock *sk, int size);
bool glass_rmem_schedule(struct sock *sk, struct sk_buff *skb);
void glass_wmem_queue_forced(struct sock *sk, struct sk_buff *skb);
void glass_wmem_free_skb(struct sock *sk, struct sk_buff *skb);
void glass_mem_reclaim_all(struct sock *sk);
void glass_sockets_allocated_add(int n);
void glass_orphan_inc(struct sock *sk);
void glass_orphan_dec(struct sock *sk);
unsigned int glass_orphans(void);
bool glass_check_oom(struct sock *sk);
int glass_sockstat_init_net(struct net *net);
void glass_sockstat_exit_net(struct net *net);

static inline struct net *glass_net(const struct sock *sk)
{
	return sock_net(sk);
}

static inline u32 glass_ms_to_us(int ms)
{
	return (u32)ms * 1000;
}

static inline u64 glass_now_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

#endif /* _GLASS_IMPL_H */
