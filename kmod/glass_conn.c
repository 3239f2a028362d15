// SPDX-License-Identifier: GPL-2.0
/*
 * The connection lifecycle: a glass socket from sk_alloc() to its
 * destructor, as the socket calls (af_glass.c) and the engine
 * (glass_input.c, glass_timer.c) share it. Its state (glass_set_state()),
 * the children a listener makes and hands to accept(), the end of a
 * connection (glass_done(), glass_reset_conn()), and the device it may
 * lose: when a glass device goes away (deleted, or moved to another
 * namespace), the connections that used it fail with ENETDOWN, as TCP's
 * do when their route is gone.
 *
 * Implementation notes:
 * - A listener creates a child socket for each SYN. The child sits on the
 *   listener's pending list in SYN_RECV, moves to its accept queue when
 *   the handshake completes, and is grafted to a new struct socket by
 *   accept(). Each list holds a reference on the child; whoever unlinks a
 *   child (list_del_init under accept_lock) owns that reference. A child
 *   holds a reference on its listener until it is accepted or destroyed.
 *   Only this file edits the lists.
 * - Sockets in the tables hold a reference each (glass_table.c), so a
 *   closed (orphaned) socket lives on until glass_done() unhashes it.
 * - States use the TCP_* numbering.
 * - The device notifier runs under RTNL, so it neither sleeps on a socket
 *   lock (a program can hold one for as long as a page fault on its
 *   buffer takes) nor rescans the tables per socket: one pass marks each
 *   connection of the device (glass_dev_gone()), and each then fails
 *   itself from its write timer, under its own lock, a moment later.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/sock_diag.h>
#include <linux/siphash.h>
#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_mem.h"
#include "glass_memwait.h"
#include "glass_dev.h"
#include "glass_table.h"
#include "glass_engine.h"
#include "glass_conn.h"
#include "glass_trace.h"
#include "glass_txpage.h"

struct proto glass_proto = {
	.name		= "GLASS",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct glass_sock),
	.backlog_rcv	= glass_backlog_rcv,
	.release_cb	= glass_release_cb,
};

/**
 * glass_set_state() - move a socket to a new state, traced.
 * @sk: the socket, owned (or a listener under its port's bucket lock).
 * @state: a TCP_* state.
 *
 * A release store: poll() reads the state without the lock.
 */
void glass_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	if (old != state)
		trace_glass_state_change(sk, old, state);
	/* Pairs with the acquire in inet_sk_state_load() of lockless readers. */
	smp_store_release(&sk->sk_state, state);
	/* Only a connected socket writes, so only one waits for memory. */
	if (((1 << old) & GLASS_TCPF_WRITER) &&
	    !((1 << state) & GLASS_TCPF_WRITER)) {
		smp_mb();	/* the state, then the list: glass_memwait_add() */
		glass_memwait_cancel(sk);
	}
}

/*
 * Wake writers once a third of the send buffer is free (as TCP does).
 * Called with the socket owned (glass_ack_new(), SO_SNDBUF), so
 * sk->sk_socket cannot be orphaned under us.
 */
static void glass_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !__sk_stream_is_writeable(sk, 1))
		return;
	if (test_and_clear_bit(SOCK_NOSPACE, &sock->flags))
		trace_glass_sndbuf(sk, false);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/*
 * The initial sequence number, as TCP's secure_tcp_seq() makes it (RFC
 * 6528): a keyed hash of the four-tuple, which no one outside can guess,
 * plus a clock that grows by one every 64 ns, so a new connection on a
 * four-tuple starts above the old one's numbers and a TIME_WAIT can let
 * it in (glass_tw_syn()). The key is glass's own.
 */
static u32 glass_isn(const struct sock *sk)
{
	static siphash_aligned_key_t key;
	u32 hash;

	net_get_random_once(&key, sizeof(key));
	hash = siphash_3u32((__force u32)sk->sk_rcv_saddr,
			    (__force u32)sk->sk_daddr,
			    (u32)sk->sk_num << 16 | ntohs(sk->sk_dport), &key);
	return hash + (u32)(ktime_get_real_ns() >> 6);
}

