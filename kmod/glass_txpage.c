// SPDX-License-Identifier: GPL-2.0
/*
 * The pages a socket's copying writes fill (glass_io.c), used again.
 *
 * A write of more than a segment is copied into page frags, as TCP's. TCP
 * takes a fresh page whenever the one it fills is still held
 * (sk_page_frag_refill()), and with init_on_alloc (Debian's default) the
 * page allocator zeroes each: a bulk sender spent more of its CPU zeroing
 * pages than copying into them (docs/perf.md). glass keeps the pages it
 * filled in a ring, oldest first. Bytes are acknowledged and read in the
 * order they were written, so the oldest page is the first to come free:
 * once the ring's reference is its last (no queued skb, clone or
 * receiver holds it; nobody can take a new one then), it is filled again
 * from its start, unzeroed. Nothing written there is read again: the
 * ring's own bytes are not data until copied in.
 *
 * Bounds: at most GLASS_TXPAGE_RING pages of 32 KiB (order 3, from the
 * per-CPU lists, as TCP's page frags); when it is full and its oldest
 * page is still held, the ring lets that page go (its holders free it)
 * for a new one. Copied bytes are charged to the socket as queued bytes
 * (skb truesize), as TCP charges its page frags; a page nobody else
 * holds is not, so the ring keeps few: each ACK lets the free pages
 * beyond GLASS_TXPAGE_SPARE go, and once the write queue is empty all of
 * them (glass_txpage_acked()): an idle socket pins none, where keeping
 * the page being filled pinned 32 KiB per connection that had ever
 * written, uncharged (320 MB for 10,000). All go at close. The
 * counters tx_pages_new and tx_pages_reused (/proc/net/glass_stat) show
 * how often a page was used again.
 *
 * A socket with less than a ring page queued (an idle one starting a
 * write, a writer of short bursts) has no ring page to fill again, so it
 * copies into the writing task's page frag instead, as TCP does every
 * write (sk_page_frag(): one page shared by all the task's sockets, each
 * skb holding its own reference): one program writing 16 KiB to each of
 * 10,000 connections in turn zeroed a new 32 KiB page per write, half of
 * it never filled, and that zeroing cost its writer more than the copy.
 * Counted as tx_pages_shared.
 *
 * A page needed for the ring or the task's frag is taken from the spare
 * pages (glass_txspare.c: those whose last holder let go, and the free
 * pages a ring lets go of) before the allocator is asked for one.
 *
 * The ring is the socket's: it is used and changed only with the socket
 * owned (sendmsg under lock_sock(); the ACK path, which trims it, owned
 * by the user or by the softirq with the socket not owned).
 */
#include <linux/mm.h>
#include <linux/slab.h>

#include "glass_sock.h"
#include "glass_txpage.h"
#include "glass_txspare.h"

#define GLASS_TXPAGE_RING	32	/* pages: 1 MiB */
#define GLASS_TXPAGE_SPARE	2	/* free pages kept for the writer */
/* A page with less room than this left is full: take the next. */
#define GLASS_TXPAGE_MIN	256

/**
 * struct glass_txpage_ring - the socket's send pages, oldest first.
 * @page: a circular FIFO; each page holds one reference of the ring's.
 * @head: index of the oldest page.
 * @count: pages held.
 * @cur: the newest page, being filled: bytes before cur.offset may be
 *	held by skbs, bytes after it are free. cur.page is NULL when empty.
 */
struct glass_txpage_ring {
	struct page *page[GLASS_TXPAGE_RING];
	u8 head;
	u8 count;
	struct page_frag cur;
};

static struct page *glass_txpage_pop(struct glass_txpage_ring *r)
{
	struct page *page = r->page[r->head];

	r->head = (r->head + 1) % GLASS_TXPAGE_RING;
	r->count--;
	if (!r->count)
		r->cur.page = NULL;
	return page;
}

static void glass_txpage_push(struct glass_txpage_ring *r, struct page *page)
{
	r->page[(r->head + r->count) % GLASS_TXPAGE_RING] = page;
	r->count++;
	r->cur.page = page;
	r->cur.offset = 0;
	r->cur.size = page_size(page);
}

/*
 * A page to fill: a spare one (glass_txspare.c) if any, unzeroed; else
 * a new one, order 3 if the allocator has one at hand, else a single
 * page.
 */
static struct page *glass_txpage_alloc(struct sock *sk)
{
	struct page *page = glass_txspare_get();

	if (page) {
		glass_inc_stat(sock_net(sk), GLASS_MIB_TX_PAGES_SPARE);
		return page;
	}
	page = alloc_pages((sk->sk_allocation & ~__GFP_DIRECT_RECLAIM) |
			   __GFP_COMP | __GFP_NOWARN | __GFP_NORETRY,
			   GLASS_TXPAGE_ORDER);
	if (!page)
		page = alloc_page(sk->sk_allocation);
	if (page)
		glass_inc_stat(sock_net(sk), GLASS_MIB_TX_PAGES_NEW);
	return page;
}

