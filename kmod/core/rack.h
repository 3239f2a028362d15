/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RACK (RFC 8985 section 6): time-based loss detection. A segment is lost
 * when a segment sent after it was delivered and more than an RTT plus a
 * reordering window has passed since it was (re)sent. The state here is
 * the RFC's RACK.* variables; the kernel keeps each segment's last
 * transmission time on its write queue and asks these functions about
 * each one. Times are microseconds of one monotonic clock.
 */
#ifndef _GLASS_CORE_RACK_H
#define _GLASS_CORE_RACK_H

#include "core_types.h"

/* RFC 8985 6.2 step 4: DSACK-free recoveries before reo_wnd_mult resets. */
#define GLASS_RACK_REO_PERSIST	16u
/* Our bound on reo_wnd_mult (the window is also bounded by SRTT). */
#define GLASS_RACK_REO_MULT_MAX	16u
/* RFC 8985 DupThresh: SACKed segments that end the benefit of doubt. */
#define GLASS_RACK_DUPTHRESH	3u

/**
 * struct glass_rack - RACK's state (RFC 8985 section 6.1).
 * @xmit_us: RACK.xmit_ts: the latest transmission time of a delivered
 *	segment; valid with @valid.
 * @end_seq: RACK.end_seq: that segment's end.
 * @rtt_us: RACK.rtt: its RTT (delivery time minus @xmit_us).
 * @min_rtt_us: RACK.min_RTT: the smallest unambiguous RTT seen; 0 none.
 * @fack: RACK.fack: the highest end of a delivered segment (valid with
 *	@fack_on).
 * @fack_on: a segment was delivered since init.
 * @valid: @xmit_us, @end_seq and @rtt_us hold a reference.
 * @reordering_seen: RACK.reordering_seen.
 * @reo_wnd_mult: RACK.reo_wnd_mult, 1 to GLASS_RACK_REO_MULT_MAX.
 * @reo_wnd_persist: RACK.reo_wnd_persist.
 * @dsack_round: RACK.dsack_round (valid with @dsack_round_on).
 * @dsack_round_on: a D-SACK round is open.
 */
struct glass_rack {
	/* Ordered by size, no holes: it is part of every socket. */
	u64 xmit_us;
	u32 end_seq;
	u32 rtt_us;
	u32 min_rtt_us;
	u32 fack;
	u32 reo_wnd_mult;
	u32 reo_wnd_persist;
	u32 dsack_round;
	bool fack_on;
	bool valid;
	bool reordering_seen;
	bool dsack_round_on;
};

/**
 * glass_clock_next() - a socket's next clock reading.
 * @prev: the socket's clock so far.
 * @now: this CPU's clock.
 *
 * RACK orders transmissions by their times, equal times by sequence
 * (RFC 8985 RACK_sent_after()), so times must follow the order of events.
 * CPUs' clocks may differ by up to a tick (a guest's unsynchronized TSCs):
 * a socket whose work moves to a CPU behind the last one would read the
 * same time, for up to that tick, if its clock only never went back; a
 * hole resent then would tie with segments above it sent events before,
 * and count as sent before them. So each reading moves on by at least a
 * microsecond.
 * Return: @now if it is later than @prev, else @prev + 1.
 */
static inline u64 glass_clock_next(u64 prev, u64 now)
{
	return now > prev ? now : prev + 1;
}

/**
 * glass_rack_init() - nothing delivered yet (RFC 8985 section 6.1).
 * @r: the state.
 */
void glass_rack_init(struct glass_rack *r);

/**
 * glass_rack_sent_after() - RFC 8985 RACK_sent_after(t1, seq1, t2, seq2).
 * @t1: a transmission time.
 * @seq1: that segment's end.
 * @t2: another transmission time.
 * @seq2: that segment's end.
 * Return: true if the first was sent after the second (the later time, or
 *	the same time and the higher sequence number).
 */
bool glass_rack_sent_after(u64 t1, u32 seq1, u64 t2, u32 seq2);

/**
 * glass_rack_update() - a segment was delivered: cumulatively ACKed or
 *	SACKed for the first time (RFC 8985 section 6.2 steps 2 and 3).
 * @r: the state.
 * @xmit_us: the segment's latest transmission time.
 * @end_seq: its end.
 * @retransmitted: it was sent more than once.
 * @now_us: when the ACK arrived.
 *
 * Call it for the newly delivered segments in ascending order of end.
 * Step 3: delivered below RACK.fack and never retransmitted means the
 * network reordered. Step 2: a retransmitted segment whose RTT would be
 * below min_RTT is ignored (the ACK may be for the original); otherwise
 * the latest sent of the delivered becomes RACK's reference.
 * Return: true if the reference moved.
 */
