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

/* The algorithms (the same numbers as GLASS_CC_* in glass.h). */
enum glass_cc_algo {
	GLASS_CC_ALGO_NEWRENO,
	GLASS_CC_ALGO_CUBIC,
	GLASS_CC_ALGO_MAX,
};

/**
 * struct glass_cubic - CUBIC's state (RFC 9438), used with GLASS_CC_ALGO_CUBIC.
 * @w_max: cwnd just before the last reduction, bytes (after fast
 *	convergence).
 * @k_ms: the time from the epoch's start to reach @w_max again.
 * @origin: the window the cubic curve returns to at @k_ms, bytes.
 * @epoch_us: the start of the current congestion-avoidance epoch, 0 when
 *	none has started since the last reduction.
 * @w_est: the Reno-friendly window estimate (RFC 9438 4.3), bytes.
 * @est_acc: bytes acknowledged not yet counted into @w_est.
 */
struct glass_cubic {
	u32 w_max;
	u32 k_ms;
	u32 origin;
	u64 epoch_us;
	u32 w_est;
	u32 est_acc;
};

/**
 * struct glass_cc - one connection's congestion state.
 * @cwnd: congestion window.
 * @ssthresh: slow-start threshold (GLASS_CC_SSTHRESH_INF at first).
 * @mss: sender MSS.
 * @dupacks: consecutive duplicate ACKs seen.
 * @in_recovery: in NewReno fast recovery.
 * @in_loss: an RTO cut the window and the ACK has not reached the
 *	recovery point it set (Linux's TCP_CA_Loss): a further expiry does
 *	not cut again.
 * @frto: F-RTO (RFC 5682) watches the ACKs after an RTO for a sign that
 *	it was spurious (glass_cc_frto()); set by an expiry that starts an
 *	episode, with @sack.
 * @recover: the RFC 6582 recover point: snd_nxt when recovery (or the last
 *	RTO) began; snd_nxt - 1 after init (the ISN, when init gets the first
 *	data byte). Once an ACK passes it, it trails that ACK by one, so it
 *	never falls 2^31 behind snd_una.
 * @acked_acc: bytes acknowledged in congestion avoidance not yet worth a
 *	full segment of growth.
 * @sack: the peer sends SACK: recovery follows RFC 6675 (the caller
 *	sends by pipe), so cwnd is neither inflated by duplicates nor
 *	deflated by partial ACKs.
 * @prior_cwnd: cwnd before the last reduction (recovery or RTO), for undo.
 * @prior_ssthresh: ssthresh before it.
 * @algo: enum glass_cc_algo: how congestion avoidance grows cwnd and how
 *	much a loss takes off it.
 * @now_us: the caller's clock for the ACK being processed (CUBIC).
 * @srtt_us: the smoothed RTT then (CUBIC aims one RTT ahead).
 * @cubic: CUBIC's state.
 */
struct glass_cc {
	/* Ordered by size, no holes: it is part of every socket. */
	u32 cwnd;
	u32 ssthresh;
	u32 mss;
	u32 dupacks;
	u32 recover;
	u32 acked_acc;
	u32 prior_cwnd;
	u32 prior_ssthresh;
	u32 algo;
	u32 srtt_us;
	u64 now_us;
	bool in_recovery;
	bool in_loss;
	bool frto;
	bool sack;
	struct glass_cubic cubic;
};

enum glass_cc_action {
	GLASS_CC_NONE,		/* nothing to retransmit */
	GLASS_CC_RETRANSMIT,	/* retransmit the segment at snd_una now */
};

/**
 * glass_cc_init() - congestion state of a new connection.
 * @cc: the state.
 * @mss: the sender MSS; 0 is taken as 1.
 * @snd_nxt: the first data byte to send (ISN + 1).
 *
 * cwnd = GLASS_CC_IW_SEGS * mss (RFC 6928), ssthresh infinite, no
 * recovery.
 */
void glass_cc_init(struct glass_cc *cc, u32 mss, u32 snd_nxt);

/**
 * glass_cc_init_window() - a route's initial window (`ip route ... initcwnd
 *	N`), right after glass_cc_init().
 * @cc: the state.
 * @segs: segments cwnd starts with; 0 keeps GLASS_CC_IW_SEGS.
 */
