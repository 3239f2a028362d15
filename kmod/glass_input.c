// SPDX-License-Identifier: GPL-2.0
/*
 * The receive side of the engine: frames arrive from a glass device in
 * softirq (glass_rcv), are validated (version, flags, length, checksum,
 * local destination), matched to a socket and processed under its lock, or
 * queued to its backlog when a program owns it. Then the state machine:
 * handshakes, RST and SYN checks (RFC 5961), ACK processing (window,
 * congestion control, retransmission), and data: in order to the receive
 * queue, out of order to the ooo queue, and the ACK that answers it.
 * Every discarded frame increments a named counter.
 */
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <net/busy_poll.h>
#include <net/route.h>
#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_mem.h"
#include "glass_dev.h"
#include "glass_table.h"
#include "glass_engine.h"
#include "glass_conn.h"
#include "glass_trace.h"
#include "glass_ext.h"
#include "core/window.h"

static inline struct glass_hdr *glass_hdr(const struct sk_buff *skb)
{
	return (struct glass_hdr *)skb_transport_header(skb);
}

/* Segments a validated frame carries (cb filled): more than one in a train. */
static u32 glass_frame_segs(const struct sk_buff *skb)
{
	return glass_segs(skb->len, GLASS_SKB_CB(skb)->seg_size);
}

/*
 * The peer's window, as far as we believe it: sequence arithmetic needs
 * every window below 2^31, so larger offers are cut to TCP's largest
 * scaled window (2^30) instead of wrapping into "nothing may be sent".
 */
static u32 glass_clamp_wnd(u32 wnd)
{
	return min_t(u32, wnd, GLASS_MAX_WINDOW);
}

static void glass_drop(struct net *net, struct sk_buff *skb,
		       enum glass_mib why)
{
	bool header_ok = why != GLASS_MIB_DROP_TRUNCATED &&
			 why != GLASS_MIB_DROP_WRONG_DEVICE &&
			 why != GLASS_MIB_DROP_NOMEM;

	glass_note_drop(net, header_ok ? glass_hdr(skb) : NULL, skb->len, why);
	kfree_skb(skb);
}

/*
 * Did the peer's SYN offer SACK (its extension area was checked by
 * glass_validate())? SACK is used when both ends offer it and our sysctl
 * still allows it: our SYN offered it if it did then, and a SYN-ACK only
 * carries it when the SYN did (glass_output.c).
 */
static bool glass_syn_sack(const struct sock *sk, const struct glass_hdr *gh)
{
	struct glass_ext_info info;

	if (!READ_ONCE(glass_pernet(sock_net(sk))->sysctl.sack) ||
	    glass_ext_parse(gh, ntohs(gh->len), &info) < 0)
		return false;
	return info.sack_perm;
}

/* The peer's SYN fixes its ISN, our receive sequence, its MSS and SACK. */
static void glass_take_syn(struct sock *sk, const struct glass_hdr *gh)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 peer_mss = ntohs(gh->mss);

	gs->sack_ok = glass_syn_sack(sk, gh);
	glass_sack_rcv_init(&gs->sack_rcv);
	gs->irs = ntohl(gh->seq);
	gs->rcv_nxt = gs->irs + 1;
	gs->rcv_adv = gs->rcv_nxt;
	gs->rcv_acked = gs->rcv_nxt;
	gs->peer_mss = peer_mss ? peer_mss : GLASS_DEFAULT_MSS;
	peer_mss = max_t(u32, gs->peer_mss, GLASS_MIN_MSS);
	gs->mss = glass_fit_mss(min(gs->mss, peer_mss));
	gs->snd_wnd = glass_clamp_wnd(ntohl(gh->window));
	gs->max_snd_wnd = gs->snd_wnd;
	gs->snd_wl1 = gs->irs;
}

/* The handshake's ACK arrived: the connection is established. */
static void glass_handshake_done(struct sock *sk, const struct glass_hdr *gh)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 ack = ntohl(gh->ack);

	gs->snd_una = ack;
	gs->snd_wl2 = ack;
	gs->snd_wnd = glass_clamp_wnd(ntohl(gh->window));
	gs->max_snd_wnd = max(gs->max_snd_wnd, gs->snd_wnd);
	gs->snd_wl1 = ntohl(gh->seq);
	glass_rto_on_ack(&gs->rto, ack, glass_clock(gs), gs->rack.min_rtt_us);
	gs->retries = 0;
	glass_stop_write_timer(sk);
	glass_cc_init(&gs->cc, gs->mss, gs->snd_nxt);
	glass_cc_init_window(&gs->cc, gs->route_iw);
	gs->cc.sack = gs->sack_ok;
	glass_cc_set_algo(&gs->cc, gs->cc_algo);
	glass_sb_init(&gs->sb, ack);
	glass_rack_init(&gs->rack);
	gs->rack_lost_bytes = 0;
	gs->undo_retrans = -1;
	glass_set_state(sk, TCP_ESTABLISHED);
}

/* A SYN for a listener: a child in SYN_RECV answers with SYN-ACK. */
static void glass_listen_syn(struct sock *sk, struct sk_buff *skb)
{
	struct glass_hdr *gh = glass_hdr(skb);
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	u32 rto_min_us;
	struct sock *child;

	if (READ_ONCE(gs->accept_len) + READ_ONCE(gs->pending_len) >
	    READ_ONCE(sk->sk_max_ack_backlog))
		return glass_drop(net, skb, GLASS_MIB_DROP_LISTEN_OVERFLOW);
	child = glass_child_alloc(sk, GFP_ATOMIC);
	if (!child)
		return glass_drop(net, skb, GLASS_MIB_DROP_NOMEM);
	child->sk_rcv_saddr = gh->daddr;
	child->sk_num = sk->sk_num;
	child->sk_daddr = gh->saddr;
	child->sk_dport = gh->sport;
	if (!glass_route_child(child, skb, &rto_min_us)) {
		glass_done(child);
		sock_put(child);
		return glass_drop(net, skb, GLASS_MIB_DROP_TX_NO_DEVICE);
	}
	glass_init_conn_vars(child, rto_min_us);
	glass_take_syn(child, gh);
	glass_set_state(child, TCP_SYN_RECV);

	/*
	 * The listener's lock is held with subclass SINGLE_DEPTH_NESTING
	 * (glass_rcv()); the new child takes subclass 0, as sk_clone_lock()
	 * does for TCP, so lockdep sees two levels, not a recursion.
	 */
	local_bh_disable();
	bh_lock_sock(child);
	if (glass_conn_hash(child)) {
		bh_unlock_sock(child);
		local_bh_enable();
		glass_done(child);
		sock_put(child);
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_SYN);
	}
	glass_bind_child(child);
	glass_child_pending(sk, child);
	glass_send_syn(child, false);
	bh_unlock_sock(child);
	local_bh_enable();
	kfree_skb(skb);
}