bool glass_rack_update(struct glass_rack *r, u64 xmit_us, u32 end_seq,
		       bool retransmitted, u64 now_us);

/**
 * glass_rack_cum_ack() - a cumulative ACK reached a segment (RFC 8985
 *	section 6.2 step 2, for the cumulatively acknowledged part).
 * @r: the state.
 * @xmit_us: the segment's latest transmission time.
 * @seq: its first byte.
 * @end_seq: one past its last.
 * @ack: the cumulative ACK.
 * @retransmitted: it was sent more than once.
 * @now_us: when the ACK arrived.
 *
 * Only a segment the ACK covers, wholly or in part (@ack after @seq), was
 * delivered; the first segment the ACK does not reach (the next hole,
 * often a retransmission still in flight) was not, and must not become
 * RACK's reference: its recent transmission time would make every
 * segment sent just before it look lost. The delivered part ends at
 * min(@end_seq, @ack).
 * Return: true if the reference moved (glass_rack_update()).
 */
bool glass_rack_cum_ack(struct glass_rack *r, u64 xmit_us, u32 seq,
			u32 end_seq, u32 ack, bool retransmitted, u64 now_us);

/**
 * glass_rack_dsack() - adapt the reordering window to D-SACKs (RFC 8985
 *	section 6.2 step 4, RACK_update_reo_wnd()'s first half).
 * @r: the state.
 * @snd_una: the cumulative ACK after this ACK.
 * @snd_nxt: the next byte to send (closes the D-SACK round).
 * @dsack: this ACK carried a D-SACK.
 *
 * The first D-SACK of a round (a round ends when snd_una reaches the
 * snd_nxt at its start) widens the window by one more min_RTT / 4 and
 * keeps it for GLASS_RACK_REO_PERSIST recoveries.
 */
void glass_rack_dsack(struct glass_rack *r, u32 snd_una, u32 snd_nxt,
		      bool dsack);

/**
 * glass_rack_recovery_done() - a fast or RTO recovery ended.
 * @r: the state.
 *
 * After GLASS_RACK_REO_PERSIST recoveries without a D-SACK the window
 * goes back to one min_RTT / 4.
 */
void glass_rack_recovery_done(struct glass_rack *r);

/**
 * glass_rack_reo_wnd() - RACK.reo_wnd (RFC 8985 section 6.2 step 4).
 * @r: the state.
 * @srtt_us: the smoothed RTT (bounds the window); 0 if none.
 * @recovering: in fast or RTO recovery.
 * @sacked_segs: segments SACKed above snd_una.
 *
 * Until reordering was seen, 0 in recovery or once DupThresh segments
 * are SACKed (the hole is surely lost); else reo_wnd_mult * min_RTT / 4,
 * at most SRTT. Without a min_RTT sample yet, SRTT stands for it.
 * Return: the window in microseconds.
 */
u32 glass_rack_reo_wnd(const struct glass_rack *r, u32 srtt_us,
		       bool recovering, u32 sacked_segs);

/* RFC 8985 RACK_detect_loss() for one segment. */
enum glass_rack_verdict {
	GLASS_RACK_LATER,	/* not sent before RACK's segment: no opinion */
	GLASS_RACK_WAIT,	/* sent before it, but reordering may explain */
	GLASS_RACK_LOST,	/* sent before it and overdue: lost */
};

/**
 * glass_rack_check() - is a segment not delivered yet lost?
 * @r: the state.
 * @xmit_us: the segment's latest transmission time.
 * @end_seq: its end.
 * @reo_wnd_us: glass_rack_reo_wnd().
 * @now_us: the current time.
 * @wait_us: with GLASS_RACK_WAIT, set to the time left until it is lost
 *	(at least 1).
 *
 * Lost when RACK's segment was sent after it and its transmission time +
 * RACK.rtt + reo_wnd has passed.
 * Return: the verdict.
 */
enum glass_rack_verdict glass_rack_check(const struct glass_rack *r,
					 u64 xmit_us, u32 end_seq,
					 u32 reo_wnd_us, u64 now_us,
					 u32 *wait_us);

#endif /* _GLASS_CORE_RACK_H */
