// SPDX-License-Identifier: GPL-2.0
/*
 * Zero-copy send, with TCP's API and TCP's kernel helpers.
 *
 * send(MSG_ZEROCOPY) on a socket with GLASS_ZEROCOPY set (SO_ZEROCOPY's
 * switch, see glass.h), and io_uring's IORING_OP_SEND_ZC (which hands
 * sendmsg a ubuf_info of its own in msg->msg_ubuf), do not copy the
 * user's bytes: skb_zerocopy_iter_stream() takes a reference on each page
 * of the buffer and attaches it to a write-queue skb as a page frag, and
 * the skb points to a ubuf_info (uarg). msg_zerocopy_realloc() charges
 * the uarg to optmem (sock_omalloc) and the pinned pages to the user's
 * RLIMIT_MEMLOCK (mm_account_pinned_pages()); the frags are charged to
 * the socket like any queued byte (sk_wmem_queued, so SO_SNDBUF bounds
 * them, and glass memory).
 *
 * Lifetime: every skb holding the pages holds a uarg reference: the
 * write-queue skb until the peer ACKs its bytes, the clones a train (or a
 * retransmission) sends, and on a glass loopback or pair device the
 * receiver's queue until its reader has copied the bytes out: glass
 * delivers the frame to the local receiver as it is, so the reader copies
 * straight from the sender's pages (one copy in all, where a copying
 * write costs two). When the last reference goes, the uarg's callback
 * queues the completion on the sender's error queue: a sock_extended_err
 * with SO_EE_ORIGIN_ZEROCOPY and the range of send calls [ee_info,
 * ee_data], read with recvmsg(MSG_ERRQUEUE) as a SOL_IP/IP_RECVERR
 * control message, as TCP's. Nothing ever writes to the pages: trains
 * and retransmissions are clones, and what cuts or trims such an skb
 * (glass_skb_split(), glass_skb_trim_head()) moves frag descriptors, never
 * bytes. A glass device stacked on Ethernet copies each segment when it
 * cuts the train (glass_dev.c), so there the completion comes once the
 * ACK arrived.
 */
#include <linux/errqueue.h>
#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_mem.h"
#include "glass_engine.h"
#include "glass_zerocopy.h"

/*
 * skb_zerocopy_iter_stream() charges each batch of pages rounded to whole
 * pages, so a chunk may cost a page more than its bytes at either end.
 */
#define GLASS_ZC_SLACK	(2 * PAGE_SIZE)

/*
 * A private head and frag table for skb (its frags stay shared), keeping
 * the truesize it is charged (skb_unclone_keeptruesize() is not exported
 * to modules).
 */
static int glass_skb_unclone(struct sk_buff *skb)
{
	unsigned int truesize = skb->truesize;

	if (skb_unclone(skb, GFP_ATOMIC))
		return -ENOMEM;
	skb->truesize = truesize;
	return 0;
}

/*
 * Drop len bytes at the front of a private nonlinear skb, first from its
 * linear part, then from its frags (tcp.c's __pskb_trim_head()).
 */
static void glass_frags_trim_head(struct sk_buff *skb, u32 len)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	u32 eat = min_t(u32, len, skb_headlen(skb));
	int i, k = 0;

	if (eat) {
		__skb_pull(skb, eat);
		len -= eat;
		if (!len)
			return;
	}
	eat = len;
	for (i = 0; i < shinfo->nr_frags; i++) {
		u32 size = skb_frag_size(&shinfo->frags[i]);

		if (size <= eat) {
			skb_frag_unref(skb, i);
			eat -= size;
			continue;
		}
		shinfo->frags[k] = shinfo->frags[i];
		if (eat) {
			skb_frag_off_add(&shinfo->frags[k], eat);
			skb_frag_size_sub(&shinfo->frags[k], eat);
			eat = 0;
		}
		k++;
	}
	shinfo->nr_frags = k;
	skb->data_len -= len;
	skb->len = skb->data_len;
}

