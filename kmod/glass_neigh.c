// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbour resolution for a glass device stacked on Ethernet: the MAC of
 * the peer that holds a glass address, found with a small request/reply
 * exchange on EtherType 0x88B5 (struct glass_neigh_hdr; docs/protocol.md).
 * Broadcast is used only to resolve; a reachable entry goes stale after
 * neigh_reachable_ms without a confirmation, its next use sends a unicast
 * refresh to the MAC it knows, and an entry whose refresh goes unanswered
 * (the peer's MAC changed, the peer is gone) is dropped, so the next frame
 * resolves afresh. A stale entry unused for another neigh_reachable_ms
 * ages out. The table holds at most GLASS_NEIGH_MAX entries: a full table
 * evicts its least recently used resolved entry, so a peer that floods
 * requests from invented addresses churns it but never grows it.
 *
 * Frames waiting for an answer are held on their entry (GLASS_NEIGH_QLEN,
 * oldest dropped first), for GLASS_NEIGH_PROBES requests a second apart.
 * One lock per table; frames are sent after it is released.
 */
#include <linux/etherdevice.h>
#include <linux/glass.h>
#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "glass_frame.h"
#include "glass_neigh.h"

static unsigned int glass_neigh_reachable_ms = 30000;
module_param_named(neigh_reachable_ms, glass_neigh_reachable_ms, uint, 0644);
MODULE_PARM_DESC(neigh_reachable_ms,
		 "ms a glass neighbour stays reachable without confirmation (default 30000)");

/* Time between two requests for one entry. */
#define GLASS_NEIGH_RETRANS	HZ
/* Period of the aging timer while a table holds entries. */
#define GLASS_NEIGH_TICK	(HZ / 4)

enum glass_nud {
	GLASS_NUD_INCOMPLETE,
	GLASS_NUD_REACHABLE,
	GLASS_NUD_STALE,
	GLASS_NUD_PROBE,
};

static const char * const glass_nud_names[] = {
	[GLASS_NUD_INCOMPLETE] = "INCOMPLETE",
	[GLASS_NUD_REACHABLE] = "REACHABLE",
	[GLASS_NUD_STALE] = "STALE",
	[GLASS_NUD_PROBE] = "PROBE",
};

/**
 * struct glass_neigh - one address; every field under the table's lock.
 * @node: in the table's hash.
 * @ip: the peer's glass address.
 * @src: our address that asks for it (the first frame's source).
 * @mac: where @ip lives, valid unless INCOMPLETE.
 * @state: enum glass_nud.
 * @probes: requests sent in this INCOMPLETE or PROBE round.
 * @confirmed: when a message from @ip last confirmed @mac.
 * @used: when a frame last went to @ip.
 * @updated: when @state last changed or a request was sent.
 * @queue: frames waiting for @mac (INCOMPLETE only).
 */
struct glass_neigh {
	struct hlist_node node;
	__be32 ip;
	__be32 src;
	u8 mac[ETH_ALEN];
	u8 state;
	u8 probes;
	unsigned long confirmed;
	unsigned long used;
	unsigned long updated;
	struct sk_buff_head queue;
};

static unsigned long glass_neigh_reachable(void)
{
	return msecs_to_jiffies(max(READ_ONCE(glass_neigh_reachable_ms), 1U));
}

static struct hlist_head *glass_neigh_bucket(struct glass_neigh_table *tbl,
					     __be32 ip)
{
	return &tbl->hash[jhash_1word((__force u32)ip, 0) % GLASS_NEIGH_HASH];
}

static struct glass_neigh *glass_neigh_find(struct glass_neigh_table *tbl,
					    __be32 ip)
{
	struct glass_neigh *n;

	hlist_for_each_entry(n, glass_neigh_bucket(tbl, ip), node)
		if (n->ip == ip)
			return n;
	return NULL;
}

/* Unlink and free an entry; frames it held are counted as dropped. */
static void glass_neigh_free(struct glass_neigh_table *tbl,
			     struct glass_neigh *n)
{
	tbl->stats.unresolved_drops += skb_queue_len(&n->queue);
	__skb_queue_purge(&n->queue);
	hlist_del(&n->node);
	tbl->count--;
	kfree(n);
}

/* The least recently used resolved entry, the one a full table gives up. */
static struct glass_neigh *glass_neigh_victim(struct glass_neigh_table *tbl)
{
	struct glass_neigh *n, *victim = NULL;
	int i;

	for (i = 0; i < GLASS_NEIGH_HASH; i++)
		hlist_for_each_entry(n, &tbl->hash[i], node)
			if (n->state != GLASS_NUD_INCOMPLETE &&
			    (!victim || time_before(n->used, victim->used)))
				victim = n;
	return victim;
}

/* A new INCOMPLETE entry for ip, or NULL (no memory, table full). */
static struct glass_neigh *glass_neigh_new(struct glass_neigh_table *tbl,
					   __be32 ip)
{
	struct glass_neigh *n;

	if (tbl->count >= GLASS_NEIGH_MAX) {
		n = glass_neigh_victim(tbl);
		if (!n)
			return NULL;
		glass_neigh_free(tbl, n);
		tbl->stats.evicted++;
	}
	n = kzalloc(sizeof(*n), GFP_ATOMIC);
	if (!n)
		return NULL;
	n->ip = ip;
	n->state = GLASS_NUD_INCOMPLETE;
	n->used = jiffies;
	n->updated = n->used;
	n->confirmed = n->used;
	__skb_queue_head_init(&n->queue);
	hlist_add_head(&n->node, glass_neigh_bucket(tbl, ip));
	if (!tbl->count++)
		mod_timer(&tbl->timer, jiffies + GLASS_NEIGH_TICK);
	return n;
}

/*
 * A neighbour message from this device to dst (broadcast to resolve,
 * unicast otherwise), appended to q for sending after the lock.
 */
static void glass_neigh_msg(struct glass_neigh_table *tbl,
			    struct sk_buff_head *q, u8 op, __be32 sender,
			    __be32 target, const u8 *dst)
{
	struct net_device *dev = tbl->dev;
	struct glass_neigh_hdr *h;
	struct sk_buff *skb;

	skb = alloc_skb(LL_MAX_HEADER + ETH_ZLEN, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	h = skb_put_zero(skb, ETH_ZLEN - ETH_HLEN);
	h->version = GLASS_NEIGH_VERSION;
	h->op = op;
	h->sender = sender;
	h->target = target;
	h->check = csum_fold(csum_partial(h, GLASS_NEIGH_LEN, 0));
	skb->protocol = htons(ETH_P_GLASS);
	skb->dev = dev;
	if (dev_hard_header(skb, dev, ETH_P_GLASS, dst, dev->dev_addr,
			    skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	skb_reset_mac_header(skb);
	__skb_queue_tail(q, skb);
	if (op == GLASS_NEIGH_REQUEST)
		tbl->stats.requests_out++;
	else
		tbl->stats.replies_out++;
}

static void glass_neigh_request(struct glass_neigh_table *tbl,
				struct glass_neigh *n, struct sk_buff_head *q)
{
	const u8 *dst = n->state == GLASS_NUD_INCOMPLETE ? tbl->dev->broadcast :
			n->mac;

	glass_neigh_msg(tbl, q, GLASS_NEIGH_REQUEST, n->src, n->ip, dst);
	n->probes++;
	n->updated = jiffies;
}

/* Send what was collected under the lock. */
static void glass_neigh_send_all(struct glass_neigh_table *tbl,
				 struct sk_buff_head *q)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q)))
		tbl->send(tbl->dev, skb);
}

