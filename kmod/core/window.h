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

/**
 * glass_rcv_window_update_due() - does a window update deserve a segment?
 * @rcv_nxt: next sequence number expected.
 * @rcv_adv: right edge advertised last.
 * @free: payload bytes the receive buffer can take beyond @rcv_nxt now.
 * @mss: receive MSS.
 * @rcv_space: payload bytes the whole receive buffer spans.
 *
 * After the reader consumed data: would glass_rcv_select_window() move the
 * right edge, by at least the SWS threshold?
 * Return: true if the update should be sent now.
 */
bool glass_rcv_window_update_due(u32 rcv_nxt, u32 rcv_adv, u32 free, u32 mss,
				 u32 rcv_space);

/**
 * glass_rcv_window_left() - what the advertised window still lets in.
 * @rcv_nxt: next sequence number expected.
 * @rcv_adv: right edge advertised last.
 * Return: rcv_adv - rcv_nxt, or 0 once rcv_nxt reached or passed the edge
 * (the peer overran the window).
 */
u32 glass_rcv_window_left(u32 rcv_nxt, u32 rcv_adv);

/**
 * glass_rcv_window_doubles() - is a window update worth a segment?
 * @rcv_nxt: next sequence number expected.
 * @rcv_adv: right edge advertised last.
 * @free: payload bytes the receive buffer can take beyond @rcv_nxt now.
 *
 * Each update costs a segment here and an ACK to process at the peer,
 * which still has what is left of the last window to send into. As TCP's
 * tcp_cleanup_rbuf() judges, an update pays once the window would at
 * least double what is left (always, from a closed window); the ACKs of
 * arriving data carry smaller moves of the edge.
 * Return: true if @free is at least twice what is left of the window.
 */
bool glass_rcv_window_doubles(u32 rcv_nxt, u32 rcv_adv, u32 free);

/**
 * glass_rcv_pressure_free() - what memory pressure leaves of @free.
 * @free: payload bytes the receive buffer can take beyond rcv_nxt.
 * @rcv_space: payload bytes the whole receive buffer spans.
 * @rcvbuf: sk_rcvbuf, bytes.
 * @rcvbuf_default: net.glass.rmem's default, bytes.
 * @mss: receive MSS.
 *
 * Under pressure a window reaches no more than four segments past what
 * arrived, as TCP clamps rcv_ssthresh, where that saves memory: in a
 * buffer more than half full (TCP's __tcp_select_window() test), and in
 * one larger than the default (autotuning's growth, given back under
 * pressure: core/rcvbuf.c). A default buffer that holds little keeps its
 * window: what a peer sends into it is what one write put in flight,
 * charged already, and four segments only cut that write into trains.
 * Return: @free, or at most 4 * @mss.
 */
u32 glass_rcv_pressure_free(u32 free, u32 rcv_space, u32 rcvbuf,
			    u32 rcvbuf_default, u32 mss);

/**
 * glass_snd_sws_len() - how many bytes of the head unsent skb to send.
 * @seg_len: payload bytes of the head unsent skb: whole segments, as many
 *	as a train carries, the last one possibly short.
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

/**
 * glass_ack_now() - ACK in-order data now rather than delay it?
 * @unacked_bytes: rcv_nxt minus the point the last ACK acknowledged.
 * @mss: receive MSS.
 * @quick: quick-ACK mode (the GLASS_QUICKACK socket option): ACK everything.
 * @ooo_present: the out-of-order queue is not empty.
 *
 * RFC 1122 4.2.3.2 and RFC 5681 4.2: every second full-sized segment is
 * ACKed. Here, as in Linux TCP (__tcp_ack_snd_check(): "more than one
 * full frame"), as soon as more than mss bytes are unacknowledged: a
 * full segment and the short tail of a write go at once, where waiting
 * for a second full one left that tail to the delayed-ACK timer, and the
 * sender's tail loss probe (two RTTs) fired first, a needless
 * retransmission at the end of each connection's first write (its
 * initial window holds ten segments, a 16 KiB write eleven and a bit).
 * Everything is ACKed while a hole is open (the sender is recovering and
 * needs every ACK) or in quick-ACK mode. Otherwise the delayed-ACK timer
 * runs.
 * Return: true to ACK now.
 */
bool glass_ack_now(u32 unacked_bytes, u32 mss, bool quick, bool ooo_present);

#endif /* _GLASS_CORE_WINDOW_H */
