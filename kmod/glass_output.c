// SPDX-License-Identifier: GPL-2.0
/*
 * The transmit side of the engine: building headers and checksums, and
 * deciding which queued bytes may leave now (peer window, congestion
 * window, sender SWS avoidance, Nagle and cork). Control segments (SYN,
 * ACK, RST, probes) are built here too. This file is also the one owner
 * of the write queue (glass_wq_*()): the other files read it, only these
 * functions edit it. Every function runs with the socket owned by the
 * caller. The device a connection takes is glass_route.c's choice.
 */
#include <linux/etherdevice.h>
#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_mem.h"
#include "glass_dev.h"
#include "glass_engine.h"
#include "glass_zerocopy.h"
#include "glass_conn.h"
#include "glass_trace.h"
#include "glass_txpage.h"
#include "glass_ext.h"
#include "core/nagle.h"
#include "core/window.h"

/**
 * glass_fit_mss() - the segment size to send for a given MSS.
 * @mss: the largest payload both ends allow.
 *
 * A short write's segment, and one the receiver copies, lives in one
 * kmalloc'd skb, whose size is a power of two: an MSS just above a power
 * of two would waste almost half of every buffer, and the receiver's
 * memory would fill long before its window closes. If
 * the next smaller bucket holds at least 3/4 of the MSS, send segments
 * that fit it instead. Memory charged per segment then stays below twice
 * its payload, which the window (half of SO_RCVBUF's doubled value)
 * relies on.
 * Return: the segment size, @mss or a little less.
 */
u32 glass_fit_mss(u32 mss)
{
	u32 need = SKB_DATA_ALIGN(GLASS_HEADROOM + mss) +
		   SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	u32 down = rounddown_pow_of_two(need);
	u32 fit;

	if (down == need)
		return mss;
	fit = SKB_WITH_OVERHEAD(down) - GLASS_HEADROOM;
	return fit >= mss - mss / 4 && fit < mss ? fit : mss;
}

/*
 * Checksum a segment without payload in full (it is built, not
 * offloaded): the header and its extension area, len bytes.
 */
static void glass_set_check(struct glass_hdr *gh, u32 len)
{
	gh->check = 0;
	gh->check = csum_fold(csum_partial(gh, len, 0));
}

static const struct glass_hdr *glass_tx_hdr(const struct sk_buff *skb)
{
	return (const struct glass_hdr *)skb_transport_header(skb);
}

/* Hand a finished frame to the device through the normal queueing path. */
static int glass_dev_xmit(struct net *net, struct sk_buff *skb, int oif)
{
	struct net_device *dev;
	int err;

	rcu_read_lock_bh();
	dev = dev_get_by_index_rcu(net, oif);
	if (!dev || !netif_running(dev) || !glass_dev_is_glass(dev)) {
		rcu_read_unlock_bh();
		glass_note_drop(net, glass_tx_hdr(skb), skb->len,
				GLASS_MIB_DROP_TX_NO_DEVICE);
		kfree_skb(skb);
		/* Down may come back up; gone (or not glass) never does. */
		return dev && glass_dev_is_glass(dev) ? -ENETDOWN : -ENODEV;
	}
	skb->dev = dev;
	skb->protocol = htons(ETH_P_GLASS);
	skb_reset_network_header(skb);
	if (dev_hard_header(skb, dev, ETH_P_GLASS, dev->broadcast,
			    dev->dev_addr, skb->len) < 0) {
		rcu_read_unlock_bh();
		kfree_skb(skb);
		return -EINVAL;
	}
	skb_reset_mac_header(skb);
	err = dev_queue_xmit(skb);
	rcu_read_unlock_bh();
	if (err)
		glass_note_drop(net, NULL, 0, GLASS_MIB_DROP_TX_DEVICE);
	return net_xmit_eval(err);
}

/*
 * Every segment carries the current ACK and window, so sending one settles
 * any delayed ACK.
 */
static void glass_ack_sent(struct sock *sk, u32 wnd)
{
	struct glass_sock *gs = glass_sk(sk);

	gs->rcv_acked = gs->rcv_nxt;
	gs->rcv_wnd_last = wnd;
	if (gs->delack_pending) {
		gs->delack_pending = false;
		sk_stop_timer(sk, &gs->delack_timer);
	}
}

/**
 * glass_transmit() - put the header on skb and send it.
 * @sk: the socket, owned.
 * @skb: headroom reserved, payload (if any) in place, cb filled; more
 *	than an MSS of payload makes it a train of full MSS segments.
 * @ext_len: bytes of a header extension area at the start of skb's data
 *	(only on segments without payload), 0 for none.
 *
 * Consumes skb. A frame that does not leave (no device, no memory, a full
 * queue) is counted where it was dropped and is a loss like any other:
 * the timers that cover what it carried send it again, so no caller needs
 * an error. A device found gone fails the connection (glass_dev_gone()).
 */
static void glass_transmit(struct sock *sk, struct sk_buff *skb, u32 ext_len)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	struct glass_sock *gs = glass_sk(sk);
	u32 len = skb->len - ext_len, wnd = 0;
	u32 segs = glass_segs(len, gs->mss);
	struct glass_hdr *gh;
	u8 flags = cb->flags;

	/* Only the very first SYN goes out without an ACK. */
	if (sk->sk_state != TCP_SYN_SENT)
		flags |= GLASS_ACK;
	if (flags & GLASS_ACK)
		wnd = glass_select_window(sk, true);
	gh = skb_push(skb, GLASS_HDR_LEN);
	skb_reset_transport_header(skb);
	if (ext_len)
		flags |= GLASS_EXT;
	gh->version = GLASS_VERSION;
	gh->flags = flags;
	gh->len = htons(len + ext_len);
	gh->sport = htons(sk->sk_num);
	gh->dport = sk->sk_dport;
	gh->saddr = sk->sk_rcv_saddr;
	gh->daddr = sk->sk_daddr;
	gh->seq = htonl(cb->seq);
	gh->ack = (flags & GLASS_ACK) ? htonl(gs->rcv_nxt) : 0;
	gh->window = htonl(wnd);
	gh->mss = 0;
	if (flags & GLASS_SYN)
		gh->mss = htons(gs->rcv_mss);
	else if (segs > 1)
		gh->mss = htons(gs->mss);
	/* Offloaded (glass_frame.h): two passes over every byte saved. */
	if (len)
		glass_hdr_csum_offload(skb, gh);
	else
		glass_set_check(gh, GLASS_HDR_LEN + ext_len);
	trace_glass_segment_send(sk, gh);
	skb->priority = sk->sk_priority;
	skb->mark = sk->sk_mark;
	if (flags & GLASS_ACK)
		glass_ack_sent(sk, wnd);
	gs->segs_out += segs;
	glass_add_stat(sock_net(sk), GLASS_MIB_SEGS_OUT, segs);
	if (len) {
		gs->data_segs_out += segs;
		gs->bytes_sent += len;
		glass_add_stat(sock_net(sk), GLASS_MIB_BYTES_OUT, len);
	}
	if (flags & GLASS_RST)
		glass_inc_stat(sock_net(sk), GLASS_MIB_RSTS_SENT);
	/* Gone before the notifier saw this connection (glass_conn.c). */
	if (glass_dev_xmit(sock_net(sk), skb, gs->oif) == -ENODEV)
		glass_dev_gone(sk);
}

