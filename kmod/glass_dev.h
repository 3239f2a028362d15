/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device floor's interface: the glass device kind (glass_dev.c) as
 * the rest of the module sees it. It knows frames, not sockets.
 */
#ifndef _GLASS_DEV_H
#define _GLASS_DEV_H

#include <linux/netdevice.h>

int glass_dev_init(void (*held_wake)(struct list_head *node));
void glass_dev_exit(void);
struct glass_upper;

bool glass_dev_is_glass(const struct net_device *dev);
struct glass_upper *glass_dev_upper(struct net_device *dev);
bool glass_dev_full(struct net_device *dev, u32 mark);
bool glass_dev_hold(struct net_device *dev, struct list_head *node, u32 mark);
struct sk_buff *glass_dev_gso_segment(struct sk_buff *skb,
				      netdev_features_t features);

#endif /* _GLASS_DEV_H */
