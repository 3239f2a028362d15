// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-order bookkeeping for the receiver: clipping a segment to the
 * receive window, and the sorted set of byte ranges held beyond rcv_nxt.
 * Ranges live modulo 2^32 and are ordered with seq.h comparisons, which
 * are consistent because every range lies in one receive window, less
 * than 2^31 bytes wide. The set is a small array kept sorted, disjoint
 * and non-adjacent, so a lookup is a linear scan of at most
 * GLASS_OOO_MAX_RANGES entries and @bytes is always the exact sum.
 */
#include "ooo.h"
#include "seq.h"

/*
 * Work in offsets from lo, signed for the start (a range may begin before
 * lo) and 64 bits wide for the end, so neither wraps; the range is taken
 * to begin within 2^31 of lo, as seq.h reads it.
 */
bool glass_range_clip(struct glass_range *r, u32 lo, u32 hi)
{
	s64 start = (s32)(r->start - lo);
	s64 end = start + (u32)(r->end - r->start);
	s64 win = (u32)(hi - lo);

	if (start < 0)
		start = 0;
	if (end > win)
		end = win;
	if (start >= end)
		return false;
	r->start = lo + (u32)start;
	r->end = lo + (u32)end;
	return true;
}

void glass_ooo_init(struct glass_ooo_set *s)
{
	s->n = 0;
	s->bytes = 0;
}

static u32 glass_range_len(const struct glass_range *r)
{
	return r->end - r->start;
}

/* Drop entries [from, from + count) and close the gap. */
static void glass_ooo_remove(struct glass_ooo_set *s, u32 from, u32 count)
{
	u32 i;

	for (i = from; i + count < s->n; i++)
		s->r[i] = s->r[i + count];
	s->n -= count;
}

/* Open a free slot at @at (the caller checked there is room). */
static void glass_ooo_insert(struct glass_ooo_set *s, u32 at, u32 start,
			     u32 end)
{
	u32 i;

	for (i = s->n; i > at; i--)
		s->r[i] = s->r[i - 1];
	s->r[at].start = start;
	s->r[at].end = end;
	s->n++;
}

/*
 * Entries first..last-1 are the ones that overlap or touch [start, end):
 * everything before first ends strictly before start, everything from
 * last on starts strictly after end. If there are none, the range needs a
 * slot of its own at first; otherwise they all melt into entry first, and
 * the new bytes are the union's length minus what they covered already.
 */
s64 glass_ooo_add(struct glass_ooo_set *s, u32 start, u32 end)
{
	u32 first = 0, last, covered = 0;
	struct glass_range *m;
	u32 fresh;

	if (start == end)
		return 0;
	while (first < s->n && glass_seq_before(s->r[first].end, start))
		first++;
	for (last = first; last < s->n; last++) {
		if (glass_seq_after(s->r[last].start, end))
			break;
		covered += glass_range_len(&s->r[last]);
	}
	if (first == last) {
		if (s->n == GLASS_OOO_MAX_RANGES)
			return -1;
		glass_ooo_insert(s, first, start, end);
		s->bytes += end - start;
		return end - start;
	}
	m = &s->r[first];
	m->start = glass_seq_min(m->start, start);
	m->end = glass_seq_max(s->r[last - 1].end, end);
	fresh = glass_range_len(m) - covered;
	glass_ooo_remove(s, first + 1, last - first - 1);
	s->bytes += fresh;
	return fresh;
}

/*
 * Ranges that end at or before rcv_nxt are gone; one that straddles it
 * loses its head. If the first range then begins at rcv_nxt, its bytes
 * are now in order: consume it. Ranges never touch, so at most one goes.
 */
u32 glass_ooo_advance(struct glass_ooo_set *s, u32 rcv_nxt)
{
	u32 gone = 0;
	struct glass_range *h;

	while (gone < s->n && glass_seq_leq(s->r[gone].end, rcv_nxt)) {
		s->bytes -= glass_range_len(&s->r[gone]);
		gone++;
	}
	glass_ooo_remove(s, 0, gone);
	if (!s->n)
		return rcv_nxt;
	h = &s->r[0];
	if (glass_seq_after(h->start, rcv_nxt))
		return rcv_nxt;
	s->bytes -= glass_range_len(h);
	rcv_nxt = h->end;
	glass_ooo_remove(s, 0, 1);
	return rcv_nxt;
}