static void glass_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct glass_hdr *gh = glass_hdr(skb);
	struct net *net = sock_net(sk);

	if (gh->flags & GLASS_RST)
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_RST);
	if (gh->flags & GLASS_ACK) {
		glass_send_rst_reply(net, gh, skb->skb_iif);
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_ACK);
	}
	if (!(gh->flags & GLASS_SYN))
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_STATE);
	glass_listen_syn(sk, skb);
}

/* Our SYN is out: expect SYN-ACK, or RST (refused). */
static void glass_synsent_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct glass_hdr *gh = glass_hdr(skb);
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	u8 flags = gh->flags;

	if ((flags & GLASS_ACK) && ntohl(gh->ack) != gs->iss + 1) {
		glass_send_rst_reply(net, gh, gs->oif);
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_ACK);
	}
	if (flags & GLASS_RST) {
		if (!(flags & GLASS_ACK))
			return glass_drop(net, skb, GLASS_MIB_DROP_BAD_RST);
		glass_inc_stat(net, GLASS_MIB_RSTS_RECV);
		glass_inc_stat(net, GLASS_MIB_ATTEMPT_FAILS);
		glass_reset_conn(sk, ECONNREFUSED);
		kfree_skb(skb);
		return;
	}
	/* Simultaneous open (SYN without ACK) is not supported. */
	if (!(flags & GLASS_SYN) || !(flags & GLASS_ACK))
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_STATE);
	glass_take_syn(sk, gh);
	glass_handshake_done(sk, gh);
	glass_send_ack(sk);
	sk->sk_state_change(sk);
	sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
	kfree_skb(skb);
}

/*
 * Is the segment worth looking at (Linux's tcp_sequence)? Not if it lies
 * wholly before rcv_nxt or starts past the right edge we advertised.
 */
static bool glass_seq_acceptable(const struct glass_sock *gs, u32 seq, u32 end)
{
	u32 right = glass_seq_max(gs->rcv_adv, gs->rcv_nxt);

	if (glass_seq_before(end, gs->rcv_nxt))
		return false;
	return !glass_seq_after(seq, right);
}

static void glass_challenge_ack(struct sock *sk)
{
	glass_inc_stat(sock_net(sk), GLASS_MIB_CHALLENGE_ACKS);
	glass_send_ack(sk);
}

/* RFC 5961 3.2: only an RST exactly at rcv_nxt resets; others challenge. */
static void glass_rst_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	int state = sk->sk_state;

	if (GLASS_SKB_CB(skb)->seq != gs->rcv_nxt) {
		glass_challenge_ack(sk);
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_RST);
	}
	glass_inc_stat(net, GLASS_MIB_RSTS_RECV);
	if (state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT)
		glass_inc_stat(net, GLASS_MIB_ESTAB_RESETS);
	if (state == TCP_SYN_RECV || state == TCP_TIME_WAIT)
		glass_done(sk);
	else
		glass_reset_conn(sk, state == TCP_CLOSE_WAIT ? EPIPE :
				 ECONNRESET);
	kfree_skb(skb);
}

/* Our FIN is acknowledged: move on as RFC 793 says. */
static void glass_fin_acked(struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
		glass_set_state(sk, TCP_FIN_WAIT2);
		if (sock_flag(sk, SOCK_DEAD))
			glass_orphan_timeout(sk);
		sk->sk_state_change(sk);
		break;
	case TCP_CLOSING:
		glass_start_timewait(sk);
		break;
	case TCP_LAST_ACK:
		glass_done(sk);
		break;
	}
}

/* An ACK for new data: free it, sample RTT, grow cwnd, restart the timer. */
static void glass_ack_new(struct sock *sk, u32 ack)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 acked = ack - gs->snd_una;
	u32 flight = gs->snd_max - gs->snd_una;
	bool recovering = gs->cc.in_recovery || gs->sb.all_lost;

	glass_wq_clean(sk, ack);
	gs->snd_una = ack;
	/* The FIN takes a sequence number but is not a byte of data. */
	gs->bytes_acked += acked - (gs->fin_queued && ack == gs->write_seq);
	gs->cc.now_us = glass_clock(gs);
	glass_rto_on_ack(&gs->rto, ack, gs->cc.now_us, gs->rack.min_rtt_us);
	gs->retries = 0;
	gs->cc.srtt_us = gs->rto.srtt_us;
	if (glass_cc_on_ack(&gs->cc, ack, acked, flight) == GLASS_CC_RETRANSMIT)
		glass_retransmit_head(sk, GLASS_RETRANS_FAST);
	if (gs->sack_ok && recovering && !gs->cc.in_recovery &&
	    !gs->sb.all_lost)
		glass_rack_recovery_done(&gs->rack);
	if (gs->tlp_out && glass_seq_geq(ack, gs->tlp_high_seq))
		gs->tlp_out = false;	/* the episode is over (RFC 8985 7.4) */
	if (gs->snd_una == gs->snd_max) {
		if (gs->timer_kind == GLASS_TIMER_RETRANS ||
		    gs->timer_kind == GLASS_TIMER_TLP ||
		    gs->timer_kind == GLASS_TIMER_REO)
			glass_stop_write_timer(sk);
	} else {
		glass_rearm_rtx(sk);
	}
	if (gs->fin_queued && gs->snd_una == gs->write_seq)
		glass_fin_acked(sk);
	/* Memory pressure shrank the send buffer: give it back once over. */
	if (sk->sk_sndbuf < gs->sndbuf_init &&
	    !(sk->sk_userlocks & SOCK_SNDBUF_LOCK) &&
	    !glass_under_memory_pressure(sk))
		WRITE_ONCE(sk->sk_sndbuf, gs->sndbuf_init);
	if (sk->sk_socket && test_bit(SOCK_NOSPACE, &sk->sk_socket->flags)) {
		glass_sndbuf_expand(sk);
		sk->sk_write_space(sk);
	}
}

