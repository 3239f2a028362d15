/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The retransmission timer's arithmetic (RFC 6298): the SRTT/RTTVAR
 * estimator, the minimum and maximum, exponential backoff, and Karn's rule
 * (an ACK that may answer a retransmission yields no RTT sample). Times
 * are microseconds. The kernel owns the timer itself; this only says how
 * long.
 */
#ifndef _GLASS_CORE_RTO_H
#define _GLASS_CORE_RTO_H

#include "core_types.h"

/* Clock granularity G of RFC 6298 section 2: one 250 Hz jiffy. */
#define GLASS_RTO_G_US		4000u
/* Backoff stops doubling once the timeout reaches max_us. */
#define GLASS_RTO_MAX_BACKOFF	16u

/**
 * struct glass_rto - one connection's RTT estimate and retransmission timeout.
 * @srtt_us: smoothed RTT; 0 until the first sample.
 * @rttvar_us: RTT variation.
 * @rto_us: base timeout (before backoff), clamped to [@min_us, @max_us].
 * @min_us: lower bound on the base timeout (RFC 6298 says 1 s; glass uses a
 *	tunable 200 ms default, as Linux TCP does).
 * @max_us: upper bound on any timeout, backed off or not.
 * @backoff: exponent: the timer runs for rto_us << backoff (capped).
 * @timing: a segment is being timed.
 * @resent: the timing was stopped by a retransmission, @resent_after_us
 *	after the timed segment left; its ACK may still be a sample
 *	(glass_rto_on_ack()).
 * @timed_seq: the sample completes when an ACK reaches this sequence number.
 * @resent_after_us: see @resent.
 * @timed_at_us: when the timed segment was sent.
 */
struct glass_rto {
	u32 srtt_us;
	u32 rttvar_us;
	u32 rto_us;
	u32 min_us;
	u32 max_us;
	u8 backoff;
	bool timing;
	bool resent;
	u32 timed_seq;
	u32 resent_after_us;
	u64 timed_at_us;
};

/**
 * glass_rto_init() - start an estimator with no sample yet.
 * @r: the estimator.
 * @min_us: lower bound of the base timeout.
 * @max_us: upper bound of any timeout (needs @min_us <= @max_us).
 * @initial_us: the timeout before the first sample (RFC 6298 2.1 says
 *	1 s), clamped to [@min_us, @max_us].
 */
void glass_rto_init(struct glass_rto *r, u32 min_us, u32 max_us,
		    u32 initial_us);

/**
 * glass_rto_sample() - fold one RTT measurement in (RFC 6298 2.2, 2.3).
 * @r: the estimator.
 * @rtt_us: the measurement; 0 counts as 1.
 *
 * K = 4 and G = GLASS_RTO_G_US. Each average is rounded toward the new
 * sample, so constant samples make SRTT exactly R and RTTVAR 0.
 */
void glass_rto_sample(struct glass_rto *r, u32 rtt_us);

/**
 * glass_rto_timeout() - how long the retransmission timer runs now.
 * @r: the estimator.
 *
 * Return: the base timeout shifted left by the backoff, capped at max_us.
 */
u32 glass_rto_timeout(const struct glass_rto *r);

/**
 * glass_rto_backoff() - a timeout fired: double the next (RFC 6298 5.5).
 * @r: the estimator; the exponent saturates at GLASS_RTO_MAX_BACKOFF.
 */
void glass_rto_backoff(struct glass_rto *r);

/**
 * glass_rto_start_timing() - time a segment, unless one is timed already.
 * @r: the estimator.
 * @end_seq: the sample completes when an ACK reaches this.
 * @now_us: when the segment leaves.
 */
void glass_rto_start_timing(struct glass_rto *r, u32 end_seq, u64 now_us);

/**
 * glass_rto_on_ack() - a cumulative ACK for new data arrived.
 * @r: the estimator.
 * @ack: the ACK.
 * @now_us: when it arrived.
 * @min_rtt_us: the shortest round trip this connection has seen
 *	unambiguously (RACK's); 0 if none.
 *
 * Takes the sample (now_us - timed_at_us, at least 1) if @ack covers the
 * timed segment (at or after timed_seq). If a retransmission stopped the
 * timing, only if @ack came back less than @min_rtt_us after that
 * retransmission: no round trip is that short, so @ack answers what was
 * sent before it (RACK's test, RFC 8985 6.2). Clears the backoff whether
 * or not a sample was taken: new data was acknowledged.
 * Return: true if a sample was taken.
 */
bool glass_rto_on_ack(struct glass_rto *r, u32 ack, u64 now_us,
		      u32 min_rtt_us);

/**
 * glass_rto_on_retransmit() - Karn's rule: a retransmission stops the
 * running sample (glass_rto_on_ack() may still take it).
 * @r: the estimator.
 * @now_us: when the retransmission leaves.
 */
void glass_rto_on_retransmit(struct glass_rto *r, u64 now_us);

/**
 * glass_backoff_us() - a backed-off timeout, for the RTO and the persist
 * timer alike.
 * @base_us: the timeout before backoff.
 * @exponent: how many times it doubled.
 * @max_us: the cap.
 *
 * Return: @base_us << @exponent, at most @max_us for any exponent (a base
 * of 0 stays 0).
 */
u32 glass_backoff_us(u32 base_us, u32 exponent, u32 max_us);

#endif /* _GLASS_CORE_RTO_H */
