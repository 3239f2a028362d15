/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive-buffer autotuning, as Linux TCP's tcp_rcv_space_adjust() and
 * tcp_rcv_rtt_measure(): measure what the reader copies per round trip and
 * size the receive buffer (hence the window, half of it) so the sender is
 * never held back by a window a fast reader would have emptied.
 */
#ifndef _GLASS_CORE_RCVBUF_H
#define _GLASS_CORE_RCVBUF_H

#include "core_types.h"

/**
 * struct glass_rcvbuf_tune - one connection's autotuning state.
 * @space: bytes the reader copied in the last measured round trip (at
 *	first: the initial window, at most ten segments); never 0 once a
 *	measurement runs (@seq and @time_us valid), 0 before the first.
 * @seq: copied sequence (rcv_nxt minus the unread bytes) when the running
 *	measurement began.
 * @time_us: when it began.
 * @rtt_seq: the sequence number whose arrival ends the running RTT sample
 *	(rcv_nxt plus the window when it began).
 * @rtt_time_us: when that sample began; 0: none running.
 * @rtt_us: the receiver's RTT estimate: the shortest time one window took
 *	to arrive (TCP's window-dependent rcv_rtt rule); 0: none yet.
 */
struct glass_rcvbuf_tune {
	/* Ordered by size, no holes: it is part of every socket. */
	u64 time_us;
	u64 rtt_time_us;
	u32 space;
	u32 seq;
	u32 rtt_seq;
	u32 rtt_us;
};

/**
 * struct glass_rcvbuf_in - what an adjustment looks at.
 * @rcvbuf: the current receive buffer (sk_rcvbuf), bytes.
 * @locked: the user set SO_RCVBUF: never change it.
 * @pressure: glass is under memory pressure (net.glass.mem).
 * @rmem_default: net.glass.rmem[1], the buffer a socket starts with.
 * @rmem_max: net.glass.rmem[2], the most autotuning may give.
 * @held: bytes charged to the receive queues now (sk_rmem_alloc).
 * @promised: bytes the window already advertised still lets in (from
 *	rcv_nxt to its right edge, which never moves back).
 * @mss: the largest segment received.
 * @window: the window the buffer now spans (the initial measurement's size).
 */
struct glass_rcvbuf_in {
	u32 rcvbuf;
	bool locked;
	bool pressure;
	u32 rmem_default;
	u32 rmem_max;
	u32 held;
	u32 promised;
	u32 mss;
	u32 window;
};

/**
 * glass_rcvbuf_for_rate() - the buffer TCP's rule gives a reader's rate.
 * @copied: bytes copied to the reader in the last round trip.
 * @space: bytes copied in the round trip before (> 0).
 * @mss: the receive MSS.
 *
 * tcp_rcv_space_adjust(): a window of twice what was copied (room to
 * recover a loss) plus 16 segments of cushion, grown by twice the relative
 * increase over the previous round trip (the sender may double per round
 * trip in slow start, and the window sent now is used a round trip later);
 * the buffer is twice the window, as glass's window is half its buffer.
 * Return: the buffer size in bytes (not yet bounded by any sysctl).
 */
u64 glass_rcvbuf_for_rate(u32 copied, u32 space, u32 mss);

/**
 * glass_rcv_rtt_measure() - time one window's arrival (tcp_rcv_rtt_measure()).
 * @t: the state.
 * @rcv_nxt: next sequence number expected, after the segment that arrived.
 * @rcv_wnd: the window last advertised.
 * @now_us: the clock, microseconds.
 *
 * Called for every segment with data in order. When rcv_nxt has reached
 * the end of the window of the running sample, the time it took is a
 * sample; the estimate keeps the smallest (a window takes at least a
 * round trip to arrive). Then a new sample starts.
 */
void glass_rcv_rtt_measure(struct glass_rcvbuf_tune *t, u32 rcv_nxt,
			   u32 rcv_wnd, u64 now_us);

/**
 * glass_rcvbuf_adjust() - the reader copied: resize the receive buffer?
 * @t: the state.
 * @in: the socket's buffer, limits and pressure.
 * @copied_seq: the copied sequence now (rcv_nxt minus the unread bytes).
 * @now_us: the clock, microseconds.
 *
 * - The first call starts a measurement (space: the window, at most ten
 *   segments).
 * - Under memory pressure, an autotuned buffer falls back to at most
 *   rmem_default (never below what is held), and the measurement restarts.
 * - Otherwise, once a round trip (the receiver's estimate) has passed since
 *   the measurement began: if the reader copied more than @t->space in it,
 *   the buffer grows to glass_rcvbuf_for_rate(), bounded by @rmem_max
 *   (never shrinks); @t->space becomes what was copied and a new round
 *   trip is measured.
 * Nothing changes a @locked buffer (SO_RCVBUF), as for TCP.
 * Return: the new buffer size (== @in->rcvbuf when unchanged).
 */
u32 glass_rcvbuf_adjust(struct glass_rcvbuf_tune *t,
			const struct glass_rcvbuf_in *in, u32 copied_seq,
			u64 now_us);

/**
 * glass_rcvbuf_in_round() - is the measured round trip still running?
 * @t: the state.
 * @now_us: the clock, microseconds.
 *
 * Most reads of a busy reader fall within a round trip, and the caller
 * then skips gathering glass_rcvbuf_adjust()'s input.
 * Return: true when a measurement runs, with an RTT estimate, and less
 * than one round trip has passed since it began: glass_rcvbuf_adjust()
 * would then change nothing unless memory is under pressure.
 */
bool glass_rcvbuf_in_round(const struct glass_rcvbuf_tune *t, u64 now_us);

#endif /* _GLASS_CORE_RCVBUF_H */
