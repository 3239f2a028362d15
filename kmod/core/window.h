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
 * min(rcv_space / 2, mss) at a time (receiver SWS avoidance); otherwise the
 * previous edge is kept, so an offered window is never taken back.
 * Return: the window in bytes, counted from @rcv_nxt.
 */
uint32_t glass_rcv_select_window(uint32_t rcv_nxt, uint32_t rcv_adv,
				 uint32_t free, uint32_t mss,
				 uint32_t rcv_space);

/*
 * After the reader consumed data: does the window it opened deserve a
 * window update now (the right edge would move by the SWS threshold)?
 */
bool glass_rcv_window_update_due(uint32_t rcv_nxt, uint32_t rcv_adv,
				 uint32_t free, uint32_t mss,
				 uint32_t rcv_space);

/**
 * glass_snd_sws_len() - how many bytes of the head unsent segment to send.
 * @seg_len: payload bytes of the head unsent segment (<= mss).
 * @usable: bytes the peer window and cwnd allow now (may be 0).
 * @mss: the connection's MSS.
 * @max_snd_wnd: the largest window the peer has ever advertised.
 *
 * Sender SWS avoidance: send the whole segment if it fits; otherwise send
 * a partial segment of @usable bytes only if @usable >= max_snd_wnd / 2
 * (and > 0); otherwise send nothing and wait for the window to open (the
 * persist timer guarantees progress).
 * Return: bytes to send, 0 to wait.
 */
uint32_t glass_snd_sws_len(uint32_t seg_len, uint32_t usable, uint32_t mss,
			   uint32_t max_snd_wnd);

/*
 * In-order data arrived; ACK it now rather than delay? Yes when at least
 * two full segments are unacknowledged (rcv_nxt - rcv_acked >= 2 * mss),
 * in quick-ACK mode, or when the out-of-order queue is not empty (the
 * sender is recovering and needs every ACK). Otherwise delay (40 ms timer).
 */
bool glass_ack_now(uint32_t unacked_bytes, uint32_t mss, bool quick,
		   bool ooo_present);

#endif /* _GLASS_CORE_WINDOW_H */
