// SPDX-License-Identifier: GPL-2.0
/*
 * Idle writers that glass memory refused, waiting for it.
 *
 * Under memory pressure an idle socket's write is refused once glass is
 * over the writers' mark (glass_wmem_schedule(), glass_mem.c), so that
 * data already sent keeps the rest. TCP never refuses such a write (it
 * forces the first skb of an empty write queue), so its poll() can report
 * an empty send buffer writable. glass's could not: poll() said writable,
 * write() said EAGAIN, and a program in a level-triggered epoll loop spun
 * on it. Nothing else would wake such a socket: no ACK is due to it, so
 * sk_write_space() never runs for it.
 *
 * So an idle socket (less than a page queued) goes on this list when its
 * write is refused, or when a poll() for EPOLLOUT finds that its next one
 * would take glass past the pollers' mark, a little below the writers'
 * (glass_wmem_poll_wait(); a poll for input only lists no one), and while
 * it is listed poll() does not report it writable. glass_mem.c takes
 * sockets off, oldest first, and wakes them as memory comes back below
 * the pollers' mark: one for each 16 KiB of room
 * (glass_memwait_wake()), all once pressure ends. A socket also
 * leaves the list when it can no longer write: its connection leaves
 * ESTABLISHED or CLOSE_WAIT (glass_set_state()).
 *
 * Bounds: one node per socket (its listener-only pending list, which a
 * connected socket never uses: glass_sock.h), a reference held while
 * listed, one list for all namespaces (memory is global). Counted in
 * write_mem_waits (/proc/net/glass_stat).
 */
#include <linux/spinlock.h>
#include <net/inet_sock.h>

#include "glass_sock.h"
#include "glass_memwait.h"

static LIST_HEAD(glass_memwait_list);
/* glass_memwait_list and every socket's memwait node; process and softirq. */
static DEFINE_SPINLOCK(glass_memwait_lock);
/* How many sockets are listed: read without the lock by the uncharge path. */
static atomic_t glass_memwait_len = ATOMIC_INIT(0);

/**
 * glass_memwait_listed() - is sk waiting for glass memory?
 * @sk: a glass socket, not a listener (whose pending list the node is);
 *	read without a lock (poll).
 *
 * Return: true while listed: poll() does not report it writable.
 */
bool glass_memwait_listed(const struct sock *sk)
{
	return !list_empty(&glass_sk(sk)->memwait_node);
}

/**
 * glass_memwait_any() - is any socket waiting?
 *
 * Return: true if glass_memwait_wake() has someone to wake. Full barrier
 * before the read: pairs with glass_memwait_add()'s, so an uncharge and
 * an add racing each other never both miss (see glass_wmem_schedule()).
 */
bool glass_memwait_any(void)
{
	smp_mb();	/* the uncharge, then the list: glass_memwait_add() */
	return atomic_read(&glass_memwait_len) > 0;
}

static bool glass_memwait_may(const struct sock *sk)
{
	return (1 << inet_sk_state_load(sk)) & GLASS_TCPF_WRITER;
}

/**
 * glass_memwait_add() - list sk until glass memory comes back.
 * @sk: a socket whose write was just refused (owned), or whose next one
 *	would be (poll, not owned); a reference is held by the caller.
 *
 * Listed once however often it is refused, and only while connected.
 * Full barrier after listing: the caller then looks at memory again, and
 * unlists it if memory came back meanwhile; and the state is read again,
 * against glass_set_state() taking it out of GLASS_TCPF_WRITER as this
 * listed it.
 */
void glass_memwait_add(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	bool added = false;

	spin_lock_bh(&glass_memwait_lock);
	if (list_empty(&gs->memwait_node) && glass_memwait_may(sk)) {
		sock_hold(sk);
		list_add_tail(&gs->memwait_node, &glass_memwait_list);
		atomic_inc(&glass_memwait_len);
		added = true;
	}
	spin_unlock_bh(&glass_memwait_lock);
	smp_mb();	/* the list, then memory and the state: see above */
	if (!added)
		return;
	glass_inc_stat(sock_net(sk), GLASS_MIB_WRITE_MEM_WAITS);
	if (!glass_memwait_may(sk))
		glass_memwait_cancel(sk);
}

/* Take sk off the list, under the lock; true if it was on it. */
static bool glass_memwait_unlist(struct glass_sock *gs)
{
	if (list_empty(&gs->memwait_node))
		return false;
	list_del_init(&gs->memwait_node);
	atomic_dec(&glass_memwait_len);
	return true;
}

/**
 * glass_memwait_cancel() - sk waits for memory no more.
 * @sk: a socket that got memory, or that leaves GLASS_TCPF_WRITER (after
 *	a full barrier: see glass_memwait_add()); the caller holds a
 *	reference. Nothing happens if it is not listed.
 */
void glass_memwait_cancel(struct sock *sk)
{
	bool was;

	if (!glass_memwait_listed(sk))
		return;
	spin_lock_bh(&glass_memwait_lock);
	was = glass_memwait_unlist(glass_sk(sk));
	spin_unlock_bh(&glass_memwait_lock);
	if (was)
		sock_put(sk);
}

/*
 * Tell sk's waiters (poll, epoll, a blocked write) that it may write.
 * Not sk_write_space(): the socket is not owned here, and its struct
 * socket may be going away; sk_wq is RCU-protected and NULL once orphaned.
 */
static void glass_memwait_notify(struct sock *sk)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	rcu_read_unlock();
}

/**
 * glass_memwait_wake() - wake the n sockets that waited longest.
 * @n: how many; UINT_MAX for all.
 *
 * Each leaves the list before its wake, so the poll the wake causes sees
 * it writable. The list's reference is never the last one: a listed
 * socket is connected (glass_memwait_cancel() runs as it stops being),
 * and so still in the connection table.
 * Context: any; takes no socket's lock.
 */
void glass_memwait_wake(unsigned int n)
{
	struct glass_sock *gs;

	while (n--) {
		spin_lock_bh(&glass_memwait_lock);
		gs = list_first_entry_or_null(&glass_memwait_list,
					      struct glass_sock, memwait_node);
		if (gs)
			glass_memwait_unlist(gs);
		spin_unlock_bh(&glass_memwait_lock);
		if (!gs)
			return;
		glass_memwait_notify(&gs->sk);
		sock_put(&gs->sk);
	}
}
