/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control: slow start, congestion avoidance (RFC 5681, with
 * appropriate byte counting) and NewReno fast retransmit / fast recovery
 * (RFC 6582). Windows are in bytes.
 */
#ifndef _GLASS_CORE_CC_H
#define _GLASS_CORE_CC_H

#include "core_types.h"

/* Initial window: 10 segments (RFC 6928), as Linux. */
#define GLASS_CC_IW_SEGS	10u
#define GLASS_CC_DUPTHRESH	3u
#define GLASS_CC_SSTHRESH_INF	0xffffffffu

/**
 * struct glass_cc - one connection's congestion state.
 * @cwnd: congestion window.
 * @ssthresh: slow-start threshold (GLASS_CC_SSTHRESH_INF at first).
 * @mss: sender MSS.
 * @dupacks: consecutive duplicate ACKs seen.
 * @in_recovery: in NewReno fast recovery.
 * @recover: the RFC 6582 recover point: snd_nxt when recovery (or the last
 *	RTO) began; snd_nxt - 1 after init (the ISN, when init gets the first
 *	data byte). Once an ACK passes it, it trails that ACK by one, so it
 *	never falls 2^31 behind snd_una.
 * @acked_acc: bytes acknowledged in congestion avoidance not yet worth a
 *	full segment of growth.
 */
struct glass_cc {
	u32 cwnd;
	u32 ssthresh;
	u32 mss;
	u32 dupacks;
	bool in_recovery;
	u32 recover;
	u32 acked_acc;
};

enum glass_cc_action {
	GLASS_CC_NONE,		/* nothing to retransmit */
	GLASS_CC_RETRANSMIT,	/* retransmit the segment at snd_una now */
};

/*
 * cwnd = GLASS_CC_IW_SEGS * mss, ssthresh infinite, no recovery. snd_nxt
 * is the first data byte to send (ISN + 1). An mss of 0 is taken as 1.
 */
void glass_cc_init(struct glass_cc *cc, u32 mss, u32 snd_nxt);

/*
 * An ACK advanced snd_una to ack by acked (> 0) bytes; flight is what was
 * outstanding before it. It ends a run of duplicates. In recovery: a full
 * ACK (>= recover) sets cwnd to min(ssthresh, max(flight - acked, mss) +
 * mss) and ends recovery; a partial ACK retransmits the next hole and
 * deflates cwnd by the bytes acked, adding one MSS back if at least one MSS
 * was acked, never below one MSS (RFC 6582 3.2 step 5). Outside: slow start
 * (+acked, capped at ssthresh) while cwnd < ssthresh, else +mss per cwnd of
 * bytes acked. cwnd never exceeds 2^30.
 */
enum glass_cc_action glass_cc_on_ack(struct glass_cc *cc, u32 ack, u32 acked,
				     u32 flight);

/*
 * A duplicate ACK (RFC 5681 section 2 definition, decided by the caller).
 * The third one starts fast retransmit unless snd_una has not passed the
 * recover point of an earlier recovery (RFC 6582 3.2 step 2): ssthresh =
 * max(flight / 2, 2 mss), cwnd = ssthresh + 3 mss, recover = snd_nxt.
 * In recovery, each one inflates cwnd by one MSS.
 */
enum glass_cc_action glass_cc_on_dupack(struct glass_cc *cc, u32 snd_una,
					u32 snd_nxt, u32 flight);

/* Retransmission timeout: ssthresh = max(flight / 2, 2 mss), cwnd = 1 mss. */
void glass_cc_on_rto(struct glass_cc *cc, u32 snd_nxt, u32 flight);

#endif /* _GLASS_CORE_CC_H */