/**
 * glass_skb_trim_head() - drop the first len payload bytes of a
 *	write-queue skb (an ACK covered them).
 * @skb: the skb; its truesize (what it is charged) does not change.
 * @len: fewer than skb->len.
 *
 * A linear skb is pulled in place: clones share its buffer, which nobody
 * writes. An skb with frags gets a private copy of its frag table first
 * (the frags themselves stay shared), as TCP's tcp_trim_head().
 * Return: 0, or -ENOMEM (nothing changed).
 */
int glass_skb_trim_head(struct sk_buff *skb, u32 len)
{
	if (!skb_is_nonlinear(skb)) {
		__skb_pull(skb, len);
		return 0;
	}
	if (glass_skb_unclone(skb))
		return -ENOMEM;
	/* io_uring's fixed buffers: take page references before dropping any. */
	skb_zcopy_downgrade_managed(skb);
	glass_frags_trim_head(skb, len);
	return 0;
}

/**
 * glass_skb_split() - cut a write-queue skb after len payload bytes.
 * @skb: the skb, left with its first len bytes.
 * @len: more than 0, fewer than skb->len.
 *
 * A linear skb and its tail share one buffer (a clone, both trimmed). An
 * skb with frags is split with skb_split() into a new skb, after a private
 * frag table (TCP's tcp_fragment()); the tail points to the same uarg and
 * holds a reference of its own. The caller shares the truesize out.
 * Return: the tail, not queued anywhere; NULL without memory.
 */
struct sk_buff *glass_skb_split(struct sk_buff *skb, u32 len)
{
	struct sk_buff *n;

	if (!skb_is_nonlinear(skb)) {
		n = skb_clone(skb, GFP_ATOMIC);
		if (!n)
			return NULL;
		__skb_pull(n, len);
		__skb_trim(skb, len);
		return n;
	}
	if (glass_skb_unclone(skb))
		return NULL;
	n = alloc_skb_fclone(GLASS_HEADROOM, GFP_ATOMIC);
	if (!n)
		return NULL;
	skb_reserve(n, GLASS_HEADROOM);
	skb_split(skb, n, len);
	return n;
}

/**
 * glass_set_zerocopy() - GLASS_ZEROCOPY: SO_ZEROCOPY for glass.
 * @sk: the socket (any state: TCP allows a listener too, and children
 *	inherit it).
 * @val: 0 or 1.
 *
 * Return: 0, or -EINVAL for any other value (as sock_setsockopt()).
 */
int glass_set_zerocopy(struct sock *sk, int val)
{
	if (val < 0 || val > 1)
		return -EINVAL;
	sock_valbool_flag(sk, SOCK_ZEROCOPY, val);
	return 0;
}

/*
 * The uarg to extend: the write queue's tail's, if MSG_ZEROCOPY made it
 * (msg_zerocopy_realloc() refuses any other kind).
 */
static struct ubuf_info *glass_zc_tail_uarg(struct sock *sk)
{
	struct ubuf_info *uarg = skb_zcopy(skb_peek_tail(&sk->sk_write_queue));

	return uarg && uarg->callback == msg_zerocopy_callback ? uarg : NULL;
}

/**
 * glass_zc_start() - does this send go zero-copy, and with which uarg?
 * @sk: the socket, owned.
 * @msg: the message: MSG_ZEROCOPY, and io_uring's msg_ubuf.
 * @len: bytes to send.
 * @uarg: set to the uarg to attach (a reference held), or NULL: copy.
 *
 * As tcp_sendmsg_locked(): io_uring's uarg is used as given; MSG_ZEROCOPY
 * goes zero-copy only with SO_ZEROCOPY (GLASS_ZEROCOPY) set and is
 * otherwise ignored; a uarg for consecutive sends is extended, so that
 * one completion can cover several calls.
 * Return: 0, or -ENOBUFS (optmem full, or over RLIMIT_MEMLOCK).
 */
