// SPDX-License-Identifier: GPL-2.0
/*
 * The timers of a glass connection: the write timer (retransmission of
 * SYN, data and FIN with RFC 6298 backoff; zero-window probes; the end of
 * TIME_WAIT), the delayed-ACK timer and the cork ceiling. A timer that
 * fires while a program owns the socket sets a deferred bit and holds a
 * reference; glass_release_cb() finishes the work when the program lets
 * go, as TCP's tcp_release_cb() does.
 */
#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_mem.h"
#include "glass_engine.h"
#include "glass_conn.h"
#include "glass_trace.h"

static struct glass_sysctl *glass_sc(const struct sock *sk)
{
	return &glass_pernet(sock_net(sk))->sysctl;
}

/**
 * glass_arm_write_timer() - arm the write timer for one purpose.
 * @sk: the socket, owned.
 * @kind: what it is armed for (retransmission, probe, TIME_WAIT).
 * @delay: jiffies from now, at least one.
 */
void glass_arm_write_timer(struct sock *sk, enum glass_timer_kind kind,
			   unsigned long delay)
{
	struct glass_sock *gs = glass_sk(sk);

	gs->timer_kind = kind;
	gs->write_timeout = jiffies + max(delay, 1UL);
	sk_reset_timer(sk, &gs->write_timer, gs->write_timeout);
}

/**
 * glass_stop_write_timer() - disarm the write timer, whatever it was for.
 * @sk: the socket, owned.
 */
void glass_stop_write_timer(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	gs->timer_kind = GLASS_TIMER_NONE;
	sk_stop_timer(sk, &gs->write_timer);
}

/*
 * RFC 8985 section 7.2: a probe timeout instead of the RTO, with SACK
 * (the probe's ACK must tell what is missing), outside recovery, with an
 * RTT sample, no probe out and no backoff. PTO = 2 SRTT, plus the worst
 * delayed ACK when one segment is in flight (the peer waits for a second
 * one: WCDelAckT, which Linux takes as its minimum RTO, rto_min_ms here),
 * else two jiffies of timer slack; never longer than the RTO.
 * Return: the PTO in jiffies, 0 when no probe is due.
 */