/* Fast recovery began: count it, resend the head, restart the timer. */
static void glass_recovery_start(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);

	gs->fast_retrans++;
	glass_inc_stat(net, GLASS_MIB_FAST_RETRANS);
	if (gs->sack_ok) {
		glass_inc_stat(net, GLASS_MIB_SACK_RECOVERIES);
		gs->undo_retrans = 0;
		glass_sack_retransmit_head(sk);
	} else {
		glass_retransmit_head(sk, GLASS_RETRANS_FAST);
	}
	glass_rearm_rtx(sk);
}

static void glass_dupack(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);

	gs->dupacks_in++;
	glass_inc_stat(net, GLASS_MIB_DUP_ACKS);
	if (glass_cc_on_dupack(&gs->cc, gs->snd_una, gs->snd_max,
			       gs->snd_max - gs->snd_una) == GLASS_CC_RETRANSMIT)
		glass_recovery_start(sk);
}

/*
 * The SACK blocks of an ACK (SACK agreed): mark the scoreboard, and start
 * recovery as soon as the head counts as lost (RFC 6675 IsLost), which
 * may be before three duplicates (a train SACKs several segments at once).
 * Return: true if the ACK SACKed bytes for the first time.
 */
static bool glass_sack_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 dsacks = gs->dsacks_in;
	struct glass_ext_info info;
	bool fresh;

	if (!GLASS_SKB_CB(skb)->ext_len ||
	    glass_ext_parse(glass_hdr(skb), GLASS_SKB_CB(skb)->ext_len,
			    &info) < 0)
		info.nsack = 0;
	fresh = info.nsack && glass_wq_sack(sk, info.sack, info.nsack);
	glass_rack_dsack(&gs->rack, gs->snd_una, gs->snd_nxt,
			 gs->dsacks_in != dsacks);
	/* A probe's ACK: what was sent before it and is missing is lost. */
	if (fresh && !gs->cc.in_recovery && gs->tlp_out &&
	    glass_sb_mark_lost(&gs->sb, gs->snd_una))
		glass_inc_stat(sock_net(sk), GLASS_MIB_TLP_RECOVERIES);
	glass_rack_loss(sk);
	return fresh;
}

/**
 * glass_rack_loss() - RACK's loss detection after an ACK or when the
 *	reordering timer expires (RFC 8985 section 6.2 step 5).
 * @sk: the socket, owned, SACK agreed.
 *
 * Marks what RACK finds lost; recovery starts once the segment at snd_una
 * counts as lost (by RACK or by RFC 6675's IsLost) or a retransmission was
 * lost; if a segment may still be only reordered, the reordering timer
 * is armed for when it would be overdue (it replaces the TLP or RTO
 * timer until then, as Linux's RACK reordering timer does).
 */
void glass_rack_loss(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 wait;

	if (gs->snd_una == gs->snd_max)
		return;
	wait = glass_wq_rack_detect(sk);
	if (!gs->cc.in_recovery &&
	    (gs->rack_lost_bytes ||
	     glass_seq_after(glass_sb_lost_end(&gs->sb, gs->snd_una, gs->mss),
			     gs->snd_una)) &&
	    glass_cc_sack_loss(&gs->cc, gs->snd_una, gs->snd_max,
			       gs->snd_max - gs->snd_una))
		glass_recovery_start(sk);
	if (wait && gs->timer_kind != GLASS_TIMER_PROBE)
		glass_arm_write_timer(sk, GLASS_TIMER_REO,
				      usecs_to_jiffies(wait));
}

/* RFC 793's window update rule: only newer segments may move the window. */
static void glass_update_window(struct sock *sk, const struct glass_hdr *gh,
				u32 seq, u32 ack)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 wnd = glass_clamp_wnd(ntohl(gh->window));

	if (!glass_seq_before(gs->snd_wl1, seq) &&
	    !(gs->snd_wl1 == seq && glass_seq_leq(gs->snd_wl2, ack)))
		return;
	if (wnd && !gs->snd_wnd) {
		gs->probe_backoff = 0;
		gs->orphan_probes = 0;
		if (gs->timer_kind == GLASS_TIMER_PROBE)
			glass_stop_write_timer(sk);
	}
	gs->snd_wnd = wnd;
	gs->max_snd_wnd = max(gs->max_snd_wnd, wnd);
	gs->snd_wl1 = seq;
	gs->snd_wl2 = ack;
}

/*
 * F-RTO (RFC 5682, glass_cc_frto()) on an ACK after an RTO: undo a
 * spurious one, or ask for new data instead of retransmissions.
 */
static enum glass_frto_action glass_frto(struct sock *sk, bool advanced,
					 bool dup)
{
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	struct glass_frto_ack a = {
		.una_advanced = advanced,
		.orig_acked = gs->frto_orig,
		.dup = dup,
		.can_send_new = sk->sk_send_head &&
				glass_seq_after(gs->snd_una + gs->snd_wnd,
						gs->snd_nxt),
	};
	enum glass_frto_action act;

	act = glass_cc_frto(&gs->cc, gs->snd_una, gs->snd_max, &a);
	if (act != GLASS_FRTO_UNDO)
		return act;
	/* As a D-SACK undo: nothing more to undo, no hole assumed lost. */
	gs->undo_retrans = -1;
	gs->sb.all_lost = false;
	gs->undos++;
	glass_inc_stat(net, GLASS_MIB_UNDOS);
	glass_inc_stat(net, GLASS_MIB_SPURIOUS_RTOS);
	if (gs->timer_kind == GLASS_TIMER_RETRANS)
		glass_rearm_rtx(sk);	/* a probe may be due again */
	return act;
}

