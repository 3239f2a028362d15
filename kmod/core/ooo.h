/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Out-of-order bookkeeping: segment trimming against the receive window and
 * the set of sequence ranges held beyond rcv_nxt. The kernel keeps the skbs;
 * this keeps the exact byte ranges, so duplicates and overlaps are counted
 * and never delivered twice.
 */
#ifndef _GLASS_CORE_OOO_H
#define _GLASS_CORE_OOO_H

#include "core_types.h"

/* [start, end) modulo 2^32. */
struct glass_range {
	u32 start;
	u32 end;
};

/**
 * glass_range_clip() - clip a byte range to a window.
 * @r: the range [start, end), clipped in place.
 * @lo: the window's left edge.
 * @hi: its right edge (exclusive).
 *
 * An empty range (start == end) is never inside. The range is read as
 * starting within 2^31 of @lo (before or after it), as seq.h does.
 * Return: true if some of it lies inside; false leaves *@r alone.
 */
bool glass_range_clip(struct glass_range *r, u32 lo, u32 hi);

#define GLASS_OOO_MAX_RANGES	32

/**
 * struct glass_ooo_set - disjoint, non-adjacent ranges sorted by start.
 * @n: ranges in use.
 * @bytes: total bytes covered.
 * @r: the ranges.
 */
struct glass_ooo_set {
	u32 n;
	u32 bytes;
	struct glass_range r[GLASS_OOO_MAX_RANGES];
};

/**
 * glass_ooo_init() - empty the set.
 * @s: the set.
 */
void glass_ooo_init(struct glass_ooo_set *s);

/**
 * glass_ooo_add() - add a byte range held out of order.
 * @s: the set.
 * @start: first sequence number.
 * @end: one past the last.
 *
 * Merges with overlapping or adjacent ranges. All ranges and rcv_nxt must
 * lie within one window narrower than 2^31 (clip with glass_range_clip()
 * first).
 * Return: the bytes not covered before (0: a pure duplicate, or an empty
 * range), or -1 when the set is full and the range would need a new slot
 * (nothing changed; the caller drops the segment).
 */
s64 glass_ooo_add(struct glass_ooo_set *s, u32 start, u32 end);

/**
 * glass_ooo_advance() - rcv_nxt moved: forget what is before it.
 * @s: the set.
 * @rcv_nxt: the new rcv_nxt.
 *
 * Drops every byte before @rcv_nxt; if the first range then starts at or
 * before it, that range is consumed too (only one can, as ranges never
 * touch).
 * Return: the end of the contiguous data, >= @rcv_nxt.
 */
u32 glass_ooo_advance(struct glass_ooo_set *s, u32 rcv_nxt);

#endif /* _GLASS_CORE_OOO_H */
