/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The retransmission timer's arithmetic (RFC 6298): the SRTT/RTTVAR
 * estimator, the minimum and maximum, exponential backoff, and Karn's rule
 * (a segment that was retransmitted never yields an RTT sample). Times are
 * microseconds. The kernel owns the timer itself; this only says how long.
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
 * @timed_seq: the sample completes when an ACK reaches this sequence number.
 * @timed_at_us: when the timed segment was sent.
 */
struct glass_rto {
	u32 srtt_us;
	u32 rttvar_us;
	u32 rto_us;
	u32 min_us;
	u32 max_us;
	u32 backoff;
	bool timing;
	u32 timed_seq;
	u64 timed_at_us;
};

/*
 * Start with no sample: rto = initial_us clamped to [min_us, max_us]
 * (RFC 6298 2.1 says 1 s). Needs min_us <= max_us.
 */
void glass_rto_init(struct glass_rto *r, u32 min_us, u32 max_us,
		    u32 initial_us);

/*
 * Fold one RTT measurement in (RFC 6298 2.2 and 2.3, K = 4, G above),
 * rounding each average toward the new sample (so constant samples make
 * SRTT exactly R and RTTVAR 0); a sample of 0 counts as 1.
 */
void glass_rto_sample(struct glass_rto *r, u32 rtt_us);

/* How long the retransmission timer should run now: rto << backoff, capped. */
u32 glass_rto_timeout(const struct glass_rto *r);

/* A timeout fired: double the next one (RFC 6298 5.5), saturating. */
void glass_rto_backoff(struct glass_rto *r);

/* Start timing a segment ending at end_seq unless one is already timed. */
void glass_rto_start_timing(struct glass_rto *r, u32 end_seq, u64 now_us);

/*
 * A cumulative ACK for new data arrived: take the sample if it covers the
 * timed segment (ack at or after timed_seq), and clear the backoff (new
 * data was acknowledged) whether or not a sample was taken. The sample is
 * now_us - timed_at_us, at least 1. Returns true if a sample was taken.
 */
bool glass_rto_on_ack(struct glass_rto *r, u32 ack, u64 now_us);

/* Karn's rule: anything retransmitted invalidates the running sample. */
void glass_rto_on_retransmit(struct glass_rto *r);

/*
 * base << exponent, capped at max_us for any exponent (a base of 0 stays
 * 0); shared by RTO and persist timers.
 */
u32 glass_backoff_us(u32 base_us, u32 exponent, u32 max_us);

#endif /* _GLASS_CORE_RTO_H */
