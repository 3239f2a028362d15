/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Nagle's algorithm (RFC 896) with Minshall's variant, and GLASS_CORK: the
 * decision whether a segment shorter than the MSS may leave now.
 */
#ifndef _GLASS_CORE_NAGLE_H
#define _GLASS_CORE_NAGLE_H

#include "core_types.h"

/**
 * struct glass_nagle_in - what the decision looks at.
 * @len: payload bytes of the segment that would be sent.
 * @mss: the connection's MSS.
 * @nodelay: GLASS_NODELAY is set.
 * @cork: GLASS_CORK is set (and its 200 ms ceiling has not passed).
 * @fin: the segment carries FIN (the application closed its side).
 * @snd_una: oldest unacknowledged sequence number.
 * @snd_sml: end sequence of the last small (< mss) segment sent.
 */
struct glass_nagle_in {
	u32 len;
	u32 mss;
	bool nodelay;
	bool cork;
	bool fin;
	u32 snd_una;
	u32 snd_sml;
};

/**
 * glass_nagle_may_send() - may a segment leave now (Nagle, Minshall, cork)?
 * @in: the segment and the connection's state.
 *
 * Yes if:
 * 1. it is full sized (len >= mss), or
 * 2. it carries FIN and cork is off, or
 * 3. cork is off and nodelay is on, or
 * 4. cork is off and no small segment sent earlier is still unacknowledged
 *    (Minshall: snd_sml <= snd_una).
 * Otherwise it waits for an ACK, for more data to fill it, or for uncork.
 * (The caller adds rule 0: a segment with bytes queued behind it was cut
 * by the window, not by the writer, and goes.)
 * Return: true if it may be sent now.
 */
bool glass_nagle_may_send(const struct glass_nagle_in *in);

#endif /* _GLASS_CORE_NAGLE_H */
