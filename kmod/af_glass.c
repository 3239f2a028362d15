// SPDX-License-Identifier: GPL-2.0
/*
 * The socket calls of a glass socket: create, bind, listen, accept,
 * connect, getname, shutdown and close (release), with TCP's answers in
 * every state. Data transfer calls (sendmsg, recvmsg, poll, ioctl,
 * options) are in glass_io.c; what a connection is and how it ends is in
 * glass_conn.c; what happens on the wire is in glass_input.c and
 * glass_output.c. This is the top floor: nothing else in the module
 * calls into this file, except through struct proto_ops.
 */
#include <linux/module.h>
#include <net/route.h>
#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_mem.h"
#include "glass_table.h"
#include "glass_engine.h"
#include "glass_conn.h"
#include "glass_socket.h"

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
	/* io_uring's send-zc (glass_zerocopy.c), as inet_accept(). */
	set_bit(SOCK_SUPPORT_ZC, &newsock->flags);
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
	WRITE_ONCE(gs->rcv_unread, 0);
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
	u32 rto_min_us;
	__be32 saddr;
	int err;

	err = glass_route(sk, addr->sg_addr.s_addr, &saddr, &rto_min_us);
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
	glass_init_conn_vars(sk, rto_min_us);
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

static const struct proto_ops glass_stream_ops = {
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

/**
 * glass_create() - socket(AF_GLASS, SOCK_STREAM, 0).
 * @net: the caller's namespace.
 * @sock: the new struct socket.
 * @protocol: must be 0.
 * @kern: a kernel socket.
 *
 * Return: 0, -ESOCKTNOSUPPORT (not SOCK_STREAM), -EPROTONOSUPPORT or
 * -ENOMEM.
 */
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
	/* io_uring's send-zc may use glass_sendmsg (glass_zerocopy.c). */
	set_bit(SOCK_SUPPORT_ZC, &sock->flags);
	glass_init_sock(sk);
	glass_rcvbuf_init(sk);
	glass_sndbuf_init(sk);
	return 0;
}
