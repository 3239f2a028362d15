/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seeded fault injection on a glass device's transmit path: loss,
 * duplication, reordering, corruption and delay, drawn from a per-device
 * generator restarted from a seed, so a failing run can be replayed
 * (6.1's netem has no seed). glass_fault.c has the mechanics.
 */
#ifndef _GLASS_FAULT_H
#define _GLASS_FAULT_H

#include <linux/netdevice.h>
#include <linux/prandom.h>
#include <linux/glass.h>

/**
 * struct glass_fault - one device's injector.
 * @lock: protects every field below (transmit runs on any CPU, LLTX).
 * @rnd: the generator, restarted from @seed.
 * @seed: the last seed configured.
 * @loss: drop probability, ppm.
 * @dup: duplicate probability, ppm.
 * @reorder: probability to hold a frame behind the next one, ppm.
 * @corrupt: probability to flip one bit, ppm.
 * @delay_us: delay added to every frame.
 * @queue: frames waiting for their time (delay or reorder hold).
 * @timer: releases @queue.
 * @stats: what happened.
 * @dev: the device.
 * @deliver: hands a frame to the receiving side.
 */
struct glass_fault {
	spinlock_t lock;	/* see @lock above */
	struct rnd_state rnd;
	u64 seed;
	u32 loss;
	u32 dup;
	u32 reorder;
	u32 corrupt;
	u32 delay_us;
	struct sk_buff_head queue;
	struct timer_list timer;
	struct glass_fault_stats stats;
	struct net_device *dev;
	void (*deliver)(struct net_device *dev, struct sk_buff *skb);
};

void glass_fault_init(struct glass_fault *f, struct net_device *dev,
		      void (*deliver)(struct net_device *, struct sk_buff *));
void glass_fault_destroy(struct glass_fault *f);
bool glass_fault_active(const struct glass_fault *f);
void glass_fault_xmit(struct glass_fault *f, struct sk_buff *skb);
int glass_fault_set(struct glass_fault *f, struct nlattr *data[]);
size_t glass_fault_nl_size(void);
int glass_fault_fill(struct glass_fault *f, struct sk_buff *skb);

#endif /* _GLASS_FAULT_H */
