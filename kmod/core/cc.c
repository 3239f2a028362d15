// SPDX-License-Identifier: GPL-2.0
/*
 * Congestion window arithmetic: slow start and congestion avoidance with
 * appropriate byte counting (RFC 5681 3.1, RFC 3465), fast retransmit and
 * NewReno fast recovery (RFC 5681 3.2, RFC 6582 3.2). The caller decides
 * what an ACK is (new, duplicate or neither) and does the retransmitting;
 * this only moves cwnd, ssthresh and the recovery state.
 */
#include "cc.h"
#include "seq.h"

/*
 * K = cbrt(W_max - cwnd (segments) / C) seconds = cbrt(segments * 2.5e9)
 * milliseconds (RFC 9438 4.2).
 */
#define GLASS_CUBIC_K_SCALE	2500000000ull

/* cwnd never grows past 1 GiB, so sums of it and an MSS cannot wrap. */
#define GLASS_CC_CWND_MAX	0x40000000u

/* a + b, held at GLASS_CC_CWND_MAX. */
static u32 glass_cc_add(u64 a, u64 b)
{
	u64 sum = a + b;

	return sum > GLASS_CC_CWND_MAX ? GLASS_CC_CWND_MAX : (u32)sum;
}

/* Remember the window a reduction is about to cut, for glass_cc_undo(). */
static void glass_cc_save(struct glass_cc *cc)
{
	cc->prior_cwnd = cc->cwnd;
	cc->prior_ssthresh = cc->ssthresh;
}

/*
 * CUBIC's multiplicative decrease (RFC 9438 4.6, 4.7): beta = 0.7, and
 * W_max remembers where the loss struck, lowered to (1 + beta) / 2 of it
 * when the window did not get back there (fast convergence); the next
 * epoch starts at the next ACK in congestion avoidance.
 */
static u32 glass_cubic_reduce(struct glass_cc *cc, u32 flight)
{
	struct glass_cubic *c = &cc->cubic;

	if (cc->cwnd < c->w_max)
		c->w_max = (u32)((u64)cc->cwnd * 17 / 20);
	else
		c->w_max = cc->cwnd;
	c->epoch_us = 0;
	return (u32)((u64)flight * 7 / 10);
}

/*
 * The new ssthresh after a loss: RFC 5681 (4) and RFC 6582 step 2,
 * max(flight / 2, 2 * SMSS); CUBIC takes 0.7 of flight instead.
 */
static u32 glass_cc_halve(struct glass_cc *cc, u32 flight)
{
	u32 two = glass_cc_add(cc->mss, cc->mss);
	u32 cut = cc->algo == GLASS_CC_ALGO_CUBIC ?
		  glass_cubic_reduce(cc, flight) : flight / 2;

	return cut > two ? cut : two;
}

/*
 * RFC 6582 sets recover to the ISN so the first loss may be fast
 * retransmitted; one before the first data byte (snd_nxt here) is the
 * same point.
 */
void glass_cc_init(struct glass_cc *cc, u32 mss, u32 snd_nxt)
{
	cc->mss = mss ? mss : 1;
	cc->cwnd = glass_cc_add((u64)cc->mss * GLASS_CC_IW_SEGS, 0);
	cc->ssthresh = GLASS_CC_SSTHRESH_INF;
	cc->dupacks = 0;
	cc->in_recovery = false;
	cc->in_loss = false;
	cc->frto = false;
	cc->recover = snd_nxt - 1;
	cc->acked_acc = 0;
	cc->sack = false;
	cc->algo = GLASS_CC_ALGO_NEWRENO;
	cc->now_us = 0;
	cc->srtt_us = 0;
	cc->cubic.w_max = 0;
	cc->cubic.epoch_us = 0;
	cc->cubic.k_ms = 0;
	cc->cubic.origin = cc->cwnd;
	cc->cubic.w_est = 0;
	cc->cubic.est_acc = 0;
	glass_cc_save(cc);
}

void glass_cc_init_window(struct glass_cc *cc, u32 segs)
{
	if (!segs)
		return;
	cc->cwnd = glass_cc_add((u64)cc->mss * segs, 0);
	cc->cubic.origin = cc->cwnd;
	glass_cc_save(cc);
}

