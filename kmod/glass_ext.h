/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The header extension area: parse what arrives, build what leaves
 * (glass_ext.c). Wire layout in glass_wire.h and docs/protocol.md.
 */
#ifndef _GLASS_EXT_H
#define _GLASS_EXT_H

#include <linux/types.h>
#include <asm/unaligned.h>
#include <linux/glass_wire.h>

#include "core/seq.h"
#include "core/ooo.h"

/**
 * struct glass_ext_info - what a received extension area says.
 * @sack_perm: SACK permitted (SYN only).
 * @nsack: SACK blocks in @sack.
 * @sack: the blocks, in the order they came.
 */
struct glass_ext_info {
	bool sack_perm;
	u32 nsack;
	struct glass_range sack[GLASS_SACK_BLOCKS];
};

/*
 * Bytes of the extension area of a header whose area was built here or
 * checked by glass_ext_parse(): it follows the header in memory.
 */
static inline u32 glass_hdr_ext_len(const struct glass_hdr *gh)
{
	const struct glass_ext *ext = (const void *)(gh + 1);

	return (gh->flags & GLASS_EXT) ? ntohs(ext->len) : 0;
}

/* Payload bytes of such a header: its len without the area. */
static inline u32 glass_hdr_payload(const struct glass_hdr *gh)
{
	return ntohs(gh->len) - glass_hdr_ext_len(gh);
}

int glass_ext_parse(const struct glass_hdr *gh, u32 len,
		    struct glass_ext_info *info);
u32 glass_ext_build(u8 *area, bool sack_perm, const struct glass_range *blocks,
		    u32 n);

#endif /* _GLASS_EXT_H */