/*
 * The extension area of a segment without payload: SACK permitted on our
 * SYN (if the sysctl allows) or SYN-ACK (if the peer offered it too), and
 * the receiver's SACK blocks on an ACK once SACK is agreed.
 */
static u32 glass_ctl_ext(struct sock *sk, u8 flags, u8 *area)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_range blocks[GLASS_SACK_MAX_BLOCKS];
	u32 n;

	if (flags & GLASS_SYN)
		return glass_ext_build(area, sk->sk_state == TCP_SYN_SENT ?
				       glass_pernet(sock_net(sk))->sysctl.sack :
				       gs->sack_ok, NULL, 0);
	if (flags != GLASS_ACK || !gs->sack_ok)
		return 0;
	n = glass_sack_rcv_blocks(&gs->sack_rcv, glass_ooo_held(gs), blocks);
	return glass_ext_build(area, false, blocks, n);
}

/*
 * A header-only segment with the given flags and sequence number, with the
 * extension area it needs. Returns false if there was no memory for it
 * (counted; a loss, as glass_transmit() says).
 */
static bool glass_send_ctl(struct sock *sk, u8 flags, u32 seq)
{
	u8 area[GLASS_EXT_MAX];
	struct sk_buff *skb;
	u32 ext_len;

	skb = alloc_skb(GLASS_HEADROOM + GLASS_EXT_MAX, GFP_ATOMIC);
	if (!skb) {
		glass_note_drop(sock_net(sk), NULL, 0, GLASS_MIB_DROP_NOMEM);
		return false;
	}
	skb_reserve(skb, GLASS_HEADROOM + GLASS_EXT_MAX);
	ext_len = glass_ctl_ext(sk, flags, area);
	if (ext_len)
		memcpy(skb_push(skb, ext_len), area, ext_len);
	memset(GLASS_SKB_CB(skb), 0, sizeof(struct glass_skb_cb));
	GLASS_SKB_CB(skb)->seq = seq;
	GLASS_SKB_CB(skb)->flags = flags;
	skb_set_owner_w(skb, sk);
	glass_transmit(sk, skb, ext_len);
	return true;
}

/**
 * struct glass_train - queued data leaving in one frame.
 * @first: clones of the queued skbs, linked by ->next in sequence order.
 * @last: the last of them.
 * @len: their payload bytes.
 * @truesize: their share of the memory charged to the write queue.
 * @hold: new data: before the next train starts, look again whether the
 *	queue it would cross is full (glass_hold_back()).
 *
 * A glass device carries a frame of several segments the way veth carries
 * a TCP GSO packet: up to 64 KiB cross the queueing path, the device and
 * the receiver's stack in one trip, and on a software link it is the cost
 * per trip, not per byte, that limits throughput. Every segment but the
 * last is a full MSS, so the frame is exactly those segments laid end to
 * end and its header's mss field names their size; whatever must act on
 * single segments (the fault injector) cuts it back into them.
 *
 * The frame is a header-only skb with the clones on its frag_list, so
 * queued data is never written after sendmsg copied it in: clones and
 * split skbs may share one buffer freely.
 */
struct glass_train {
	struct sk_buff *first;
	struct sk_buff *last;
	u32 len;
	u32 truesize;
	bool hold;
};

/* One header-only frame with the train's clones as its frag_list. */
static struct sk_buff *glass_train_frame(const struct glass_train *t)
{
	struct sk_buff *frame = alloc_skb(GLASS_HEADROOM, GFP_ATOMIC);

	if (!frame)
		return NULL;
	skb_reserve(frame, GLASS_HEADROOM);
	memcpy(frame->cb, t->first->cb, sizeof(struct glass_skb_cb));
	GLASS_SKB_CB(frame)->end_seq = GLASS_SKB_CB(t->last)->end_seq;
	skb_shinfo(frame)->frag_list = t->first;
	frame->len = t->len;
	frame->data_len = t->len;
	frame->truesize += t->truesize;
	return frame;
}

/* Send the train (its data counts as sent already: a failure is a loss). */
static void glass_train_flush(struct sock *sk, struct glass_train *t)
{
	struct sk_buff *frame, *c;

	if (!t->first)
		return;
	frame = glass_train_frame(t);
	if (frame) {
		skb_set_owner_w(frame, sk);
		glass_transmit(sk, frame, 0);
	} else {
		glass_note_drop(sock_net(sk), NULL, t->len,
				GLASS_MIB_DROP_NOMEM);
		while ((c = t->first)) {
			t->first = c->next;
			kfree_skb(c);
		}
	}
	t->first = NULL;
	t->last = NULL;
	t->len = 0;
	t->truesize = 0;
}

/* May skb join the train, or must the train leave first? */
static bool glass_train_fits(const struct glass_sock *gs,
			     const struct glass_train *t,
			     const struct sk_buff *skb)
{
	u32 len = t->len + skb->len;

	return skb->len && !(t->len % gs->mss) && len <= gs->train_bytes &&
	       glass_segs(len, gs->mss) <= gs->train_segs;
}

/*
 * skb leaves (again) now: RACK's xmit_ts, and a RACK loss of its last
 * transmission is answered. Part of the write queue's bookkeeping.
 */
static void glass_wq_stamp(struct sock *sk, struct sk_buff *skb)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	struct glass_sock *gs = glass_sk(sk);

	cb->xmit_us = glass_clock(gs);
	if (cb->rack_lost) {
		cb->rack_lost = 0;
		gs->rack_lost_bytes -= min(gs->rack_lost_bytes, skb->len);
	}
}

static bool glass_hold_back(struct sock *sk);

/*
 * Add a clone of the queued skb to the train. Return: 0; -ENOBUFS
 * without memory; -EAGAIN if the train before it filled the queue it
 * crosses and new data waits in the device's line (t->hold): one push may
 * open room for many trains, more than a small queue takes.
 */
static int glass_train_add(struct sock *sk, struct glass_train *t,
			   struct sk_buff *skb)
{
	struct sk_buff *c;

	if (t->first && !glass_train_fits(glass_sk(sk), t, skb)) {
		glass_train_flush(sk, t);
		if (t->hold && glass_hold_back(sk))
			return -EAGAIN;
	}
	c = skb_clone(skb, GFP_ATOMIC);
	if (!c) {
		glass_note_drop(sock_net(sk), NULL, skb->len,
				GLASS_MIB_DROP_NOMEM);
		return -ENOBUFS;
	}
	glass_wq_stamp(sk, skb);
	if (t->first)
		t->last->next = c;
	else
		t->first = c;
	t->last = c;
	t->len += c->len;
	t->truesize += c->truesize;
	return 0;
}

/**
 * glass_send_syn() - send our SYN (or SYN-ACK) and arm its timer.
 * @sk: the socket, owned, in SYN_SENT (SYN) or SYN_RECV (SYN-ACK).
 * @retransmit: sent again: keep snd_nxt and the timing.
 */
void glass_send_syn(struct sock *sk, bool retransmit)
{
	struct glass_sock *gs = glass_sk(sk);
	u8 flags = GLASS_SYN;

	if (sk->sk_state == TCP_SYN_RECV)
		flags |= GLASS_ACK;
	if (!retransmit) {
		gs->snd_nxt = gs->iss + 1;
		gs->snd_max = gs->snd_nxt;
		glass_rto_start_timing(&gs->rto, gs->snd_nxt,
				       glass_clock_refresh(gs));
	}
	glass_arm_write_timer(sk, GLASS_TIMER_RETRANS,
			      usecs_to_jiffies(glass_rto_timeout(&gs->rto)));
	glass_send_ctl(sk, flags, gs->iss);
}