/* Process the ACK field. Return false if the segment must be dropped. */
static bool glass_ack_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	struct glass_hdr *gh = glass_hdr(skb);
	struct glass_sock *gs = glass_sk(sk);
	u32 ack = ntohl(gh->ack);
	u32 old_wnd = gs->snd_wnd;
	bool new_data, dup = false;

	if (glass_seq_after(ack, gs->snd_max)) {
		glass_send_ack(sk);
		glass_drop(sock_net(sk), skb, GLASS_MIB_DROP_BAD_ACK);
		return false;
	}
	if (glass_seq_before(ack, gs->snd_una))
		return true;	/* old: nothing to learn from it */
	gs->probes_unanswered = 0;
	glass_update_window(sk, gh, cb->seq, ack);
	new_data = glass_seq_after(ack, gs->snd_una);
	gs->frto_orig = false;
	if (new_data)
		glass_ack_new(sk, ack);
	/* The scoreboard sees the ACK after its cumulative part. */
	if (gs->sack_ok && sk->sk_state != TCP_CLOSE)
		dup = glass_sack_rcv(sk, skb);
	if (!new_data && cb->seq == cb->end_seq && gs->snd_wnd == old_wnd &&
	    gs->snd_una != gs->snd_max) {
		glass_dupack(sk);
		dup = true;
	}
	if (sk->sk_state == TCP_CLOSE)
		return true;
	if (gs->cc.frto && glass_frto(sk, new_data, dup) == GLASS_FRTO_NEW) {
		glass_push_new(sk);
		if (gs->snd_max != gs->cc.recover)
			return true;
		/*
		 * Nothing new could go (Nagle, cwnd): F-RTO cannot tell, so
		 * it ends and the holes are resent now (as Linux's
		 * tcp_xmit_recovery() for REXMIT_NEW).
		 */
		gs->cc.frto = false;
	}
	/*
	 * Replayed from the backlog, ACKs push once when the program lets go
	 * (glass_release_cb()), with whatever its writes added meanwhile,
	 * not once per ACK.
	 */
	if (sock_owned_by_user(sk))
		set_bit(GLASS_PUSH_DEFERRED, &sk->sk_tsq_flags);
	else
		glass_push(sk);
	return true;
}

/* The peer's FIN arrived in order (RFC 793 "eighth, check the FIN bit"). */
static void glass_fin_rcv(struct sock *sk)
{
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
		glass_set_state(sk, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		glass_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		glass_start_timewait(sk);
		break;
	}
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
	}
}

#define GLASS_COMPACT_SIZE	SKB_WITH_OVERHEAD(4096)

/*
 * Memory an skb keeps from being freed. A frame's segments are clones of
 * the sender's queued skbs, and a clone of a part of a buffer (a
 * retransmitted segment, the piece a window let through) holds the whole
 * buffer while its truesize is only its share of it.
 */
static u32 glass_pinned(const struct sk_buff *skb)
{
	u32 pinned = SKB_TRUESIZE(skb_end_offset(skb));
	const struct sk_buff *m;

	skb_walk_frags(skb, m)
		pinned += SKB_TRUESIZE(skb_end_offset(m));
	return max(pinned, skb->truesize);
}

/*
 * An skb that pins more than twice its payload is copied before it is
 * held: the window promises SO_RCVBUF payload bytes against twice that of
 * memory, so no held skb may cost more than twice what it carries.
 */
static bool glass_wasteful(const struct sk_buff *skb, u32 bytes)
{
	return glass_pinned(skb) > 2 * bytes;
}

/*
 * A small segment still pins a whole MSS-sized buffer; a slow reader of
 * many of them would hit sk_rcvbuf long before the window closes. Copy
 * their bytes into a private skb at the tail instead, so the memory
 * charged to the socket stays within twice the bytes it holds (TCP
 * collapses its queue for the same reason). Return false if the caller
 * must queue the skb itself.
 */
static bool glass_append_small(struct sock *sk, struct sk_buff *skb, u32 bytes)
{
	struct sk_buff *tail = skb_peek_tail(&sk->sk_receive_queue);
	u32 off = GLASS_SKB_CB(skb)->offset;

	if (!tail || !GLASS_SKB_CB(tail)->compact || !skb_tailroom(tail))
		tail = NULL;
	/* Allocate first, so a failure leaves nothing half copied. */
	if (!tail || skb_tailroom(tail) < (int)bytes) {
		struct sk_buff *n = alloc_skb(max_t(u32, bytes,
						    GLASS_COMPACT_SIZE),
					      GFP_ATOMIC);

		if (!n)
			return false;
		if (!glass_rmem_schedule(sk, n)) {
			kfree_skb(n);
			return false;
		}
		memset(GLASS_SKB_CB(n), 0, sizeof(struct glass_skb_cb));
		GLASS_SKB_CB(n)->compact = 1;
		skb_set_owner_r(n, sk);
		if (tail) {
			u32 part = skb_tailroom(tail);

			/* Within skb by construction: cannot fail. */
			WARN_ON_ONCE(skb_copy_bits(skb, off,
						   skb_put(tail, part), part));
			off += part;
			bytes -= part;
		}
		__skb_queue_tail(&sk->sk_receive_queue, n);
		tail = n;
	}
	WARN_ON_ONCE(skb_copy_bits(skb, off, skb_put(tail, bytes), bytes));
	return true;
}

/* Hand an in-order skb to the reader; false if the caller must free it. */
static bool glass_queue_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	struct glass_sock *gs = glass_sk(sk);
	u32 bytes = skb->len > cb->offset ? skb->len - cb->offset : 0;

	gs->rcv_nxt = cb->end_seq;
	if (!bytes)
		return false;
	WRITE_ONCE(gs->rcv_unread, gs->rcv_unread + bytes);
	gs->bytes_received += bytes;
	glass_add_stat(sock_net(sk), GLASS_MIB_BYTES_IN, bytes);
	if (glass_wasteful(skb, bytes) && glass_append_small(sk, skb, bytes))
		return false;
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	return true;
}

/* Deliver one in-order skb; handle its FIN; report whether FIN came. */
static bool glass_deliver(struct sock *sk, struct sk_buff *skb)
{
	bool fin = GLASS_SKB_CB(skb)->flags & GLASS_FIN;

	if (!glass_queue_rcv(sk, skb))
		kfree_skb(skb);
	if (fin)
		glass_fin_rcv(sk);
	return fin;
}

/* Free the out-of-order set once it holds nothing (every hole filled). */
static void glass_ooo_trim(struct glass_sock *gs)
{
	if (gs->ooo && !gs->ooo->n)
		glass_ranges_free(&gs->ooo);
}

/* The gap closed: move what the ooo queue holds in order. */
static bool glass_ooo_drain(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb;
	bool fin = false;
	u32 next;

	while ((skb = skb_peek(&gs->ooo_queue))) {
		struct glass_skb_cb *cb = GLASS_SKB_CB(skb);

		if (glass_seq_after(cb->seq, gs->rcv_nxt))
			break;
		__skb_unlink(skb, &gs->ooo_queue);
		if (glass_seq_leq(cb->end_seq, gs->rcv_nxt) || fin) {
			kfree_skb(skb);
			continue;
		}
		cb->offset = min_t(u32, gs->rcv_nxt - cb->seq, skb->len);
		fin = glass_deliver(sk, skb);
	}
	next = gs->ooo ? glass_ooo_advance(gs->ooo, gs->rcv_nxt) : gs->rcv_nxt;
	/*
	 * The ranges and the queue hold the same bytes, so they agree on
	 * where the in-order data ends; only bytes after a FIN, freed above,
	 * may still run on in the ranges.
	 */
	DEBUG_NET_WARN_ON_ONCE(!fin && next != gs->rcv_nxt);
	glass_ooo_trim(gs);
	return fin;
}

