// SPDX-License-Identifier: GPL-2.0
/*
 * The retransmission timeout's arithmetic (RFC 6298): the smoothed RTT and
 * its variation, the base timeout with its bounds, exponential backoff and
 * Karn's rule. Everything is integer microseconds; the averages round
 * toward the new sample, so constant samples converge exactly and SRTT
 * never drifts down to 0. The kernel owns the timer and the clock and
 * calls in with both.
 */
#include "rto.h"
#include "seq.h"

/* Keep @v inside [lo, hi]; hi wins if the bounds cross. */
static u32 glass_rto_clamp(u64 v, u32 lo, u32 hi)
{
	if (v < lo)
		v = lo;
	if (v > hi)
		v = hi;
	return (u32)v;
}

/* RFC 6298 2.2 and 2.3: RTO = SRTT + max(G, K * RTTVAR), bounded. */
static void glass_rto_update(struct glass_rto *r)
{
	u64 var = (u64)r->rttvar_us * 4;

	if (var < GLASS_RTO_G_US)
		var = GLASS_RTO_G_US;
	r->rto_us = glass_rto_clamp(r->srtt_us + var, r->min_us, r->max_us);
}

void glass_rto_init(struct glass_rto *r, u32 min_us, u32 max_us, u32 initial_us)
{
	r->srtt_us = 0;
	r->rttvar_us = 0;
	r->min_us = min_us;
	r->max_us = max_us;
	r->rto_us = glass_rto_clamp(initial_us, min_us, max_us);
	r->backoff = 0;
	r->timing = false;
	r->timed_seq = 0;
	r->timed_at_us = 0;
}

/*
 * avg + (sample - avg) / 2^shift, rounded toward sample: each step moves
 * at least 1 us unless avg == sample and never overshoots, so the result
 * lies between avg and sample. Plain rounding would stop a few us short of
 * a constant sample forever; truncation could also decay SRTT to 0.
 */
static u32 glass_rto_ewma(u32 avg, u32 sample, u32 shift)
{
	u64 round = (1u << shift) - 1;

	if (sample >= avg)
		return avg + (u32)(((u64)sample - avg + round) >> shift);
	return avg - (u32)(((u64)avg - sample + round) >> shift);
}

/*
 * The first sample sets SRTT = R and RTTVAR = R / 2 (RFC 6298 2.2); later
 * ones use the old SRTT to update RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|, then
 * SRTT = 7/8 SRTT + 1/8 R (2.3). A sample of 0 counts as 1 us, so SRTT
 * stays > 0 ("measured") for good.
 */
void glass_rto_sample(struct glass_rto *r, u32 rtt_us)
{
	u32 delta;

	if (!rtt_us)
		rtt_us = 1;
	if (!r->srtt_us) {
		r->srtt_us = rtt_us;
		r->rttvar_us = rtt_us / 2;
	} else {
		delta = r->srtt_us > rtt_us ? r->srtt_us - rtt_us :
					      rtt_us - r->srtt_us;
		r->rttvar_us = glass_rto_ewma(r->rttvar_us, delta, 2);
		r->srtt_us = glass_rto_ewma(r->srtt_us, rtt_us, 3);
	}
	glass_rto_update(r);
}

u32 glass_rto_timeout(const struct glass_rto *r)
{
	return glass_backoff_us(r->rto_us, r->backoff, r->max_us);
}

/* Saturate: past GLASS_RTO_MAX_BACKOFF the timeout is max_us anyway. */
void glass_rto_backoff(struct glass_rto *r)
{
	if (r->backoff < GLASS_RTO_MAX_BACKOFF)
		r->backoff++;
}

/* One sample at a time (RFC 6298 3): a running one is left alone. */
void glass_rto_start_timing(struct glass_rto *r, u32 end_seq, u64 now_us)
{
	if (r->timing)
		return;
	r->timing = true;
	r->resent = false;
	r->timed_seq = end_seq;
	r->timed_at_us = now_us;
}

/*
 * Called for every ACK of new data, so the backoff always resets (RFC 6298
 * 5.7 lets the next timeout start from the fresh RTO). The sample is
 * now - sent, at least 1 us (a clock that went backwards gives 1) and at
 * most U32_MAX.
 *
 * A sample stopped by a retransmission is taken when its ACK came back
 * sooner after the retransmission than min_rtt: only the original can
 * have caused it. Without this, a tail loss probe sent while the ACK of
 * the original was already on its way (a receiver's host busy) voided the
 * one sample that would have shown the round trip growing; SRTT, and so
 * the probe timeout, stayed short, and the next write's probe was as
 * needless: 10,000 connections sent 86,000 of them in 9 seconds.
 */
bool glass_rto_on_ack(struct glass_rto *r, u32 ack, u64 now_us,
		      u32 min_rtt_us)
{
	bool resent = r->resent;
	u64 rtt = 1;

	r->backoff = 0;
	if (!(r->timing || resent) || glass_seq_before(ack, r->timed_seq))
		return false;
	r->timing = false;
	r->resent = false;
	if (now_us > r->timed_at_us)
		rtt = now_us - r->timed_at_us;
	if (resent && (!min_rtt_us ||
		       rtt >= (u64)r->resent_after_us + min_rtt_us))
		return false;
	if (rtt > 0xffffffffu)
		rtt = 0xffffffffu;
	glass_rto_sample(r, (u32)rtt);
	return true;
}

/*
 * Karn: an ACK after this may answer either copy. Only the first
 * retransmission is remembered: the earliest is the one that could have
 * caused an ACK soonest.
 */
void glass_rto_on_retransmit(struct glass_rto *r, u64 now_us)
{
	u64 after = now_us > r->timed_at_us ? now_us - r->timed_at_us : 0;

	if (!r->timing)
		return;
	r->timing = false;
	r->resent = true;
	r->resent_after_us = after > 0xffffffffu ? 0xffffffffu : (u32)after;
}

/*
 * Shift by at most 31 and compare in 64 bits, so no exponent overflows;
 * anything past max_us (including base_us itself) becomes max_us. A base
 * of 0 stays 0.
 */
u32 glass_backoff_us(u32 base_us, u32 exponent, u32 max_us)
{
	if (!base_us)
		return 0;
	if (exponent >= 32 || ((u64)base_us << exponent) > max_us)
		return max_us;
	return base_us << exponent;
}
