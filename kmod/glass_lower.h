/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A glass device stacked on a lower Ethernet device (glass_lower.c): the
 * lower device's receive hook, its notifier, and the way out through it.
 */
#ifndef _GLASS_LOWER_H
#define _GLASS_LOWER_H

#include <linux/netdevice.h>
#include <linux/netlink.h>

#include "glass_neigh.h"

/**
 * struct glass_upper - what a stacked glass device adds to its private area.
 * @node: in its lower device's port (RCU readers on receive, RTNL writers).
 * @dev: the glass device.
 * @lower: the lower device, NULL for loopback devices and pairs; fixed,
 *	held (dev_hold) for the glass device's life.
 * @attached: @node is on the port (RTNL).
 * @neigh: the neighbour table.
 */
struct glass_upper {
	struct list_head node;
	struct net_device *dev;
	struct net_device *lower;
	bool attached;
	struct glass_neigh_table neigh;
};

struct net_device *glass_lower_get(struct net *net, struct nlattr *tb[],
				   struct netlink_ext_ack *extack);
void glass_lower_setup(struct glass_upper *up, struct net_device *dev,
		       struct net_device *lower);
int glass_lower_attach(struct glass_upper *up, struct netlink_ext_ack *extack);
void glass_lower_unlink(struct glass_upper *up);
void glass_lower_detach(struct glass_upper *up);
void glass_lower_open(struct glass_upper *up);
void glass_lower_stop(struct glass_upper *up);
int glass_lower_set_mac(struct glass_upper *up, const u8 *mac);
void glass_lower_xmit(struct glass_upper *up, struct sk_buff *skb);
void glass_lower_stats(struct net *net, struct glass_neigh_stats *sum);
int glass_lower_init(void);
void glass_gro_init(void);
void glass_gro_exit(void);
void glass_lower_exit(void);

#endif /* _GLASS_LOWER_H */
