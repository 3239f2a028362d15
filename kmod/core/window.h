/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Silly-window-syndrome avoidance, both sides (RFC 1122 4.2.3.3, 4.2.3.4),
 * and the receiver's window and delayed-ACK choices.
 */
#ifndef _GLASS_CORE_WINDOW_H
#define _GLASS_CORE_WINDOW_H

#include "core_types.h"

/**
 * glass_rcv_select_window() - the window to advertise now.
 * @rcv_nxt: next sequence number expected.
 * @rcv_adv: right edge advertised last (rcv_nxt + window sent last).
 * @free: payload bytes the receive buffer can still take beyond rcv_nxt.
 * @mss: receive MSS.
 * @rcv_space: payload bytes the whole receive buffer spans.
 *
 * The right edge only moves right, and only by at least
 * min(rcv_space / 2, mss) (at least 1) at a time (receiver SWS avoidance):
 * then the window is @free. Otherwise the previous edge is kept, so an
 * offered window is never taken back, even if @free has fallen below it
 * (the caller drops what then does not fit); if rcv_nxt has passed
 * @rcv_adv, nothing is left to keep and the window is 0.
 * Return: the window in bytes, counted from @rcv_nxt.
 */
u32 glass_rcv_select_window(u32 rcv_nxt, u32 rcv_adv, u32 free, u32 mss,
			    u32 rcv_space);

/*
 * After the reader consumed data: does the window it opened deserve a
 * window update now (glass_rcv_select_window() would move the right edge,
 * by at least the SWS threshold)?
 */
bool glass_rcv_window_update_due(u32 rcv_nxt, u32 rcv_adv, u32 free, u32 mss,
				 u32 rcv_space);

/**
 * glass_snd_sws_len() - how many bytes of the head unsent segment to send.
 * @seg_len: payload bytes of the head unsent skb: one segment, or a
 *	train of them (then more than @mss).
 * @usable: bytes the peer window and cwnd allow now (may be 0).
 * @mss: the connection's MSS.
 * @max_snd_wnd: the largest window the peer has ever advertised.
 *
 * Sender SWS avoidance: send the whole segment if it fits; otherwise send
 * a partial segment of @usable bytes only if @usable >= max_snd_wnd / 2
 * or @usable >= @mss (only possible for a train, @seg_len > @mss), and
 * @usable > 0;
 * otherwise send nothing and wait for the window to open (the persist
 * timer guarantees progress).
 * Return: bytes to send, 0 to wait.
 */
u32 glass_snd_sws_len(u32 seg_len, u32 usable, u32 mss, u32 max_snd_wnd);

/*
 * In-order data arrived; ACK it now rather than delay? Yes when at least
 * two full segments are unacknowledged (unacked_bytes, i.e. rcv_nxt minus
 * the last ACKed point, >= 2 * mss),
 * in quick-ACK mode, or when the out-of-order queue is not empty (the
 * sender is recovering and needs every ACK). Otherwise delay (40 ms timer).
 */
bool glass_ack_now(u32 unacked_bytes, u32 mss, bool quick, bool ooo_present);

#endif /* _GLASS_CORE_WINDOW_H */