static unsigned long glass_tlp_pto(const struct sock *sk)
{
	const struct glass_sock *gs = glass_sk(sk);
	u64 pto = 2ull * gs->rto.srtt_us;

	if (!gs->sack_ok || gs->tlp_out || gs->cc.in_recovery ||
	    gs->cc.in_loss || gs->sb.all_lost || !gs->rto.srtt_us ||
	    gs->rto.backoff ||
	    !((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
		return 0;
	if (gs->snd_max - gs->snd_una <= gs->mss)
		pto += glass_ms_to_us(glass_sc(sk)->rto_min_ms);
	else
		pto += jiffies_to_usecs(2);
	pto = min_t(u64, pto, glass_rto_timeout(&gs->rto));
	return max(usecs_to_jiffies(pto), 2UL);
}

/* Run the retransmission timer for the current, backed-off RTO. */
static void glass_arm_rto(struct sock *sk)
{
	glass_arm_write_timer(sk, GLASS_TIMER_RETRANS,
			      usecs_to_jiffies(glass_rto_timeout(&glass_sk(sk)->rto)));
}

/**
 * glass_rearm_rtx() - restart the retransmission timer (RFC 6298 5.3).
 * @sk: the socket, owned; the timer runs for the current, backed-off RTO,
 *	or for a probe timeout first when a tail loss probe is due.
 */
void glass_rearm_rtx(struct sock *sk)
{
	unsigned long pto = glass_tlp_pto(sk);

	if (pto)
		glass_arm_write_timer(sk, GLASS_TIMER_TLP, pto);
	else
		glass_arm_rto(sk);
}

/*
 * The probe timeout (RFC 8985 section 7.3): the tail of the flight may be
 * lost with nothing behind it to produce duplicate ACKs. Send new data if
 * the windows allow, else the last segment again, so that its ACK (with
 * SACK) tells what is missing; then wait for the RTO. A tail still in
 * this host is not lost, only late (a deep device queue, an ACK not yet
 * back): no probe, only the RTO, as TCP skips a retransmission whose
 * clone is still queued (skb_still_in_host_queue()).
 */
static void glass_tlp_timeout(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 old_max = gs->snd_max;

	if (gs->snd_una == gs->snd_max)
		return;
	glass_push(sk);
	if (gs->snd_max == old_max) {
		if (glass_tail_in_host(sk)) {
			glass_inc_stat(sock_net(sk), GLASS_MIB_TLP_IN_HOST);
			glass_arm_rto(sk);
			return;
		}
		glass_tlp_resend_tail(sk);
	}
	gs->tlp_out = true;
	gs->tlp_high_seq = gs->snd_max;
	gs->tlp_probes++;
	glass_inc_stat(sock_net(sk), GLASS_MIB_TLP_PROBES);
	glass_rearm_rtx(sk);
}

/*
 * The reordering timer (RFC 8985 section 6.3): a segment that was only
 * possibly reordered is now overdue. RACK marks it lost, recovery
 * resends it, and the TLP or RTO timer takes over again.
 */
static void glass_reo_timeout(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	if (gs->snd_una == gs->snd_max)
		return;
	glass_inc_stat(sock_net(sk), GLASS_MIB_RACK_REO_TIMEOUTS);
	glass_rack_loss(sk);
	glass_push(sk);
	if (gs->timer_kind == GLASS_TIMER_NONE)
		glass_rearm_rtx(sk);
}

/**
 * glass_clear_timers() - stop every timer of a connection that is done.
 * @sk: the socket, owned; a delayed ACK still owed is forgotten.
 */
void glass_clear_timers(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	glass_stop_write_timer(sk);
	gs->delack_pending = false;
	sk_stop_timer(sk, &gs->delack_timer);
	sk_stop_timer(sk, &sk->sk_timer);
}

/**
 * glass_orphan_timeout() - bound the wait of a closed socket in FIN_WAIT2.
 * @sk: the socket, owned: its program closed it, the peer has not.
 *
 * The peer's FIN is awaited no longer than net.glass.time_wait_ms.
 */
void glass_orphan_timeout(struct sock *sk)
{
	glass_arm_write_timer(sk, GLASS_TIMER_TIMEWAIT,
			      msecs_to_jiffies(glass_sc(sk)->time_wait_ms));
}

/**
 * glass_start_timewait() - enter TIME_WAIT for net.glass.time_wait_ms.
 * @sk: the socket, owned.
 */
void glass_start_timewait(struct sock *sk)
{
	glass_set_state(sk, TCP_TIME_WAIT);
	glass_arm_write_timer(sk, GLASS_TIMER_TIMEWAIT,
			      msecs_to_jiffies(glass_sc(sk)->time_wait_ms));
}

/* The SYN (or SYN-ACK) went unanswered. */
static void glass_syn_timeout(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);

	if (++gs->retries > (u32)glass_sc(sk)->syn_retries) {
		glass_inc_stat(net, GLASS_MIB_CONN_TIMEOUTS);
		if (sk->sk_state == TCP_SYN_SENT) {
			glass_inc_stat(net, GLASS_MIB_ATTEMPT_FAILS);
			glass_reset_conn(sk, ETIMEDOUT);
		} else {
			glass_done(sk);
		}
		return;
	}
	gs->timeouts++;
	gs->total_retrans++;
	glass_inc_stat(net, GLASS_MIB_TIMEOUTS);
	glass_inc_stat(net, GLASS_MIB_RETRANS_SEGS);
	glass_rto_backoff(&gs->rto);
	glass_rto_on_retransmit(&gs->rto, glass_clock(gs));
	trace_glass_retransmit(sk, gs->iss, 0, GLASS_RETRANS_SYN);
	glass_send_syn(sk, true);
}

/*
 * An orphan's timer fired: if there are too many orphans or glass memory
 * is past its high mark, reset it now (TCP's tcp_out_of_resources()).
 * Return: true if it was reset.
 */
static bool glass_orphan_out_of_resources(struct sock *sk)
{
	if (!sock_flag(sk, SOCK_DEAD) || !glass_check_oom(sk))
		return false;
	glass_inc_stat(sock_net(sk), GLASS_MIB_ORPHAN_RESETS);
	glass_send_rst(sk);
	glass_done(sk);
	return true;
}

/*
 * RTO: back off, collapse cwnd, resend the oldest segment whatever the
 * window says, and send the rest again as ACKs come back (go-back-N).
 */
static void glass_retransmit_timeout(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	struct sk_buff *head;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		return glass_syn_timeout(sk);
	if (gs->snd_una == gs->snd_max)
		return;
	if (glass_orphan_out_of_resources(sk))
		return;
	head = skb_peek(&sk->sk_write_queue);
	if (head && head == sk->sk_send_head) {
		/*
		 * All that was resent is acknowledged and go-back-N waits at
		 * an unsent head: the window holds it, nothing was lost. Send
		 * what may go, or leave it to the persist timer.
		 */
		glass_push(sk);
		if (gs->snd_nxt != gs->snd_una)
			glass_rearm_rtx(sk);
		return;
	}
	if (++gs->retries > (u32)glass_sc(sk)->retries) {
		glass_inc_stat(net, GLASS_MIB_CONN_TIMEOUTS);
		glass_reset_conn(sk, ETIMEDOUT);
		return;
	}
	gs->timeouts++;
	gs->tlp_out = false;
	glass_inc_stat(net, GLASS_MIB_TIMEOUTS);
	glass_cc_on_rto(&gs->cc, gs->snd_max, gs->snd_max - gs->snd_una);
	if (gs->sack_ok) {
		/*
		 * With SACK, no go-back-N: every hole counts as lost and is
		 * resent in order, SACKed bytes are not (a second expiry in
		 * a row forgets them: the receiver may have dropped them).
		 */
		glass_sb_rto(&gs->sb, gs->snd_una, gs->snd_max,
			     gs->rto.backoff > 0);
		glass_sb_trim(gs);
		glass_wq_rack_rto(sk);
		if (!gs->rto.backoff)
			gs->undo_retrans = 0;
		glass_rto_backoff(&gs->rto);
		glass_push(sk);
		glass_rearm_rtx(sk);
		return;
	}
	glass_rto_backoff(&gs->rto);
	if (head) {
		glass_retransmit_head(sk, GLASS_RETRANS_RTO);
		glass_wq_rewind(sk);
	}
	glass_rearm_rtx(sk);
}

/* The persist timer: the window is shut and nothing is in flight. */
static void glass_probe_timeout(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	u32 timeout;

	if (!sk->sk_send_head || gs->snd_nxt != gs->snd_una)
		return;
	if (gs->snd_wnd) {
		/* Open: what SWS avoidance or a failed allocation kept back. */
		glass_push(sk);
		if (gs->snd_nxt != gs->snd_una || glass_send_into_window(sk))
			return;
	}
	if (glass_orphan_out_of_resources(sk))
		return;
	/*
	 * A peer that answers every probe with a zero window would keep an
	 * orphan forever: closed sockets give up after orphan_retries
	 * probes however they are answered (TCP's tcp_orphan_retries).
	 */
	if (sock_flag(sk, SOCK_DEAD) &&
	    ++gs->orphan_probes > (u32)glass_sc(sk)->orphan_retries) {
		glass_inc_stat(sock_net(sk), GLASS_MIB_CONN_TIMEOUTS);
		glass_send_rst(sk);
		glass_reset_conn(sk, ETIMEDOUT);
		return;
	}
	if (++gs->probes_unanswered > (u32)glass_sc(sk)->retries) {
		glass_inc_stat(sock_net(sk), GLASS_MIB_CONN_TIMEOUTS);
		glass_reset_conn(sk, ETIMEDOUT);
		return;
	}
	glass_send_probe(sk);
	gs->probes_sent++;
	glass_inc_stat(sock_net(sk), GLASS_MIB_ZERO_WND_PROBES);
	if (gs->probe_backoff < GLASS_RTO_MAX_BACKOFF)
		gs->probe_backoff++;
	timeout = glass_backoff_us(glass_rto_timeout(&gs->rto),
				   gs->probe_backoff, gs->rto.max_us);
	glass_arm_write_timer(sk, GLASS_TIMER_PROBE, usecs_to_jiffies(timeout));
}

static void glass_write_timer_handler(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	enum glass_timer_kind kind;

	if (test_and_clear_bit(GLASS_DEV_GONE, &sk->sk_tsq_flags))
		glass_dev_gone_check(sk);
	kind = gs->timer_kind;
	if (kind == GLASS_TIMER_NONE || sk->sk_state == TCP_CLOSE)
		return;
	glass_clock_refresh(gs);
	/* Re-armed while we waited for the lock: not due yet. */
	if (time_after(gs->write_timeout, jiffies)) {
		sk_reset_timer(sk, &gs->write_timer, gs->write_timeout);
		return;
	}
	gs->timer_kind = GLASS_TIMER_NONE;
	switch (kind) {
	case GLASS_TIMER_RETRANS:
		glass_retransmit_timeout(sk);
		break;
	case GLASS_TIMER_PROBE:
		glass_probe_timeout(sk);
		break;
	case GLASS_TIMER_TIMEWAIT:
		glass_done(sk);
		break;
	case GLASS_TIMER_TLP:
		glass_tlp_timeout(sk);
		break;
	case GLASS_TIMER_REO:
		glass_reo_timeout(sk);
		break;
	default:
		break;
	}
}

/**
 * glass_arm_delack() - owe the peer an ACK within net.glass.delack_ms.
 * @sk: the socket, owned.
 *
 * An ACK already owed keeps its deadline. Any segment sent before then
 * carries the ACK and settles the debt (glass_ack_sent()).
 */
void glass_arm_delack(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	if (gs->delack_pending)
		return;
	gs->delack_pending = true;
	sk_reset_timer(sk, &gs->delack_timer,
		       jiffies + msecs_to_jiffies(glass_sc(sk)->delack_ms));
}

static void glass_delack_handler(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	if (!gs->delack_pending || sk->sk_state == TCP_CLOSE)
		return;
	/* Settled, unless the ACK finds no memory and owes itself again. */
	gs->delack_pending = false;
	glass_inc_stat(sock_net(sk), GLASS_MIB_DELAYED_ACKS);
	glass_send_ack(sk);
}

static void glass_cork_handler(struct sock *sk)
{
	glass_push(sk);
}

/* Run handler now, or leave it to glass_release_cb() if the user owns sk. */
static void glass_timer_run(struct sock *sk, int deferred_bit,
			    void (*handler)(struct sock *sk))
{
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk))
		handler(sk);
	else if (!test_and_set_bit(deferred_bit, &sk->sk_tsq_flags))
		sock_hold(sk);
	bh_unlock_sock(sk);
	sock_put(sk);	/* sk_reset_timer()'s or glass_hold_back()'s */
}

