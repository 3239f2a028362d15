// SPDX-License-Identifier: GPL-2.0
/*
 * The data calls of a glass socket: sendmsg copies user bytes into skbs on
 * the write queue (bounded by sk_sndbuf) and lets the engine push them;
 * recvmsg copies out of the receive queue and reopens the window; poll,
 * ioctl and the socket options report and tune what they do.
 */
#include <linux/poll.h>
#include <asm/ioctls.h>
#include <linux/sockios.h>
#include <linux/in.h>
#include <net/busy_poll.h>
#include <net/inet_sock.h>
#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_mem.h"
#include "glass_engine.h"
#include "glass_socket.h"
#include "glass_trace.h"
#include "glass_txpage.h"
#include "glass_txspare.h"
#include "glass_zerocopy.h"

/* Whole segments of one frame (a train, see glass_output.c), at least one. */
static u32 glass_train_goal(const struct glass_sock *gs)
{
	u32 goal = min(gs->train_bytes, gs->train_segs * gs->mss);

	return max(rounddown(goal, gs->mss), gs->mss);
}

/*
 * Largest payload to put in one skb: a whole train, bounded by half the
 * biggest window the peer offered, so a small receiver is not starved.
 */
static u32 glass_size_goal(const struct glass_sock *gs)
{
	u32 goal = glass_train_goal(gs), half = gs->max_snd_wnd / 2;

	if (gs->max_snd_wnd && half < goal)
		goal = half >= gs->mss ? rounddown(half, gs->mss) :
		       max_t(u32, half, GLASS_MIN_MSS);
	return goal;
}

/*
 * While a long write is being copied, push once goal (glass_size_goal(),
 * a train or half the peer's window) waits: pushing every
 * segment as it fills would send each on a frame of its own. The rest
 * goes when the call ends.
 */
static bool glass_push_due(const struct glass_sock *gs, u32 goal)
{
	return gs->write_seq - gs->snd_nxt >= goal;
}

/*
 * Autocorking (net.glass.autocork), as TCP's: a write that leaves less
 * than a train unsent, but a segment or more, while two segments or more
 * are in flight, does not push. Their ACK comes at once (the peer ACKs
 * two segments without delay) and pushes it with whatever later writes
 * added: a writer that writes many times in a row sends trains, not a
 * train per write. Less than a segment is Nagle's to hold or send; and
 * only new data waits, nothing in recovery or after a go-back-N rewind.
 */
static bool glass_autocork(struct sock *sk)
{
	const struct glass_sock *gs = glass_sk(sk);

	return READ_ONCE(glass_pernet(sock_net(sk))->sysctl.autocork) &&
	       gs->snd_max - gs->snd_una >= 2 * gs->mss &&
	       gs->write_seq - gs->snd_nxt >= gs->mss &&
	       gs->write_seq - gs->snd_nxt < glass_size_goal(gs) &&
	       gs->snd_nxt == gs->snd_max && !gs->cc.in_recovery;
}

/* kmalloc memory for an skb of size payload bytes (a power of two above). */
static u32 glass_skb_need(u32 size)
{
	return SKB_DATA_ALIGN(GLASS_HEADROOM + size) +
	       SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
}

/**
 * glass_alloc_size() - payload room for a new skb.
 * @gs: the connection.
 * @goal: glass_size_goal().
 * @want: bytes left to copy in this call.
 *
 * A write shorter than a segment gets one segment's room, which later
 * small writes fill (what Nagle coalesces). A longer one gets whole
 * segments, up to @goal, in a buffer they fill: kmalloc rounds up to a
 * power of two, so 33 KiB would sit in 64 KiB and cost twice what it
 * carries; take 32 KiB's worth then, and the rest in the next skb.
 * Return: the payload bytes to allocate room for.
 */
static u32 glass_alloc_size(const struct glass_sock *gs, u32 goal, size_t want)
{
	u32 mss = gs->mss, size, bucket, down;

	if (goal <= mss || want <= mss)
		return min(goal, mss);
	size = rounddown(min_t(size_t, want, goal), mss);
	bucket = roundup_pow_of_two(glass_skb_need(size));
	if (glass_skb_need(size) >= bucket - bucket / 4)
		return size;
	down = SKB_WITH_OVERHEAD(bucket / 2) - GLASS_HEADROOM;
	return down >= mss ? rounddown(down, mss) : size;
}

