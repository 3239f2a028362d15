/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence-number arithmetic modulo 2^32 (RFC 793 section 3.3): a is
 * "before" b when the signed distance from b to a is negative, which holds
 * as long as the two are within 2^31 of each other.
 */
#ifndef _GLASS_CORE_SEQ_H
#define _GLASS_CORE_SEQ_H

#include "core_types.h"

static inline bool glass_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool glass_seq_after(u32 a, u32 b)
{
	return glass_seq_before(b, a);
}

static inline bool glass_seq_leq(u32 a, u32 b)
{
	return !glass_seq_after(a, b);
}

static inline bool glass_seq_geq(u32 a, u32 b)
{
	return !glass_seq_before(a, b);
}

static inline u32 glass_seq_max(u32 a, u32 b)
{
	return glass_seq_after(a, b) ? a : b;
}

static inline u32 glass_seq_min(u32 a, u32 b)
{
	return glass_seq_before(a, b) ? a : b;
}

#endif /* _GLASS_CORE_SEQ_H */