void glass_cc_set_algo(struct glass_cc *cc, u32 algo)
{
	cc->algo = algo < GLASS_CC_ALGO_MAX ? algo : GLASS_CC_ALGO_NEWRENO;
	cc->cubic.epoch_us = 0;
}

/*
 * Slow start counts every byte an ACK covers, up to ssthresh (Linux's
 * tcp_slow_start(), RFC 3465 without its L limit): the receiver ACKs once
 * per frame, and a frame may carry a whole train of segments, so RFC
 * 5681's one MSS per ACK would grow cwnd by one MSS per round trip.
 */
static void glass_cc_slow_start(struct glass_cc *cc, u32 acked)
{
	u32 cwnd = glass_cc_add(cc->cwnd, acked);

	cc->cwnd = cwnd < cc->ssthresh ? cwnd : cc->ssthresh;
}

/*
 * Congestion avoidance by byte counting (RFC 5681 3.1, RFC 3465): one MSS
 * of growth for every cwnd's worth of bytes acknowledged.
 */
/*
 * RFC 9438 4.2-4.4: the segments to acknowledge per segment of growth, so
 * that cwnd reaches the curve's value one RTT ahead (at most 1.5 cwnd),
 * or the Reno-friendly estimate if that is larger; a window at or above
 * both grows by one segment per 100 windows.
 */
static u32 glass_cubic_cnt(struct glass_cc *cc, u32 acked)
{
	struct glass_cubic *c = &cc->cubic;
	u32 mss = cc->mss, segs = cc->cwnd / mss, target, cnt, est;
	u64 t_ms;

	if (!segs)
		segs = 1;
	if (!c->epoch_us) {
		c->epoch_us = cc->now_us ? cc->now_us : 1;
		c->est_acc = 0;
		c->w_est = cc->cwnd;
		if (c->w_max > cc->cwnd) {
			c->k_ms = glass_cubic_cbrt((u64)((c->w_max - cc->cwnd) / mss) *
						   (GLASS_CUBIC_K_SCALE));
			c->origin = c->w_max;
		} else {
			c->k_ms = 0;
			c->origin = cc->cwnd;
		}
	}
	t_ms = (cc->now_us - c->epoch_us + cc->srtt_us) / 1000;
	target = glass_cubic_window(c, t_ms, mss);
	if (target > cc->cwnd + cc->cwnd / 2)
		target = cc->cwnd + cc->cwnd / 2;
	cnt = target > cc->cwnd ? segs / ((target - cc->cwnd) / mss ? : 1) :
	      100 * segs;
	/* W_est grows by alpha = 3 (1 - beta) / (1 + beta) = 9/17 MSS per RTT. */
	c->est_acc += acked;
	while (c->est_acc >= cc->cwnd) {
		c->est_acc -= cc->cwnd;
		c->w_est = glass_cc_add(c->w_est, (u64)mss * 9 / 17);
	}
	if (c->w_est > cc->cwnd) {
		est = segs / ((c->w_est - cc->cwnd) / mss ? : 1);
		if (est < cnt)
			cnt = est;
	}
	return cnt ? cnt : 1;
}

static void glass_cc_avoid(struct glass_cc *cc, u32 acked)
{
	u64 acc = (u64)cc->acked_acc + acked;

	if (cc->algo == GLASS_CC_ALGO_CUBIC) {
		u64 per = (u64)glass_cubic_cnt(cc, acked) * cc->mss;

		while (acc >= per && cc->cwnd < GLASS_CC_CWND_MAX) {
			acc -= per;
			cc->cwnd = glass_cc_add(cc->cwnd, cc->mss);
		}
		cc->acked_acc = acc > per ? (u32)per : (u32)acc;
		return;
	}

	while (acc >= cc->cwnd && cc->cwnd < GLASS_CC_CWND_MAX) {
		acc -= cc->cwnd;
		cc->cwnd = glass_cc_add(cc->cwnd, cc->mss);
	}
	if (cc->cwnd >= GLASS_CC_CWND_MAX)
		acc = 0;
	cc->acked_acc = (u32)acc;
}

/*
 * RFC 6582 3.2 step 5, partial ACK: take off what was acknowledged and,
 * if that was at least one MSS, add one MSS back; never below one MSS.
 */