/*
 * Payload skb may still take: whole segments within its buffer and goal;
 * a paged skb up to goal, while a frag slot is left.
 */
static u32 glass_skb_room(const struct glass_sock *gs,
			  const struct sk_buff *skb, u32 goal)
{
	u32 cap = skb->len + max(skb_tailroom(skb), 0);

	if (GLASS_SKB_CB(skb)->paged)
		cap = skb_shinfo(skb)->nr_frags < MAX_SKB_FRAGS ? goal : 0;
	else if (cap >= gs->mss)
		cap = rounddown(cap, gs->mss);
	cap = min(cap, goal);
	return cap > skb->len ? cap - skb->len : 0;
}

/*
 * A new skb at the tail of the write queue, for want bytes to copy. More
 * than a segment goes in page frags (glass_copy_to_frags()), as TCP's
 * writes: a fresh linear buffer of a train's size is a high-order page
 * block that init_on_alloc zeroes, every time; a page frag is an order-3
 * page from the per-CPU lists, reused whole once nothing holds it.
 */
static struct sk_buff *glass_alloc_tx_skb(struct sock *sk, u32 goal,
					  size_t want)
{
	u32 size = glass_alloc_size(glass_sk(sk), goal, want);
	struct sk_buff *skb;

	if (size <= glass_sk(sk)->mss)
		return glass_wq_alloc_tail(sk, size, 0);
	skb = glass_wq_alloc_tail(sk, 0, 0);
	if (skb)
		GLASS_SKB_CB(skb)->paged = 1;
	return skb;
}

/* The unsent tail skb if more bytes fit in it, else NULL. */
static struct sk_buff *glass_tail_with_room(struct sock *sk, u32 goal)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (!skb || !sk->sk_send_head)
		return NULL;
	if (glass_seq_before(GLASS_SKB_CB(skb)->seq, gs->snd_nxt))
		return NULL;
	if (GLASS_SKB_CB(skb)->flags & GLASS_FIN)
		return NULL;
	/*
	 * Bytes go after a linear skb's data (zero-copy's frags, or a split's
	 * tail, have none to follow), or into a paged skb's own frag table.
	 */
	if (GLASS_SKB_CB(skb)->paged ? skb_cloned(skb) : skb_is_nonlinear(skb))
		return NULL;
	return glass_skb_room(gs, skb, goal) ? skb : NULL;
}

/*
 * Copy up to len bytes into the page the socket's ring is filling
 * (glass_txpage_frag()) and attach them to skb's last frag or a new one,
 * charging them as TCP's tcp_sendmsg_locked() does. The page's bytes past
 * its offset are nobody's: the ring fills a page again only once its
 * reference is the last.
 * Return: bytes copied; -EAGAIN: no page or no memory for them (wait for
 * room); -EFAULT.
 */
static int glass_copy_to_frags(struct sock *sk, struct sk_buff *skb,
			       struct msghdr *msg, u32 len)
{
	struct page_frag *pfrag = glass_txpage_frag(sk);
	int i = skb_shinfo(skb)->nr_frags;
	u32 copy;

	if (!pfrag)
		return -EAGAIN;
	copy = min_t(u32, len, pfrag->size - pfrag->offset);
	if (!glass_wmem_schedule(sk, copy))
		return -EAGAIN;
	if (!copy_from_iter_full(page_address(pfrag->page) + pfrag->offset,
				 copy, &msg->msg_iter))
		return -EFAULT;
	if (skb_can_coalesce(skb, i, pfrag->page, pfrag->offset)) {
		skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], copy);
	} else {
		skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset, copy);
		get_page(pfrag->page);
	}
	pfrag->offset += copy;
	skb->len += copy;
	skb->data_len += copy;
	skb->truesize += copy;
	sk_wmem_queued_add(sk, copy);
	sk_mem_charge(sk, copy);
	return copy;
}

/*
 * Copy up to len bytes of the message into skb (checksums are offloaded).
 * Return: bytes copied, or as glass_copy_to_frags().
 */
static int glass_copy_to_skb(struct sock *sk, struct sk_buff *skb,
			     struct msghdr *msg, u32 len)
{
	struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
	int old = skb->len, n = len;