/**
 * glass_send_ack() - send an ACK with the current window.
 * @sk: the socket, owned; nothing is sent once it is closed.
 *
 * At snd_max: after a go-back-N rewind, the peer has seen up to there.
 */
void glass_send_ack(struct sock *sk)
{
	if (sk->sk_state == TCP_CLOSE)
		return;
	/*
	 * snd_max, not snd_nxt: after a rewind the peer has seen up to it.
	 * No memory for it: as tcp_send_ack() does, the delayed-ACK timer
	 * tries again. No other timer covers a pure ACK: a window update
	 * lost here would leave the peer waiting for its persist timer, a
	 * final ACK for its retransmission.
	 */
	if (!glass_send_ctl(sk, GLASS_ACK, glass_sk(sk)->snd_max))
		glass_arm_delack(sk);
}

/**
 * glass_send_probe() - a zero-window probe: an ACK the peer must answer.
 * @sk: the socket, owned.
 *
 * It carries snd_una - 1, an old sequence number, and no data.
 */
void glass_send_probe(struct sock *sk)
{
	trace_glass_retransmit(sk, glass_sk(sk)->snd_una - 1, 0,
			       GLASS_RETRANS_PROBE);
	glass_send_ctl(sk, GLASS_ACK, glass_sk(sk)->snd_una - 1);
}

/**
 * glass_send_rst() - reset the connection on an abortive close.
 * @sk: the socket, owned; nothing is sent before the handshake or after
 *	the end.
 *
 * At snd_max, so the peer accepts it (RFC 5961).
 */
void glass_send_rst(struct sock *sk)
{
	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT))
		return;
	glass_send_ctl(sk, GLASS_RST | GLASS_ACK, glass_sk(sk)->snd_max);
}

/**
 * glass_send_rst_reply() - answer a segment no socket wants (RFC 793 p36).
 * @net: namespace the segment arrived in.
 * @rx: its header.
 * @oif: the device it arrived on; the reply leaves there.
 */
void glass_send_rst_reply(struct net *net, const struct glass_hdr *rx, int oif)
{
	struct sk_buff *skb;
	struct glass_hdr *gh;
	u32 seg_len;

	if (rx->flags & GLASS_RST)
		return;
	skb = alloc_skb(GLASS_HEADROOM, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, GLASS_HEADROOM);
	gh = skb_push(skb, GLASS_HDR_LEN);
	memset(gh, 0, sizeof(*gh));
	gh->version = GLASS_VERSION;
	gh->sport = rx->dport;
	gh->dport = rx->sport;
	gh->saddr = rx->daddr;
	gh->daddr = rx->saddr;
	if (rx->flags & GLASS_ACK) {
		gh->flags = GLASS_RST;
		gh->seq = rx->ack;
	} else {
		seg_len = glass_hdr_payload(rx) + !!(rx->flags & GLASS_SYN) +
			  !!(rx->flags & GLASS_FIN);
		gh->flags = GLASS_RST | GLASS_ACK;
		gh->ack = htonl(ntohl(rx->seq) + seg_len);
	}
	glass_set_check(gh, GLASS_HDR_LEN);
	skb_reset_transport_header(skb);
	trace_glass_segment_send(NULL, gh);
	glass_inc_stat(net, GLASS_MIB_RSTS_SENT);
	glass_inc_stat(net, GLASS_MIB_SEGS_OUT);
	glass_dev_xmit(net, skb, oif);
}

/*
 * The write queue: skbs of whole segments in sequence order, from the
 * oldest unacknowledged byte (snd_una) to the last byte queued
 * (write_seq), the FIN last if queued. send_head is the first skb not
 * sent yet: the first whose seq is at or after snd_nxt, NULL when all
 * are out. Every skb on it is charged to the socket (sk_wmem_queued and
 * forward-allocated memory). The functions below are the only ones that
 * add, remove or reorder its skbs or move send_head, so that invariant
 * and the charge have one keeper; SACK's scoreboard will live here too.
 */

/**
 * glass_wq_alloc_tail() - a new empty skb at the tail of the write queue.
 * @sk: the socket, owned.
 * @linear: bytes of linear room for payload to copy.
 * @extra: bytes charged on top of the skb's truesize (page frags that
 *	will be attached, as zero-copy's).
 *
 * Under memory pressure the send buffer is moderated, as TCP's
 * sk_stream_alloc_skb() does.
 *
 * Return: the skb, queued and charged, its sequence at write_seq; NULL
 * without memory or without room in the socket's charge.
 */
struct sk_buff *glass_wq_alloc_tail(struct sock *sk, u32 linear, u32 extra)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb;

	skb = alloc_skb_fclone(GLASS_HEADROOM + linear, sk->sk_allocation);
	if (!skb) {
		sk->sk_prot->enter_memory_pressure(sk);
		sk_stream_moderate_sndbuf(sk);
		return NULL;
	}
	if (!glass_wmem_schedule(sk, skb->truesize + extra)) {
		kfree_skb(skb);
		return NULL;
	}
	skb_reserve(skb, GLASS_HEADROOM);
	memset(GLASS_SKB_CB(skb), 0, sizeof(struct glass_skb_cb));
	GLASS_SKB_CB(skb)->seq = gs->write_seq;
	GLASS_SKB_CB(skb)->end_seq = gs->write_seq;
	glass_wq_append(sk, skb);
	return skb;
}

/**
 * glass_wq_append() - queue skb at the tail of the write queue.
 * @sk: the socket, owned.
 * @skb: a new skb, its cb filled, its truesize already scheduled
 *	(glass_wmem_schedule() or glass_wmem_schedule_forced()).
 *
 * Charges skb to the socket; it becomes send_head if nothing else waits.
 */
void glass_wq_append(struct sock *sk, struct sk_buff *skb)
{
	__skb_queue_tail(&sk->sk_write_queue, skb);
	sk_wmem_queued_add(sk, skb->truesize);
	sk_mem_charge(sk, skb->truesize);
	if (!sk->sk_send_head)
		sk->sk_send_head = skb;
}

/**
 * glass_wq_unlink_free() - take skb off the write queue and free it.
 * @sk: the socket, owned.
 * @skb: an skb on its write queue.
 *
 * Returns its charge. If skb was send_head, send_head becomes NULL: a
 * caller that frees more than an empty tail finds it again
 * (glass_wq_clean()).
 */
void glass_wq_unlink_free(struct sock *sk, struct sk_buff *skb)
{
	struct glass_sock *gs = glass_sk(sk);

	if (sk->sk_send_head == skb)
		sk->sk_send_head = NULL;
	if (GLASS_SKB_CB(skb)->rack_lost)
		gs->rack_lost_bytes -= min(gs->rack_lost_bytes, skb->len);
	__skb_unlink(skb, &sk->sk_write_queue);
	glass_wmem_free_skb(sk, skb);
}