static void glass_neigh_set_dest(struct sk_buff *skb, const u8 *mac)
{
	ether_addr_copy(eth_hdr(skb)->h_dest, mac);
}

/*
 * The address a glass segment goes to, or 0 if skb is no segment that
 * asks for resolution (a neighbour message, a frame a packet socket
 * addressed to a MAC of its own choosing, a runt).
 */
static __be32 glass_neigh_daddr(const struct sk_buff *skb)
{
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;
	__be32 daddr, *p;

	if (skb_headlen(skb) < ETH_HLEN || !is_broadcast_ether_addr(eth->h_dest))
		return 0;
	p = skb_header_pointer(skb, ETH_HLEN + offsetof(struct glass_hdr, daddr),
			       sizeof(daddr), &daddr);
	if (!p || glass_neigh_is_msg(skb))
		return 0;
	return *p;
}

static __be32 glass_neigh_saddr(const struct sk_buff *skb)
{
	__be32 saddr, *p;

	p = skb_header_pointer(skb, ETH_HLEN + offsetof(struct glass_hdr, saddr),
			       sizeof(saddr), &saddr);
	return p ? *p : 0;
}

/* Under the lock: route skb by entry n; true if it may be sent now. */
static bool glass_neigh_resolve(struct glass_neigh_table *tbl,
				struct glass_neigh *n, struct sk_buff *skb,
				struct sk_buff_head *q)
{
	n->used = jiffies;
	n->src = glass_neigh_saddr(skb) ? : n->src;
	if (n->state == GLASS_NUD_INCOMPLETE) {
		if (skb_queue_len(&n->queue) >= GLASS_NEIGH_QLEN) {
			kfree_skb(__skb_dequeue(&n->queue));
			tbl->stats.unresolved_drops++;
		}
		__skb_queue_tail(&n->queue, skb);
		return false;
	}
	glass_neigh_set_dest(skb, n->mac);
	if (n->state == GLASS_NUD_STALE) {
		n->state = GLASS_NUD_PROBE;
		n->probes = 0;
		glass_neigh_request(tbl, n, q);
	}
	return true;
}