	if (cb->paged) {
		n = glass_copy_to_frags(sk, skb, msg, len);
		if (n < 0)
			return n;
	} else if (!copy_from_iter_full(skb_put(skb, len), len,
					&msg->msg_iter)) {
		__skb_trim(skb, old);
		return -EFAULT;
	}
	cb->end_seq += n;
	glass_sk(sk)->write_seq += n;
	return n;
}

/* A copy that failed left an empty skb at the tail: give it back. */
static void glass_drop_empty_tail(struct sock *sk)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (!skb || skb->len || (GLASS_SKB_CB(skb)->flags & GLASS_FIN))
		return;
	glass_wq_unlink_free(sk, skb);
}

static int glass_send_check(struct sock *sk, long *timeo)
{
	int err;

	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, timeo);
		if (err)
			return err;
	}
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	return 0;
}

/*
 * No room for another skb: the send buffer is full (sndbuf_full), or memory
 * refused one (net.glass.mem, the allocator). Push what is queued, then
 * wait as TCP does: until the buffer drains, or a short random while when
 * memory was the limit (other sockets free it); EAGAIN when non-blocking.
 * Then check the connection again: it may have failed meanwhile.
 */
static int glass_wait_room(struct sock *sk, long *timeo, bool sndbuf_full)
{
	struct glass_sock *gs = glass_sk(sk);
	int err;

	set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
	glass_push(sk);
	if (sndbuf_full && sk_stream_memory_free(sk))
		return glass_send_check(sk, timeo);
	if (*timeo) {
		gs->writer_blocked++;
		trace_glass_sndbuf(sk, true);
	}
	err = sk_stream_wait_memory(sk, timeo);
	return err ? err : glass_send_check(sk, timeo);
}

/*
 * One step of a zero-copy send (glass_zerocopy.c): bytes attached, 0 after
 * waiting for room, or a negative errno.
 */
static int glass_zc_step(struct sock *sk, struct msghdr *msg, size_t want,
			 struct ubuf_info *uarg, long *timeo)
{
	u32 goal = glass_size_goal(glass_sk(sk));
	int n;

	if (sk_stream_memory_free(sk)) {
		n = glass_zc_send_step(sk, msg, want, goal, uarg);
		if (n != -EAGAIN)
			return n;
	}
	n = glass_wait_room(sk, timeo, !sk_stream_memory_free(sk));
	return n ? n : 0;
}

/**
 * glass_sendmsg() - send(), write(), sendmsg() on a glass socket.
 * @sock: the socket.
 * @msg: the data; MSG_DONTWAIT, MSG_MORE and MSG_ZEROCOPY are honoured,
 *	and io_uring's msg_ubuf (IORING_OP_SEND_ZC).
 * @len: bytes to send.
 *
 * Copies the bytes into whole-segment skbs on the write queue, bounded by
 * SO_SNDBUF and glass memory, waiting for room as TCP does, and pushes
 * what the windows allow. A zero-copy send (glass_zerocopy.c) attaches
 * the pages of the buffer instead, under the same bounds.
 * Return: bytes queued (a partial count if something failed after some
 * were), or a negative errno: -EPIPE (with SIGPIPE) after shutdown,
 * -EAGAIN, -EOPNOTSUPP for MSG_OOB, -ENOBUFS for a zero-copy send over
 * optmem or RLIMIT_MEMLOCK, the connection's error.
 */
