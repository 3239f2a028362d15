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

/* cwnd never grows past 1 GiB, so sums of it and an MSS cannot wrap. */
#define GLASS_CC_CWND_MAX	0x40000000u

/* a + b, held at GLASS_CC_CWND_MAX. */
static u32 glass_cc_add(u64 a, u64 b)
{
	u64 sum = a + b;

	return sum > GLASS_CC_CWND_MAX ? GLASS_CC_CWND_MAX : (u32)sum;
}

/* RFC 5681 (4) and RFC 6582 step 2: max(flight / 2, 2 * SMSS). */
static u32 glass_cc_halve(const struct glass_cc *cc, u32 flight)
{
	u32 two = glass_cc_add(cc->mss, cc->mss);

	return flight / 2 > two ? flight / 2 : two;
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
	cc->recover = snd_nxt - 1;
	cc->acked_acc = 0;
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
static void glass_cc_avoid(struct glass_cc *cc, u32 acked)
{
	u64 acc = (u64)cc->acked_acc + acked;

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
	if (cc->in_recovery) {
		if (glass_seq_before(ack, cc->recover)) {
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
 * RFC 5681 3.2 steps 2-4 and RFC 6582 3.2 steps 2-4: the third duplicate
 * enters recovery if the ACK point has passed recover; in recovery each
 * further one inflates cwnd by one MSS for the segment that left the
 * network.
 */
enum glass_cc_action glass_cc_on_dupack(struct glass_cc *cc, u32 snd_una,
					u32 snd_nxt, u32 flight)
{
	if (cc->dupacks < 0xffffffffu)
		cc->dupacks++;
	if (cc->in_recovery) {
		cc->cwnd = glass_cc_add(cc->cwnd, cc->mss);
		return GLASS_CC_NONE;
	}
	if (cc->dupacks != GLASS_CC_DUPTHRESH ||
	    !glass_seq_after(snd_una, cc->recover))
		return GLASS_CC_NONE;
	cc->ssthresh = glass_cc_halve(cc, flight);
	cc->cwnd = glass_cc_add(cc->ssthresh, (u64)cc->mss * 3);
	cc->recover = snd_nxt;
	cc->in_recovery = true;
	cc->acked_acc = 0;
	return GLASS_CC_RETRANSMIT;
}

/* RFC 5681 (4) and 3.1: halve into ssthresh, restart from one segment. */
void glass_cc_on_rto(struct glass_cc *cc, u32 snd_nxt, u32 flight)
{
	cc->ssthresh = glass_cc_halve(cc, flight);
	cc->cwnd = cc->mss;
	cc->in_recovery = false;
	cc->dupacks = 0;
	cc->recover = snd_nxt;
	cc->acked_acc = 0;
}
