/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Selective acknowledgment: the blocks a receiver reports (RFC 2018,
 * D-SACK RFC 2883) and the sender's scoreboard with the RFC 6675 loss
 * recovery decisions (IsLost, pipe, NextSeg). The scoreboard is a set of
 * SACKed byte ranges above snd_una plus HighRxt; the kernel keeps the
 * skbs and retransmits what these functions name.
 */
#ifndef _GLASS_CORE_SACK_H
#define _GLASS_CORE_SACK_H

#include "core_types.h"
#include "ooo.h"

/* Blocks one ACK carries (RFC 2018: 4 without timestamps). */
#define GLASS_SACK_MAX_BLOCKS	4u

/**
 * struct glass_sack_rcv - what the receiver remembers to report.
 * @n: entries in @seq.
 * @seq: one byte of each recently received out-of-order range, the most
 *	recent first; the block reported is the held range containing it.
 * @dsack: a duplicate range to report first in the next ACK (RFC 2883).
 * @dsack_pending: @dsack is valid.
 */
struct glass_sack_rcv {
	u32 n;
	u32 seq[GLASS_SACK_MAX_BLOCKS];
	struct glass_range dsack;
	bool dsack_pending;
};

/**
 * glass_sack_rcv_init() - nothing to report.
 * @r: the state.
 */
void glass_sack_rcv_init(struct glass_sack_rcv *r);

/**
 * glass_sack_rcv_note() - bytes starting at @seq arrived out of order.
 * @r: the state.
 * @seq: the first new byte (now held in the out-of-order set).
 *
 * The range holding it becomes the first block of the next ACKs (RFC
 * 2018 section 4: the most recently received segment's block first).
 */
void glass_sack_rcv_note(struct glass_sack_rcv *r, u32 seq);

/**
 * glass_sack_rcv_dup() - a duplicate arrived: report it once (RFC 2883).
 * @r: the state.
 * @start: its first byte.
 * @end: one past its last.
 */
void glass_sack_rcv_dup(struct glass_sack_rcv *r, u32 start, u32 end);

/**
 * glass_sack_rcv_blocks() - the blocks of the next ACK.
 * @r: the state; entries whose range was delivered are forgotten, and a
 *	D-SACK is reported once.
 * @held: the out-of-order set (ranges beyond rcv_nxt).
 * @out: GLASS_SACK_MAX_BLOCKS ranges.
 *
 * A pending D-SACK first (and the held range around it, if any, second:
 * RFC 2883 section 4), then the held ranges named by the recent
 * arrivals, most recent first, each once; then, while there is room, the
 * other held ranges from the highest down (RFC 2018 section 4: repeat
 * what was reported before, so one lost ACK loses nothing).
 * Return: the number of blocks written.
 */
u32 glass_sack_rcv_blocks(struct glass_sack_rcv *r,
			  const struct glass_ooo_set *held,
			  struct glass_range *out);

/**
 * struct glass_sb - the sender's scoreboard (RFC 6675 section 3).
 * @sacked: SACKed ranges above snd_una; the caller owns their storage and
 *	may leave it NULL, which reads as an empty set: then glass_sb_sack()
 *	cannot record a new range (GLASS_SB_FULL). The kernel attaches a set
 *	at the first SACK block and frees it once it is empty again, so an
 *	idle connection does not carry GLASS_OOO_MAX_RANGES ranges.
 * @high_rxt: HighRxt: one past the highest byte retransmitted in this
 *	recovery (snd_una when nothing was).
 * @all_lost: after an RTO: every unSACKed byte below @recover is lost.
 * @recover: snd_max when the RTO struck (valid with @all_lost).
 * @lost_to: every unSACKed byte before it is lost (glass_sb_mark_lost()).
 */
struct glass_sb {
	struct glass_ooo_set *sacked;
	u32 high_rxt;
	bool all_lost;
	u32 recover;
	u32 lost_to;
};