/**
 * glass_init_conn_vars() - start a connection's sequence space and timers.
 * @sk: the socket, owned; its device and MSS are chosen.
 * @rto_min_us: its route's floor of the RTO (glass_route.c), 0 for none.
 *
 * The ISS as glass_isn() says, the RTO from the namespace's sysctls (its
 * floor from the route if it sets one), the receive space from SO_RCVBUF.
 */
void glass_init_conn_vars(struct sock *sk, u32 rto_min_us)
{
	struct glass_sysctl *sc = &glass_pernet(sock_net(sk))->sysctl;
	struct glass_sock *gs = glass_sk(sk);

	glass_rto_init(&gs->rto,
		       rto_min_us ? : glass_ms_to_us(sc->rto_min_ms),
		       glass_ms_to_us(sc->rto_max_ms),
		       glass_ms_to_us(sc->rto_initial_ms));
	gs->iss = glass_isn(sk);
	gs->snd_una = gs->iss;
	gs->snd_nxt = gs->iss;
	gs->snd_max = gs->iss;
	gs->write_seq = gs->iss + 1;
	gs->snd_sml = gs->iss;
	gs->retries = 0;
	gs->rcv_space = glass_rcv_space(sk);
}

static void glass_destruct(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	trace_glass_destroy_sock(sk);
	__skb_queue_purge(&gs->ooo_queue);
	glass_ranges_free(&gs->ooo);
	glass_ranges_free(&gs->sb.sacked);
	skb_queue_purge(&sk->sk_receive_queue);
	/*
	 * Zero-copy completions nobody read: each held a reference on sk
	 * until it was queued (glass_zerocopy.c), so none comes later.
	 */
	skb_queue_purge(&sk->sk_error_queue);
	/* glass_done() emptied it; anything left is a bug, but return it. */
	WARN_ON_ONCE(!skb_queue_empty(&sk->sk_write_queue));
	glass_wq_purge(sk);
	glass_txpage_free(sk);
	/* Every charge was returned: what is forward-allocated goes back. */
	glass_mem_reclaim_all(sk);
	WARN_ON_ONCE(sk->sk_forward_alloc);
	WARN_ON_ONCE(sk->sk_wmem_queued);
	WARN_ON_ONCE(atomic_read(&sk->sk_rmem_alloc));
	glass_orphan_dec(sk);
	glass_sockets_allocated_add(-1);
	atomic_dec(&glass_pernet(sock_net(sk))->sockets);
	if (gs->parent) {
		sock_put(gs->parent);
		gs->parent = NULL;
	}
}

/*
 * The socket cookie, from the kernel's generator (unique, never reused):
 * the id in glass's tracepoints is the one SO_COOKIE and BPF's
 * bpf_get_socket_cookie() give for the same socket.
 */
static void glass_set_cookie(struct sock *sk)
{
	__u32 halves[2];	/* its copy for a diag message: not needed */

	sock_diag_save_cookie(sk, halves);
}

/**
 * glass_init_sock() - set up glass's part of a new socket.
 * @sk: the socket, just allocated (socket() or a listener's child).
 *
 * Queues, lists, timers, callbacks and the default MSS; counts the socket
 * in the namespace and in glass_proto.
 */
