/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Neighbour resolution of a glass device stacked on Ethernet
 * (glass_neigh.c): which MAC holds a peer's glass address. One table per
 * stacked device, bounded, its entries aging out as ARP's do.
 */
#ifndef _GLASS_NEIGH_H
#define _GLASS_NEIGH_H

#include <linux/netdevice.h>
#include <linux/seq_file.h>
#include <linux/timer.h>

/* Entries one device may hold: a hostile peer cannot grow it further. */
#define GLASS_NEIGH_MAX		256
/* Frames held per unresolved entry (the oldest is dropped beyond). */
#define GLASS_NEIGH_QLEN	3
/* Requests sent before giving up on an address. */
#define GLASS_NEIGH_PROBES	3
#define GLASS_NEIGH_HASH	32

/**
 * struct glass_neigh_stats - what a table did (all under its lock).
 * @requests_out: requests sent (broadcast or unicast refresh).
 * @replies_out: replies sent.
 * @requests_in: requests received.
 * @replies_in: replies received.
 * @resolve_failed: addresses given up on (no reply to any request).
 * @unresolved_drops: frames dropped waiting for resolution.
 * @refresh_failed: reachable entries whose refresh got no answer.
 * @mac_changes: entries that learned a new MAC.
 * @evicted: entries pushed out by a full table.
 * @bad: malformed messages.
 */
struct glass_neigh_stats {
	u64 requests_out;
	u64 replies_out;
	u64 requests_in;
	u64 replies_in;
	u64 resolve_failed;
	u64 unresolved_drops;
	u64 refresh_failed;
	u64 mac_changes;
	u64 evicted;
	u64 bad;
};

/**
 * struct glass_neigh_table - one stacked device's neighbours.
 * @lock: protects every field below but @dev, @timer's arming included.
 * @hash: entries by address.
 * @count: entries in @hash.
 * @timer: ages entries and repeats requests while @count.
 * @stats: counters, summed into /proc/net/glass_stat.
 * @dev: the glass device (fixed).
 * @send: hands a finished frame to the lower device (fixed).
 */
struct glass_neigh_table {
	spinlock_t lock;	/* see @lock above */
	struct hlist_head hash[GLASS_NEIGH_HASH];
	unsigned int count;
	struct timer_list timer;
	struct glass_neigh_stats stats;
	struct net_device *dev;
	void (*send)(struct net_device *dev, struct sk_buff *skb);
};

void glass_neigh_init(struct glass_neigh_table *tbl, struct net_device *dev,
		      void (*send)(struct net_device *, struct sk_buff *));
void glass_neigh_flush(struct glass_neigh_table *tbl);
void glass_neigh_destroy(struct glass_neigh_table *tbl);
void glass_neigh_xmit(struct glass_neigh_table *tbl, struct sk_buff *skb);
bool glass_neigh_is_msg(const struct sk_buff *skb);
void glass_neigh_rcv(struct glass_neigh_table *tbl, const struct sk_buff *skb);
void glass_neigh_show(struct glass_neigh_table *tbl, struct seq_file *seq);
void glass_neigh_stats_add(struct glass_neigh_table *tbl,
			   struct glass_neigh_stats *sum);

#endif /* _GLASS_NEIGH_H */