/**
 * glass_sb_sacked_bytes() - bytes SACKed above snd_una.
 * @sb: the scoreboard.
 * Return: the count (0 without a set).
 */
u32 glass_sb_sacked_bytes(const struct glass_sb *sb);

/**
 * glass_sb_init() - an empty scoreboard.
 * @sb: the scoreboard; @sb->sacked is kept (emptied if not NULL).
 * @snd_una: the oldest unacknowledged byte.
 */
void glass_sb_init(struct glass_sb *sb, u32 snd_una);

/* What one SACK block told the sender. */
enum glass_sb_verdict {
	GLASS_SB_NEW,		/* bytes SACKed for the first time */
	GLASS_SB_OLD,		/* only bytes SACKed before */
	GLASS_SB_DSACK,		/* a D-SACK: bytes received twice */
	GLASS_SB_INVALID,	/* outside [snd_una - window, snd_max) */
	GLASS_SB_FULL,		/* no room for another range: ignored */
};

/**
 * glass_sb_sack() - record one SACK block.
 * @sb: the scoreboard.
 * @snd_una: the cumulative ACK, after this ACK's.
 * @snd_max: one past the highest byte sent.
 * @start: the block's left edge.
 * @end: its right edge.
 * @first: the block came first in its ACK (only a first block may be a
 *	D-SACK, RFC 2883 section 4).
 *
 * A first block at or below the cumulative ACK, or covered by an earlier
 * block of the same ACK (the caller's @first and @snd_una decide the
 * former; RFC 2883 4.1 rule 2 is the caller's too), is a D-SACK.
 * Return: the verdict; with GLASS_SB_NEW the bytes were added.
 */
enum glass_sb_verdict glass_sb_sack(struct glass_sb *sb, u32 snd_una,
				    u32 snd_max, u32 start, u32 end,
				    bool first);

/**
 * glass_sb_ack() - the cumulative ACK moved to @snd_una.
 * @sb: the scoreboard.
 * @snd_una: the new cumulative ACK.
 *
 * Forgets what lies below it; HighRxt never trails it.
 * Return: true if the receiver reneged: a SACKed range now starts at
 * @snd_una, so the hole before it was filled but the bytes it SACKed were
 * not acknowledged (it dropped them). The scoreboard is then cleared.
 */
bool glass_sb_ack(struct glass_sb *sb, u32 snd_una);

/**
 * glass_sb_rto() - the retransmission timer expired.
 * @sb: the scoreboard.
 * @snd_una: the oldest unacknowledged byte.
 * @snd_max: one past the highest byte sent.
 * @forget: drop the SACK information too (a second timeout in a row:
 *	the receiver may have reneged, RFC 2018 section 8).
 *
 * Everything unSACKed below @snd_max counts as lost and nothing as
 * retransmitted (Linux's loss state): recovery resends the holes in
 * order as the congestion window opens again.
 */
void glass_sb_rto(struct glass_sb *sb, u32 snd_una, u32 snd_max, bool forget);

/**
 * glass_sb_lost_end() - where the bytes RFC 6675 calls lost end.
 * @sb: the scoreboard.
 * @snd_una: the oldest unacknowledged byte.
 * @mss: the sender MSS.
 *
 * IsLost(S) (RFC 6675 section 4): more than (DupThresh - 1) * SMSS bytes
 * SACKed above S, or DupThresh SACKed ranges above it. Every unSACKed
 * byte before the returned point is lost; none after it is (after an
 * RTO, everything up to the recover point is).
 * Return: the first sequence number not lost, @snd_una if none is.
 */
u32 glass_sb_lost_end(const struct glass_sb *sb, u32 snd_una, u32 mss);

/**
 * glass_sb_pipe() - RFC 6675 SetPipe(): bytes the sender believes are in
 *	the network.
 * @sb: the scoreboard.
 * @snd_una: HighACK + 1.
 * @snd_max: HighData + 1.
 * @mss: the sender MSS.
 *
 * Each unSACKed byte counts once if it is not lost, and once more if it
 * was retransmitted (below HighRxt).
 * Return: the pipe in bytes.
 */
