// SPDX-License-Identifier: GPL-2.0
/*
 * Send-buffer autotuning (tcp_sndbuf_expand()): a socket without SO_SNDBUF
 * starts at net.glass.wmem's default and, when its writer waits for room
 * while the congestion window has room to spare, grows to hold two
 * windows of data (what is in flight and what the next round trip sends),
 * bounded by net.glass.wmem's max. Growth stops under net.glass.mem
 * pressure; every queued byte is still charged (glass_wmem_schedule()).
 */
#include "glass_engine.h"
#include "glass_mem.h"

/* net.glass.wmem[i] of the socket's namespace, at least SO_SNDBUF's floor. */
static u32 glass_wmem(const struct sock *sk, int i)
{
	int v = READ_ONCE(glass_pernet(sock_net(sk))->sysctl.wmem[i]);

	return max_t(int, v, SOCK_MIN_SNDBUF);
}

/**
 * glass_sndbuf_init() - a new socket's send buffer: net.glass.wmem[1].
 * @sk: the socket, not yet visible to anyone.
 */
void glass_sndbuf_init(struct sock *sk)
{
	WRITE_ONCE(sk->sk_sndbuf, glass_wmem(sk, 1));
	glass_sk(sk)->sndbuf_init = sk->sk_sndbuf;
}

/*
 * Bytes of sk_sndbuf that hold wnd bytes of data: skbs of whole segments
 * in kmalloc buffers (glass_alloc_size() keeps them at least three
 * quarters full) or in page frags (charged by the byte), plus struct
 * sk_buff and the shared info: a quarter more at most.
 */
static u64 glass_sndbuf_for(u32 wnd)
{
	return (u64)wnd + wnd / 4;
}

/**
 * glass_sndbuf_expand() - the writer waits for room: grow sk_sndbuf.
 * @sk: the socket, owned (the ACK path).
 *
 * As tcp_should_expand_sndbuf(): not after SO_SNDBUF, not under memory
 * pressure, and only when the congestion window is not full (when it is,
 * a larger buffer would only queue more). Then room for twice the window
 * the sender may use (the smaller of cwnd and the largest window the peer
 * offered), at most net.glass.wmem[2]. The buffer never shrinks here.
 */
void glass_sndbuf_expand(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 wnd;
	u64 want;

	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		return;
	if (glass_under_memory_pressure(sk))
		return;
	if (gs->snd_max - gs->snd_una >= gs->cc.cwnd)
		return;
	wnd = min(gs->cc.cwnd, gs->max_snd_wnd);
	want = min_t(u64, 2 * glass_sndbuf_for(wnd), glass_wmem(sk, 2));
	if (want > (u64)sk->sk_sndbuf)
		WRITE_ONCE(sk->sk_sndbuf, (int)want);
}
