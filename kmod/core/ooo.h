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

/*
 * Clip *r to [lo, hi). Return false (and leave *r alone) when nothing of it
 * lies inside. An empty range (start == end) is never inside. The range is
 * read as starting within 2^31 of lo (before or after it), as seq.h does.
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

void glass_ooo_init(struct glass_ooo_set *s);

/*
 * Add [start, end), merging with overlapping or adjacent ranges. All
 * ranges and rcv_nxt must lie within one window narrower than 2^31 (clip
 * with glass_range_clip() first). An empty range adds nothing: 0.
 * Return the number of bytes that were not covered before (0: a pure
 * duplicate), or -1 when the set is full and the range would need a new
 * slot (the caller drops the segment; nothing changed).
 */
s64 glass_ooo_add(struct glass_ooo_set *s, u32 start, u32 end);

/*
 * rcv_nxt has advanced to rcv_nxt: drop every byte before it; if the first
 * range now starts at or before rcv_nxt, consume it too (only one can, as
 * ranges never touch). Return the new rcv_nxt (the end of the contiguous
 * data), >= the argument.
 */
u32 glass_ooo_advance(struct glass_ooo_set *s, u32 rcv_nxt);

#endif /* _GLASS_CORE_OOO_H */