int glass_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct sock *sk = sock->sk;
	struct glass_sock *gs = glass_sk(sk);
	struct ubuf_info *uarg = NULL;
	size_t copied = 0;
	long timeo;
	int err;

	if (msg->msg_flags & MSG_OOB)
		return -EOPNOTSUPP;
	lock_sock(sk);
	timeo = sock_sndtimeo(sk, msg->msg_flags & MSG_DONTWAIT);
	err = glass_send_check(sk, &timeo);
	if (err)
		goto error;
	err = glass_zc_start(sk, msg, len, &uarg);
	if (err)
		goto error;
	while (copied < len) {
		u32 goal = glass_size_goal(gs);
		struct sk_buff *skb;
		u32 chunk;

		if (uarg) {
			err = glass_zc_step(sk, msg, len - copied, uarg, &timeo);
			if (err < 0) {
				glass_drop_empty_tail(sk);
				goto error;
			}
			copied += err;
			if (glass_push_due(gs, goal))
				glass_push(sk);
			continue;
		}
		skb = glass_tail_with_room(sk, goal);
		if (!skb) {
			bool full = !sk_stream_memory_free(sk);

			if (!full)
				skb = glass_alloc_tx_skb(sk, goal, len - copied);
			if (!skb) {
				err = glass_wait_room(sk, &timeo, full);
				if (err)
					goto error;
				continue;
			}
		}
		chunk = min_t(size_t, len - copied,
			      glass_skb_room(gs, skb, goal));
		err = glass_copy_to_skb(sk, skb, msg, chunk);
		if (err < 0) {
			glass_drop_empty_tail(sk);
			if (err == -EAGAIN)
				err = glass_wait_room(sk, &timeo, false);
			if (err)
				goto error;
			continue;
		}
		copied += err;
		if (glass_push_due(gs, goal))
			glass_push(sk);
	}
	if (!(msg->msg_flags & MSG_MORE) && !glass_autocork(sk))
		glass_push(sk);
	err = 0;
	goto out;

error:
	glass_push(sk);
out:
	glass_zc_end(uarg, copied);
	if (copied) {
		WRITE_ONCE(gs->reply_poll, glass_reply_wrote(gs->reply_poll));
		err = copied;
	} else if (err) {
		err = sk_stream_error(sk, msg->msg_flags, err);
	}
	release_sock(sk);
	return err;
}

/* Release a fully read skb; its memory returns through sock_rfree. */
static void glass_eat_skb(struct sock *sk, struct sk_buff *skb)
{
	__skb_unlink(skb, &sk->sk_receive_queue);
	glass_txspare_harvest(skb);
	kfree_skb(skb);
}

static int glass_recv_error(struct sock *sk, long timeo)
{
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		return 0;
	if (sk->sk_state == TCP_CLOSE)
		return -ENOTCONN;
	if (!timeo)
		return -EAGAIN;
	if (signal_pending(current))
		return sock_intr_errno(timeo);
	return 1;	/* nothing wrong: wait for data */
}

/* Copy what is queued, from byte skip of the queue on; return the count. */
static int glass_copy_out(struct sock *sk, struct msghdr *msg, size_t len,
			  u32 skip, bool peek)
{
	struct glass_sock *gs = glass_sk(sk);
	struct sk_buff *skb, *tmp;
	int copied = 0;

	skb_queue_walk_safe(&sk->sk_receive_queue, skb, tmp) {
		struct glass_skb_cb *cb = GLASS_SKB_CB(skb);
		u32 avail = skb->len - cb->offset;
		u32 off = cb->offset, chunk;

		if (skip >= avail) {
			skip -= avail;
			continue;
		}
		off += skip;
		avail -= skip;
		skip = 0;
		chunk = min_t(size_t, avail, len - copied);
		if (skb_copy_datagram_msg(skb, off, msg, chunk))
			return copied ? : -EFAULT;
		copied += chunk;
		if (!peek) {
			cb->offset += chunk;
			WRITE_ONCE(gs->rcv_unread, gs->rcv_unread - chunk);
			if (cb->offset == skb->len)
				glass_eat_skb(sk, skb);
		}
		if (copied == len)
			break;
	}
	return copied;
}

/* Either spin is worth it: connected, and nothing to read yet. */
static bool glass_spin_worth(struct sock *sk)
{
	return skb_queue_empty_lockless(&sk->sk_receive_queue) &&
	       inet_sk_state_load(sk) == TCP_ESTABLISHED;
}

/*
 * SO_BUSY_POLL (or net.core.busy_read): with nothing to read, spin on the
 * device poll the socket's segments arrive by (sk_napi_id), for up to the
 * socket's busy-poll time, before taking the lock and sleeping. The reply
 * of a request/response exchange is then taken on the reader's own CPU by
 * the reader itself: no interrupt, no wake-up, no idle CPU to rouse. As
 * tcp_recvmsg(), only when connected; the segments it polls in go to the
 * socket directly, it being not yet owned.
 */
static void glass_busy_poll(struct sock *sk, bool nonblock)
{
	if (sk_can_busy_loop(sk) && glass_spin_worth(sk))
		sk_busy_loop(sk, nonblock);
}

