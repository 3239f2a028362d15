// SPDX-License-Identifier: GPL-2.0
/*
 * Window choices for both directions: which receive window to advertise
 * and when a window update is worth a segment (receiver silly-window
 * avoidance, RFC 1122 4.2.3.3), how much of a segment the sender may push
 * into a small usable window (sender silly-window avoidance, RFC 1122
 * 4.2.3.4), and whether in-order data is ACKed at once or delayed
 * (RFC 1122 4.2.3.2). All sequence comparisons are modulo 2^32.
 */
#include "window.h"
#include "seq.h"

/*
 * The receiver moves its right edge by at least min(rcv_space / 2, mss)
 * at a time. The threshold is at least 1 byte, so a zero MSS or a tiny
 * buffer can never make "move by 0" count as a move.
 */
static u32 glass_rcv_sws_threshold(u32 mss, u32 rcv_space)
{
	u32 thresh = rcv_space / 2;

	if (mss < thresh)
		thresh = mss;
	return thresh ? thresh : 1;
}

/* Would advertising all of @free move the right edge far enough? */
static bool glass_rcv_edge_moves(u32 rcv_nxt, u32 rcv_adv, u32 free, u32 thresh)
{
	u32 edge = rcv_nxt + free;

	return glass_seq_after(edge, rcv_adv) && edge - rcv_adv >= thresh;
}

/*
 * Either the edge moves to rcv_nxt + free, or it stays at rcv_adv: the
 * window still open there is offered again even when @free has dropped
 * below it (the buffer's accounting shrank), because taking an offer back
 * confuses senders (RFC 1122 4.2.2.16); a segment that then does not fit
 * is dropped by the caller and retransmitted. If rcv_nxt has passed
 * rcv_adv (the peer overran the window) there is nothing left to keep: 0.
 */
u32 glass_rcv_select_window(u32 rcv_nxt, u32 rcv_adv, u32 free, u32 mss,
			    u32 rcv_space)
{
	u32 thresh = glass_rcv_sws_threshold(mss, rcv_space);

	if (glass_rcv_edge_moves(rcv_nxt, rcv_adv, free, thresh))
		return free;
	return glass_rcv_window_left(rcv_nxt, rcv_adv);
}

u32 glass_rcv_window_left(u32 rcv_nxt, u32 rcv_adv)
{
	return glass_seq_after(rcv_adv, rcv_nxt) ? rcv_adv - rcv_nxt : 0;
}

/* The same test glass_rcv_select_window() makes before moving the edge. */
bool glass_rcv_window_update_due(u32 rcv_nxt, u32 rcv_adv, u32 free, u32 mss,
				 u32 rcv_space)
{
	u32 thresh = glass_rcv_sws_threshold(mss, rcv_space);

	return glass_rcv_edge_moves(rcv_nxt, rcv_adv, free, thresh);
}

/* What is left of the advertised window at most half of what would be offered now. */
bool glass_rcv_window_doubles(u32 rcv_nxt, u32 rcv_adv, u32 free)
{
	return free >= (u64)glass_rcv_window_left(rcv_nxt, rcv_adv) * 2;
}

u32 glass_rcv_pressure_free(u32 free, u32 rcv_space, u32 rcvbuf,
			    u32 rcvbuf_default, u32 mss)
{
	u64 clamp = 4ull * mss;

	if (free >= rcv_space / 2 && rcvbuf <= rcvbuf_default)
		return free;
	return free < clamp ? free : (u32)clamp;
}

/*
 * RFC 1122 4.2.3.4: a whole segment goes if it fits; a piece of one only
 * if at least a full MSS (reachable only when seg_len > mss) or half the
 * largest window the peer ever offered can go now.
 */
u32 glass_snd_sws_len(u32 seg_len, u32 usable, u32 mss, u32 max_snd_wnd)
{
	if (seg_len <= usable)
		return seg_len;
	if (!usable)
		return 0;
	if ((mss && usable >= mss) || usable >= max_snd_wnd / 2)
		return usable;
	return 0;
}

/* More than a full segment unACKed, quick-ACK mode, or a hole: ACK at once. */
bool glass_ack_now(u32 unacked_bytes, u32 mss, bool quick, bool ooo_present)
{
	return quick || ooo_present || unacked_bytes > mss;
}