void glass_init_sock(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	sk->sk_destruct = glass_destruct;
	sk->sk_backlog_rcv = glass_backlog_rcv;
	/*
	 * Writers wait for sk_wmem_queued, which only an ACK lowers, and
	 * glass_ack_new() wakes them under the socket lock. Without this
	 * flag, sock_wfree() would call glass_write_space() for every frame
	 * freed, in any context and without the lock, racing with close()
	 * for sk->sk_socket.
	 */
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);
	sk->sk_write_space = glass_write_space;
	sk->sk_state = TCP_CLOSE;
	skb_queue_head_init(&gs->ooo_queue);
	gs->ooo = NULL;
	gs->sb.sacked = NULL;
	spin_lock_init(&gs->accept_lock);
	INIT_LIST_HEAD(&gs->accept_queue);
	INIT_LIST_HEAD(&gs->pending);
	INIT_LIST_HEAD(&gs->accept_node);
	INIT_LIST_HEAD(&gs->held);
	INIT_HLIST_NODE(&gs->bind_node);
	INIT_HLIST_NODE(&gs->conn_node);
	INIT_HLIST_NODE(&gs->listen_node);
	gs->mss = GLASS_DEFAULT_MSS;
	gs->rcv_mss = GLASS_DEFAULT_MSS;
	gs->born_us = glass_now_us();
	gs->cc_algo = READ_ONCE(glass_pernet(sock_net(sk))->sysctl.congestion_control);
	gs->reply_poll = GLASS_REPLY_INIT;
	glass_set_cookie(sk);
	glass_init_timers(sk);
	gs->sndbuf_init = sk->sk_sndbuf;
	glass_sockets_allocated_add(1);
	atomic_inc(&glass_pernet(sock_net(sk))->sockets);
}

/**
 * glass_child_alloc() - a socket for a connection a listener is accepting.
 * @parent: the listener, locked.
 * @gfp: allocation flags (softirq: GFP_ATOMIC).
 *
 * The child inherits the listener's buffer sizes and options (those glass
 * uses: SO_MARK, SO_PRIORITY and SO_BINDTODEVICE among them) and holds a
 * reference on it.
 * Return: the child (one reference), or NULL.
 */
struct sock *glass_child_alloc(struct sock *parent, gfp_t gfp)
{
	struct glass_sock *pgs = glass_sk(parent), *gs;
	struct sock *sk;

	sk = sk_alloc(sock_net(parent), PF_GLASS, gfp, &glass_proto, 0);
	if (!sk)
		return NULL;
	sock_init_data(NULL, sk);
	glass_init_sock(sk);
	gs = glass_sk(sk);
	sk->sk_type = parent->sk_type;
	sk->sk_sndbuf = parent->sk_sndbuf;
	gs->sndbuf_init = sk->sk_sndbuf;
	sk->sk_rcvbuf = parent->sk_rcvbuf;
	sk->sk_userlocks = parent->sk_userlocks & ~SOCK_BINDPORT_LOCK;
	sk->sk_reuse = parent->sk_reuse;
	sk->sk_rcvlowat = parent->sk_rcvlowat;
	sk->sk_sndtimeo = parent->sk_sndtimeo;
	sk->sk_rcvtimeo = parent->sk_rcvtimeo;
	sk->sk_lingertime = parent->sk_lingertime;
	/*
	 * As TCP's children (sk_clone_lock() copies the listener): the
	 * priority and mark each segment carries (tc, policy routing), and
	 * SO_BUSY_POLL's spin.
	 */
	sk->sk_priority = parent->sk_priority;
	sk->sk_mark = parent->sk_mark;
	/* SO_BINDTODEVICE, as TCP's children: the listener's device, if any. */
	sk->sk_bound_dev_if = READ_ONCE(parent->sk_bound_dev_if);
#ifdef CONFIG_NET_RX_BUSY_POLL
	WRITE_ONCE(sk->sk_ll_usec, READ_ONCE(parent->sk_ll_usec));
	WRITE_ONCE(sk->sk_prefer_busy_poll, READ_ONCE(parent->sk_prefer_busy_poll));
	WRITE_ONCE(sk->sk_busy_poll_budget, READ_ONCE(parent->sk_busy_poll_budget));
#endif
	if (sock_flag(parent, SOCK_LINGER))
		sock_set_flag(sk, SOCK_LINGER);
	if (sock_flag(parent, SOCK_ZEROCOPY))
		sock_set_flag(sk, SOCK_ZEROCOPY);
	gs->nodelay = pgs->nodelay;
	gs->user_mss = pgs->user_mss;
	gs->cc_algo = pgs->cc_algo;
	sock_hold(parent);
	gs->parent = parent;
	return sk;
}