/**
 * glass_neigh_xmit() - send one frame of the device to its peer's MAC.
 * @tbl: the device's table.
 * @skb: a frame (not a train) with its Ethernet header, addressed to
 *	broadcast by the output path; consumed.
 *
 * A frame already addressed to a unicast MAC goes as it is. Otherwise the
 * glass header's destination is looked up: a known MAC is written into
 * the frame, an unknown address is asked for with a broadcast request
 * and the frame waits for the answer.
 */
void glass_neigh_xmit(struct glass_neigh_table *tbl, struct sk_buff *skb)
{
	__be32 daddr = glass_neigh_daddr(skb);
	struct sk_buff_head q;
	struct glass_neigh *n;
	bool now = true;

	if (!daddr) {
		tbl->send(tbl->dev, skb);
		return;
	}
	__skb_queue_head_init(&q);
	spin_lock_bh(&tbl->lock);
	n = glass_neigh_find(tbl, daddr);
	if (!n) {
		n = glass_neigh_new(tbl, daddr);
		if (n) {
			n->src = glass_neigh_saddr(skb);
			glass_neigh_request(tbl, n, &q);
		}
	}
	if (n) {
		now = glass_neigh_resolve(tbl, n, skb, &q);
	} else {
		tbl->stats.unresolved_drops++;
		kfree_skb(skb);
		now = false;
	}
	spin_unlock_bh(&tbl->lock);
	if (now)
		__skb_queue_tail(&q, skb);
	glass_neigh_send_all(tbl, &q);
}

/*
 * Under the lock: ip lives at mac; frames waiting for it go to q. A new
 * entry (create: a request for our address src) asks from src later.
 */
static void glass_neigh_learn(struct glass_neigh_table *tbl, __be32 ip,
			      const u8 *mac, __be32 src, bool create,
			      struct sk_buff_head *q)
{
	struct glass_neigh *n = glass_neigh_find(tbl, ip);
	struct sk_buff *skb;

	if (!n && create) {
		n = glass_neigh_new(tbl, ip);
		if (n)
			n->src = src;
	}
	if (!n)
		return;
	if (n->state != GLASS_NUD_INCOMPLETE && !ether_addr_equal(n->mac, mac))
		tbl->stats.mac_changes++;
	ether_addr_copy(n->mac, mac);
	n->state = GLASS_NUD_REACHABLE;
	n->probes = 0;
	n->confirmed = jiffies;
	n->updated = n->confirmed;
	while ((skb = __skb_dequeue(&n->queue))) {
		glass_neigh_set_dest(skb, mac);
		__skb_queue_tail(q, skb);
	}
}