int glass_zc_start(struct sock *sk, struct msghdr *msg, size_t len,
		   struct ubuf_info **uarg)
{
	*uarg = NULL;
	if (!(msg->msg_flags & MSG_ZEROCOPY) || !len)
		return 0;
	if (msg->msg_ubuf) {
		*uarg = msg->msg_ubuf;
		net_zcopy_get(*uarg);
		return 0;
	}
	if (!sock_flag(sk, SOCK_ZEROCOPY))
		return 0;
	*uarg = msg_zerocopy_realloc(sk, len, glass_zc_tail_uarg(sk));
	return *uarg ? 0 : -ENOBUFS;
}

/*
 * The unsent, private tail skb if this send may add pages to it: its
 * payload all in frags of the same uarg, room for more, below goal.
 */
static struct sk_buff *glass_zc_tail(struct sock *sk, struct ubuf_info *uarg,
				     u32 goal)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
	struct glass_sock *gs = glass_sk(sk);

	if (!skb || !sk->sk_send_head || skb_zcopy(skb) != uarg ||
	    skb_cloned(skb) || skb_headlen(skb))
		return NULL;
	if (glass_seq_before(GLASS_SKB_CB(skb)->seq, gs->snd_nxt) ||
	    (GLASS_SKB_CB(skb)->flags & GLASS_FIN))
		return NULL;
	if (skb->len >= goal || skb_shinfo(skb)->nr_frags >= MAX_SKB_FRAGS)
		return NULL;
	return skb;
}

/* A new empty skb at the tail of the write queue, room for need bytes. */
static struct sk_buff *glass_zc_new_skb(struct sock *sk, u32 need)
{
	return glass_wq_alloc_tail(sk, 0, need);
}

/**
 * glass_zc_send_step() - attach up to want bytes of the user's buffer.
 * @sk: the socket, owned, connected, below its send buffer.
 * @msg: the message; its iterator advances by what was attached.
 * @want: bytes left to send.
 * @goal: the most payload one skb should carry (a train).
 * @uarg: glass_zc_start()'s.
 *
 * Adds page frags to the tail skb or a new one, charging them.
 * Return: bytes attached (more than 0); -EAGAIN: no memory for them, wait
 * for room and try again; -EFAULT or another error from pinning the
 * pages. A new skb left empty by an error is the caller's to drop.
 */
int glass_zc_send_step(struct sock *sk, struct msghdr *msg, size_t want,
		       u32 goal, struct ubuf_info *uarg)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb;
	u32 chunk;
	int n;

	skb = glass_zc_tail(sk, uarg, goal);
	if (skb) {
		chunk = min_t(size_t, want, goal - skb->len);
		if (!glass_wmem_schedule(sk, chunk + GLASS_ZC_SLACK))
			return -EAGAIN;
	} else {
		chunk = min_t(size_t, want, goal);
		skb = glass_zc_new_skb(sk, chunk + GLASS_ZC_SLACK);
		if (!skb)
			return -EAGAIN;
	}
	n = skb_zerocopy_iter_stream(sk, skb, msg, chunk, uarg);
	if (n <= 0)
		return n == -EFAULT || !n ? -EFAULT : -ENOBUFS;
	GLASS_SKB_CB(skb)->end_seq += n;
	gs->write_seq += n;
	return n;
}

/**
 * glass_zc_end() - the send is over: drop glass_zc_start()'s reference.
 * @uarg: its uarg, or NULL.
 * @copied: bytes the call queued.
 *
 * A send that queued nothing gives its number in the notification
 * sequence back (msg_zerocopy_put_abort()), so the next completion
 * covers no call that failed, as TCP's.
 */
void glass_zc_end(struct ubuf_info *uarg, size_t copied)
{
	if (!uarg)
		return;
	if (copied)
		net_zcopy_put(uarg);
	else
		net_zcopy_put_abort(uarg, true);
}