/* Insert into the ooo queue, sorted by seq (usually at the tail). */
static void glass_ooo_insert(struct sock *sk, struct sk_buff *skb)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 seq = GLASS_SKB_CB(skb)->seq;
	struct sk_buff *pos;

	skb_queue_reverse_walk(&gs->ooo_queue, pos) {
		if (glass_seq_leq(GLASS_SKB_CB(pos)->seq, seq)) {
			__skb_queue_after(&gs->ooo_queue, pos, skb);
			return;
		}
	}
	__skb_queue_head(&gs->ooo_queue, skb);
}

/* Memory skb will pin once held (wasteful ones are copied first). */
static u32 glass_held_size(const struct sk_buff *skb)
{
	return glass_wasteful(skb, skb->len) ? SKB_TRUESIZE(skb->len) :
	       skb->truesize;
}

/*
 * A right-sized private copy of a wasteful skb held out of order (or skb
 * itself); the caller frees skb if it got a copy.
 */
static struct sk_buff *glass_shrink(struct sk_buff *skb)
{
	struct sk_buff *n;

	if (!glass_wasteful(skb, skb->len))
		return skb;
	n = alloc_skb(skb->len, GFP_ATOMIC);
	if (!n)
		return skb;
	if (skb_copy_bits(skb, 0, skb_put(n, skb->len), skb->len)) {
		kfree_skb(n);
		return skb;
	}
	memcpy(n->cb, skb->cb, sizeof(struct glass_skb_cb));
	n->dev = skb->dev;
	return n;
}

static void glass_data_ooo(struct sock *sk, struct sk_buff *skb, u32 start,
			   u32 end)
{
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	struct sk_buff *held;
	enum glass_mib why;
	u32 dupacks = 1;
	s64 added;

	/*
	 * What will be held is charged before the range is recorded, so the
	 * two always agree; skb keeps the header for the drop counters.
	 */
	held = glass_shrink(skb);
	if (!glass_rmem_schedule(sk, held)) {
		glass_send_ack(sk);
		why = GLASS_MIB_DROP_MEMORY;
		goto drop;
	}
	/*
	 * The first segment held out of order brings the set; without one,
	 * the segment is dropped and counted, as when the set is full (the
	 * sender resends it, nothing ACKed is lost).
	 */
	if (!gs->ooo)
		gs->ooo = glass_ranges_alloc();
	if (!gs->ooo) {
		glass_send_ack(sk);
		why = GLASS_MIB_DROP_NOMEM;
		goto drop;
	}
	added = glass_ooo_add(gs->ooo, start, end);
	if (gs->sack_ok && added > 0)
		glass_sack_rcv_note(&gs->sack_rcv, start);
	else if (gs->sack_ok && !added)
		glass_sack_rcv_dup(&gs->sack_rcv, start, end);

	/*
	 * An immediate duplicate ACK per segment (RFC 5681 4.2), and a train
	 * carries several: up to the three that fast retransmit needs, or a
	 * window of a few trains would never trigger it after a loss.
	 */
	if (added > 0)
		dupacks = min_t(u32, glass_frame_segs(skb), GLASS_CC_DUPTHRESH);
	while (dupacks--)
		glass_send_ack(sk);
	if (added <= 0) {
		why = added < 0 ? GLASS_MIB_DROP_OOO_FULL :
		      GLASS_MIB_DROP_DUPLICATE;
		goto drop;
	}
	glass_inc_stat(net, GLASS_MIB_OOO_SEGS);
	if (held != skb)
		kfree_skb(skb);
	skb_set_owner_r(held, sk);
	glass_ooo_insert(sk, held);
	return;
drop:
	glass_ooo_trim(gs);
	if (held != skb)
		kfree_skb(held);
	glass_drop(net, skb, why);
}

/*
 * ACK in-order data: at once for a FIN, a filled hole or quick-ACK mode;
 * once more than a segment is owed, at once from softirq but only when the
 * program lets go if this came from its backlog (glass_ack_later());
 * otherwise after the delayed-ACK timeout.
 */
static void glass_data_ack(struct sock *sk, bool now)
{
	struct glass_sock *gs = glass_sk(sk);

	if (now || gs->quickack)
		glass_send_ack(sk);
	else if (!glass_ack_now(gs->rcv_nxt - gs->rcv_acked, gs->rcv_mss,
				false, glass_ooo_held(gs)->n))
		glass_arm_delack(sk);
	else if (sock_owned_by_user(sk))
		glass_ack_later(sk);
	else
		glass_send_ack(sk);
}

/*
 * The reader is owed a wake-up, given once the socket lock is dropped
 * (glass_wake_owed()): a reader woken while the softirq still holds it
 * would only spin on it in lock_sock() on its own CPU.
 */
static void glass_data_ready(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	if (sock_flag(sk, SOCK_DEAD))
		return;
	if (gs->rcv_unread >= (u32)READ_ONCE(sk->sk_rcvlowat) ||
	    (sk->sk_shutdown & RCV_SHUTDOWN))
		gs->wake_owed = 1;
}

/*
 * Take the wake-up glass_data_ready() left, under the socket lock; the
 * caller gives it (sk->sk_data_ready()) after letting the lock go, as
 * UDP wakes its readers without one: the wait queue is RCU-protected and
 * the caller holds a reference.
 */
static bool glass_wake_owed(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	bool owed = gs->wake_owed;

	gs->wake_owed = 0;
	return owed;
}

/*
 * Data received a second time, all of it before rcv_nxt: the next ACK
 * reports it as a D-SACK (RFC 2883), so the sender can tell that its
 * retransmission was not needed.
 */
static void glass_note_dup(struct sock *sk, const struct glass_skb_cb *cb)
{
	struct glass_sock *gs = glass_sk(sk);

	if (gs->sack_ok && cb->seq != cb->end_seq &&
	    !(cb->flags & (GLASS_SYN | GLASS_RST)) &&
	    glass_seq_leq(cb->end_seq, gs->rcv_nxt))
		glass_sack_rcv_dup(&gs->sack_rcv, cb->seq, cb->end_seq);
}