static void glass_cc_partial_ack(struct glass_cc *cc, u32 acked)
{
	u32 cwnd = cc->cwnd > acked ? cc->cwnd - acked : 0;

	if (acked >= cc->mss)
		cwnd = glass_cc_add(cwnd, cc->mss);
	cc->cwnd = cwnd > cc->mss ? cwnd : cc->mss;
}

/*
 * RFC 6582 3.2 step 5, full ACK, option 1: min(ssthresh, max(FlightSize,
 * SMSS) + SMSS), FlightSize being what is still outstanding after this ACK.
 */
static void glass_cc_full_ack(struct glass_cc *cc, u32 acked, u32 flight)
{
	u32 left = flight > acked ? flight - acked : 0;
	u32 cwnd;

	if (left < cc->mss)
		left = cc->mss;
	cwnd = glass_cc_add(left, cc->mss);
	cc->cwnd = cwnd < cc->ssthresh ? cwnd : cc->ssthresh;
	cc->in_recovery = false;
	cc->acked_acc = 0;
}

/*
 * Once the cumulative ACK has passed recover, the RFC 6582 step 2 test
 * passes until the next recovery or RTO moves recover again; keeping it
 * one behind the ACK keeps that true past 2^31 more bytes, where a stale
 * recover would seem to lie ahead again.
 */
static void glass_cc_trail_recover(struct glass_cc *cc, u32 ack)
{
	if (glass_seq_after(ack, cc->recover))
		cc->recover = ack - 1;
}

enum glass_cc_action glass_cc_on_ack(struct glass_cc *cc, u32 ack, u32 acked,
				     u32 flight)
{
	cc->dupacks = 0;
	if (cc->in_loss && glass_seq_geq(ack, cc->recover))
		cc->in_loss = false;	/* all sent before the RTO is acked */
	if (cc->in_recovery) {
		if (glass_seq_before(ack, cc->recover)) {
			if (cc->sack)
				return GLASS_CC_NONE;
			glass_cc_partial_ack(cc, acked);
			return GLASS_CC_RETRANSMIT;
		}
		glass_cc_full_ack(cc, acked, flight);
	} else if (cc->cwnd < cc->ssthresh) {
		glass_cc_slow_start(cc, acked);
	} else {
		glass_cc_avoid(cc, acked);
	}
	glass_cc_trail_recover(cc, ack);
	return GLASS_CC_NONE;
}

/*
 * May a loss start a recovery now? RFC 6582 3.2 step 2 (NewReno): only once
 * the ACK point has passed recover, so that duplicates caused by resending
 * the old window do not start another. With SACK the ACK point may also
 * stand at recover: the byte there is the first sent after the last
 * episode began, so its loss is a new one, which SACK tells apart from
 * the old window (Linux holds the old state for Reno only, in
 * tcp_try_undo_recovery()). Waiting to pass it left that loss to the RTO.
 */
static bool glass_cc_may_recover(const struct glass_cc *cc, u32 snd_una)
{
	return cc->sack ? glass_seq_geq(snd_una, cc->recover) :
			  glass_seq_after(snd_una, cc->recover);
}

/*
 * RFC 5681 3.2 steps 2-4 and RFC 6582 3.2 steps 2-4: the third duplicate
 * enters recovery if glass_cc_may_recover() allows; in recovery each
 * further one inflates cwnd by one MSS for the segment that left the
 * network.
 */
enum glass_cc_action glass_cc_on_dupack(struct glass_cc *cc, u32 snd_una,
					u32 snd_nxt, u32 flight)
{
	if (cc->dupacks < 0xffffffffu)
		cc->dupacks++;
	if (cc->in_recovery) {
		if (!cc->sack)
			cc->cwnd = glass_cc_add(cc->cwnd, cc->mss);
		return GLASS_CC_NONE;
	}
	if (cc->dupacks != GLASS_CC_DUPTHRESH ||
	    !glass_cc_may_recover(cc, snd_una))
		return GLASS_CC_NONE;
	if (cc->sack)
		return glass_cc_sack_loss(cc, snd_una, snd_nxt, flight) ?
		       GLASS_CC_RETRANSMIT : GLASS_CC_NONE;
	glass_cc_save(cc);
	cc->ssthresh = glass_cc_halve(cc, flight);
	cc->cwnd = glass_cc_add(cc->ssthresh, (u64)cc->mss * 3);
	cc->recover = snd_nxt;
	cc->in_recovery = true;
	cc->acked_acc = 0;
	return GLASS_CC_RETRANSMIT;
}