/* After an ACK freed send_head, find the first unsent segment again. */
static void glass_wq_find_send_head(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (sk->sk_send_head || !skb ||
	    !glass_seq_after(GLASS_SKB_CB(skb)->end_seq, gs->snd_nxt))
		return;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (glass_seq_geq(GLASS_SKB_CB(skb)->seq, gs->snd_nxt)) {
			sk->sk_send_head = skb;
			return;
		}
	}
}

/*
 * F-RTO's sign of a spurious RTO (Linux's FLAG_ORIG_SACK_ACKED): the ACK
 * delivers bytes of cb, first acknowledged or SACKed now, sent before the
 * RTO (below its recovery point) and never retransmitted.
 */
static void glass_frto_note(struct glass_sock *gs,
			    const struct glass_skb_cb *cb)
{
	if (gs->cc.frto && !cb->retransmitted &&
	    glass_seq_before(cb->seq, gs->cc.recover))
		gs->frto_orig = true;
}

/**
 * glass_wq_clean() - the peer acknowledged everything before ack.
 * @sk: the socket, owned.
 * @ack: the new snd_una (the caller sets it).
 *
 * Frees the segments ack covers and trims one it covers in part. An ACK
 * past snd_nxt (after a go-back-N rewind the peer had seen more) moves
 * snd_nxt up to it, and send_head to the first segment after it.
 */
void glass_wq_clean(struct sock *sk, u32 ack)
{
	struct glass_sock *gs = glass_sk(sk);
	u64 now = glass_clock(gs);
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue))) {
		struct glass_skb_cb *cb = GLASS_SKB_CB(skb);

		if (gs->sack_ok && !cb->sacked) {
			glass_rack_cum_ack(&gs->rack, cb->xmit_us, cb->seq,
					   cb->end_seq, ack, cb->retransmitted,
					   now);
			if (glass_seq_after(ack, cb->seq))
				glass_frto_note(gs, cb);
		}
		if (glass_seq_leq(cb->end_seq, ack)) {
			glass_wq_unlink_free(sk, skb);
			continue;
		}
		/* Without memory to trim, the acked bytes stay queued. */
		if (glass_seq_after(ack, cb->seq) &&
		    !glass_skb_trim_head(skb, ack - cb->seq)) {
			if (cb->rack_lost)
				gs->rack_lost_bytes -= min(gs->rack_lost_bytes,
							   ack - cb->seq);
			cb->seq = ack;
		}
		break;
	}
	if (glass_seq_before(gs->snd_nxt, ack))
		gs->snd_nxt = ack;
	glass_txpage_acked(sk);
	glass_wq_find_send_head(sk);
	if (gs->sack_ok && glass_sb_ack(&gs->sb, ack))
		glass_inc_stat(sock_net(sk), GLASS_MIB_SACK_RENEGED);
	glass_sb_trim(gs);
}

/*
 * A D-SACK: one of our retransmissions was not needed. When all of those
 * since the last window cut were (RFC 2883 section 5), the cut was a
 * mistake: undo it, and forget the losses an RTO assumed.
 */
static void glass_wq_dsack(struct sock *sk, const struct glass_range *r)
{
	struct glass_sock *gs = glass_sk(sk);

	if (gs->undo_retrans <= 0 || glass_seq_geq(r->start, gs->sb.high_rxt))
		return;
	gs->undo_retrans -= glass_segs(r->end - r->start, gs->mss);
	if (gs->undo_retrans > 0)
		return;
	gs->undo_retrans = -1;
	gs->undos++;
	glass_inc_stat(sock_net(sk), GLASS_MIB_UNDOS);
	glass_cc_undo(&gs->cc, gs->snd_una);
	gs->sb.all_lost = false;
}

static int glass_fragment(struct sock *sk, struct sk_buff *skb, u32 len);
static struct sk_buff *glass_wq_cut_at(struct sock *sk, u32 seq);

/* The skb after skb on the write queue, NULL at its end. */
static struct sk_buff *glass_wq_next(struct sock *sk, struct sk_buff *skb)
{
	return skb_queue_is_last(&sk->sk_write_queue, skb) ? NULL :
	       skb_queue_next(&sk->sk_write_queue, skb);
}

/*
 * Bytes [start, end) were SACKed for the first time: cut the skbs at its
 * edges so that an skb is SACKed whole or not at all (without memory to
 * cut, one stays partly SACKed and RACK ignores it), flag those inside,
 * and tell RACK they were delivered.
 */
static void glass_wq_sack_tag(struct sock *sk, u32 start, u32 end, u64 now)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb = glass_wq_cut_at(sk, start);

	for (; skb && skb != sk->sk_send_head; skb = glass_wq_next(sk, skb)) {
		struct glass_skb_cb *cb = GLASS_SKB_CB(skb);

		if (!glass_seq_before(cb->seq, end))
			break;
		if (glass_seq_after(cb->end_seq, end) &&
		    (end - cb->seq >= skb->len ||
		     glass_fragment(sk, skb, end - cb->seq)))
			break;
		if (cb->sacked ||
		    glass_sb_unsacked(&gs->sb, cb->seq, cb->end_seq))
			continue;
		cb->sacked = 1;
		glass_frto_note(gs, cb);
		if (cb->rack_lost) {
			cb->rack_lost = 0;
			gs->rack_lost_bytes -= min(gs->rack_lost_bytes,
						   skb->len);
		}
		glass_rack_update(&gs->rack, cb->xmit_us, cb->end_seq,
				  cb->retransmitted, now);
	}
}

/*
 * The newly SACKed blocks of one ACK, lowest first: RACK takes delivered
 * segments in ascending order (RFC 8985 section 6.2), or a higher block
 * seen first would make a lower one look reordered.
 */
static void glass_wq_sack_tag_all(struct sock *sk, struct glass_range *r,
				  u32 n)
{
	struct glass_sock *gs = glass_sk(sk);
	u64 now = glass_clock(gs);
	u32 i, k;

	for (i = 1; i < n; i++)
		for (k = i; k > 0 && glass_seq_before(r[k].start,
						      r[k - 1].start); k--)
			swap(r[k], r[k - 1]);
	for (i = 0; i < n; i++)
		glass_wq_sack_tag(sk, glass_seq_max(r[i].start, gs->snd_una),
				  r[i].end, now);
}

/**
 * glass_wq_sack() - record the SACK blocks of an ACK on the scoreboard.
 * @sk: the socket, owned, SACK agreed; the ACK's cumulative part is done.
 * @blocks: the blocks, in the order the ACK carried them.
 * @n: how many.
 *
 * A first block below the cumulative ACK, or inside the second block
 * (RFC 2883 section 4), is a D-SACK: counted, never a new SACK.
 * Return: true if some bytes were SACKed for the first time.
 */
bool glass_wq_sack(struct sock *sk, const struct glass_range *blocks, u32 n)
{
	struct glass_range fresh_r[GLASS_SACK_MAX_BLOCKS];
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	u32 i, nfresh = 0;

	for (i = 0; i < n; i++) {
		bool first = !i;
		enum glass_sb_verdict v;

		if (first && n > 1 &&
		    glass_seq_geq(blocks[0].start, blocks[1].start) &&
		    glass_seq_leq(blocks[0].end, blocks[1].end)) {
			v = GLASS_SB_DSACK;
		} else {
			glass_sb_attach(gs);
			v = glass_sb_sack(&gs->sb, gs->snd_una, gs->snd_max,
					  blocks[i].start, blocks[i].end, first);
		}
		switch (v) {
		case GLASS_SB_NEW:
			if (nfresh < GLASS_SACK_MAX_BLOCKS)
				fresh_r[nfresh++] = blocks[i];
			break;
		case GLASS_SB_DSACK:
			gs->dsacks_in++;
			glass_inc_stat(net, GLASS_MIB_DSACKS_IN);
			glass_wq_dsack(sk, &blocks[i]);
			break;
		case GLASS_SB_INVALID:
		case GLASS_SB_FULL:
			glass_inc_stat(net, GLASS_MIB_SACK_IGNORED);
			break;
		case GLASS_SB_OLD:
			break;
		}
	}
	glass_sb_trim(gs);
	glass_wq_sack_tag_all(sk, fresh_r, nfresh);
	return nfresh > 0;
}

