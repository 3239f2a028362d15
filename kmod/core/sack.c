// SPDX-License-Identifier: GPL-2.0
/*
 * SACK on both ends. The receiver reports the ranges it holds out of
 * order, the most recently changed first (RFC 2018 section 4), and a
 * duplicate it received as a D-SACK block (RFC 2883). The sender keeps
 * what was SACKed as a set of byte ranges (the same disjoint, sorted set
 * as the receiver's out-of-order bookkeeping) and HighRxt, from which
 * RFC 6675's IsLost(), SetPipe() and NextSeg() follow in a few walks of
 * at most GLASS_OOO_MAX_RANGES entries.
 */
#include "sack.h"
#include "seq.h"

/* A block more than this far below snd_una is garbage, not a D-SACK. */
#define GLASS_SACK_DSACK_SPAN	0x40000000u

void glass_sack_rcv_init(struct glass_sack_rcv *r)
{
	r->n = 0;
	r->dsack_pending = false;
}

/* Drop entry i, keeping the order of the others. */
static void glass_sack_rcv_forget(struct glass_sack_rcv *r, u32 i)
{
	for (; i + 1 < r->n; i++)
		r->seq[i] = r->seq[i + 1];
	r->n--;
}

void glass_sack_rcv_note(struct glass_sack_rcv *r, u32 seq)
{
	u32 i, n = r->n < GLASS_SACK_MAX_BLOCKS ? r->n + 1 : r->n;

	for (i = n - 1; i > 0; i--)
		r->seq[i] = r->seq[i - 1];
	r->seq[0] = seq;
	r->n = n;
}

void glass_sack_rcv_dup(struct glass_sack_rcv *r, u32 start, u32 end)
{
	if (start == end)
		return;
	r->dsack.start = start;
	r->dsack.end = end;
	r->dsack_pending = true;
}

/* The held range containing seq, or -1. */
static s32 glass_sack_find(const struct glass_ooo_set *held, u32 seq)
{
	u32 i;

	for (i = 0; i < held->n; i++)
		if (glass_seq_leq(held->r[i].start, seq) &&
		    glass_seq_before(seq, held->r[i].end))
			return (s32)i;
	return -1;
}

/* Is range index i of held already among out[0..n)? */
static bool glass_sack_listed(const struct glass_ooo_set *held, u32 i,
			      const struct glass_range *out, u32 n, u32 from)
{
	u32 k;

	for (k = from; k < n; k++)
		if (out[k].start == held->r[i].start)
			return true;
	return false;
}

u32 glass_sack_rcv_blocks(struct glass_sack_rcv *r,
			  const struct glass_ooo_set *held,
			  struct glass_range *out)
{
	u32 n = 0, from, i = 0;
	s32 k;

	if (r->dsack_pending) {
		out[n++] = r->dsack;
		r->dsack_pending = false;
		/* RFC 2883 section 4: the held block around it comes next. */
		k = glass_sack_find(held, r->dsack.start);
		if (k >= 0)
			out[n++] = held->r[k];
	}
	from = n > 1 ? 1 : n;
	while (i < r->n) {
		k = glass_sack_find(held, r->seq[i]);
		if (k < 0) {
			glass_sack_rcv_forget(r, i);	/* delivered */
			continue;
		}
		if (!glass_sack_listed(held, (u32)k, out, n, from) &&
		    n < GLASS_SACK_MAX_BLOCKS)
			out[n++] = held->r[k];
		i++;
	}
	for (k = (s32)held->n - 1; k >= 0 && n < GLASS_SACK_MAX_BLOCKS; k--)
		if (!glass_sack_listed(held, (u32)k, out, n, from))
			out[n++] = held->r[k];
	return n;
}

/* What a scoreboard without a set holds: nothing. */
static const struct glass_ooo_set glass_sb_none;

/* The SACKed ranges, for reading: never NULL. */
static const struct glass_ooo_set *glass_sb_set(const struct glass_sb *sb)
{
	return sb->sacked ? sb->sacked : &glass_sb_none;
}

u32 glass_sb_sacked_bytes(const struct glass_sb *sb)
{
	return glass_sb_set(sb)->bytes;
}

