// SPDX-License-Identifier: GPL-2.0
/*
 * The socket side of glass: socket creation, bind, listen, accept,
 * connect, getname, shutdown and close, and the connection lifecycle
 * helpers they share with the engine. Data transfer calls (sendmsg,
 * recvmsg, poll, ioctl, options) are in glass_io.c; what happens on the
 * wire is in glass_input.c and glass_output.c.
 *
 * Implementation notes:
 * - A listener creates a child socket for each SYN. The child sits on the
 *   listener's pending list in SYN_RECV, moves to its accept queue when
 *   the handshake completes, and is grafted to a new struct socket by
 *   accept(). Each list holds a reference on the child; whoever unlinks a
 *   child (list_del_init under accept_lock) owns that reference. A child
 *   holds a reference on its listener until it is accepted or destroyed.
 * - Sockets in the tables hold a reference each (glass_table.c), so a
 *   closed (orphaned) socket lives on until glass_done() unhashes it.
 * - States use the TCP_* numbering.
 */
#include <linux/module.h>
#include <linux/random.h>
#include <net/route.h>
#include <net/inet_sock.h>
#include <net/tcp_states.h>

#include "glass_impl.h"
#include "glass_trace.h"

/* Set the state, traced; poll reads it without the lock. */
void glass_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	if (old != state)
		trace_glass_state_change(sk, old, state);
	/* Pairs with the acquire in inet_sk_state_load() of lockless readers. */
	smp_store_release(&sk->sk_state, state);
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

/* Start the per-connection variables from the device's MSS and sysctls. */
void glass_init_conn_vars(struct sock *sk)
{
	struct glass_sysctl *sc = &glass_pernet(sock_net(sk))->sysctl;
	struct glass_sock *gs = glass_sk(sk);

	glass_rto_init(&gs->rto, glass_ms_to_us(sc->rto_min_ms),
		       glass_ms_to_us(sc->rto_max_ms),
		       glass_ms_to_us(sc->rto_initial_ms));
	gs->iss = get_random_u32();
	gs->snd_una = gs->iss;
	gs->snd_nxt = gs->iss;
	gs->snd_max = gs->iss;
	gs->write_seq = gs->iss + 1;
	gs->snd_sml = gs->iss;
	gs->retries = 0;
	glass_rcv_space_init(sk);
}

static atomic64_t glass_cookie_gen = ATOMIC64_INIT(0);

static void glass_destruct(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb;

	trace_glass_destroy_sock(sk);
	__skb_queue_purge(&gs->ooo_queue);
	skb_queue_purge(&sk->sk_receive_queue);
	/* glass_done() emptied it; anything left is a bug, but return it. */
	WARN_ON_ONCE(!skb_queue_empty(&sk->sk_write_queue));
	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		glass_wmem_free_skb(sk, skb);
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

static void glass_init_sock(struct sock *sk)
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
	glass_ooo_init(&gs->ooo);
	spin_lock_init(&gs->accept_lock);
	INIT_LIST_HEAD(&gs->accept_queue);
	INIT_LIST_HEAD(&gs->pending);
	INIT_LIST_HEAD(&gs->accept_node);
	INIT_HLIST_NODE(&gs->bind_node);
	INIT_HLIST_NODE(&gs->conn_node);
	INIT_HLIST_NODE(&gs->listen_node);
	gs->mss = GLASS_DEFAULT_MSS;
	gs->rcv_mss = GLASS_DEFAULT_MSS;
	gs->born_us = glass_now_us();
	gs->cookie = atomic64_inc_return(&glass_cookie_gen);
	glass_init_timers(sk);
	gs->sndbuf_init = sk->sk_sndbuf;
	glass_sockets_allocated_add(1);
	atomic_inc(&glass_pernet(sock_net(sk))->sockets);
}

int glass_create(struct net *net, struct socket *sock, int protocol, int kern)
{
	struct sock *sk;

	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol)
		return -EPROTONOSUPPORT;
	sk = sk_alloc(net, PF_GLASS, GFP_KERNEL, &glass_proto, kern);
	if (!sk)
		return -ENOMEM;
	sock_init_data(sock, sk);
	sock->ops = &glass_stream_ops;
	sock->state = SS_UNCONNECTED;
	glass_init_sock(sk);
	return 0;
}