/*
 * In SACK recovery (RFC 6675) or after an RTO with SACK: pace by pipe and
 * resend what the scoreboard and RACK find lost. After an RTO that lasts
 * until the ACK reaches the recovery point, which F-RTO may move past
 * what the expiry marked lost (the new data of its step 2.b): losses
 * there are resent in the same episode, as Linux's TCP_CA_Loss does, not
 * left to the next RTO.
 */
static bool glass_sack_recovering(const struct glass_sock *gs)
{
	return gs->sack_ok &&
	       (gs->cc.in_recovery || gs->cc.in_loss || gs->sb.all_lost);
}

/* RACK found skb, sent before a delivered segment and overdue, lost. */
static void glass_wq_rack_mark(struct sock *sk, struct sk_buff *skb)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);

	if (glass_seq_after(cb->end_seq, gs->sb.high_rxt)) {
		/* Never resent in this recovery: the scoreboard's lost. */
		if (glass_sb_lost_through(&gs->sb, gs->snd_una, cb->end_seq))
			glass_add_stat(net, GLASS_MIB_RACK_LOST,
				       glass_segs(skb->len, gs->mss));
		return;
	}
	/* A lost retransmission: it goes again before the other holes. */
	if (cb->rack_lost)
		return;
	cb->rack_lost = 1;
	gs->rack_lost_bytes += skb->len;
	glass_inc_stat(net, GLASS_MIB_RACK_LOST_RETRANS);
}

/**
 * glass_wq_rack_detect() - RACK_detect_loss() (RFC 8985 section 6.2 step
 *	5) over the write queue.
 * @sk: the socket, owned, SACK agreed; this ACK's deliveries are recorded
 *	(glass_wq_clean(), glass_wq_sack()).
 *
 * Marks lost every skb not delivered that was sent before RACK's segment
 * and more than RACK.rtt + reo_wnd ago. The walk is in sequence order and
 * stops at the first skb never resent and sent after RACK's segment:
 * every skb after it left later still.
 * Return: microseconds until the next skb would be overdue (the
 * reordering timer), 0 if none waits.
 */
u32 glass_wq_rack_detect(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_rack *rack = &gs->rack;
	u32 reo, wait, timeout = 0;
	struct sk_buff *skb;
	u64 now;

	if (!rack->valid || gs->snd_una == gs->snd_max)
		return 0;
	now = glass_clock(gs);
	reo = glass_rack_reo_wnd(rack, gs->rto.srtt_us,
				 glass_sack_recovering(gs),
				 glass_sb_sacked_bytes(&gs->sb) / gs->mss);
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct glass_skb_cb *cb = GLASS_SKB_CB(skb);

		if (skb == sk->sk_send_head)
			break;
		if (cb->sacked)
			continue;
		switch (glass_rack_check(rack, cb->xmit_us, cb->end_seq, reo,
					 now, &wait)) {
		case GLASS_RACK_LATER:
			if (!cb->retransmitted)
				return timeout;
			break;
		case GLASS_RACK_WAIT:
			timeout = max(timeout, wait);
			break;
		case GLASS_RACK_LOST:
			glass_wq_rack_mark(sk, skb);
			break;
		}
	}
	return timeout;
}

/**
 * glass_wq_rack_rto() - the retransmission timer expired: every hole is
 *	lost and resent in order (glass_sb_rto()), so no skb needs RACK's
 *	flag any more.
 * @sk: the socket, owned.
 */
void glass_wq_rack_rto(struct sock *sk)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb)
		GLASS_SKB_CB(skb)->rack_lost = 0;
	glass_sk(sk)->rack_lost_bytes = 0;
}

/* The first skb whose retransmission RACK found lost, NULL if none. */
static struct sk_buff *glass_wq_rack_next(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb;

	if (!gs->rack_lost_bytes)
		return NULL;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == sk->sk_send_head)
			break;
		if (GLASS_SKB_CB(skb)->rack_lost)
			return skb;
	}
	return NULL;
}

/* The skb holding seq, cut so that it starts there; NULL if none. */
static struct sk_buff *glass_wq_cut_at(struct sock *sk, u32 seq)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct glass_skb_cb *cb = GLASS_SKB_CB(skb);

		if (skb == sk->sk_send_head)
			return NULL;
		if (glass_seq_leq(cb->end_seq, seq))
			continue;
		if (glass_seq_before(cb->seq, seq)) {
			if (glass_fragment(sk, skb, seq - cb->seq))
				return skb;	/* no memory: all of it goes */
			skb = skb_queue_next(&sk->sk_write_queue, skb);
		}
		return skb;
	}
	return NULL;
}

/*
 * Resend the queued bytes [r->start, r->end) (cut from their skbs, or a
 * little more without memory to cut) on train t, whose earlier segments
 * must end where these begin. Return: one past the last byte sent, or
 * r->start if nothing went.
 */
static u32 glass_wq_resend(struct sock *sk, const struct glass_range *r,
			   struct glass_train *t)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb = glass_wq_cut_at(sk, r->start);
	struct glass_skb_cb *cb;

	if (!skb)
		return r->start;
	cb = GLASS_SKB_CB(skb);
	if (glass_seq_after(cb->end_seq, r->end) && skb->len)
		glass_fragment(sk, skb, r->end - cb->seq);	/* may fail */
	if (t->first && GLASS_SKB_CB(t->last)->end_seq != cb->seq)
		glass_train_flush(sk, t);
	trace_glass_retransmit(sk, cb->seq, skb->len, gs->sb.all_lost ?
			       GLASS_RETRANS_RTO : GLASS_RETRANS_FAST);
	cb->retransmitted = 1;
	gs->total_retrans++;
	gs->sack_retrans++;
	if (gs->undo_retrans >= 0)
		gs->undo_retrans += glass_segs(skb->len, gs->mss);
	glass_inc_stat(sock_net(sk), GLASS_MIB_RETRANS_SEGS);
	glass_inc_stat(sock_net(sk), GLASS_MIB_SACK_RETRANS);
	glass_rto_on_retransmit(&gs->rto, glass_clock(gs));
	if (glass_train_add(sk, t, skb))
		return r->start;
	return cb->end_seq;
}

/**
 * glass_wq_rewind() - go back to the head after an RTO (go-back-N).
 * @sk: the socket, owned; the head was just sent again
 *	(glass_retransmit_head()).
 *
 * snd_nxt goes back to the end of the head, and everything after it
 * counts as unsent: glass_push() sends it again as ACKs come back.
 */