/* A reply poll's spin: the socket, and for how long (the sysctl's). */
struct glass_reply_spin {
	struct sock *sk;
	unsigned long usecs;
};

/* The reply poll's end: something to read, or to report, or time is up. */
static bool glass_reply_poll_end(void *arg, unsigned long start)
{
	const struct glass_reply_spin *spin = arg;
	struct sock *sk = spin->sk;

	return !skb_queue_empty_lockless(&sk->sk_receive_queue) ||
	       READ_ONCE(sk->sk_err) ||
	       (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) ||
	       signal_pending(current) ||
	       time_after(busy_loop_current_time(), start + spin->usecs);
}

/*
 * A blocking read by a socket that wrote since it last read waits for a
 * reply: with nothing queued, spin on the device poll its segments
 * arrive by for up to net.glass.reply_poll_us before sleeping, as
 * SO_BUSY_POLL would, while such spins keep finding the reply
 * (core/replypoll.h). Returns how the read waits, for glass_reply_taken().
 */
static enum glass_reply_wait glass_reply_poll(struct sock *sk, int flags)
{
	u8 state = READ_ONCE(glass_sk(sk)->reply_poll);
	unsigned int napi_id = READ_ONCE(sk->sk_napi_id);
	struct net *net = sock_net(sk);
	struct glass_reply_spin spin = {
		.sk = sk,
		.usecs = READ_ONCE(glass_pernet(net)->sysctl.reply_poll_us),
	};

	if (!IS_ENABLED(CONFIG_NET_RX_BUSY_POLL) ||
	    (flags & (MSG_DONTWAIT | MSG_PEEK)) ||
	    !(state & GLASS_REPLY_WANTED) || !spin.usecs ||
	    sk_can_busy_loop(sk) || napi_id < MIN_NAPI_ID ||
	    !glass_spin_worth(sk))
		return GLASS_REPLY_NONE;
	if (!glass_reply_may_poll(state))
		return GLASS_REPLY_SLEPT_ONLY;
	napi_busy_loop(napi_id, glass_reply_poll_end, &spin, false,
		       BUSY_POLL_BUDGET);
	glass_inc_stat(net, GLASS_MIB_REPLY_POLLS);
	if (skb_queue_empty_lockless(&sk->sk_receive_queue))
		return GLASS_REPLY_MISS;
	glass_inc_stat(net, GLASS_MIB_REPLY_POLL_HITS);
	return GLASS_REPLY_HIT;
}

/*
 * The read took bytes (owner): nothing is asked any more, and the credit
 * follows how it waited.
 */
static void glass_reply_taken(struct sock *sk, enum glass_reply_wait wait)
{
	struct glass_sock *gs = glass_sk(sk);

	WRITE_ONCE(gs->reply_poll, glass_reply_read(gs->reply_poll, wait));
}

/**
 * glass_recvmsg() - recv(), read(), recvmsg() on a glass socket.
 * @sock: the socket.
 * @msg: where to copy.
 * @len: bytes wanted.
 * @flags: MSG_PEEK, MSG_WAITALL, MSG_DONTWAIT; MSG_ERRQUEUE reads the
 *	error queue (zero-copy completions) as TCP's, as SOL_IP/IP_RECVERR;
 *	MSG_OOB is refused.
 *
 * Copies in-order bytes out of the receive queue, waiting for SO_RCVLOWAT
 * of them, lets autotuning resize the receive buffer to the reader's rate
 * (glass_rcvbuf.c), and sends a window update when reading opened the
 * window far enough.
 * Return: bytes copied, 0 at end of stream, or a negative errno.
 */