/**
 * glass_child_alloc() - a socket for a connection a listener is accepting.
 * @parent: the listener, locked.
 * @gfp: allocation flags (softirq: GFP_ATOMIC).
 *
 * The child inherits the listener's buffer sizes and options and holds a
 * reference on it. Return: the child (one reference), or NULL.
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
	if (sock_flag(parent, SOCK_LINGER))
		sock_set_flag(sk, SOCK_LINGER);
	gs->nodelay = pgs->nodelay;
	gs->user_mss = pgs->user_mss;
	sock_hold(parent);
	gs->parent = parent;
	return sk;
}

/* Unlink a child from its listener's lists; true if this call did it. */
static bool glass_child_unlink(struct sock *child, bool *was_accepted)
{
	struct glass_sock *gs = glass_sk(child);
	struct glass_sock *pgs = glass_sk(gs->parent);
	bool unlinked = false;

	spin_lock_bh(&pgs->accept_lock);
	if (!list_empty(&gs->accept_node)) {
		list_del_init(&gs->accept_node);
		*was_accepted = gs->accept_ready;
		if (gs->accept_ready)
			pgs->accept_len--;
		else
			pgs->pending_len--;
		unlinked = true;
	}
	spin_unlock_bh(&pgs->accept_lock);
	return unlinked;
}

/*
 * The handshake of a child completed: move it to the accept queue and wake
 * accept(). If the listener stopped meanwhile, the child is reset.
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
		pgs->pending_len--;
		pgs->accept_len++;
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
	bool accepted;

	if (glass_sk(child)->parent && glass_child_unlink(child, &accepted))
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
	struct sk_buff *skb;

	glass_set_state(sk, TCP_CLOSE);
	glass_clear_timers(sk);
	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		glass_wmem_free_skb(sk, skb);
	gs->send_head = NULL;
	__skb_queue_purge(&gs->ooo_queue);
	glass_ooo_init(&gs->ooo);
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

/* The connection failed or was reset: report err to the program. */
void glass_reset_conn(struct sock *sk, int err)
{
	WRITE_ONCE(sk->sk_err, err);
	glass_done(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
}

static int glass_check_addr(const struct sockaddr *addr, int len)
{
	if (len < (int)sizeof(struct sockaddr_glass))
		return -EINVAL;
	if (addr->sa_family != AF_GLASS)
		return -EAFNOSUPPORT;
	return 0;
}

static int glass_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	DECLARE_SOCKADDR(struct sockaddr_glass *, addr, uaddr);
	__be32 a = addr->sg_addr.s_addr;
	u16 port = ntohs(addr->sg_port);
	struct sock *sk = sock->sk;
	int err;

	err = glass_check_addr(uaddr, len);
	if (err)
		return err;
	if (port && port < GLASS_PROT_SOCK &&
	    !ns_capable(sock_net(sk)->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;
	if (a && inet_addr_type(sock_net(sk), a) != RTN_LOCAL)
		return -EADDRNOTAVAIL;
	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || glass_sk(sk)->bind_hashed)
		goto out;
	err = glass_bind_port(sk, a, port);
	if (err)
		goto out;
	if (port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	if (a)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
out:
	release_sock(sk);
	return err;
}

static int glass_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED)
		goto out;
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN)
		goto out;
	if (!glass_sk(sk)->bind_hashed) {
		err = glass_bind_port(sk, 0, 0);
		if (err)
			goto out;
	}
	WRITE_ONCE(sk->sk_max_ack_backlog, max(backlog, 0));
	err = glass_table_listen(sk);
out:
	release_sock(sk);
	return err;
}

/* Take the first child off the accept queue (its reference with it). */
static struct sock *glass_accept_dequeue(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk), *child = NULL;

	spin_lock_bh(&gs->accept_lock);
	if (!list_empty(&gs->accept_queue)) {
		child = list_first_entry(&gs->accept_queue, struct glass_sock,
					 accept_node);
		list_del_init(&child->accept_node);
		gs->accept_len--;
	}
	spin_unlock_bh(&gs->accept_lock);
	return child ? &child->sk : NULL;
}

