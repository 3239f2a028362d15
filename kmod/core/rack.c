// SPDX-License-Identifier: GPL-2.0
/*
 * RACK's decisions (RFC 8985 section 6.2), one function per step of the
 * RFC's pseudocode; the walk over the unacknowledged segments is the
 * caller's, so that it can stop where the segments are all sent later.
 */
#include "rack.h"
#include "seq.h"

void glass_rack_init(struct glass_rack *r)
{
	r->xmit_us = 0;
	r->end_seq = 0;
	r->rtt_us = 0;
	r->min_rtt_us = 0;
	r->fack = 0;
	r->fack_on = false;
	r->valid = false;
	r->reordering_seen = false;
	r->reo_wnd_mult = 1;
	r->reo_wnd_persist = GLASS_RACK_REO_PERSIST;
	r->dsack_round = 0;
	r->dsack_round_on = false;
}

bool glass_rack_sent_after(u64 t1, u32 seq1, u64 t2, u32 seq2)
{
	return t1 > t2 || (t1 == t2 && glass_seq_after(seq1, seq2));
}

/* Step 3, RACK_detect_reordering(). */
static void glass_rack_reordering(struct glass_rack *r, u32 end_seq,
				  bool retransmitted)
{
	if (!r->fack_on || glass_seq_after(end_seq, r->fack)) {
		r->fack = end_seq;
		r->fack_on = true;
	} else if (glass_seq_before(end_seq, r->fack) && !retransmitted) {
		r->reordering_seen = true;
	}
}

bool glass_rack_update(struct glass_rack *r, u64 xmit_us, u32 end_seq,
		       bool retransmitted, u64 now_us)
{
	u64 rtt = now_us > xmit_us ? now_us - xmit_us : 0;
	u32 rtt32 = rtt > 0xffffffffull ? 0xffffffffu : (u32)rtt;

	glass_rack_reordering(r, end_seq, retransmitted);
	/* Ambiguous: an RTT below the minimum acknowledges the original. */
	if (retransmitted && rtt32 < r->min_rtt_us)
		return false;
	if (!retransmitted && (!r->min_rtt_us || rtt32 < r->min_rtt_us))
		r->min_rtt_us = rtt32 ? rtt32 : 1;
	if (r->valid &&
	    !glass_rack_sent_after(xmit_us, end_seq, r->xmit_us, r->end_seq))
		return false;
	r->xmit_us = xmit_us;
	r->end_seq = end_seq;
	r->rtt_us = rtt32;
	r->valid = true;
	return true;
}

bool glass_rack_cum_ack(struct glass_rack *r, u64 xmit_us, u32 seq,
			u32 end_seq, u32 ack, bool retransmitted, u64 now_us)
{
	if (!glass_seq_after(ack, seq))
		return false;
	return glass_rack_update(r, xmit_us, glass_seq_min(end_seq, ack),
				 retransmitted, now_us);
}

void glass_rack_dsack(struct glass_rack *r, u32 snd_una, u32 snd_nxt,
		      bool dsack)
{
	if (r->dsack_round_on && glass_seq_geq(snd_una, r->dsack_round))
		r->dsack_round_on = false;
	if (r->dsack_round_on || !dsack)
		return;
	r->dsack_round = snd_nxt;
	r->dsack_round_on = true;
	if (r->reo_wnd_mult < GLASS_RACK_REO_MULT_MAX)
		r->reo_wnd_mult++;
	r->reo_wnd_persist = GLASS_RACK_REO_PERSIST;
}

void glass_rack_recovery_done(struct glass_rack *r)
{
	if (r->reo_wnd_persist > 1) {
		r->reo_wnd_persist--;
		return;
	}
	r->reo_wnd_persist = 0;
	r->reo_wnd_mult = 1;
}

u32 glass_rack_reo_wnd(const struct glass_rack *r, u32 srtt_us,
		       bool recovering, u32 sacked_segs)
{
	u64 wnd;
	u32 min_rtt = r->min_rtt_us ? r->min_rtt_us : srtt_us;

	if (!r->reordering_seen &&
	    (recovering || sacked_segs >= GLASS_RACK_DUPTHRESH))
		return 0;
	wnd = (u64)r->reo_wnd_mult * (min_rtt / 4);
	if (srtt_us && wnd > srtt_us)
		wnd = srtt_us;
	return (u32)wnd;
}

enum glass_rack_verdict glass_rack_check(const struct glass_rack *r,
					 u64 xmit_us, u32 end_seq,
					 u32 reo_wnd_us, u64 now_us,
					 u32 *wait_us)
{
	u64 deadline;

	if (!r->valid ||
	    !glass_rack_sent_after(r->xmit_us, r->end_seq, xmit_us, end_seq))
		return GLASS_RACK_LATER;
	deadline = xmit_us + r->rtt_us + reo_wnd_us;
	if (deadline <= now_us)
		return GLASS_RACK_LOST;
	*wait_us = deadline - now_us > 0xffffffffull ? 0xffffffffu :
		   (u32)(deadline - now_us);
	return GLASS_RACK_WAIT;
}