void glass_cc_init_window(struct glass_cc *cc, u32 segs);

/**
 * glass_cc_on_ack() - an ACK advanced snd_una.
 * @cc: the state.
 * @ack: the new snd_una.
 * @acked: bytes it acknowledged (> 0).
 * @flight: bytes outstanding before it.
 *
 * It ends a run of duplicates. In recovery: a full ACK (at or past
 * recover) sets cwnd to min(ssthresh, max(flight - acked, mss) + mss) and
 * ends recovery; a partial ACK retransmits the next hole and deflates cwnd
 * by the bytes acked, adding one MSS back if at least one MSS was acked,
 * never below one MSS (RFC 6582 3.2 step 5); with @sack a partial ACK
 * changes nothing (RFC 6675: the pipe paces recovery). Outside recovery: slow start
 * while cwnd < ssthresh (+acked, every byte counted, up to ssthresh, as
 * Linux's tcp_slow_start()), else +mss per cwnd of bytes acked. cwnd never
 * exceeds 2^30.
 * Return: GLASS_CC_RETRANSMIT for a partial ACK in recovery, else
 * GLASS_CC_NONE.
 */
enum glass_cc_action glass_cc_on_ack(struct glass_cc *cc, u32 ack, u32 acked,
				     u32 flight);

/**
 * glass_cc_on_dupack() - a duplicate ACK arrived.
 * @cc: the state.
 * @snd_una: the oldest unacknowledged byte.
 * @snd_nxt: the next byte to send (the recover point if recovery starts).
 * @flight: bytes outstanding.
 *
 * Whether an ACK is a duplicate is the caller's call (RFC 5681 section 2).
 * The third in a row starts fast retransmit, unless snd_una has not passed
 * the recover point of an earlier recovery (RFC 6582 3.2 step 2):
 * ssthresh = max(flight / 2, 2 mss), cwnd = ssthresh + 3 mss, recover =
 * snd_nxt. In recovery, each one inflates cwnd by one MSS. With @sack the
 * third one starts recovery as glass_cc_sack_loss() does (snd_una may
 * also stand at recover), and none inflates cwnd.
 * Return: GLASS_CC_RETRANSMIT when fast retransmit starts, else
 * GLASS_CC_NONE.
 */
enum glass_cc_action glass_cc_on_dupack(struct glass_cc *cc, u32 snd_una,
					u32 snd_nxt, u32 flight);

/**
 * glass_cc_sack_loss() - the scoreboard found a loss (RFC 6675 section 5).
 * @cc: the state, @sack set.
 * @snd_una: the oldest unacknowledged byte.
 * @snd_max: the highest byte sent (the new recover point).
 * @flight: bytes outstanding.
 *
 * Outside recovery, with @snd_una at or past the recover point of the last
 * one or of an RTO (at it: the lost byte is the first sent after that
 * episode began, a new loss), recovery starts: ssthresh = cwnd =
 * max(flight / 2, 2 mss), recover = @snd_max.
 * Return: true if recovery started.
 */
bool glass_cc_sack_loss(struct glass_cc *cc, u32 snd_una, u32 snd_max,
			u32 flight);

/**
 * glass_cc_on_rto() - the retransmission timer expired.
 * @cc: the state.
 * @snd_nxt: the highest byte sent (the new recover point).
 * @flight: bytes outstanding.
 *
 * ssthresh = max(flight / 2, 2 mss) (CUBIC: 0.7 flight), cwnd = 1 mss,
 * recovery ends, and recover = @snd_nxt (no fast retransmit for losses
 * from before the RTO). An expiry during a recovery, or before the ACK
 * reached the recovery point of the last expiry, keeps ssthresh, CUBIC's
 * W_max and the undo state: one cut per episode (Linux's tcp_enter_loss()).
 * With @sack, an expiry that starts an episode arms F-RTO, one during a
 * recovery disarms it, and a further expiry of the same episode (a
 * backed-off one) leaves it as it was.
 */
void glass_cc_on_rto(struct glass_cc *cc, u32 snd_nxt, u32 flight);