static int glass_wait_for_child(struct sock *sk, long *timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct glass_sock *gs = glass_sk(sk);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while (list_empty(&gs->accept_queue)) {
		if (sk->sk_state != TCP_LISTEN) {
			err = -EINVAL;
			break;
		}
		if (!*timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		sk_wait_event(sk, timeo, !list_empty(&gs->accept_queue) ||
			      sk->sk_state != TCP_LISTEN, &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

static int glass_accept(struct socket *sock, struct socket *newsock, int flags,
			bool kern)
{
	struct sock *sk = sock->sk, *child;
	struct sock *parent;
	long timeo;
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out;
	timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	err = glass_wait_for_child(sk, &timeo);
	if (err)
		goto out;
	child = glass_accept_dequeue(sk);
	release_sock(sk);
	if (!child)
		return -EAGAIN;

	lock_sock(child);
	sock_graft(child, newsock);
	newsock->state = SS_CONNECTED;
	parent = glass_sk(child)->parent;
	glass_sk(child)->parent = NULL;
	release_sock(child);
	sock_put(parent);
	return 0;
out:
	release_sock(sk);
	return err;
}

/* Reset every child of a listener that stops listening. */
void glass_listen_stop(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_sock *child;
	struct list_head *lists[] = { &gs->pending, &gs->accept_queue };
	int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		for (;;) {
			spin_lock_bh(&gs->accept_lock);
			child = list_first_entry_or_null(lists[i],
							 struct glass_sock,
							 accept_node);
			if (child) {
				list_del_init(&child->accept_node);
				if (i == 0)
					gs->pending_len--;
				else
					gs->accept_len--;
			}
			spin_unlock_bh(&gs->accept_lock);
			if (!child)
				break;
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

/*
 * A socket whose earlier connect failed (refused, timed out, reset) may
 * connect again, as with TCP's disconnect: nothing of the old attempt may
 * leak into the new one.
 */
static void glass_forget_connection(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	skb_queue_purge(&sk->sk_receive_queue);
	gs->rcv_unread = 0;
	gs->fin_queued = false;
	gs->snd_wnd = 0;
	gs->max_snd_wnd = 0;
	gs->probe_backoff = 0;
	gs->probes_unanswered = 0;
	gs->rcv_wnd_last = 0;
}

static int glass_connect_start(struct sock *sk, struct sockaddr_glass *addr)
{
	struct glass_sock *gs = glass_sk(sk);
	__be32 saddr;
	int err;

	err = glass_route(sk, addr->sg_addr.s_addr, &saddr);
	if (err)
		return err;
	if (!gs->bind_hashed) {
		err = glass_bind_port(sk, saddr, 0);
		if (err)
			return err;
	} else if (!sk->sk_rcv_saddr) {
		/* Bound to any address: the connection uses the route's. */
		sk->sk_rcv_saddr = saddr;
	}
	sk->sk_daddr = addr->sg_addr.s_addr;
	sk->sk_dport = addr->sg_port;
	glass_forget_connection(sk);
	glass_init_conn_vars(sk);
	err = glass_conn_hash(sk);
	if (err)
		return err;
	glass_set_state(sk, TCP_SYN_SENT);
	glass_inc_stat(sock_net(sk), GLASS_MIB_ACTIVE_OPENS);
	glass_send_syn(sk, false);
	return 0;
}

static int glass_wait_connect(struct sock *sk, long *timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	add_wait_queue(sk_sleep(sk), &wait);
	while ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!*timeo) {
			err = -EINPROGRESS;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(*timeo);
			break;
		}
		sk_wait_event(sk, timeo, !((1 << sk->sk_state) &
			      (TCPF_SYN_SENT | TCPF_SYN_RECV)), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

/* connect(), with TCP's answers to every state (__inet_stream_connect). */
static int glass_connect(struct socket *sock, struct sockaddr *uaddr,
			 int len, int flags)
{
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	err = glass_check_addr(uaddr, len);
	if (err)
		return err;
	lock_sock(sk);
	switch (sock->state) {
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != TCP_CLOSE)
			goto out;
		err = glass_connect_start(sk, (struct sockaddr_glass *)uaddr);
		if (err)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	default:
		err = -EINVAL;
		goto out;
	}
	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!timeo)
			goto out;
		err = glass_wait_connect(sk, &timeo);
		if (err)
			goto out;
	}
	if (sk->sk_state == TCP_CLOSE) {
		err = sock_error(sk) ? : -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		goto out;
	}
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int glass_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_glass *, addr, uaddr);
	struct sock *sk = sock->sk;

	memset(addr, 0, sizeof(*addr));
	addr->sg_family = AF_GLASS;
	if (peer) {
		if (!sk->sk_dport ||
		    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT)))
			return -ENOTCONN;
		addr->sg_port = sk->sk_dport;
		addr->sg_addr.s_addr = sk->sk_daddr;
	} else {
		addr->sg_port = sk->sk_num ? htons(sk->sk_num) : 0;
		addr->sg_addr.s_addr = sk->sk_rcv_saddr;
	}
	return sizeof(*addr);
}

/* Close our sending side: queue a FIN behind the data (TCP's tcp_close_state). */
static void glass_close_send(struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
		glass_set_state(sk, TCP_FIN_WAIT1);
		break;
	case TCP_CLOSE_WAIT:
		glass_set_state(sk, TCP_LAST_ACK);
		break;
	default:
		return;
	}
	glass_queue_fin(sk);
}