void glass_wq_rewind(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	if (!head)
		return;
	gs->snd_nxt = GLASS_SKB_CB(head)->end_seq;
	sk->sk_send_head = skb_queue_is_last(&sk->sk_write_queue, head) ? NULL :
			skb_queue_next(&sk->sk_write_queue, head);
}

/**
 * glass_wq_purge() - free the whole write queue (the connection is over).
 * @sk: the socket, owned, or being destroyed.
 */
void glass_wq_purge(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		glass_wmem_free_skb(sk, skb);
	sk->sk_send_head = NULL;
}

/**
 * glass_queue_fin() - put our FIN on the write queue and push.
 * @sk: the socket, owned, in process context (close, shutdown): the FIN
 *	is allocated with a sleeping, never-failing allocation and charged
 *	whatever the limits. Once per connection.
 *
 * The FIN is a segment of its own that takes one sequence number.
 */
void glass_queue_fin(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb;

	if (gs->fin_queued)
		return;
	/*
	 * Process context (close, shutdown) under lock_sock: the allocation
	 * may sleep, which __GFP_NOFAIL needs to keep its promise.
	 */
	skb = alloc_skb(GLASS_HEADROOM, GFP_KERNEL | __GFP_NOFAIL);
	skb_reserve(skb, GLASS_HEADROOM);
	memset(GLASS_SKB_CB(skb), 0, sizeof(struct glass_skb_cb));
	GLASS_SKB_CB(skb)->seq = gs->write_seq;
	GLASS_SKB_CB(skb)->end_seq = gs->write_seq + 1;
	GLASS_SKB_CB(skb)->flags = GLASS_FIN;
	gs->write_seq++;
	gs->fin_queued = true;
	glass_wmem_schedule_forced(sk, skb->truesize);
	glass_wq_append(sk, skb);
	glass_push(sk);
}

/*
 * RFC 6675's pipe, less the retransmissions RACK found lost (the
 * scoreboard counts every byte below HighRxt as resent and in flight).
 */
static u32 glass_pipe(const struct glass_sock *gs)
{
	u32 pipe = glass_sb_pipe(&gs->sb, gs->snd_una, gs->snd_max, gs->mss);

	return pipe - min(pipe, gs->rack_lost_bytes);
}

/* Bytes in the network: RFC 6675's pipe while recovering, else all sent. */
static u32 glass_in_flight(const struct glass_sock *gs)
{
	if (glass_sack_recovering(gs))
		return glass_pipe(gs);
	return gs->snd_nxt - gs->snd_una;
}

/* The payload bytes the peer's window and cwnd still allow past snd_nxt. */
static u32 glass_usable(const struct glass_sock *gs)
{
	u32 wnd_end = gs->snd_una + gs->snd_wnd;
	u32 in_flight = glass_in_flight(gs);
	u32 by_wnd, by_cwnd;

	by_wnd = glass_seq_after(wnd_end, gs->snd_nxt) ?
		 wnd_end - gs->snd_nxt : 0;
	by_cwnd = gs->cc.cwnd > in_flight ? gs->cc.cwnd - in_flight : 0;
	return min(by_wnd, by_cwnd);
}

/*
 * Split skb after len payload bytes; the tail becomes the next skb. The
 * two share the buffer or the pages (queued data is never written again,
 * see struct glass_train; glass_skb_split()), so nothing is copied; the
 * memory charged is shared out.
 */
static int glass_fragment(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb), *ncb;
	struct sk_buff *n;

	n = glass_skb_split(skb, len);
	if (!n)
		return -ENOBUFS;
	n->truesize = div_u64((u64)skb->truesize * n->len, n->len + len);
	skb->truesize -= n->truesize;
	ncb = GLASS_SKB_CB(n);
	ncb->seq = cb->seq + len;
	ncb->end_seq = cb->end_seq;
	ncb->flags = 0;
	ncb->retransmitted = cb->retransmitted;
	ncb->sacked = cb->sacked;
	ncb->rack_lost = cb->rack_lost;
	ncb->paged = cb->paged;
	ncb->xmit_us = cb->xmit_us;
	cb->end_seq = ncb->seq;
	__skb_queue_after(&sk->sk_write_queue, skb, n);
	return 0;
}

static bool glass_corked(const struct glass_sock *gs)
{
	return gs->cork && time_before(jiffies, gs->cork_until);
}

/* Nagle and cork for a segment of len bytes (core/nagle.h has the rules). */
static bool glass_nagle_ok(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_nagle_in in = {
		.len = len,
		.mss = gs->mss,
		.nodelay = gs->nodelay,
		.cork = glass_corked(gs),
		.fin = !skb_queue_is_last(&sk->sk_write_queue, skb) &&
		       (GLASS_SKB_CB(skb_queue_next(&sk->sk_write_queue,
						    skb))->flags & GLASS_FIN),
		.snd_una = gs->snd_una,
		.snd_sml = gs->snd_sml,
	};

	/* Bytes queued behind this segment mean it was cut by the window. */
	if (!skb_queue_is_last(&sk->sk_write_queue, skb) && !in.fin)
		return true;
	return glass_nagle_may_send(&in);
}

/* Send skb (already split to what may go) on the train t. */
static int glass_send_new(struct sock *sk, struct sk_buff *skb,
			  struct glass_train *t)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	struct glass_sock *gs = glass_sk(sk);
	bool first_send = glass_seq_geq(cb->seq, gs->snd_max);
	int err;

	err = glass_train_add(sk, t, skb);
	if (err)
		return err;
	if (!first_send) {
		cb->retransmitted = 1;
		gs->total_retrans++;
		glass_inc_stat(sock_net(sk), GLASS_MIB_RETRANS_SEGS);
		glass_rto_on_retransmit(&gs->rto, glass_clock(gs));
		trace_glass_retransmit(sk, cb->seq, skb->len, GLASS_RETRANS_RTO);
	}
	gs->snd_nxt = cb->end_seq;
	if (glass_seq_after(gs->snd_nxt, gs->snd_max))
		gs->snd_max = gs->snd_nxt;
	if (skb->len % gs->mss)
		gs->snd_sml = cb->end_seq;	/* it ends in a small segment */
	/* One segment at a time is timed. */
	if (first_send && !cb->retransmitted && !gs->rto.timing)
		glass_rto_start_timing(&gs->rto, cb->end_seq, glass_clock(gs));
	sk->sk_send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ? NULL :
			skb_queue_next(&sk->sk_write_queue, skb);
	if (gs->timer_kind != GLASS_TIMER_RETRANS &&
	    gs->timer_kind != GLASS_TIMER_REO)
		glass_rearm_rtx(sk);
	return 0;
}

/*
 * Of len queued bytes, n may go: cut on a segment boundary, so that only
 * the end of the queue is ever a small segment.
 */
static u32 glass_whole_segs(const struct glass_sock *gs, u32 n, u32 len)
{
	return n < len && n > gs->mss ? rounddown(n, gs->mss) : n;
}

/*
 * Nothing can go, because the window is shut or memory failed, and nothing
 * is in flight whose ACK would push again: make sure a timer asks (TCP's
 * tcp_check_probe_timer()). The writer may be done, and no ACK coming.
 */
static void glass_check_persist(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	if (gs->snd_nxt != gs->snd_una || gs->timer_kind != GLASS_TIMER_NONE)
		return;
	glass_arm_write_timer(sk, GLASS_TIMER_PROBE,
			      usecs_to_jiffies(glass_backoff_us(glass_rto_timeout(&gs->rto),
								gs->probe_backoff,
								gs->rto.max_us)));
}