/*
 * The task's page frag refilled as sk_page_frag_refill() does (filled
 * again from its start once nothing else holds it), but from a spare
 * page before a new one.
 */
static bool glass_txpage_refill(struct sock *sk, struct page_frag *pfrag)
{
	if (pfrag->page) {
		if (page_ref_count(pfrag->page) == 1) {
			pfrag->offset = 0;
			return true;
		}
		if (pfrag->offset + GLASS_TXPAGE_MIN <= pfrag->size)
			return true;
		put_page(pfrag->page);
	}
	pfrag->offset = 0;
	pfrag->page = glass_txpage_alloc(sk);
	if (!pfrag->page)
		return false;
	pfrag->size = page_size(pfrag->page);
	return true;
}

/* The next page to fill: the oldest if nothing holds it, else a new one. */
static bool glass_txpage_next(struct sock *sk, struct glass_txpage_ring *r)
{
	struct net *net = sock_net(sk);
	struct page *page;

	if (r->count && page_ref_count(r->page[r->head]) == 1) {
		glass_txpage_push(r, glass_txpage_pop(r));
		glass_inc_stat(net, GLASS_MIB_TX_PAGES_REUSED);
		return true;
	}
	page = glass_txpage_alloc(sk);
	if (!page)
		return false;
	if (r->count == GLASS_TXPAGE_RING)
		put_page(glass_txpage_pop(r));
	glass_txpage_push(r, page);
	return true;
}

/**
 * glass_txpage_frag() - where the next copied bytes go.
 * @sk: the socket, owned.
 *
 * Return: the page being filled, the ring's or the task's, with room from
 * its offset to its size (the caller attaches what it copies, takes a
 * reference and advances the offset), or NULL without memory: the
 * socket enters memory pressure, as with sk_page_frag_refill().
 */
struct page_frag *glass_txpage_frag(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_txpage_ring *r = gs->txpages;
	struct page_frag *pfrag;

	if ((!r || !r->count) &&
	    sk->sk_wmem_queued < (PAGE_SIZE << GLASS_TXPAGE_ORDER)) {
		pfrag = sk_page_frag(sk);
		if (!glass_txpage_refill(sk, pfrag))
			goto nomem;
		glass_inc_stat(sock_net(sk), GLASS_MIB_TX_PAGES_SHARED);
		return pfrag;
	}
	if (!r) {
		r = kzalloc(sizeof(*r), sk->sk_allocation);
		if (!r)
			goto nomem;
		gs->txpages = r;
	}
	if (r->cur.page && r->cur.offset + GLASS_TXPAGE_MIN <= r->cur.size)
		return &r->cur;
	if (glass_txpage_next(sk, r))
		return &r->cur;
nomem:
	sk->sk_prot->enter_memory_pressure(sk);
	sk_stream_moderate_sndbuf(sk);
	return NULL;
}

/*
 * Let go of the free pages at the oldest end beyond keep (the page being
 * filled stays): their holders are gone, so they go back to the allocator.
 */
static void glass_txpage_shed(struct glass_txpage_ring *r, unsigned int keep)
{
	unsigned int free = 0;

	while (free + 1 < r->count &&
	       page_ref_count(r->page[(r->head + free) % GLASS_TXPAGE_RING]) == 1)
		free++;
	for (; free > keep; free--)
		glass_txspare_put(glass_txpage_pop(r));
}

/**
 * glass_txpage_acked() - an ACK freed queued bytes: bound the idle pages.
 * @sk: the socket, owned.
 *
 * The ring keeps GLASS_TXPAGE_SPARE free pages for the writer to fill
 * again; once the write queue is empty, none (pages the receiver still
 * holds are let go, and freed by their last holder).
 */
void glass_txpage_acked(struct sock *sk)
{
	struct glass_txpage_ring *r = glass_sk(sk)->txpages;

	if (!r)
		return;
	if (!skb_queue_empty(&sk->sk_write_queue)) {
		glass_txpage_shed(r, GLASS_TXPAGE_SPARE);
		return;
	}
	while (r->count)
		glass_txspare_put(glass_txpage_pop(r));
}

/**
 * glass_txpage_free() - the socket is going: let every page go.
 * @sk: the socket, no longer used by anyone.
 */
void glass_txpage_free(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_txpage_ring *r = gs->txpages;

	if (!r)
		return;
	while (r->count)
		glass_txspare_put(glass_txpage_pop(r));
	kfree(r);
	gs->txpages = NULL;
}