void glass_sb_init(struct glass_sb *sb, u32 snd_una)
{
	if (sb->sacked)
		glass_ooo_init(sb->sacked);
	sb->high_rxt = snd_una;
	sb->all_lost = false;
	sb->recover = snd_una;
	sb->lost_to = snd_una;
}

/* Are all bytes of [start, end) in the set already? */
static bool glass_sb_covered(const struct glass_sb *sb, u32 start, u32 end)
{
	const struct glass_ooo_set *s = glass_sb_set(sb);
	s32 k = glass_sack_find(s, start);

	return k >= 0 && glass_seq_leq(end, s->r[k].end);
}

enum glass_sb_verdict glass_sb_sack(struct glass_sb *sb, u32 snd_una,
				    u32 snd_max, u32 start, u32 end,
				    bool first)
{
	struct glass_range r = { start, end };

	if (!glass_seq_before(start, end) || glass_seq_after(end, snd_max) ||
	    (glass_seq_before(start, snd_una) &&
	     snd_una - start > GLASS_SACK_DSACK_SPAN))
		return GLASS_SB_INVALID;
	if (glass_seq_leq(end, snd_una))
		return first ? GLASS_SB_DSACK : GLASS_SB_OLD;
	if (!glass_range_clip(&r, snd_una, snd_max))
		return GLASS_SB_INVALID;
	if (glass_sb_covered(sb, r.start, r.end))
		return GLASS_SB_OLD;
	if (!sb->sacked || glass_ooo_add(sb->sacked, r.start, r.end) < 0)
		return GLASS_SB_FULL;
	return GLASS_SB_NEW;
}

/* Forget the SACKed bytes below @snd_una; true if a range starts there. */
static bool glass_sb_set_ack(struct glass_ooo_set *s, u32 snd_una)
{
	u32 i = 0, k;

	while (i < s->n && glass_seq_leq(s->r[i].end, snd_una)) {
		s->bytes -= s->r[i].end - s->r[i].start;
		i++;
	}
	for (k = 0; k + i < s->n; k++)
		s->r[k] = s->r[k + i];
	s->n -= i;
	if (s->n && glass_seq_before(s->r[0].start, snd_una)) {
		s->bytes -= snd_una - s->r[0].start;
		s->r[0].start = snd_una;
	}
	return s->n && s->r[0].start == snd_una;
}

bool glass_sb_ack(struct glass_sb *sb, u32 snd_una)
{
	bool reneged = sb->sacked && glass_sb_set_ack(sb->sacked, snd_una);

	sb->high_rxt = glass_seq_max(sb->high_rxt, snd_una);
	sb->lost_to = glass_seq_max(sb->lost_to, snd_una);
	if (sb->all_lost && glass_seq_geq(snd_una, sb->recover))
		sb->all_lost = false;
	if (reneged)
		glass_ooo_init(sb->sacked);
	return reneged;
}

void glass_sb_rto(struct glass_sb *sb, u32 snd_una, u32 snd_max, bool forget)
{
	if (forget && sb->sacked)
		glass_ooo_init(sb->sacked);
	sb->high_rxt = snd_una;
	sb->all_lost = glass_seq_after(snd_max, snd_una);
	sb->recover = snd_max;
}

/*
 * Walk the SACKed ranges from the top, counting bytes and ranges above;
 * once IsLost holds for the bytes below range k, every unSACKed byte
 * below its start is lost. IsLost counts bytes "more than (DupThresh - 1)
 * * SMSS", so three full segments, or three ranges of any size.
 */
u32 glass_sb_lost_end(const struct glass_sb *sb, u32 snd_una, u32 mss)
{
	const struct glass_ooo_set *s = glass_sb_set(sb);
	u64 above = 0, need = 2ull * mss;
	u32 ranges = 0, end = snd_una;
	s32 k;

	if (glass_seq_after(sb->lost_to, end))
		end = sb->lost_to;
	if (sb->all_lost)
		end = glass_seq_max(end, sb->recover);
	for (k = (s32)s->n - 1; k >= 0; k--) {
		above += s->r[k].end - s->r[k].start;
		ranges++;
		if (above > need || ranges >= 3)
			return glass_seq_max(end, s->r[k].start);
	}
	return end;
}