/*
 * Clip a data segment to the window we offered. Return false (segment
 * consumed) when nothing of it is new and inside.
 */
static bool glass_data_clip(struct sock *sk, struct sk_buff *skb,
			    struct glass_range *r)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	struct glass_sock *gs = glass_sk(sk);
	u32 right = glass_seq_max(gs->rcv_adv, gs->rcv_nxt);

	r->start = cb->seq;
	r->end = cb->end_seq;
	if (!glass_range_clip(r, gs->rcv_nxt, right)) {
		glass_note_dup(sk, cb);
		glass_send_ack(sk);
		glass_drop(sock_net(sk), skb,
			   glass_seq_leq(cb->end_seq, gs->rcv_nxt) ?
			   GLASS_MIB_DROP_DUPLICATE :
			   GLASS_MIB_DROP_OUT_OF_WINDOW);
		return false;
	}
	if (r->end != cb->end_seq) {
		/*
		 * The window cut the tail (and any FIN with it). A shared
		 * buffer may need a copy to trim: if that fails, take none of
		 * it rather than deliver bytes past rcv_nxt.
		 */
		if (pskb_trim(skb, r->end - cb->seq)) {
			glass_drop(sock_net(sk), skb, GLASS_MIB_DROP_NOMEM);
			return false;
		}
		cb->flags &= ~GLASS_FIN;
		cb->end_seq = r->end;
		glass_note_drop(sock_net(sk), glass_hdr(skb), 0,
				GLASS_MIB_DROP_OUT_OF_WINDOW);
	}
	return true;
}

/*
 * Give up everything held out of order, each segment counted under @why.
 * Return: true if anything was freed.
 */
static bool glass_ooo_discard(struct sock *sk, enum glass_mib why)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb;

	if (skb_queue_empty(&gs->ooo_queue))
		return false;
	while ((skb = __skb_dequeue(&gs->ooo_queue))) {
		glass_note_drop(sock_net(sk), NULL, skb->len, why);
		kfree_skb(skb);
	}
	glass_ranges_free(&gs->ooo);
	sk_mem_reclaim(sk);
	return true;
}

/*
 * Memory refused in-order data: give up what is held out of order, which
 * would otherwise keep the hole from ever being filled (TCP prunes its
 * out-of-order queue for the same reason).
 */
static bool glass_ooo_prune(struct sock *sk)
{
	return glass_ooo_discard(sk, GLASS_MIB_DROP_MEMORY);
}

/*
 * Does sk_rcvbuf leave room to hold skb? The bytes at rcv_nxt need none
 * when the reader's queue is empty: all that is held then is out of order
 * and can only be read after them, so refusing them would stall the
 * connection for good, the reader waiting and every retransmission
 * dropped (TCP forces the charge in the same case). One skb past
 * sk_rcvbuf at most: the next finds the queue non-empty.
 */
static bool glass_rcvbuf_room(const struct sock *sk, const struct sk_buff *skb,
			      bool in_order)
{
	if (in_order && skb_queue_empty(&sk->sk_receive_queue))
		return true;
	return atomic_read(&sk->sk_rmem_alloc) + glass_held_size(skb) <=
	       READ_ONCE(sk->sk_rcvbuf);
}

/* Payload and FIN of an acceptable segment in a state that takes data. */
static void glass_data_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	struct glass_range r;
	bool fin, filled_hole;

	if (sock_flag(sk, SOCK_DEAD) && skb->len &&
	    glass_seq_after(cb->seq + skb->len, gs->rcv_nxt)) {
		/* Data for a program that closed: it can never be read. */
		glass_send_rst(sk);
		glass_reset_conn(sk, ECONNRESET);
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_STATE);
	}
	if (!glass_data_clip(sk, skb, &r))
		return;
	if (!glass_rcvbuf_room(sk, skb, r.start == gs->rcv_nxt)) {
		glass_send_ack(sk);
		return glass_drop(net, skb, GLASS_MIB_DROP_RCVBUF);
	}
	if (skb->len) {
		gs->data_segs_in += glass_frame_segs(skb);
		gs->rcv_mss = max_t(u32, gs->rcv_mss, cb->seg_size);
	}
	if (r.start != gs->rcv_nxt)
		return glass_data_ooo(sk, skb, r.start, r.end);

	if (!glass_rmem_schedule_next(sk, skb) &&
	    (!glass_ooo_prune(sk) || !glass_rmem_schedule_next(sk, skb))) {
		glass_send_ack(sk);
		return glass_drop(net, skb, GLASS_MIB_DROP_MEMORY);
	}
	cb->offset = r.start - cb->seq;
	skb_set_owner_r(skb, sk);
	fin = glass_deliver(sk, skb);
	/* A segment that fills a hole is ACKed at once (RFC 5681 4.2). */
	filled_hole = glass_ooo_held(gs)->n;
	if (fin)
		/* The stream ended: bytes held past its end are not data. */
		glass_ooo_discard(sk, GLASS_MIB_DROP_OUT_OF_WINDOW);
	else if (filled_hole)
		fin = glass_ooo_drain(sk);
	glass_rcvbuf_rtt_sample(sk);
	glass_data_ack(sk, fin || filled_hole);
	glass_data_ready(sk);
}

/* TIME_WAIT: a retransmitted FIN means our ACK was lost; ACK again. */
static void glass_timewait_rcv(struct sock *sk, struct sk_buff *skb)
{
	if (GLASS_SKB_CB(skb)->flags & GLASS_FIN) {
		glass_send_ack(sk);
		glass_start_timewait(sk);
	}
	kfree_skb(skb);
}

static void glass_synrecv_ack(struct sock *sk, struct sk_buff *skb)
{
	struct glass_hdr *gh = glass_hdr(skb);
	struct glass_sock *gs = glass_sk(sk);

	if (ntohl(gh->ack) != gs->iss + 1) {
		glass_send_rst_reply(sock_net(sk), gh, gs->oif);
		return glass_drop(sock_net(sk), skb, GLASS_MIB_DROP_BAD_ACK);
	}
	glass_handshake_done(sk, gh);
	glass_child_established(sk);
	if (sk->sk_state == TCP_CLOSE)
		return glass_drop(sock_net(sk), skb,
				  GLASS_MIB_DROP_LISTEN_OVERFLOW);
	if (GLASS_SKB_CB(skb)->seq != GLASS_SKB_CB(skb)->end_seq)
		return glass_data_rcv(sk, skb);
	kfree_skb(skb);
}