/* Is ip one of the device's own IPv4 addresses? */
static bool glass_neigh_is_local(struct net_device *dev, __be32 ip)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	bool found = false;

	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (ifa->ifa_local == ip) {
				found = true;
				break;
			}
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * glass_neigh_is_msg() - is this glass frame a neighbour message?
 * @skb: a glass frame, Ethernet header pulled or not yet pushed.
 *
 * Return: true if its first byte (after the Ethernet header, when data
 * points at it) is GLASS_NEIGH_VERSION.
 */
bool glass_neigh_is_msg(const struct sk_buff *skb)
{
	int off = skb->data == skb_mac_header(skb) ? ETH_HLEN : 0;
	u8 v, *p;

	p = skb_header_pointer(skb, off, 1, &v);
	return p && *p == GLASS_NEIGH_VERSION;
}

/* The message of skb if well formed, else NULL. */
static const struct glass_neigh_hdr *
glass_neigh_parse(const struct sk_buff *skb, struct glass_neigh_hdr *buf)
{
	const struct glass_neigh_hdr *h;

	h = skb_header_pointer(skb, 0, GLASS_NEIGH_LEN, buf);
	if (!h || h->version != GLASS_NEIGH_VERSION ||
	    (h->op != GLASS_NEIGH_REQUEST && h->op != GLASS_NEIGH_REPLY) ||
	    csum_fold(csum_partial(h, GLASS_NEIGH_LEN, 0)) ||
	    !h->sender || !h->target ||
	    !is_valid_ether_addr(eth_hdr(skb)->h_source))
		return NULL;
	return h;
}

/**
 * glass_neigh_rcv() - a neighbour message arrived for the device.
 * @tbl: the device's table.
 * @skb: the message, Ethernet header pulled; not consumed.
 *
 * A request for one of the device's addresses teaches the asker's
 * address and MAC and is answered; a reply confirms an entry the table
 * already has (unsolicited replies create nothing). Malformed messages
 * are counted.
 */
void glass_neigh_rcv(struct glass_neigh_table *tbl, const struct sk_buff *skb)
{
	const u8 *mac = eth_hdr(skb)->h_source;
	const struct glass_neigh_hdr *h;
	struct glass_neigh_hdr buf;
	struct sk_buff_head q;

	__skb_queue_head_init(&q);
	h = glass_neigh_parse(skb, &buf);
	spin_lock_bh(&tbl->lock);
	if (!h) {
		tbl->stats.bad++;
	} else if (h->op == GLASS_NEIGH_REPLY) {
		tbl->stats.replies_in++;
		glass_neigh_learn(tbl, h->sender, mac, 0, false, &q);
	} else {
		tbl->stats.requests_in++;
		if (glass_neigh_is_local(tbl->dev, h->target)) {
			glass_neigh_learn(tbl, h->sender, mac, h->target,
					  true, &q);
			glass_neigh_msg(tbl, &q, GLASS_NEIGH_REPLY, h->target,
					h->sender, mac);
		}
	}
	spin_unlock_bh(&tbl->lock);
	glass_neigh_send_all(tbl, &q);
}

/* Under the lock: one entry's turn of the aging timer; false to free it. */
static bool glass_neigh_age(struct glass_neigh_table *tbl,
			    struct glass_neigh *n, struct sk_buff_head *q)
{
	unsigned long now = jiffies, reach = glass_neigh_reachable();
	bool retrans = time_after_eq(now, n->updated + GLASS_NEIGH_RETRANS);

	switch (n->state) {
	case GLASS_NUD_INCOMPLETE:
	case GLASS_NUD_PROBE:
		if (!retrans)
			return true;
		if (n->probes < GLASS_NEIGH_PROBES) {
			glass_neigh_request(tbl, n, q);
			return true;
		}
		if (n->state == GLASS_NUD_INCOMPLETE)
			tbl->stats.resolve_failed++;
		else
			tbl->stats.refresh_failed++;
		return false;
	case GLASS_NUD_REACHABLE:
		if (time_after_eq(now, n->confirmed + reach)) {
			n->state = GLASS_NUD_STALE;
			n->updated = now;
		}
		return true;
	default:	/* STALE: ages out when unused */
		return time_before(now, max(n->used, n->updated) + reach);
	}
}