u32 glass_sb_pipe(const struct glass_sb *sb, u32 snd_una, u32 snd_max,
		  u32 mss);

/**
 * glass_sb_next_seg() - RFC 6675 NextSeg() rule 1: the next hole to
 *	retransmit.
 * @sb: the scoreboard.
 * @snd_una: the oldest unacknowledged byte.
 * @mss: the sender MSS.
 * @r: set to the bytes to resend: at most one MSS, unSACKed, lost, at or
 *	after HighRxt.
 *
 * Rule 2 (new data) is the caller's: when this says nothing, send new
 * data if the windows allow. The caller moves HighRxt to @r->end once it
 * has sent them (glass_sb_sent()).
 * Return: true if there is such a hole.
 */
bool glass_sb_next_seg(const struct glass_sb *sb, u32 snd_una, u32 mss,
		       struct glass_range *r);

/**
 * glass_sb_first_hole() - the bytes at snd_una, lost or not: what recovery
 *	entered on duplicate ACKs resends first (RFC 6675 section 5 step 4.3).
 * @sb: the scoreboard.
 * @snd_una: the oldest unacknowledged byte.
 * @snd_max: one past the highest byte sent.
 * @mss: the sender MSS.
 * @r: set to [snd_una, up to one MSS, the first SACKed byte or snd_max).
 * Return: false if nothing is outstanding or it was resent already.
 */
bool glass_sb_first_hole(const struct glass_sb *sb, u32 snd_una, u32 snd_max,
			 u32 mss, struct glass_range *r);

/**
 * glass_sb_mark_lost() - count every unSACKed byte below the highest
 *	SACKed one as lost.
 * @sb: the scoreboard.
 * @snd_una: the oldest unacknowledged byte.
 *
 * RACK's rule (RFC 8985 section 6.2) at the ACK of a tail loss probe: a
 * segment sent before one that was delivered, and longer ago than an RTT
 * plus the reordering window, is lost; the probe left a PTO (2 SRTT)
 * after everything below it, so all of that qualifies.
 * Return: true if that marks some byte lost.
 */
bool glass_sb_mark_lost(struct glass_sb *sb, u32 snd_una);

/**
 * glass_sb_lost_through() - count every unSACKed byte below @seq as lost.
 * @sb: the scoreboard.
 * @snd_una: the oldest unacknowledged byte.
 * @seq: one past the last byte RACK found lost (RFC 8985 section 6.2).
 *
 * RACK judges segments by their transmission time: a segment never
 * retransmitted that it finds lost was sent after every never-resent
 * segment before it, so those are lost too. Bytes below HighRxt keep
 * counting as retransmitted; their new losses are the caller's.
 * Return: true if that marks more bytes lost.
 */
bool glass_sb_lost_through(struct glass_sb *sb, u32 snd_una, u32 seq);

/**
 * glass_sb_unsacked() - bytes of [@start, @end) not SACKed.
 * @sb: the scoreboard.
 * @start: the first byte.
 * @end: one past the last.
 * Return: the count, 0 for an empty or inverted span.
 */
u32 glass_sb_unsacked(const struct glass_sb *sb, u32 start, u32 end);

/**
 * glass_sb_sent() - bytes up to @end were retransmitted.
 * @sb: the scoreboard.
 * @end: one past the last of them.
 */
void glass_sb_sent(struct glass_sb *sb, u32 end);

/**
 * glass_sb_sacked() - is @seq SACKed?
 * @sb: the scoreboard.
 * @seq: a sequence number.
 * Return: true if a SACKed range holds it.
 */
bool glass_sb_sacked(const struct glass_sb *sb, u32 seq);

#endif /* _GLASS_CORE_SACK_H */