static void glass_write_timer(struct timer_list *t)
{
	struct glass_sock *gs = from_timer(gs, t, write_timer);

	glass_timer_run(&gs->sk, GLASS_WRITE_TIMER_DEFERRED,
			glass_write_timer_handler);
}

static void glass_delack_timer(struct timer_list *t)
{
	struct glass_sock *gs = from_timer(gs, t, delack_timer);

	glass_timer_run(&gs->sk, GLASS_DELACK_TIMER_DEFERRED,
			glass_delack_handler);
}

static void glass_cork_timer(struct timer_list *t)
{
	struct sock *sk = from_timer(sk, t, sk_timer);

	glass_timer_run(sk, GLASS_CORK_TIMER_DEFERRED, glass_cork_handler);
}

/**
 * glass_held_wake() - a glass device lets a held sender go
 *	(glass_dev_hold()): push, as the cork timer does.
 * @node: the socket's held entry, off the device's list.
 *
 * Takes over the reference glass_hold_back() took for the list.
 */
void glass_held_wake(struct list_head *node)
{
	struct glass_sock *gs = list_entry(node, struct glass_sock, held);

	glass_timer_run(&gs->sk, GLASS_CORK_TIMER_DEFERRED, glass_cork_handler);
}

/**
 * glass_init_timers() - set up a new socket's timers, none armed.
 * @sk: the socket being created.
 */