/* SACKed bytes of [start, end). */
static u32 glass_sb_sacked_in(const struct glass_sb *sb, u32 start, u32 end)
{
	const struct glass_ooo_set *s = glass_sb_set(sb);
	u32 i, n = 0;

	for (i = 0; i < s->n; i++) {
		struct glass_range r = s->r[i];

		if (glass_range_clip(&r, start, end))
			n += r.end - r.start;
	}
	return n;
}

/* UnSACKed bytes of [start, end), 0 for an empty or inverted span. */
static u32 glass_sb_holes_in(const struct glass_sb *sb, u32 start, u32 end)
{
	if (!glass_seq_before(start, end))
		return 0;
	return (end - start) - glass_sb_sacked_in(sb, start, end);
}

/*
 * Lost bytes are [snd_una, lost_end) minus the SACKed ones and count only
 * if retransmitted; the rest count once, twice if also retransmitted.
 */
u32 glass_sb_pipe(const struct glass_sb *sb, u32 snd_una, u32 snd_max,
		  u32 mss)
{
	u32 lost_end = glass_seq_min(glass_sb_lost_end(sb, snd_una, mss),
				     snd_max);
	u32 rxt_end = glass_seq_min(glass_seq_max(sb->high_rxt, snd_una),
				    snd_max);

	return glass_sb_holes_in(sb, lost_end, snd_max) +
	       glass_sb_holes_in(sb, snd_una, rxt_end);
}

bool glass_sb_next_seg(const struct glass_sb *sb, u32 snd_una, u32 mss,
		       struct glass_range *r)
{
	const struct glass_ooo_set *s = glass_sb_set(sb);
	u32 lost_end = glass_sb_lost_end(sb, snd_una, mss);
	u32 seq = glass_seq_max(sb->high_rxt, snd_una);
	u32 i, end;

	/* Skip SACKed bytes at seq (ranges are sorted, disjoint). */
	for (i = 0; i < s->n; i++) {
		if (glass_seq_leq(s->r[i].end, seq))
			continue;
		if (glass_seq_leq(s->r[i].start, seq)) {
			seq = s->r[i].end;
			continue;
		}
		break;
	}
	if (!glass_seq_before(seq, lost_end))
		return false;
	end = i < s->n ? glass_seq_min(s->r[i].start, lost_end) : lost_end;
	if (end - seq > mss)
		end = seq + mss;
	r->start = seq;
	r->end = end;
	return true;
}

bool glass_sb_mark_lost(struct glass_sb *sb, u32 snd_una)
{
	const struct glass_ooo_set *s = glass_sb_set(sb);
	u32 top;

	if (!s->n)
		return false;
	top = s->r[s->n - 1].start;
	if (!glass_seq_after(top, glass_seq_max(sb->lost_to, snd_una)))
		return false;
	sb->lost_to = top;
	return true;
}

bool glass_sb_lost_through(struct glass_sb *sb, u32 snd_una, u32 seq)
{
	if (!glass_seq_after(seq, glass_seq_max(sb->lost_to, snd_una)))
		return false;
	sb->lost_to = seq;
	return true;
}

u32 glass_sb_unsacked(const struct glass_sb *sb, u32 start, u32 end)
{
	return glass_sb_holes_in(sb, start, end);
}

bool glass_sb_first_hole(const struct glass_sb *sb, u32 snd_una, u32 snd_max,
			 u32 mss, struct glass_range *r)
{
	const struct glass_ooo_set *s = glass_sb_set(sb);
	u32 end = snd_max;

	if (!glass_seq_before(snd_una, snd_max) ||
	    glass_seq_after(sb->high_rxt, snd_una))
		return false;
	if (s->n)
		end = glass_seq_min(end, s->r[0].start);
	if (end - snd_una > mss)
		end = snd_una + mss;
	r->start = snd_una;
	r->end = end;
	return true;
}

void glass_sb_sent(struct glass_sb *sb, u32 end)
{
	sb->high_rxt = glass_seq_max(sb->high_rxt, end);
}

bool glass_sb_sacked(const struct glass_sb *sb, u32 seq)
{
	return glass_sack_find(glass_sb_set(sb), seq) >= 0;
}
