// SPDX-License-Identifier: GPL-2.0
/*
 * Receive-buffer autotuning: the reader's rate per round trip decides the
 * buffer, as Linux TCP's tcp_rcv_space_adjust() does (TCP's rule, with
 * glass's window at half its buffer), bounded by net.glass.rmem and given
 * back under memory pressure. All sequence arithmetic is modulo 2^32.
 */
#include "rcvbuf.h"
#include "seq.h"

/* TCP_INIT_CWND: the first measurement assumes at most ten segments. */
#define GLASS_RCVBUF_INIT_SEGS	10

u64 glass_rcvbuf_for_rate(u32 copied, u32 space, u32 mss)
{
	u64 rcvwin = ((u64)copied << 1) + 16 * (u64)mss;
	u64 grow = 0;

	if (space && copied > space)
		grow = rcvwin * (copied - space) / space;
	rcvwin += grow << 1;
	return rcvwin << 1;
}

void glass_rcv_rtt_measure(struct glass_rcvbuf_tune *t, u32 rcv_nxt,
			   u32 rcv_wnd, u64 now_us)
{
	if (t->rtt_time_us) {
		u64 delta;

		if (glass_seq_before(rcv_nxt, t->rtt_seq))
			return;
		delta = now_us > t->rtt_time_us ? now_us - t->rtt_time_us : 1;
		if (delta > 0xffffffffULL)
			delta = 0xffffffffULL;
		if (!t->rtt_us || delta < t->rtt_us)
			t->rtt_us = (u32)delta;
	}
	t->rtt_seq = rcv_nxt + rcv_wnd;
	t->rtt_time_us = now_us ? now_us : 1;
}

static void glass_rcvbuf_restart(struct glass_rcvbuf_tune *t, u32 copied_seq,
				 u64 now_us)
{
	t->seq = copied_seq;
	t->time_us = now_us;
}

/*
 * Under pressure: back to the default buffer, keeping what is held and
 * room for what the advertised window still lets in, at the two bytes of
 * buffer per byte of window it was offered with. A buffer cut below that
 * would drop the data the sender was told to send (drop_rcvbuf), every
 * drop a retransmission; the window stops growing instead (the pressure
 * clamp in glass_rcv_free()) and the buffer shrinks as it is used up.
 */
static u32 glass_rcvbuf_shrunk(const struct glass_rcvbuf_in *in)
{
	u64 floor = (u64)in->held + 2 * (u64)in->promised;

	if (floor < in->rmem_default)
		floor = in->rmem_default;
	return in->rcvbuf > floor ? (u32)floor : in->rcvbuf;
}

u32 glass_rcvbuf_adjust(struct glass_rcvbuf_tune *t,
			const struct glass_rcvbuf_in *in, u32 copied_seq,
			u64 now_us)
{
	u32 copied;
	u64 want;

	if (!t->space) {
		u32 init = in->mss * GLASS_RCVBUF_INIT_SEGS;

		t->space = in->window < init ? in->window : init;
		if (!t->space)
			t->space = 1;
		glass_rcvbuf_restart(t, copied_seq, now_us);
		return in->rcvbuf;
	}
	if (in->locked)
		return in->rcvbuf;
	if (in->pressure) {
		glass_rcvbuf_restart(t, copied_seq, now_us);
		return glass_rcvbuf_shrunk(in);
	}
	if (!t->rtt_us || glass_rcvbuf_in_round(t, now_us))
		return in->rcvbuf;
	copied = copied_seq - t->seq;
	glass_rcvbuf_restart(t, copied_seq, now_us);
	if (copied <= t->space)
		return in->rcvbuf;
	want = glass_rcvbuf_for_rate(copied, t->space, in->mss);
	t->space = copied;
	if (want > in->rmem_max)
		want = in->rmem_max;
	return want > in->rcvbuf ? (u32)want : in->rcvbuf;
}

bool glass_rcvbuf_in_round(const struct glass_rcvbuf_tune *t, u64 now_us)
{
	return t->space && t->rtt_us &&
	       (now_us < t->time_us || now_us - t->time_us < t->rtt_us);
}