/**
 * glass_child_pending() - a new child joins its listener's pending list.
 * @parent: the listener, locked, BHs off (softirq).
 * @child: the child in SYN_RECV; the list takes the caller's reference.
 */
void glass_child_pending(struct sock *parent, struct sock *child)
{
	struct glass_sock *pgs = glass_sk(parent);

	spin_lock(&pgs->accept_lock);
	list_add_tail(&glass_sk(child)->accept_node, &pgs->pending);
	WRITE_ONCE(pgs->pending_len, pgs->pending_len + 1);
	spin_unlock(&pgs->accept_lock);
}

/* Unlink a child from its listener's lists; true if this call did it. */
static bool glass_child_unlink(struct sock *child)
{
	struct glass_sock *gs = glass_sk(child);
	struct glass_sock *pgs = glass_sk(gs->parent);
	bool unlinked = false;

	spin_lock_bh(&pgs->accept_lock);
	if (!list_empty(&gs->accept_node)) {
		list_del_init(&gs->accept_node);
		if (gs->accept_ready)
			WRITE_ONCE(pgs->accept_len, pgs->accept_len - 1);
		else
			WRITE_ONCE(pgs->pending_len, pgs->pending_len - 1);
		unlinked = true;
	}
	spin_unlock_bh(&pgs->accept_lock);
	return unlinked;
}

/**
 * glass_child_established() - a child's handshake completed.
 * @child: the child, owned, now ESTABLISHED.
 *
 * Moves it from its listener's pending list to the accept queue and wakes
 * accept(). If the listener stopped meanwhile (the child is on no list),
 * the child is reset and done.
 */
void glass_child_established(struct sock *child)
{
	struct glass_sock *gs = glass_sk(child);
	struct sock *parent = gs->parent;
	struct glass_sock *pgs = glass_sk(parent);
	bool queued = false;

	spin_lock_bh(&pgs->accept_lock);
	if (!list_empty(&gs->accept_node)) {
		list_move_tail(&gs->accept_node, &pgs->accept_queue);
		gs->accept_ready = true;
		WRITE_ONCE(pgs->pending_len, pgs->pending_len - 1);
		WRITE_ONCE(pgs->accept_len, pgs->accept_len + 1);
		queued = true;
	}
	spin_unlock_bh(&pgs->accept_lock);
	if (!queued) {
		glass_send_rst(child);
		glass_done(child);
		return;
	}
	glass_inc_stat(sock_net(child), GLASS_MIB_PASSIVE_OPENS);
	parent->sk_data_ready(parent);
}

/* Remove a dying child from its listener, dropping the list's reference. */
static void glass_child_forget(struct sock *child)
{
	if (glass_sk(child)->parent && glass_child_unlink(child))
		sock_put(child);
}

/**
 * glass_done() - the connection is over: CLOSE, no timers, out of the
 * tables, queues freed, waiters woken. The caller holds a reference.
 * @sk: the socket, owned by the caller.
 */