/*
 * RFC 6675 section 5 step (C): while cwnd - pipe allows a segment, resend
 * the next lost hole (NextSeg rule 1); new data (rule 2) is glass_push()'s.
 */
static void glass_sack_resend_holes(struct sock *sk, struct glass_train *t)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_range r;
	struct sk_buff *skb;
	u32 sent;

	/* Retransmissions RACK found lost first: they hold snd_una back. */
	while (glass_pipe(gs) + gs->mss <= gs->cc.cwnd &&
	       (skb = glass_wq_rack_next(sk))) {
		r.start = GLASS_SKB_CB(skb)->seq;
		r.end = GLASS_SKB_CB(skb)->end_seq;
		if (glass_wq_resend(sk, &r, t) == r.start)
			break;
	}
	while (glass_pipe(gs) + gs->mss <= gs->cc.cwnd &&
	       glass_sb_next_seg(&gs->sb, gs->snd_una, gs->mss, &r)) {
		sent = glass_wq_resend(sk, &r, t);
		if (sent == r.start)
			break;
		glass_sb_sent(&gs->sb, sent);
	}
	glass_train_flush(sk, t);
}

/**
 * glass_sack_retransmit_head() - recovery began on duplicate ACKs: resend
 *	the segment at snd_una (RFC 6675 section 5 step 4.3), lost or not.
 * @sk: the socket, owned, SACK agreed.
 */
void glass_sack_retransmit_head(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_train t = {};
	struct glass_range r;
	u32 sent;

	if (!glass_sb_first_hole(&gs->sb, gs->snd_una, gs->snd_max, gs->mss,
				 &r))
		return;
	sent = glass_wq_resend(sk, &r, &t);
	glass_train_flush(sk, &t);
	if (sent != r.start)
		glass_sb_sent(&gs->sb, sent);
}

/**
 * glass_tlp_resend_tail() - a tail loss probe resends the last segment.
 * @sk: the socket, owned, something in flight.
 *
 * The last MSS (or less) before snd_max, whatever the windows say: it
 * was sent once already.
 */
void glass_tlp_resend_tail(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_train t = {};
	struct glass_range r;

	r.end = gs->snd_max;
	r.start = gs->snd_max - min(gs->mss, gs->snd_max - gs->snd_una);
	if (glass_wq_resend(sk, &r, &t) != r.start)
		glass_train_flush(sk, &t);
}

/**
 * glass_tail_in_host() - is the last byte sent still in this host?
 * @sk: the socket, owned, something in flight.
 *
 * The skb holding it was sent as a clone in a train (glass_train_add());
 * the first clone of a write-queue skb is its fast clone, which lives
 * while a device's queue, the fault injector or a receiver on this host
 * still holds it. Dropped anywhere, it is freed. As TCP's
 * skb_still_in_host_queue(), but counting the receiver's queue too: a
 * segment held there has arrived. Only a paged skb's fast clone tells: a
 * linear skb's split is that skb's clone (glass_skb_split()).
 * Return: true if the fast clone of that skb is alive.
 */
bool glass_tail_in_host(const struct sock *sk)
{
	const struct sk_buff_head *q = &sk->sk_write_queue;
	struct sk_buff *skb = sk->sk_send_head;
	const struct sk_buff_fclones *fc;

	/* The skb before the send head, unless an RTO went back (snd_nxt). */
	if (!skb)
		skb = skb_peek_tail(q);
	else
		skb = skb_queue_is_first(q, skb) ? NULL : skb_queue_prev(q, skb);
	if (!skb || GLASS_SKB_CB(skb)->end_seq != glass_sk(sk)->snd_max ||
	    skb->fclone != SKB_FCLONE_ORIG || !skb_is_nonlinear(skb))
		return false;
	fc = container_of(skb, struct sk_buff_fclones, skb1);
	return refcount_read(&fc->fclone_ref) > 1;
}

/*
 * Must new data wait? While the receiving queue of the pair or loopback
 * it would cross holds net.glass.queue_hold_bytes, the socket waits in
 * the device's line (glass_dev_hold()) and the device pushes it when the
 * queue has drained; sent now, it would be dropped there, or wait longer
 * than an RTO. A socket already in line stays there.
 */
static bool glass_hold_back(struct sock *sk)
{
	u32 mark = READ_ONCE(glass_pernet(sock_net(sk))->sysctl.queue_hold_bytes);
	struct glass_sock *gs = glass_sk(sk);
	struct net_device *dev;
	bool held = false;

	if (!list_empty(&gs->held))
		return true;
	if (!mark)
		return false;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(sock_net(sk), gs->oif);
	if (dev && glass_dev_is_glass(dev) && glass_dev_full(dev, mark)) {
		sock_hold(sk);	/* the line's; glass_held_wake() puts it */
		held = glass_dev_hold(dev, &gs->held, mark);
		if (held)
			glass_inc_stat(sock_net(sk), GLASS_MIB_TX_HELD);
		else
			__sock_put(sk);
	}
	rcu_read_unlock();
	return held;
}

/*
 * Send what the windows, SWS avoidance and Nagle allow; in SACK recovery
 * the lost holes first if holes is set.
 */
static void glass_push_some(struct sock *sk, bool holes)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_train t = {};
	struct sk_buff *skb;

	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT |
				   TCPF_SYN_RECV))
		return;
	holes = holes && glass_sack_recovering(gs);
	if (!holes && !sk->sk_send_head)
		return;
	/* As tcp_write_xmit(): what leaves now is stamped now. */
	glass_clock_refresh(gs);
	if (holes)
		glass_sack_resend_holes(sk, &t);
	if (sk->sk_send_head && glass_hold_back(sk))
		goto out;
	t.hold = true;
	while ((skb = sk->sk_send_head)) {
		struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
		u32 len = skb->len, n;

		if (cb->flags & GLASS_FIN) {
			if (glass_send_new(sk, skb, &t))
				goto nomem;
			continue;
		}
		if (glass_seq_before(cb->seq, gs->snd_max)) {
			/* Going back after an RTO: no SWS or Nagle, just room. */
			n = min(glass_usable(gs), len);
			if (n < len)
				n = rounddown(n, gs->mss);
			if (!n) {
				glass_check_persist(sk);
				break;
			}
			if ((n < len && glass_fragment(sk, skb, n)) ||
			    glass_send_new(sk, skb, &t))
				goto nomem;
			continue;
		}
		n = glass_snd_sws_len(len, glass_usable(gs), gs->mss,
				      gs->max_snd_wnd);
		if (!n) {
			glass_check_persist(sk);
			break;
		}
		n = glass_whole_segs(gs, n, len);
		/* Nagle holds the small segment that ends a longer skb. */
		if (n > gs->mss && n % gs->mss &&
		    !glass_nagle_ok(sk, skb, n % gs->mss))
			n = rounddown(n, gs->mss);
		if (n < len && glass_fragment(sk, skb, n))
			goto nomem;
		if (n < gs->mss && !glass_nagle_ok(sk, skb, n)) {
			if (glass_corked(gs))
				sk_reset_timer(sk, &sk->sk_timer,
					       gs->cork_until);
			break;
		}
		if (glass_send_new(sk, skb, &t))
			goto nomem;
	}
