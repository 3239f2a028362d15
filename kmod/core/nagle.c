// SPDX-License-Identifier: GPL-2.0
/*
 * The Nagle decision (RFC 896, with Minshall's refinement) and GLASS_CORK:
 * may a segment shorter than the MSS leave now, or should it wait for an
 * ACK, for more data, or for the socket to be uncorked? The rule list in
 * nagle.h is the specification; this is its translation.
 */
#include "nagle.h"
#include "seq.h"

/*
 * Minshall's variant: only one small segment may be unacknowledged at a
 * time, so ask whether the last small one sent (ending at snd_sml) has
 * been acknowledged, rather than whether anything at all is in flight.
 */
static bool glass_nagle_small_acked(const struct glass_nagle_in *in)
{
	return glass_seq_leq(in->snd_sml, in->snd_una);
}

bool glass_nagle_may_send(const struct glass_nagle_in *in)
{
	if (in->len >= in->mss)
		return true;
	if (in->cork)
		return false;
	return in->fin || in->nodelay || glass_nagle_small_acked(in);
}