int glass_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		  int flags)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk;
	struct glass_sock *gs = glass_sk(sk);
	bool peek = flags & MSG_PEEK;
	int copied = 0, target, err;
	enum glass_reply_wait replied;
	long timeo;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (flags & MSG_ERRQUEUE)
		return sock_recv_errqueue(sk, msg, len, SOL_IP, IP_RECVERR);
	glass_busy_poll(sk, flags & MSG_DONTWAIT);
	replied = glass_reply_poll(sk, flags);
	lock_sock(sk);
	err = -ENOTCONN;
	if (sk->sk_state == TCP_LISTEN)
		goto out;
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	for (;;) {
		err = glass_copy_out(sk, msg, len - copied, peek ? copied : 0,
				     peek);
		if (err < 0) {
			if (!copied)
				copied = err;
			break;
		}
		copied += err;
		if (!peek && err) {
			glass_rcvbuf_adjust_now(sk);
			glass_reply_taken(sk, replied);
			replied = GLASS_REPLY_NONE;
		}
		if (!peek)
			glass_window_update_check(sk);
		if (copied >= target || copied == len)
			break;
		err = glass_recv_error(sk, timeo);
		if (err <= 0) {
			if (!copied)
				copied = err;
			break;
		}
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, READ_ONCE(gs->rcv_unread) >
			      (peek ? (u32)copied : 0) || sk->sk_err ||
			      (sk->sk_shutdown & RCV_SHUTDOWN), &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}
	err = copied;
out:
	release_sock(sk);
	return err;
}

/*
 * Room in the send buffer, and glass memory for the next write: an idle
 * socket's write that memory would refuse waits until memory comes back
 * (glass_wmem_poll_wait()), or a level-triggered poll loop spins on it;
 * only a poller that asked for EPOLLOUT waits for that wake.
 */
static bool glass_poll_writable(struct sock *sk, poll_table *wait)
{
	return sk_stream_is_writeable(sk) &&
	       !glass_wmem_poll_wait(sk, poll_requested_events(wait) &
				     (EPOLLOUT | EPOLLWRNORM));
}

/**
 * glass_poll() - poll(), select(), epoll on a glass socket.
 * @file: the file.
 * @sock: the socket.
 * @wait: the poll table.
 *
 * Lockless, as tcp_poll(): reads the state, shutdown, error and the
 * counts it needs with READ_ONCE (see glass_sock.h).
 * Return: the EPOLL* mask.
 */
__poll_t glass_poll(struct file *file, struct socket *sock,
		    struct poll_table_struct *wait)
{
	struct sock *sk = sock->sk;
	struct glass_sock *gs = glass_sk(sk);
	int state = inet_sk_state_load(sk);
	u8 shutdown;
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	if (state == TCP_LISTEN)
		return READ_ONCE(gs->accept_len) ? EPOLLIN | EPOLLRDNORM : 0;
	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		int target = sock_rcvlowat(sk, 0, INT_MAX);

		if (READ_ONCE(gs->rcv_unread) >= target)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (shutdown & SEND_SHUTDOWN) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else if (glass_poll_writable(sk, wait)) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else {
			sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			/* Order the bit before re-checking space, against
			 * the ACK path that frees space then tests the bit.
			 */
			smp_mb__after_atomic();
			if (glass_poll_writable(sk, wait))
				mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* Read sk_err after the state, as tcp_poll() does. */
	smp_rmb();
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

/**
 * glass_ioctl() - SIOCINQ, SIOCOUTQ and SIOCOUTQNSD, as for TCP.
 * @sock: the socket.
 * @cmd: the request.
 * @arg: user pointer to the int answer.
 *
 * Return: 0, -EINVAL on a listener, -EFAULT, or -ENOIOCTLCMD for any
 * other request.
 */
int glass_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct glass_sock *gs = glass_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		answ = gs->rcv_unread;
		release_sock(sk);
		break;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		answ = gs->write_seq - gs->snd_una;
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_CLOSE))
			answ = 0;
		release_sock(sk);
		break;
	case SIOCOUTQNSD:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		answ = gs->write_seq - gs->snd_nxt;
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_CLOSE))
			answ = 0;
		release_sock(sk);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(answ, (int __user *)arg);
}

/*
 * GLASS_CONGESTION, as TCP_CONGESTION: a name (not necessarily
 * NUL-terminated); the connection switches at once, a listener passes it
 * on to its children.
 */
static int glass_set_congestion(struct sock *sk, sockptr_t optval,
				unsigned int optlen)
{
	char name[GLASS_CC_NAME_MAX];
	int algo;

	if (optlen < 1)
		return -EINVAL;
	optlen = min_t(unsigned int, optlen, sizeof(name) - 1);
	if (copy_from_sockptr(name, optval, optlen))
		return -EFAULT;
	name[optlen] = 0;
	algo = glass_cc_find(name);
	if (algo < 0)
		return algo;
	lock_sock(sk);
	glass_sk(sk)->cc_algo = algo;
	glass_cc_set_algo(&glass_sk(sk)->cc, algo);
	release_sock(sk);
	return 0;
}

