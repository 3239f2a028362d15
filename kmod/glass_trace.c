// SPDX-License-Identifier: GPL-2.0
/*
 * Instantiates the glass tracepoints (glass_trace.h) and the one helper
 * every discard goes through, so each drop is both counted in
 * /proc/net/glass_stat and visible to tracers.
 */
#define CREATE_TRACE_POINTS
#include "glass_trace.h"

/**
 * glass_note_drop() - count a discarded frame or segment and trace it.
 * @net: namespace whose counter to bump.
 * @gh: its header, or NULL when it was not trustworthy enough to read.
 * @len: bytes discarded.
 * @why: the GLASS_MIB_DROP_* counter.
 */
void glass_note_drop(struct net *net, const struct glass_hdr *gh, u32 len,
		     enum glass_mib why)
{
	glass_inc_stat(net, why);
	trace_glass_drop(gh, len, why);
}
