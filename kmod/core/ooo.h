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
	uint32_t start;
	uint32_t end;
};

/*
 * Clip *r to [lo, hi). Return false (and leave *r alone) when nothing of it
 * lies inside. An empty range (start == end) is never inside.
 */
bool glass_range_clip(struct glass_range *r, uint32_t lo, uint32_t hi);

#define GLASS_OOO_MAX_RANGES	32

/**
 * struct glass_ooo_set - disjoint, non-adjacent ranges sorted by start.
 * @n: ranges in use.
 * @bytes: total bytes covered.
 * @r: the ranges.
 */
struct glass_ooo_set {
	uint32_t n;
	uint32_t bytes;
	struct glass_range r[GLASS_OOO_MAX_RANGES];
};

void glass_ooo_init(struct glass_ooo_set *s);

/*
 * Add [start, end), merging with overlapping or adjacent ranges.
 * Return the number of bytes that were not covered before (0: a pure
 * duplicate), or -1 when the set is full and the range would need a new
 * slot (the caller drops the segment; nothing changed).
 */
int64_t glass_ooo_add(struct glass_ooo_set *s, uint32_t start, uint32_t end);

/*
 * rcv_nxt has advanced to rcv_nxt: drop every byte before it; if the first
 * range now starts at or before rcv_nxt, consume it too. Return the new
 * rcv_nxt (the end of the contiguous data), >= the argument.
 */
uint32_t glass_ooo_advance(struct glass_ooo_set *s, uint32_t rcv_nxt);

#endif /* _GLASS_CORE_OOO_H */