void glass_done(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	glass_set_state(sk, TCP_CLOSE);
	glass_clear_timers(sk);
	glass_wq_purge(sk);
	__skb_queue_purge(&gs->ooo_queue);
	glass_ranges_free(&gs->ooo);
	glass_ranges_free(&gs->sb.sacked);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (!sk->sk_socket)
		glass_child_forget(sk);
	glass_table_unlisten(sk);
	glass_conn_unhash(sk);
	if (sock_flag(sk, SOCK_DEAD) || !sk->sk_socket ||
	    !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		glass_unbind(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

/**
 * glass_reset_conn() - the connection failed or was reset.
 * @sk: the socket, owned; the caller holds a reference.
 * @err: the positive errno the program sees (sk_err).
 *
 * The connection is done (glass_done()), and the error reported.
 */
void glass_reset_conn(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
	glass_done(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
}

/* Take the first child off one of a listener's lists, its reference with it. */
static struct glass_sock *glass_child_take(struct glass_sock *gs, bool pending)
{
	struct list_head *list = pending ? &gs->pending : &gs->accept_queue;
	u32 *len = pending ? &gs->pending_len : &gs->accept_len;
	struct glass_sock *child;

	spin_lock_bh(&gs->accept_lock);
	child = list_first_entry_or_null(list, struct glass_sock, accept_node);
	if (child) {
		list_del_init(&child->accept_node);
		WRITE_ONCE(*len, *len - 1);
	}
	spin_unlock_bh(&gs->accept_lock);
	return child;
}

/**
 * glass_accept_dequeue() - take the first established child for accept().
 * @sk: the listener, locked.
 *
 * Return: the child with the accept queue's reference, or NULL if the
 * queue is empty.
 */
struct sock *glass_accept_dequeue(struct sock *sk)
{
	struct glass_sock *child = glass_child_take(glass_sk(sk), false);

	return child ? &child->sk : NULL;
}

/**
 * glass_listen_stop() - reset every child of a listener that stops.
 * @sk: the listener, locked; it no longer takes SYNs (out of the listen
 *	table, or closing).
 *
 * Children still in the handshake first, then those accept() did not
 * take: each gets an RST and is done.
 */
void glass_listen_stop(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk), *child;
	int pending;

	for (pending = 1; pending >= 0; pending--) {
		while ((child = glass_child_take(gs, pending))) {
			lock_sock_nested(&child->sk, SINGLE_DEPTH_NESTING);
			if (child->sk.sk_state != TCP_CLOSE) {
				glass_send_rst(&child->sk);
				glass_done(&child->sk);
			}
			release_sock(&child->sk);
			sock_put(&child->sk);
		}
	}
}

/**
 * glass_dev_gone() - the device a connection uses may have gone away.
 * @sk: the connection; its lock need not be held (see glass_netdev_event()).
 *
 * Does not sleep. The write timer, made due now, checks under the socket
 * lock and fails the connection if its device is gone indeed.
 */
void glass_dev_gone(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	if (!test_and_set_bit(GLASS_DEV_GONE, &sk->sk_tsq_flags))
		sk_reset_timer(sk, &gs->write_timer, jiffies);
}

/**
 * glass_dev_gone_check() - fail the connection if its device is gone.
 * @sk: the socket, owned (the write timer or release_sock()).
 *
 * After glass_dev_gone(): the device may be gone (unregistered, moved to
 * another namespace) or not (another device went). A connection whose
 * device is gone is reset with ENETDOWN.
 */
void glass_dev_gone_check(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct net_device *dev;
	bool gone;

	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
		return;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(sock_net(sk), gs->oif);
	gone = !dev || !glass_dev_is_glass(dev);
	rcu_read_unlock();
	if (gone)
		glass_reset_conn(sk, ENETDOWN);
}

static void glass_dev_gone_mark(struct sock *sk, void *arg)
{
	if (READ_ONCE(glass_sk(sk)->oif) == *(int *)arg)
		glass_dev_gone(sk);
}

static int glass_netdev_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	int ifindex = dev->ifindex;

	if (event != NETDEV_UNREGISTER || !glass_dev_is_glass(dev))
		return NOTIFY_DONE;
	glass_table_walk_conns(dev_net(dev), glass_dev_gone_mark, &ifindex);
	return NOTIFY_DONE;
}

static struct notifier_block glass_netdev_notifier = {
	.notifier_call = glass_netdev_event,
};

/**
 * glass_conn_init() - watch devices go: register the netdevice notifier.
 *
 * Return: 0 or the notifier chain's error.
 */
int glass_conn_init(void)
{
	return register_netdevice_notifier(&glass_netdev_notifier);
}

/**
 * glass_conn_exit() - stop watching devices (module exit).
 */
void glass_conn_exit(void)
{
	unregister_netdevice_notifier(&glass_netdev_notifier);
}