/* States past the handshake (and SYN_RECV): RFC 793's "Otherwise" steps. */
static void glass_synced_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	u8 flags = cb->flags;

	if (!glass_seq_acceptable(gs, cb->seq, cb->end_seq)) {
		glass_note_dup(sk, cb);
		if (!(flags & GLASS_RST))
			glass_send_ack(sk);
		return glass_drop(net, skb,
				  glass_seq_before(cb->end_seq, gs->rcv_nxt) ||
				  cb->seq == cb->end_seq ?
				  GLASS_MIB_DROP_DUPLICATE :
				  GLASS_MIB_DROP_OUT_OF_WINDOW);
	}
	if (flags & GLASS_RST)
		return glass_rst_rcv(sk, skb);
	if (flags & GLASS_SYN) {
		if (sk->sk_state == TCP_SYN_RECV && cb->seq == gs->irs) {
			glass_send_syn(sk, true);
			kfree_skb(skb);
			return;
		}
		glass_challenge_ack(sk);
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_SYN);
	}
	if (!(flags & GLASS_ACK))
		return glass_drop(net, skb, GLASS_MIB_DROP_BAD_STATE);
	if (sk->sk_state == TCP_SYN_RECV)
		return glass_synrecv_ack(sk, skb);
	if (sk->sk_state == TCP_TIME_WAIT)
		return glass_timewait_rcv(sk, skb);
	if (!glass_ack_rcv(sk, skb))
		return;
	if (cb->seq == cb->end_seq || sk->sk_state == TCP_CLOSE) {
		kfree_skb(skb);
		return;
	}
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		return glass_data_rcv(sk, skb);
	}
	/*
	 * After the peer's FIN. A copy of what we already took (a FIN
	 * retransmitted because our ACK was lost) is ACKed again, as TCP
	 * does, or the peer retransmits until it times out; new data after
	 * a FIN can only be dropped.
	 */
	if (glass_seq_leq(cb->end_seq, gs->rcv_nxt)) {
		glass_send_ack(sk);
		return glass_drop(net, skb, GLASS_MIB_DROP_DUPLICATE);
	}
	glass_drop(net, skb, GLASS_MIB_DROP_BAD_STATE);
}

/* Process one segment with the socket owned (softirq or backlog). */
static void glass_rcv_sk(struct sock *sk, struct sk_buff *skb)
{
	struct glass_sock *gs = glass_sk(sk);

	gs->segs_in += glass_frame_segs(skb);
	glass_clock_refresh(gs);
	trace_glass_segment_recv(sk, glass_hdr(skb));
	switch (sk->sk_state) {
	case TCP_LISTEN:
		return glass_listen_rcv(sk, skb);
	case TCP_SYN_SENT:
		return glass_synsent_rcv(sk, skb);
	case TCP_CLOSE:
		/* skb_iif, not skb->dev: a backlog replay holds no device. */
		glass_send_rst_reply(sock_net(sk), glass_hdr(skb),
				     skb->skb_iif);
		return glass_drop(sock_net(sk), skb, GLASS_MIB_DROP_NO_SOCKET);
	}
	glass_synced_rcv(sk, skb);
}

/**
 * glass_backlog_rcv() - process a segment queued while the socket was owned.
 * @sk: the socket; release_sock() calls this with ownership still held.
 * @skb: the segment, validated, cb filled.
 *
 * Counted (backlog_segments, as its segments): how often the softirq found
 * a program holding the socket and left the work to release_sock().
 * Return: 0; the segment is always consumed.
 */
int glass_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	glass_add_stat(sock_net(sk), GLASS_MIB_BACKLOG_SEGS,
		       glass_frame_segs(skb));
	glass_rcv_sk(sk, skb);
	/* The backlog is replayed with the spinlock dropped: wake now. */
	if (glass_wake_owed(sk))
		sk->sk_data_ready(sk);
	return 0;
}

/*
 * A frame from a glass device on this machine still carries the sender's
 * CHECKSUM_PARTIAL: its bytes never left memory, so there is nothing to
 * verify (as veth and loopback TCP). Whatever could change them on the way
 * (netem corrupt, glass fault corrupt) computes the checksum first, and
 * frames injected with AF_PACKET arrive as CHECKSUM_NONE: those are
 * checked here.
 */
static bool glass_csum_ok(struct sk_buff *skb)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL ||
	    skb->ip_summed == CHECKSUM_UNNECESSARY)
		return true;
	return !csum_fold(skb_checksum(skb, 0, skb->len, 0));
}

/*
 * Check a frame before trusting any of it. Return the counter to bump if
 * it must be dropped, or GLASS_MIB_MAX if it is sound.
 */
static enum glass_mib glass_validate(struct net *net, struct sk_buff *skb)
{
	struct glass_ext_info info;
	const struct glass_hdr *gh;
	u32 len, mss, payload;
	int ext;

	if (!pskb_may_pull(skb, GLASS_HDR_LEN))
		return GLASS_MIB_DROP_TRUNCATED;
	skb_reset_transport_header(skb);
	gh = glass_hdr(skb);
	len = ntohs(gh->len);
	if (skb->len < GLASS_HDR_LEN + len)
		return GLASS_MIB_DROP_TRUNCATED;
	if (pskb_trim_rcsum(skb, GLASS_HDR_LEN + len))
		return GLASS_MIB_DROP_NOMEM;
	if (!glass_csum_ok(skb))
		return GLASS_MIB_DROP_CSUM;
	gh = glass_hdr(skb);
	if (gh->version != GLASS_VERSION || (gh->flags & ~GLASS_FLAGS_ALL))
		return GLASS_MIB_DROP_MALFORMED;
	/* The extension area is read in place: it must be linear. */
	if ((gh->flags & GLASS_EXT) &&
	    !pskb_may_pull(skb, GLASS_HDR_LEN + min_t(u32, len, GLASS_EXT_MAX)))
		return GLASS_MIB_DROP_NOMEM;
	gh = glass_hdr(skb);
	ext = glass_ext_parse(gh, len, &info);
	if (ext < 0)
		return GLASS_MIB_DROP_MALFORMED;
	payload = len - ext;
	if ((gh->flags & GLASS_SYN) &&
	    (payload || (gh->flags & (GLASS_FIN | GLASS_RST))))
		return GLASS_MIB_DROP_MALFORMED;
	if ((gh->flags & GLASS_RST) && payload)
		return GLASS_MIB_DROP_MALFORMED;
	/*
	 * Outside SYN, mss marks a train: segments of that size, several,
	 * and no extension area before them.
	 */
	mss = glass_hdr_train_mss(gh);
	if (mss && (mss < GLASS_MIN_MSS || payload <= mss || ext))
		return GLASS_MIB_DROP_MALFORMED;
	if (!gh->sport || !gh->dport)
		return GLASS_MIB_DROP_MALFORMED;
	if (inet_addr_type_dev_table(net, skb->dev, gh->daddr) != RTN_LOCAL)
		return GLASS_MIB_DROP_NOT_LOCAL;
	return GLASS_MIB_MAX;
}

