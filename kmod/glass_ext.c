// SPDX-License-Identifier: GPL-2.0
/*
 * The header extension area (docs/protocol.md, glass_wire.h): its parser,
 * which every received frame with GLASS_EXT goes through before anything
 * in it is trusted, and its builder for the two items glass sends, SACK
 * permitted on the SYN and SACK blocks on ACKs.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "glass_ext.h"

/* One item: its kind's rules (where it may appear, how long it is). */
static bool glass_ext_item_ok(const struct glass_ext_item *it, u8 flags,
			      struct glass_ext_info *info)
{
	const struct glass_sack_block *b = (const void *)(it + 1);
	u32 n, i;

	if (it->reserved)
		return false;
	switch (it->kind) {
	case GLASS_EXT_SACK_PERM:
		if (it->len != sizeof(*it) || !(flags & GLASS_SYN) ||
		    info->sack_perm)
			return false;
		info->sack_perm = true;
		return true;
	case GLASS_EXT_SACK:
		n = (it->len - sizeof(*it)) / sizeof(*b);
		if ((flags & GLASS_SYN) || !(flags & GLASS_ACK) || info->nsack ||
		    !n || n > GLASS_SACK_BLOCKS ||
		    it->len != sizeof(*it) + n * sizeof(*b))
			return false;
		for (i = 0; i < n; i++) {
			u32 left = get_unaligned_be32(&b[i].left);
			u32 right = get_unaligned_be32(&b[i].right);

			/* Non-empty and less than 2^31 wide (seq.h). */
			if (!glass_seq_before(left, right))
				return false;
			info->sack[i].start = left;
			info->sack[i].end = right;
		}
		info->nsack = n;
		return true;
	}
	return false;
}

/**
 * glass_ext_parse() - check a received header's extension area.
 * @gh: the header; @len bytes follow it in the same linear buffer.
 * @len: the header's len field (area and payload).
 * @info: filled with what the area says (zeroed first).
 *
 * Return: the area's length (0 without GLASS_EXT), or -EINVAL when it is
 * malformed: the wrong version, a length not a multiple of 4, beyond
 * GLASS_EXT_MAX or the frame, an empty area, an item that overruns it,
 * an unknown or repeated kind, an item where it does not belong (SACK
 * permitted without SYN, SACK blocks on a SYN or without ACK), nonzero
 * reserved bytes, an empty or inverted block.
 */
int glass_ext_parse(const struct glass_hdr *gh, u32 len,
		    struct glass_ext_info *info)
{
	const struct glass_ext *ext = (const void *)(gh + 1);
	const u8 *p = (const u8 *)ext;
	u32 alen, off;

	memset(info, 0, sizeof(*info));
	if (!(gh->flags & GLASS_EXT))
		return 0;
	if (len < sizeof(*ext))
		return -EINVAL;
	alen = ntohs(ext->len);
	if (ext->version != GLASS_EXT_VERSION || ext->reserved ||
	    alen % 4 || alen <= sizeof(*ext) || alen > GLASS_EXT_MAX ||
	    alen > len)
		return -EINVAL;
	for (off = sizeof(*ext); off < alen;) {
		const struct glass_ext_item *it = (const void *)(p + off);

		if (alen - off < sizeof(*it) || it->len < sizeof(*it) ||
		    it->len % 4 || it->len > alen - off ||
		    !glass_ext_item_ok(it, gh->flags, info))
			return -EINVAL;
		off += it->len;
	}
	return alen;
}

/* Append an item header at *off; the caller checked there is room. */
static struct glass_ext_item *glass_ext_item(u8 *area, u32 *off, u8 kind,
					     u32 len)
{
	struct glass_ext_item *it = (void *)(area + *off);

	it->kind = kind;
	it->len = len;
	it->reserved = 0;
	*off += len;
	return it;
}

/**
 * glass_ext_build() - write an extension area.
 * @area: GLASS_EXT_MAX bytes.
 * @sack_perm: add SACK permitted (a SYN or SYN-ACK).
 * @blocks: SACK blocks to add, most important first.
 * @n: how many (at most GLASS_SACK_BLOCKS; 0 adds no SACK item).
 *
 * Return: the area's length, 0 when there is nothing to carry.
 */
u32 glass_ext_build(u8 *area, bool sack_perm, const struct glass_range *blocks,
		    u32 n)
{
	struct glass_ext *ext = (void *)area;
	struct glass_sack_block *b;
	struct glass_ext_item *it;
	u32 off = sizeof(*ext), i;

	n = min_t(u32, n, GLASS_SACK_BLOCKS);
	if (!sack_perm && !n)
		return 0;
	if (sack_perm)
		glass_ext_item(area, &off, GLASS_EXT_SACK_PERM, sizeof(*it));
	if (n) {
		it = glass_ext_item(area, &off, GLASS_EXT_SACK,
				    sizeof(*it) + n * sizeof(*b));
		b = (void *)(it + 1);
		for (i = 0; i < n; i++) {
			put_unaligned_be32(blocks[i].start, &b[i].left);
			put_unaligned_be32(blocks[i].end, &b[i].right);
		}
	}
	ext->version = GLASS_EXT_VERSION;
	ext->reserved = 0;
	ext->len = htons(off);
	return off;
}