/* What F-RTO tells the caller to do with an ACK after an RTO. */
enum glass_frto_action {
	GLASS_FRTO_NONE,	/* conventional recovery: resend what is lost */
	GLASS_FRTO_UNDO,	/* the RTO was spurious: its cut is undone */
	GLASS_FRTO_NEW,		/* send new data, not retransmissions */
};

/**
 * struct glass_frto_ack - what an ACK after an RTO told the sender.
 * @una_advanced: it moved snd_una.
 * @orig_acked: it acknowledged or SACKed, for the first time, bytes sent
 *	before the RTO (below the recovery point) that were never
 *	retransmitted (Linux's FLAG_ORIG_SACK_ACKED).
 * @dup: it SACKed new bytes, or it was a duplicate ACK.
 * @can_send_new: unsent data waits and the peer's window has room for it.
 */
struct glass_frto_ack {
	bool una_advanced;
	bool orig_acked;
	bool dup;
	bool can_send_new;
};

/**
 * glass_cc_frto() - F-RTO's verdict on an ACK (RFC 5682 section 3.1, the
 *	SACK-enhanced algorithm, as Linux's tcp_process_loss()).
 * @cc: the state, after glass_cc_on_ack() for this ACK.
 * @snd_una: the oldest unacknowledged byte, after this ACK.
 * @snd_max: one past the highest byte sent.
 * @a: what the ACK told.
 *
 * Only while @cc->frto is set. Bytes sent before the RTO and never
 * retransmitted arrived: the timeout was spurious (step 3.b), undo it as
 * glass_cc_undo() does. Otherwise, once the episode is over (the ACK
 * reached the recovery point) F-RTO ends. If new data went out since the
 * RTO (snd_max past the recovery point), a SACK or duplicate ACK says the
 * loss was real (step 3.a): F-RTO ends. If not, an ACK that advanced
 * snd_una (the retransmission of the head arrived) moves the recovery
 * point to @snd_max and asks for new data instead of further
 * retransmissions (step 2.b), so that the next ACK can tell; with no new
 * data to send F-RTO ends.
 * Return: the action.
 */
enum glass_frto_action glass_cc_frto(struct glass_cc *cc, u32 snd_una,
				     u32 snd_max,
				     const struct glass_frto_ack *a);

/**
 * glass_cc_set_algo() - choose the congestion control algorithm.
 * @cc: the state.
 * @algo: enum glass_cc_algo; an unknown value is taken as NewReno.
 *
 * Takes effect from the next ACK; CUBIC starts a new epoch.
 */
void glass_cc_set_algo(struct glass_cc *cc, u32 algo);

/**
 * glass_cubic_cbrt() - the integer cube root, rounded down.
 * @x: any 64-bit value.
 * Return: the largest y with y^3 <= @x.
 */
u32 glass_cubic_cbrt(u64 x);

/**
 * glass_cubic_window() - W_cubic(t) (RFC 9438 section 4.2).
 * @c: CUBIC's state, epoch started.
 * @t_ms: time since the epoch's start.
 * @mss: the sender MSS.
 * Return: C (t - K)^3 + W_max in bytes, C = 0.4 segments per second^3,
 *	at least one MSS and at most 2^30.
 */
u32 glass_cubic_window(const struct glass_cubic *c, u64 t_ms, u32 mss);

/**
 * glass_cc_undo() - the last reduction was a mistake: every segment it
 *	retransmitted had arrived already (D-SACK, RFC 2883 section 5; Linux's
 *	undo).
 * @cc: the state.
 * @snd_una: the oldest unacknowledged byte.
 *
 * cwnd and ssthresh go back to at least what they were before it
 * (RFC 4015's response, without its extra care for later losses), and
 * recovery ends. The recovery point goes back to just before @snd_una: the
 * undone episode is no reason to refuse the next one (RFC 6582's guard
 * keeps one cut per window of losses, and this cut was taken back), so a
 * real loss in the same window starts recovery at once instead of
 * waiting for the RTO.
 */
void glass_cc_undo(struct glass_cc *cc, u32 snd_una);

#endif /* _GLASS_CORE_CC_H */