static int glass_set_int(struct sock *sk, int optname, int val)
{
	struct glass_sock *gs = glass_sk(sk);

	switch (optname) {
	case GLASS_NODELAY:
		gs->nodelay = !!val;
		if (val)
			glass_push(sk);
		return 0;
	case GLASS_CORK:
		gs->cork = !!val;
		if (val)
			gs->cork_until = jiffies + msecs_to_jiffies(200);
		else
			glass_push(sk);
		return 0;
	case GLASS_MAXSEG:
		if (val && (val < GLASS_MIN_MSS || val > GLASS_MAX_MSS))
			return -EINVAL;
		gs->user_mss = val;
		if (val && gs->mss > (u32)val)
			gs->mss = glass_fit_mss(val);
		return 0;
	case GLASS_QUICKACK:
		/*
		 * Unlike TCP_QUICKACK, it stays set until cleared. An ACK the
		 * delayed-ACK timer still owes goes out now.
		 */
		gs->quickack = !!val;
		gs->route_quickack = false;	/* the program's now */
		if (val && gs->delack_pending && sk->sk_state != TCP_CLOSE)
			glass_send_ack(sk);
		return 0;
	case GLASS_ZEROCOPY:
		return glass_set_zerocopy(sk, val);
	}
	return -ENOPROTOOPT;
}

/**
 * glass_setsockopt() - GLASS_NODELAY, GLASS_CORK, GLASS_MAXSEG, ...
 * @sock: the socket.
 * @level: SOL_GLASS (SOL_SOCKET is handled by the core).
 * @optname: the option.
 * @optval: an int.
 * @optlen: at least sizeof(int).
 *
 * Return: 0, -ENOPROTOOPT, -EINVAL or -EFAULT.
 */
int glass_setsockopt(struct socket *sock, int level, int optname,
		     sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	int val, err;

	if (level != SOL_GLASS)
		return -ENOPROTOOPT;
	if (optname == GLASS_INFO)
		return -ENOPROTOOPT;
	if (optname == GLASS_CONGESTION)
		return glass_set_congestion(sk, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	err = glass_set_int(sk, optname, val);
	release_sock(sk);
	return err;
}

/**
 * glass_fill_info() - the struct glass_info snapshot of a socket.
 * @sk: the socket, locked by the caller (getsockopt, procfs).
 * @gi: filled in whole.
 */
void glass_fill_info(struct sock *sk, struct glass_info *gi)
{
	struct glass_sock *gs = glass_sk(sk);

	memset(gi, 0, sizeof(*gi));
	gi->gi_len = sizeof(*gi);
	gi->gi_state = sk->sk_state;
	gi->gi_delack = (gs->delack_pending ? GLASS_DELACK_PENDING : 0) |
			(gs->quickack ? GLASS_DELACK_QUICK : 0);
	gi->gi_nodelay = gs->nodelay;
	gi->gi_cork = gs->cork;
	gi->gi_iss = gs->iss;
	gi->gi_irs = gs->irs;
	gi->gi_snd_una = gs->snd_una;
	gi->gi_snd_nxt = gs->snd_nxt;
	gi->gi_rcv_nxt = gs->rcv_nxt;
	gi->gi_snd_wnd = gs->snd_wnd;
	gi->gi_rcv_wnd = gs->rcv_wnd_last;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT))) {
		gi->gi_unacked = gs->snd_nxt - gs->snd_una;
		gi->gi_unsent = gs->write_seq - gs->snd_nxt;
		if (gs->fin_queued && gi->gi_unsent)
			gi->gi_unsent--;
		if (gs->fin_queued && gs->snd_nxt == gs->write_seq &&
		    gi->gi_unacked)
			gi->gi_unacked--;
	}
	gi->gi_unread = gs->rcv_unread;
	gi->gi_ooo = glass_ooo_held(gs)->bytes;
	gi->gi_nagle_held = sk->sk_send_head ? gi->gi_unsent : 0;
	gi->gi_sndbuf = sk->sk_sndbuf;
	gi->gi_rcvbuf = sk->sk_rcvbuf;
	gi->gi_rcv_space = gs->rcv_space;
	gi->gi_mss = gs->mss;
	gi->gi_peer_mss = gs->peer_mss;
	gi->gi_cwnd = gs->cc.cwnd;
	gi->gi_ssthresh = gs->cc.ssthresh;
	gi->gi_srtt_us = gs->rto.srtt_us;
	gi->gi_rttvar_us = gs->rto.rttvar_us;
	gi->gi_rto_us = glass_rto_timeout(&gs->rto);
	gi->gi_backoff = gs->rto.backoff;
	gi->gi_retransmits = gs->total_retrans;
	gi->gi_fast_retrans = gs->fast_retrans;
	gi->gi_timeouts = gs->timeouts;
	gi->gi_probes = gs->probes_sent;
	gi->gi_dupacks = gs->dupacks_in;
	gi->gi_zero_wnd_sent = gs->zero_wnd_sent;
	gi->gi_segs_out = gs->segs_out;
	gi->gi_segs_in = gs->segs_in;
	gi->gi_data_segs_out = gs->data_segs_out;
	gi->gi_data_segs_in = gs->data_segs_in;
	gi->gi_bytes_sent = gs->bytes_sent;
	gi->gi_bytes_acked = gs->bytes_acked;
	gi->gi_bytes_received = gs->bytes_received;
	gi->gi_writer_blocked = gs->writer_blocked;
	gi->gi_sack = gs->sack_ok;
	gi->gi_ca_state = gs->sb.all_lost && gs->sack_ok ? GLASS_CA_LOSS :
			  gs->cc.in_recovery ? GLASS_CA_RECOVERY : GLASS_CA_OPEN;
	gi->gi_cc_algo = gs->cc_algo;
	gi->gi_sacked = gs->sack_ok ? glass_sb_sacked_bytes(&gs->sb) : 0;
	gi->gi_sack_retrans = gs->sack_retrans;
	gi->gi_dsacks = gs->dsacks_in;
	gi->gi_undos = gs->undos;
	gi->gi_tlp_probes = gs->tlp_probes;
}