out:
	glass_train_flush(sk, &t);
	return;
nomem:
	/* Or held (-EAGAIN): then data is in flight, and no timer is needed. */
	glass_train_flush(sk, &t);
	glass_check_persist(sk);
}

/**
 * glass_push() - send what the windows, SWS avoidance and Nagle allow.
 * @sk: the socket, owned.
 *
 * In SACK recovery the lost holes go first (glass_sack_resend_holes()).
 */
void glass_push(struct sock *sk)
{
	glass_push_some(sk, true);
}

/**
 * glass_push_new() - send new data only, no lost hole (F-RTO's step 2.b,
 *	RFC 5682: the next ACK tells whether the RTO was spurious).
 * @sk: the socket, owned.
 */
void glass_push_new(struct sock *sk)
{
	glass_push_some(sk, false);
}

/**
 * glass_send_into_window() - the persist timer's override of SWS avoidance.
 * @sk: the socket, owned; nothing in flight.
 *
 * A window smaller than SWS avoidance will fill (and smaller than Nagle
 * lets a partial segment go) would otherwise stay unused forever: send
 * what fits now (RFC 1122 4.2.3.4, Linux's tcp_write_wakeup()).
 * Return: true if data was sent.
 */
bool glass_send_into_window(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb = sk->sk_send_head;
	struct glass_train t = {};
	u32 n;

	if (!skb || (GLASS_SKB_CB(skb)->flags & GLASS_FIN))
		return false;
	n = min(glass_usable(gs), skb->len);
	if (!n || (n < skb->len && glass_fragment(sk, skb, n)))
		return false;
	if (glass_send_new(sk, skb, &t))
		return false;
	glass_train_flush(sk, &t);
	return true;
}

/**
 * glass_retransmit_head() - resend the oldest unacknowledged segment.
 * @sk: the socket, owned.
 * @reason: GLASS_RETRANS_RTO or GLASS_RETRANS_FAST, for the tracepoint.
 *
 * One MSS, as the loss it answers is one segment's. Without memory to
 * split the skb, all of it goes again (a train of whole segments, still
 * correct); without memory to clone it, nothing goes and the
 * retransmission timer tries again.
 */
void glass_retransmit_head(struct sock *sk, int reason)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	struct glass_train t = {};

	if (!skb || skb == sk->sk_send_head)
		return;
	if (skb->len > gs->mss)
		glass_fragment(sk, skb, gs->mss);	/* may fail: see above */
	trace_glass_retransmit(sk, GLASS_SKB_CB(skb)->seq, skb->len, reason);
	GLASS_SKB_CB(skb)->retransmitted = 1;
	gs->total_retrans++;
	glass_inc_stat(sock_net(sk), GLASS_MIB_RETRANS_SEGS);
	glass_rto_on_retransmit(&gs->rto, glass_clock(gs));
	if (!glass_train_add(sk, &t, skb))
		glass_train_flush(sk, &t);
}

/*
 * Payload the receive buffer can still take. Under glass memory pressure
 * a full or grown buffer's window reaches no further than four segments
 * past what arrived (core/window.c; what was offered stays offered; what
 * memory then refuses is dropped as drop_memory and sent again).
 */
static u32 glass_rcv_free(const struct sock *sk)
{
	const struct glass_sock *gs = glass_sk(sk);
	u32 space = glass_rcv_space(sk);
	u32 free = space > gs->rcv_unread ? space - gs->rcv_unread : 0;

	if (glass_under_memory_pressure(sk))
		free = glass_rcv_pressure_free(free, space,
					       READ_ONCE(sk->sk_rcvbuf),
					       glass_rcvbuf_default(sk),
					       gs->rcv_mss);
	return free;
}

/**
 * glass_select_window() - the window to put in the next segment.
 * @sk: the socket, owned.
 * @commit: the segment is really being sent: remember the right edge.
 *
 * Receiver SWS avoidance lives in core/window.c.
 * Return: the window in bytes, counted from rcv_nxt.
 */
u32 glass_select_window(struct sock *sk, bool commit)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 wnd;

	gs->rcv_space = glass_rcv_space(sk);
	wnd = glass_rcv_select_window(gs->rcv_nxt, gs->rcv_adv,
				      glass_rcv_free(sk), gs->rcv_mss,
				      gs->rcv_space);
	if (commit) {
		gs->rcv_adv = gs->rcv_nxt + wnd;
		if (!wnd && gs->rcv_wnd_last) {
			gs->zero_wnd_sent++;
			glass_inc_stat(sock_net(sk), GLASS_MIB_ZERO_WND_ADV);
			trace_glass_window(sk, 0, true);
		}
	}
	return wnd;
}

/*
 * Would a segment sent now move the right edge by the SWS threshold, and
 * at least double the window left to the peer (core/window.c)?
 */
static bool glass_window_update_due(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 free;

	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_FIN_WAIT1 |
				    TCPF_FIN_WAIT2))
		return false;
	gs->rcv_space = glass_rcv_space(sk);
	free = glass_rcv_free(sk);
	return glass_rcv_window_update_due(gs->rcv_nxt, gs->rcv_adv, free,
					   gs->rcv_mss, gs->rcv_space) &&
	       glass_rcv_window_doubles(gs->rcv_nxt, gs->rcv_adv, free);
}

/**
 * glass_window_update_check() - the reader made room: tell the peer?
 * @sk: the socket, owned by the reader.
 *
 * A window update is due when the right edge would move by the receiver's
 * SWS threshold (glass_rcv_window_update_due()) and the window would at
 * least double (glass_rcv_window_doubles()), in states that receive.
 * It leaves when the reader lets go of the socket, with the ACK for what
 * the backlog brought meanwhile (glass_ack_deferred()).
 */
void glass_window_update_check(struct sock *sk)
{
	if (glass_window_update_due(sk))
		set_bit(GLASS_WND_UPDATE_DEFERRED, &sk->sk_tsq_flags);
}

/**
 * glass_ack_later() - ACK data once the program lets go of the socket.
 * @sk: the socket, owned by the program (its backlog being processed).
 *
 * A reader copying out holds its socket while trains pile up in the
 * backlog; release_sock() then processes them one after the other. One
 * ACK after the last covers them all, where an ACK per train would cost
 * the receiver a segment and the sender an ACK to process each (TCP's
 * receiver lets its reader's tcp_cleanup_rbuf() send that ACK).
 */
void glass_ack_later(struct sock *sk)
{
	set_bit(GLASS_ACK_DEFERRED, &sk->sk_tsq_flags);
}

/**
 * glass_ack_deferred() - send the ACK gathered while the program held sk.
 * @sk: the socket; glass_release_cb() calls this with ownership held.
 * @wnd_update: the reader made room (glass_window_update_check()).
 *
 * Nothing is sent if a segment sent meanwhile carried the ACK and the
 * window; a window update counts only if it still moves the edge.
 */
void glass_ack_deferred(struct sock *sk, bool wnd_update)
{
	struct glass_sock *gs = glass_sk(sk);
	bool update = wnd_update && glass_window_update_due(sk);

	if (!update && gs->rcv_acked == gs->rcv_nxt)
		return;
	if (update)
		glass_inc_stat(sock_net(sk), GLASS_MIB_WND_UPDATES);
	glass_send_ack(sk);
	if (update)
		trace_glass_window(sk, gs->rcv_wnd_last, false);
}