/*
 * RFC 6675 section 5 step 4: ssthresh = cwnd = FlightSize / 2 (RFC 5681's
 * floor of two segments kept); what may be sent is then cwnd - pipe.
 */
bool glass_cc_sack_loss(struct glass_cc *cc, u32 snd_una, u32 snd_max,
			u32 flight)
{
	if (cc->in_recovery || !glass_cc_may_recover(cc, snd_una))
		return false;
	glass_cc_save(cc);
	cc->ssthresh = glass_cc_halve(cc, flight);
	cc->cwnd = cc->ssthresh;
	cc->recover = snd_max;
	cc->in_recovery = true;
	cc->acked_acc = 0;
	return true;
}

/*
 * RFC 5681 (4) and 3.1: cut ssthresh, restart from one segment. One cut
 * per episode, as Linux's tcp_enter_loss(): an expiry during a recovery
 * (whose losses were cut for already) or during the episode of an earlier
 * expiry (a backed-off RTO, the ACK short of its recovery point) keeps
 * ssthresh, CUBIC's W_max and the window saved for undo; cutting again
 * would take 0.7 of a window already cut (CUBIC's fast convergence would
 * set W_max from it, or from the one-segment window of the first expiry).
 * F-RTO (RFC 5682 step 1) watches an episode the expiry starts; one that
 * strikes a recovery is not judged (Linux's tcp_enter_loss() arms it for
 * a new episode or a repeated expiry only).
 */
void glass_cc_on_rto(struct glass_cc *cc, u32 snd_nxt, u32 flight)
{
	if (!cc->in_recovery && !cc->in_loss) {
		glass_cc_save(cc);
		cc->ssthresh = glass_cc_halve(cc, flight);
		cc->frto = cc->sack;
	} else if (cc->in_recovery) {
		cc->frto = false;
	}
	cc->cwnd = cc->mss;
	cc->in_recovery = false;
	cc->in_loss = true;
	cc->dupacks = 0;
	cc->recover = snd_nxt;
	cc->acked_acc = 0;
}

/*
 * RFC 5682 section 3.1 (SACK-enhanced F-RTO) in Linux's order
 * (tcp_process_loss()): an original delivered undoes the cut whatever
 * else the ACK says; step 3.a after new data went out; step 2.b before.
 */
enum glass_frto_action glass_cc_frto(struct glass_cc *cc, u32 snd_una,
				     u32 snd_max,
				     const struct glass_frto_ack *a)
{
	if (!cc->frto)
		return GLASS_FRTO_NONE;
	if (a->orig_acked) {
		cc->frto = false;
		glass_cc_undo(cc, snd_una);
		return GLASS_FRTO_UNDO;
	}
	if (!cc->in_loss) {
		cc->frto = false;	/* the episode is over */
		return GLASS_FRTO_NONE;
	}
	if (glass_seq_after(snd_max, cc->recover)) {
		if (a->dup)
			cc->frto = false;	/* step 3.a: the loss was real */
		return GLASS_FRTO_NONE;
	}
	if (!a->una_advanced)
		return GLASS_FRTO_NONE;
	if (!a->can_send_new) {
		cc->frto = false;
		return GLASS_FRTO_NONE;
	}
	cc->recover = snd_max;
	return GLASS_FRTO_NEW;
}

/*
 * Undo (RFC 2883 section 5, Linux's tcp_undo_cwnd_reduction()): the
 * window comes back to where it was, never below what it grew to since.
 */
void glass_cc_undo(struct glass_cc *cc, u32 snd_una)
{
	cc->recover = snd_una - 1;
	if (cc->cwnd < cc->prior_cwnd)
		cc->cwnd = cc->prior_cwnd;
	if (cc->ssthresh < cc->prior_ssthresh)
		cc->ssthresh = cc->prior_ssthresh;
	cc->in_recovery = false;
	cc->in_loss = false;
	cc->frto = false;
	cc->dupacks = 0;
	cc->acked_acc = 0;
}
