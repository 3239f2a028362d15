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
 * @recover: snd_nxt when recovery (or the last RTO) began.
 * @acked_acc: bytes acknowledged in congestion avoidance not yet worth a
 *	full segment of growth.
 */
struct glass_cc {
	uint32_t cwnd;
	uint32_t ssthresh;
	uint32_t mss;
	uint32_t dupacks;
	bool in_recovery;
	uint32_t recover;
	uint32_t acked_acc;
};

enum glass_cc_action {
	GLASS_CC_NONE,		/* nothing to retransmit */
	GLASS_CC_RETRANSMIT,	/* retransmit the segment at snd_una now */
};

void glass_cc_init(struct glass_cc *cc, uint32_t mss, uint32_t snd_nxt);

/*
 * An ACK advanced snd_una from una_before by acked bytes; flight is what
 * was outstanding before it. In recovery: a full ACK (>= recover) deflates
 * cwnd to ssthresh and ends recovery; a partial ACK retransmits the next
 * hole and deflates by the bytes acked, plus one MSS (RFC 6582 3.2 step 5).
 * Outside: slow start (+min(acked, mss)) below ssthresh, else +mss per cwnd
 * of bytes acked.
 */
enum glass_cc_action glass_cc_on_ack(struct glass_cc *cc, uint32_t ack,
				     uint32_t acked, uint32_t flight);

/*
 * A duplicate ACK (RFC 5681 section 2 definition, decided by the caller).
 * The third one starts fast retransmit unless snd_una has not passed the
 * recover point of an earlier recovery (RFC 6582 3.2 step 2); later ones
 * inflate cwnd by one MSS each.
 */
enum glass_cc_action glass_cc_on_dupack(struct glass_cc *cc, uint32_t snd_una,
					uint32_t snd_nxt, uint32_t flight);

/* Retransmission timeout: ssthresh = max(flight / 2, 2 mss), cwnd = 1 mss. */
void glass_cc_on_rto(struct glass_cc *cc, uint32_t snd_nxt, uint32_t flight);

#endif /* _GLASS_CORE_CC_H */
