/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence-number arithmetic modulo 2^32 (RFC 793 section 3.3): a is
 * "before" b when the signed distance from b to a is negative, which holds
 * as long as the two are within 2^31 of each other.
 */
#ifndef _GLASS_CORE_SEQ_H
#define _GLASS_CORE_SEQ_H

#include "core_types.h"

static inline bool glass_seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool glass_seq_after(uint32_t a, uint32_t b)
{
	return glass_seq_before(b, a);
}

static inline bool glass_seq_leq(uint32_t a, uint32_t b)
{
	return !glass_seq_after(a, b);
}

static inline bool glass_seq_geq(uint32_t a, uint32_t b)
{
	return !glass_seq_before(a, b);
}

/* lo <= x <= hi, all modulo 2^32. */
static inline bool glass_seq_between(uint32_t x, uint32_t lo, uint32_t hi)
{
	return hi - lo >= x - lo;
}

static inline uint32_t glass_seq_max(uint32_t a, uint32_t b)
{
	return glass_seq_after(a, b) ? a : b;
}

static inline uint32_t glass_seq_min(uint32_t a, uint32_t b)
{
	return glass_seq_before(a, b) ? a : b;
}

#endif /* _GLASS_CORE_SEQ_H */
