// SPDX-License-Identifier: GPL-2.0
/*
 * Spare send pages: pages whose last holder let go, kept for the next
 * writer instead of going back to the page allocator.
 *
 * A send page (glass_txpage.c) is held by the skbs that carry its bytes:
 * the writer's queued skb until the ACK, and on a glass pair the
 * receiver's clone until the read. A socket's ring fills its own pages
 * again once they are free, but a page of the task's frag (a socket with
 * little queued: one program writing 16 KiB to each of 10,000
 * connections in turn) has no ring: its last holder freed it, and the
 * next write took a new one, which init_on_alloc (Debian's default)
 * zeroes. At 10,000 connections that zeroing cost more CPU than the
 * copies into the pages (docs/perf.md).
 *
 * So the last holder keeps it: before an acknowledged or a fully read skb
 * is freed, each page of its frags that nothing else holds (the skb is
 * not cloned, the page's count is 1) and that is a send page's size and
 * kind goes to this list (glass_txspare_harvest()), and a writer takes a
 * page from here before allocating one (glass_txspare_get()). A socket's
 * ring puts its free pages here too when it lets them go. Stale bytes in
 * a spare page are never data: writers copy in before an skb covers them,
 * and an skb covers only what was copied in (as TCP's task frag, which
 * is filled again from its start once free).
 *
 * Never taken: pages of zero-copy skbs (the user's own), of shared frags
 * (spliced), of page_pool skbs (their pool recycles them), from the
 * emergency reserves, or of any other size.
 *
 * Bounds: GLASS_TXSPARE_MAX pages (2 MiB), one list for all namespaces,
 * emptied at module exit; a page that finds the list full goes back to
 * the allocator. Counted in tx_pages_spare (/proc/net/glass_stat) when a
 * writer takes one.
 */
#include <linux/mm.h>
#include <linux/spinlock.h>

#include "glass_txspare.h"

#define GLASS_TXSPARE_MAX	64

static struct {
	spinlock_t lock;	/* n and page; process and softirq context */
	unsigned int n;
	struct page *page[GLASS_TXSPARE_MAX];
} glass_txspare = {
	.lock = __SPIN_LOCK_UNLOCKED(glass_txspare.lock),
};

/* A page of a send page's size and kind, held by its caller alone. */
static bool glass_txspare_fits(struct page *page)
{
	return PageHead(page) &&
	       compound_order(page) == GLASS_TXPAGE_ORDER &&
	       !page_is_pfmemalloc(page) && page_ref_count(page) == 1;
}

/**
 * glass_txspare_get() - a spare page, if any.
 *
 * Return: an order-GLASS_TXPAGE_ORDER page with one reference, the
 * caller's; its bytes are stale. NULL if none is spare.
 */
struct page *glass_txspare_get(void)
{
	struct page *page = NULL;

	if (!READ_ONCE(glass_txspare.n))
		return NULL;
	spin_lock_bh(&glass_txspare.lock);
	if (glass_txspare.n)
		page = glass_txspare.page[--glass_txspare.n];
	spin_unlock_bh(&glass_txspare.lock);
	return page;
}

/* Keep page (its one reference passes to the list); false if full. */
static bool glass_txspare_keep(struct page *page)
{
	bool kept = false;

	if (READ_ONCE(glass_txspare.n) >= GLASS_TXSPARE_MAX)
		return false;
	spin_lock_bh(&glass_txspare.lock);
	if (glass_txspare.n < GLASS_TXSPARE_MAX) {
		glass_txspare.page[glass_txspare.n++] = page;
		kept = true;
	}
	spin_unlock_bh(&glass_txspare.lock);
	return kept;
}

/**
 * glass_txspare_put() - let go of a send page: kept if it is free.
 * @page: a page the caller holds one reference to, which it gives up.
 */
void glass_txspare_put(struct page *page)
{
	if (!glass_txspare_fits(page) || !glass_txspare_keep(page))
		put_page(page);
}

/* Keep the free pages of one skb's frags, unless they may be shared. */
static bool glass_txspare_frags(struct sk_buff *skb)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	unsigned int i;

	if (skb_cloned(skb) || skb->pp_recycle || skb_zcopy(skb) ||
	    skb_has_shared_frag(skb))
		return false;
	for (i = 0; i < shinfo->nr_frags; i++) {
		struct page *page = skb_frag_page(&shinfo->frags[i]);

		if (!glass_txspare_fits(page))
			continue;
		get_page(page);
		if (!glass_txspare_keep(page))
			put_page(page);
	}
	return true;
}

/**
 * glass_txspare_harvest() - keep the pages skb frees last, before its free.
 * @skb: an skb about to be freed (acknowledged, or read to its end), not
 *	shared.
 *
 * Each page taken gains the list's reference; freeing skb then drops
 * skb's, and the list holds the only one. The skbs on skb's frag list
 * (merged by GRO) are looked at too when skb alone owns them.
 */
void glass_txspare_harvest(struct sk_buff *skb)
{
	struct sk_buff *frag;

	/* A full list takes nothing: skip the pages' reference counts. */
	if (READ_ONCE(glass_txspare.n) >= GLASS_TXSPARE_MAX ||
	    !glass_txspare_frags(skb))
		return;
	skb_walk_frags(skb, frag) {
		if (!skb_shared(frag))
			glass_txspare_frags(frag);
	}
}

/**
 * glass_txspare_exit() - free every spare page (module exit: no socket
 *	is left to put one back).
 */
void glass_txspare_exit(void)
{
	while (glass_txspare.n)
		put_page(glass_txspare.page[--glass_txspare.n]);
}