static void glass_neigh_timer(struct timer_list *t)
{
	struct glass_neigh_table *tbl = from_timer(tbl, t, timer);
	struct glass_neigh *n;
	struct hlist_node *tmp;
	struct sk_buff_head q;
	int i;

	__skb_queue_head_init(&q);
	spin_lock_bh(&tbl->lock);
	for (i = 0; i < GLASS_NEIGH_HASH; i++)
		hlist_for_each_entry_safe(n, tmp, &tbl->hash[i], node)
			if (!glass_neigh_age(tbl, n, &q))
				glass_neigh_free(tbl, n);
	if (tbl->count)
		mod_timer(&tbl->timer, jiffies + GLASS_NEIGH_TICK);
	spin_unlock_bh(&tbl->lock);
	glass_neigh_send_all(tbl, &q);
}

/**
 * glass_neigh_init() - an empty table for a stacked device.
 * @tbl: the table (inside the device's private area).
 * @dev: the glass device.
 * @send: hands a finished frame to the lower device.
 */
void glass_neigh_init(struct glass_neigh_table *tbl, struct net_device *dev,
		      void (*send)(struct net_device *, struct sk_buff *))
{
	int i;

	spin_lock_init(&tbl->lock);
	for (i = 0; i < GLASS_NEIGH_HASH; i++)
		INIT_HLIST_HEAD(&tbl->hash[i]);
	tbl->count = 0;
	timer_setup(&tbl->timer, glass_neigh_timer, 0);
	memset(&tbl->stats, 0, sizeof(tbl->stats));
	tbl->dev = dev;
	tbl->send = send;
}

/**
 * glass_neigh_flush() - forget every entry (the device went down).
 * @tbl: the table.
 *
 * Frames waiting for resolution are dropped and counted.
 */
void glass_neigh_flush(struct glass_neigh_table *tbl)
{
	struct glass_neigh *n;
	struct hlist_node *tmp;
	int i;

	spin_lock_bh(&tbl->lock);
	for (i = 0; i < GLASS_NEIGH_HASH; i++)
		hlist_for_each_entry_safe(n, tmp, &tbl->hash[i], node)
			glass_neigh_free(tbl, n);
	spin_unlock_bh(&tbl->lock);
}

/**
 * glass_neigh_destroy() - stop the timer and free every entry.
 * @tbl: the table; nothing may use it any more (the device is unregistering).
 */
void glass_neigh_destroy(struct glass_neigh_table *tbl)
{
	timer_shutdown_sync(&tbl->timer);
	glass_neigh_flush(tbl);
}

/**
 * glass_neigh_show() - the table's rows of /proc/net/glass_neigh.
 * @tbl: the table.
 * @seq: the file.
 *
 * One row per entry: device, address, MAC, state, ms since the last
 * confirmation, requests of the current round, frames waiting.
 */
void glass_neigh_show(struct glass_neigh_table *tbl, struct seq_file *seq)
{
	struct glass_neigh *n;
	int i;

	spin_lock_bh(&tbl->lock);
	for (i = 0; i < GLASS_NEIGH_HASH; i++)
		hlist_for_each_entry(n, &tbl->hash[i], node)
			seq_printf(seq, "%-15s %-15pI4 %pM %-10s %8u %6u %6u\n",
				   tbl->dev->name, &n->ip,
				   n->state == GLASS_NUD_INCOMPLETE ?
				   tbl->dev->broadcast : n->mac,
				   glass_nud_names[n->state],
				   jiffies_to_msecs(jiffies - n->confirmed),
				   n->probes, skb_queue_len(&n->queue));
	spin_unlock_bh(&tbl->lock);
}

/**
 * glass_neigh_stats_add() - add the table's counters to a sum.
 * @tbl: the table.
 * @sum: where to add them.
 */
void glass_neigh_stats_add(struct glass_neigh_table *tbl,
			   struct glass_neigh_stats *sum)
{
	const u64 *from = (const u64 *)&tbl->stats;
	u64 *to = (u64 *)sum;
	size_t i;

	spin_lock_bh(&tbl->lock);
	for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
		to[i] += from[i];
	spin_unlock_bh(&tbl->lock);
}