static void glass_fill_cb(struct sk_buff *skb)
{
	const struct glass_hdr *gh = glass_hdr(skb);
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	u32 ext_len = glass_hdr_ext_len(gh);
	u32 len = ntohs(gh->len) - ext_len;

	memset(cb, 0, sizeof(*cb));
	cb->seq = ntohl(gh->seq);
	cb->end_seq = cb->seq + len + !!(gh->flags & GLASS_SYN) +
		      !!(gh->flags & GLASS_FIN);
	cb->flags = gh->flags;
	cb->ext_len = ext_len;
	cb->seg_size = glass_hdr_train_mss(gh) ? : len;
	__skb_pull(skb, GLASS_HDR_LEN + ext_len);
}

/*
 * A SYN for a four-tuple in TIME_WAIT, above the sequence numbers that
 * connection received, opens a new one, as TCP's does
 * (tcp_timewait_state_process(), RFC 6191 without timestamps: ISNs grow
 * with time, glass_isn()): the TIME_WAIT ends and the listener takes the
 * SYN. Otherwise the old connection sees it, and ACKs it.
 * Return: the socket for the frame, held (sk's reference is given back
 * when the listener takes its place).
 */
static struct sock *glass_tw_syn(struct net *net, struct sock *sk,
				 const struct glass_hdr *gh, int dif)
{
	struct sock *listener;
	bool reuse;

	if (sk->sk_state != TCP_TIME_WAIT ||
	    (gh->flags & (GLASS_SYN | GLASS_ACK | GLASS_RST | GLASS_FIN)) !=
	    GLASS_SYN)
		return sk;
	listener = glass_lookup_listener(net, gh->daddr, ntohs(gh->dport), dif);
	if (!listener)
		return sk;
	bh_lock_sock(sk);
	reuse = sk->sk_state == TCP_TIME_WAIT && !sock_owned_by_user(sk) &&
		glass_seq_after(ntohl(gh->seq), glass_sk(sk)->rcv_nxt);
	if (reuse)
		glass_done(sk);
	bh_unlock_sock(sk);
	if (!reuse) {
		sock_put(listener);
		return sk;
	}
	glass_inc_stat(net, GLASS_MIB_TIMEWAIT_REUSED);
	sock_put(sk);
	return listener;
}

/*
 * The socket a frame that arrived on device dif belongs to, held: its
 * connection (or the listener, for a SYN that ends a TIME_WAIT), else the
 * listener of its port.
 */
static struct sock *glass_demux(struct net *net, const struct glass_hdr *gh,
				int dif)
{
	struct sock *sk;

	sk = glass_lookup(net, gh->saddr, gh->sport, gh->daddr, gh->dport, dif);
	if (sk)
		return glass_tw_syn(net, sk, gh, dif);
	return glass_lookup_listener(net, gh->daddr, ntohs(gh->dport), dif);
}

/**
 * glass_rcv() - the ETH_P_GLASS frame handler (softirq).
 * @skb: the frame, Ethernet header pulled.
 * @dev: the device it arrived on.
 * @pt: our packet_type.
 * @orig_dev: the original device (unused: glass devices are not enslaved).
 *
 * Return: NET_RX_SUCCESS, or NET_RX_DROP with the reason counted.
 */
int glass_rcv(struct sk_buff *skb, struct net_device *dev,
	      struct packet_type *pt, struct net_device *orig_dev)
{
	struct net *net = dev_net(dev);
	bool wake = false;
	enum glass_mib why;
	struct sock *sk;

	if (!glass_dev_is_glass(dev)) {
		glass_drop(net, skb, GLASS_MIB_DROP_WRONG_DEVICE);
		return NET_RX_DROP;
	}
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		glass_note_drop(net, NULL, 0, GLASS_MIB_DROP_NOMEM);
		return NET_RX_DROP;
	}
	glass_inc_stat(net, GLASS_MIB_SEGS_IN);
	why = glass_validate(net, skb);
	if (why != GLASS_MIB_MAX) {
		glass_drop(net, skb, why);
		return NET_RX_DROP;
	}
	sk = glass_demux(net, glass_hdr(skb), dev->ifindex);
	if (!sk) {
		glass_send_rst_reply(net, glass_hdr(skb), dev->ifindex);
		glass_drop(net, skb, GLASS_MIB_DROP_NO_SOCKET);
		return NET_RX_DROP;
	}
	/*
	 * The socket's filter (SO_ATTACH_FILTER) and LSM see the glass header
	 * and payload, as TCP's see theirs; a filter that cuts the payload
	 * short leaves no whole segment, so that frame is dropped too.
	 */
	if (sk_filter_trim_cap(sk, skb, GLASS_HDR_LEN) ||
	    skb->len != GLASS_HDR_LEN + ntohs(glass_hdr(skb)->len)) {
		glass_drop(net, skb, GLASS_MIB_DROP_FILTER);
		sock_put(sk);
		return NET_RX_DROP;
	}
	glass_fill_cb(skb);
	/* The poll a busy-polling reader of this socket spins on. */
	if (sk->sk_state != TCP_LISTEN)
		sk_mark_napi_id(sk, skb);
	/* A train counts as the segments it carries, as it did when sent. */
	glass_add_stat(net, GLASS_MIB_SEGS_IN, glass_frame_segs(skb) - 1);
	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		glass_rcv_sk(sk, skb);
		wake = glass_wake_owed(sk);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) +
				  READ_ONCE(sk->sk_sndbuf))) {
		glass_drop(net, skb, GLASS_MIB_DROP_BACKLOG);
	}
	bh_unlock_sock(sk);
	if (wake)
		sk->sk_data_ready(sk);
	sock_put(sk);
	return NET_RX_SUCCESS;
}