static int glass_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	how++;	/* SHUT_RD (0) -> RCV_SHUTDOWN (1), and so on. */
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	lock_sock(sk);
	if (sock->state == SS_CONNECTING) {
		if ((1 << sk->sk_state) &
		    (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE))
			sock->state = SS_DISCONNECTING;
		else
			sock->state = SS_CONNECTED;
	}
	switch (sk->sk_state) {
	case TCP_CLOSE:
		err = -ENOTCONN;
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		break;
	case TCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		glass_table_unlisten(sk);
		glass_listen_stop(sk);
		glass_set_state(sk, TCP_CLOSE);
		sock->state = SS_UNCONNECTED;
		break;
	case TCP_SYN_SENT:
		glass_done(sk);
		sock->state = SS_UNCONNECTED;
		break;
	default:
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		if (how & SEND_SHUTDOWN)
			glass_close_send(sk);
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/* Abortive close: SO_LINGER with zero time, or unread data at close. */
static bool glass_close_abortive(struct sock *sk)
{
	if (glass_sk(sk)->rcv_unread)
		return true;
	return sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime;
}

static void glass_close(struct sock *sk, long timeout)
{
	switch (sk->sk_state) {
	case TCP_LISTEN:
		glass_listen_stop(sk);
		glass_done(sk);
		return;
	case TCP_CLOSE:
		glass_done(sk);
		return;
	case TCP_SYN_SENT:
		glass_done(sk);
		return;
	}
	if (glass_close_abortive(sk)) {
		glass_send_rst(sk);
		glass_done(sk);
		return;
	}
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	glass_close_send(sk);
	if (timeout)
		sk_stream_wait_close(sk, timeout);
}

/*
 * The program closed a socket that lives on: it joins the orphans, unless
 * that would pass net.glass.max_orphans or glass memory is past its high
 * mark (TCP's tcp_check_oom() in tcp_close()): then it is reset now.
 */
static void glass_orphan_close(struct sock *sk)
{
	glass_orphan_inc(sk);
	if (!glass_check_oom(sk))
		return;
	glass_inc_stat(sock_net(sk), GLASS_MIB_ORPHAN_RESETS);
	if (sk->sk_state != TCP_TIME_WAIT)
		glass_send_rst(sk);
	glass_done(sk);
}

static int glass_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	long timeout = 0;

	if (!sk)
		return 0;
	if (sock_flag(sk, SOCK_LINGER) && !(current->flags & PF_EXITING))
		timeout = sk->sk_lingertime;
	lock_sock(sk);
	glass_close(sk, timeout);
	sock_orphan(sk);
	if (sk->sk_state != TCP_CLOSE)
		glass_orphan_close(sk);
	/* An orphan that finished closing gives its port back now. */
	if (sk->sk_state == TCP_CLOSE)
		glass_unbind(sk);
	/* Half-closed earlier: nobody will read, so do not wait forever. */
	if (sk->sk_state == TCP_FIN_WAIT2)
		glass_orphan_timeout(sk);
	release_sock(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

const struct proto_ops glass_stream_ops = {
	.family		= PF_GLASS,
	.owner		= THIS_MODULE,
	.release	= glass_release,
	.bind		= glass_bind,
	.connect	= glass_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= glass_accept,
	.getname	= glass_getname,
	.poll		= glass_poll,
	.ioctl		= glass_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= glass_listen,
	.shutdown	= glass_shutdown,
	.setsockopt	= glass_setsockopt,
	.getsockopt	= glass_getsockopt,
	.sendmsg	= glass_sendmsg,
	.recvmsg	= glass_recvmsg,
	.mmap		= sock_no_mmap,
	.sendpage	= sock_no_sendpage,
};