/* The algorithm's name, NUL-padded to len (at most GLASS_CC_NAME_MAX). */
static int glass_get_congestion(struct sock *sk, char __user *optval,
				int __user *optlen, int len)
{
	char name[GLASS_CC_NAME_MAX] = {};

	strscpy(name, glass_cc_name(READ_ONCE(glass_sk(sk)->cc_algo)),
		sizeof(name));
	len = min_t(unsigned int, len, sizeof(name));
	if (put_user(len, optlen))
		return -EFAULT;
	if (copy_to_user(optval, name, len))
		return -EFAULT;
	return 0;
}

static int glass_get_info(struct sock *sk, char __user *optval,
			  int __user *optlen, int len)
{
	struct glass_info gi;

	lock_sock(sk);
	glass_fill_info(sk, &gi);
	release_sock(sk);
	len = min_t(unsigned int, len, sizeof(gi));
	if (put_user(len, optlen))
		return -EFAULT;
	if (copy_to_user(optval, &gi, len))
		return -EFAULT;
	return 0;
}

/**
 * glass_getsockopt() - GLASS_INFO and the int options.
 * @sock: the socket.
 * @level: SOL_GLASS.
 * @optname: the option.
 * @optval: user buffer.
 * @optlen: in: its size; out: bytes written (truncated, never padded).
 *
 * Return: 0, -ENOPROTOOPT, -EINVAL or -EFAULT.
 */
int glass_getsockopt(struct socket *sock, int level, int optname,
		     char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct glass_sock *gs = glass_sk(sk);
	int len, val;

	if (level != SOL_GLASS)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	switch (optname) {
	case GLASS_INFO:
		return glass_get_info(sk, optval, optlen, len);
	case GLASS_CONGESTION:
		return glass_get_congestion(sk, optval, optlen, len);
	case GLASS_NODELAY:
		val = gs->nodelay;
		break;
	case GLASS_CORK:
		val = gs->cork;
		break;
	case GLASS_MAXSEG:
		val = gs->user_mss ? : gs->mss;
		break;
	case GLASS_QUICKACK:
		val = gs->quickack;
		break;
	case GLASS_ZEROCOPY:
		val = sock_flag(sk, SOCK_ZEROCOPY);
		break;
	default:
		return -ENOPROTOOPT;
	}
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen))
		return -EFAULT;
	if (copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}