void glass_init_timers(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	timer_setup(&gs->write_timer, glass_write_timer, 0);
	timer_setup(&gs->delack_timer, glass_delack_timer, 0);
	timer_setup(&sk->sk_timer, glass_cork_timer, 0);
}

/**
 * glass_release_cb() - finish timer work deferred while the user held sk,
 *	and the push and ACK its backlog left owed.
 * @sk: the socket; release_sock() calls this with ownership still held.
 */
void glass_release_cb(struct sock *sk)
{
	unsigned long flags = xchg(&sk->sk_tsq_flags, 0);

	if (flags & BIT(GLASS_DEV_GONE))
		glass_dev_gone_check(sk);
	if (flags & BIT(GLASS_WRITE_TIMER_DEFERRED)) {
		glass_write_timer_handler(sk);
		__sock_put(sk);
	}
	if (flags & BIT(GLASS_DELACK_TIMER_DEFERRED)) {
		glass_delack_handler(sk);
		__sock_put(sk);
	}
	if (flags & BIT(GLASS_CORK_TIMER_DEFERRED)) {
		glass_cork_handler(sk);
		__sock_put(sk);
	} else if (flags & BIT(GLASS_PUSH_DEFERRED)) {
		glass_push(sk);
	}
	/* Last: whatever the work above sent may already carry the ACK. */
	if (flags & (BIT(GLASS_ACK_DEFERRED) | BIT(GLASS_WND_UPDATE_DEFERRED)))
		glass_ack_deferred(sk, flags & BIT(GLASS_WND_UPDATE_DEFERRED));
}
