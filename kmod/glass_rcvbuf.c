// SPDX-License-Identifier: GPL-2.0
/*
 * Receive-buffer autotuning (tcp_rcv_space_adjust()): the receive path
 * times how long one window takes to arrive (the receiver's RTT), recvmsg
 * measures what the reader copies per RTT, and core/rcvbuf.c turns that
 * into sk_rcvbuf, bounded by net.glass.rmem, left alone after SO_RCVBUF
 * (SOCK_RCVBUF_LOCK) and given back under net.glass.mem pressure. The
 * window glass advertises is half of sk_rcvbuf (glass_rcv_space()), so a
 * larger buffer is a larger window at the next ACK or window update; every
 * byte it lets in is still charged through glass_rmem_schedule().
 */
#include "glass_engine.h"
#include "glass_mem.h"
#include "core/rcvbuf.h"
#include "core/window.h"

/* net.glass.rmem[i] of the socket's namespace, never below SO_RCVBUF's floor. */
static u32 glass_rmem(const struct sock *sk, int i)
{
	int v = READ_ONCE(glass_pernet(sock_net(sk))->sysctl.rmem[i]);

	return max_t(int, v, SOCK_MIN_RCVBUF);
}

/**
 * glass_rcvbuf_default() - the buffer a new socket gets: net.glass.rmem[1].
 * @sk: the socket; its namespace's setting is read now.
 *
 * Return: bytes.
 */
u32 glass_rcvbuf_default(const struct sock *sk)
{
	return glass_rmem(sk, 1);
}

/**
 * glass_rcvbuf_init() - a new socket's receive buffer: net.glass.rmem[1].
 * @sk: the socket, not yet visible to anyone.
 */
void glass_rcvbuf_init(struct sock *sk)
{
	WRITE_ONCE(sk->sk_rcvbuf, glass_rcvbuf_default(sk));
}

/**
 * glass_rcvbuf_rtt_sample() - in-order data arrived: time the window.
 * @sk: the socket, owned; rcv_nxt already advanced.
 */
void glass_rcvbuf_rtt_sample(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	glass_rcv_rtt_measure(&gs->rcv_tune, gs->rcv_nxt, gs->rcv_wnd_last,
			      glass_clock(gs));
}

/**
 * glass_rcvbuf_adjust_now() - the reader copied: resize sk_rcvbuf.
 * @sk: the socket, owned (recvmsg).
 *
 * The decision is glass_rcvbuf_adjust()'s. Called before the window
 * update check, so a grown buffer opens the window in the same update.
 * The time is the socket's clock, as of the last segment received or
 * sent: reading the clock source for each read() cost more than all the
 * rest of the decision, and a reader that copies late only sees its round
 * trip end a little later.
 */
void glass_rcvbuf_adjust_now(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	u64 now = glass_clock(gs);
	struct glass_rcvbuf_in in;
	u32 rcvbuf;

	if (glass_rcvbuf_in_round(&gs->rcv_tune, now) &&
	    !glass_under_memory_pressure(sk))
		return;
	in = (struct glass_rcvbuf_in) {
		.rcvbuf = sk->sk_rcvbuf,
		.locked = sk->sk_userlocks & SOCK_RCVBUF_LOCK,
		.pressure = glass_under_memory_pressure(sk),
		.rmem_default = glass_rmem(sk, 1),
		.rmem_max = glass_rmem(sk, 2),
		.held = atomic_read(&sk->sk_rmem_alloc),
		.promised = glass_rcv_window_left(gs->rcv_nxt, gs->rcv_adv),
		.mss = max(gs->rcv_mss, gs->mss),
		.window = gs->rcv_wnd_last,
	};
	rcvbuf = glass_rcvbuf_adjust(&gs->rcv_tune, &in,
				     gs->rcv_nxt - gs->rcv_unread, now);
	if (rcvbuf != in.rcvbuf)
		WRITE_ONCE(sk->sk_rcvbuf, rcvbuf);
}
