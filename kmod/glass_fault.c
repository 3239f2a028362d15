// SPDX-License-Identifier: GPL-2.0
/*
 * Seeded fault injection for glass devices. Each transmitted frame draws
 * from the device's generator, in a fixed order, whether it is lost,
 * corrupted, duplicated, held behind the next frame, or delayed; the same
 * seed and the same frames give the same faults. Held and delayed frames
 * wait on a queue that a timer releases in order of their due time.
 */
#include <linux/etherdevice.h>
#include <linux/skbuff.h>
#include <net/netlink.h>

#include "glass_fault.h"

/* How long a reordered frame waits for a successor before going anyway. */
#define GLASS_REORDER_HOLD_US	2000

struct glass_fault_cb {
	unsigned long due;	/* jiffies */
};

#define GLASS_FAULT_CB(skb) ((struct glass_fault_cb *)&((skb)->cb[0]))

static void glass_fault_timer(struct timer_list *t);

/**
 * glass_fault_init() - set up a device's injector, inactive.
 * @f: the injector.
 * @dev: its device.
 * @deliver: what hands a frame on once the injector let it through.
 */
void glass_fault_init(struct glass_fault *f, struct net_device *dev,
		      void (*deliver)(struct net_device *, struct sk_buff *))
{
	spin_lock_init(&f->lock);
	skb_queue_head_init(&f->queue);
	timer_setup(&f->timer, glass_fault_timer, 0);
	prandom_seed_state(&f->rnd, 0);
	f->dev = dev;
	f->deliver = deliver;
}

/**
 * glass_fault_destroy() - stop the injector's timer, free what it holds.
 * @f: the injector of a device being torn down.
 */
void glass_fault_destroy(struct glass_fault *f)
{
	del_timer_sync(&f->timer);
	skb_queue_purge(&f->queue);
}

/**
 * glass_fault_active() - does the injector do anything?
 * @f: the injector.
 *
 * Return: true if any probability or the delay is set, or frames wait.
 */
bool glass_fault_active(const struct glass_fault *f)
{
	return READ_ONCE(f->loss) || READ_ONCE(f->dup) ||
	       READ_ONCE(f->reorder) || READ_ONCE(f->corrupt) ||
	       READ_ONCE(f->delay_us) || !skb_queue_empty_lockless(&f->queue);
}

/* One draw: true with probability ppm / 10^6. Caller holds f->lock. */
static bool glass_fault_roll(struct glass_fault *f, u32 ppm)
{
	if (!ppm)
		return false;
	return prandom_u32_state(&f->rnd) % GLASS_PPM_MAX < ppm;
}

/* Flip one bit after the Ethernet header (a private copy: data is shared). */
static struct sk_buff *glass_fault_corrupt(struct glass_fault *f,
					   struct sk_buff *skb)
{
	u32 span, off;

	skb = skb_unshare(skb, GFP_ATOMIC);
	if (!skb || skb_linearize(skb) || skb->len <= ETH_HLEN)
		return skb;
	/* Real bytes first, as netem does, so the receiver can catch it. */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return skb;
	span = skb->len - ETH_HLEN;
	off = ETH_HLEN + prandom_u32_state(&f->rnd) % span;
	skb->data[off] ^= 1 << (prandom_u32_state(&f->rnd) % 8);
	f->stats.corrupted++;
	return skb;
}

/* Queue skb to leave at due, keeping the queue sorted by due time. */
static void glass_fault_enqueue(struct glass_fault *f, struct sk_buff *skb,
				unsigned long due)
{
	struct sk_buff *pos;

	GLASS_FAULT_CB(skb)->due = due;
	skb_queue_reverse_walk(&f->queue, pos) {
		if (time_before_eq(GLASS_FAULT_CB(pos)->due, due)) {
			__skb_queue_after(&f->queue, pos, skb);
			goto arm;
		}
	}
	__skb_queue_head(&f->queue, skb);
arm:
	skb = skb_peek(&f->queue);
	mod_timer(&f->timer, GLASS_FAULT_CB(skb)->due);
}

/* Take the frames that are due off the queue, in order. */
static void glass_fault_take_due(struct glass_fault *f,
				 struct sk_buff_head *out, bool all)
{
	struct sk_buff *skb;

	while ((skb = skb_peek(&f->queue))) {
		if (!all && time_after(GLASS_FAULT_CB(skb)->due, jiffies))
			break;
		__skb_unlink(skb, &f->queue);
		__skb_queue_tail(out, skb);
	}
	skb = skb_peek(&f->queue);
	if (skb)
		mod_timer(&f->timer, GLASS_FAULT_CB(skb)->due);
}

static void glass_fault_flush(struct glass_fault *f, struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list)))
		f->deliver(f->dev, skb);
}

static void glass_fault_timer(struct timer_list *t)
{
	struct glass_fault *f = from_timer(f, t, timer);
	struct sk_buff_head due;

	__skb_queue_head_init(&due);
	spin_lock_bh(&f->lock);
	glass_fault_take_due(f, &due, false);
	spin_unlock_bh(&f->lock);
	glass_fault_flush(f, &due);
}

/*
 * Decide the fate of one frame and of its duplicate, if any. Frames that
 * leave now are added to out (this one first, then any frame a reorder
 * held back, so the held frame arrives after its successor).
 */
static void glass_fault_decide(struct glass_fault *f, struct sk_buff *skb,
			       struct sk_buff_head *out)
{
	unsigned long delay = usecs_to_jiffies(f->delay_us);
	struct sk_buff *dup = NULL;

	f->stats.frames++;
	if (glass_fault_roll(f, f->loss)) {
		f->stats.lost++;
		kfree_skb(skb);
		return;
	}
	if (glass_fault_roll(f, f->corrupt)) {
		skb = glass_fault_corrupt(f, skb);
		if (!skb)
			return;
	}
	if (glass_fault_roll(f, f->dup)) {
		dup = skb_clone(skb, GFP_ATOMIC);
		if (dup)
			f->stats.duplicated++;
	}
	if (glass_fault_roll(f, f->reorder)) {
		f->stats.reordered++;
		glass_fault_enqueue(f, skb, jiffies + delay +
				    usecs_to_jiffies(GLASS_REORDER_HOLD_US));
		skb = NULL;
	} else if (delay) {
		f->stats.delayed++;
		glass_fault_enqueue(f, skb, jiffies + delay);
		skb = NULL;
	}
	if (skb)
		__skb_queue_tail(out, skb);
	if (dup)
		__skb_queue_tail(out, dup);
	/* A held frame goes right after the frame that overtook it. */
	if (skb && !delay)
		glass_fault_take_due(f, out, !f->delay_us);
}

/**
 * glass_fault_xmit() - send skb through the injector.
 * @f: the device's injector.
 * @skb: a frame from ndo_start_xmit; consumed.
 */
void glass_fault_xmit(struct glass_fault *f, struct sk_buff *skb)
{
	struct sk_buff_head out;

	__skb_queue_head_init(&out);
	spin_lock_bh(&f->lock);
	glass_fault_decide(f, skb, &out);
	spin_unlock_bh(&f->lock);
	glass_fault_flush(f, &out);
}

static u32 glass_fault_ppm(struct nlattr *a, u32 old)
{
	return a ? min_t(u32, nla_get_u32(a), GLASS_PPM_MAX) : old;
}

/**
 * glass_fault_set() - apply the GLASS_INFO_FAULT_* attributes present.
 * @f: the injector.
 * @data: parsed IFLA_INFO_DATA, may be NULL.
 *
 * A seed restarts the generator and clears the statistics. Values past
 * GLASS_PPM_MAX (or 10 s of delay) are clamped.
 * Return: 0.
 */
int glass_fault_set(struct glass_fault *f, struct nlattr *data[])
{
	if (!data)
		return 0;
	spin_lock_bh(&f->lock);
	if (data[GLASS_INFO_FAULT_SEED]) {
		f->seed = nla_get_u64(data[GLASS_INFO_FAULT_SEED]);
		prandom_seed_state(&f->rnd, f->seed);
		memset(&f->stats, 0, sizeof(f->stats));
	}
	f->loss = glass_fault_ppm(data[GLASS_INFO_FAULT_LOSS], f->loss);
	f->dup = glass_fault_ppm(data[GLASS_INFO_FAULT_DUPLICATE], f->dup);
	f->reorder = glass_fault_ppm(data[GLASS_INFO_FAULT_REORDER],
				     f->reorder);
	f->corrupt = glass_fault_ppm(data[GLASS_INFO_FAULT_CORRUPT],
				     f->corrupt);
	if (data[GLASS_INFO_FAULT_DELAY_US])
		f->delay_us = min_t(u32, nla_get_u32(data[GLASS_INFO_FAULT_DELAY_US]),
				    10 * USEC_PER_SEC);
	spin_unlock_bh(&f->lock);
	return 0;
}

/**
 * glass_fault_nl_size() - room the injector's attributes take in a dump.
 *
 * Return: bytes, for rtnl_link_ops.get_size.
 */
size_t glass_fault_nl_size(void)
{
	return nla_total_size_64bit(sizeof(u64)) +
	       5 * nla_total_size(sizeof(u32)) +
	       nla_total_size_64bit(sizeof(struct glass_fault_stats));
}

/**
 * glass_fault_fill() - put the injector's settings and counters in a dump.
 * @f: the injector.
 * @skb: the netlink message.
 *
 * Return: 0 or -EMSGSIZE.
 */
int glass_fault_fill(struct glass_fault *f, struct sk_buff *skb)
{
	struct glass_fault_stats stats;
	u32 loss, dup, reorder, corrupt, delay;
	u64 seed;

	spin_lock_bh(&f->lock);
	stats = f->stats;
	seed = f->seed;
	loss = f->loss;
	dup = f->dup;
	reorder = f->reorder;
	corrupt = f->corrupt;
	delay = f->delay_us;
	spin_unlock_bh(&f->lock);
	if (nla_put_u64_64bit(skb, GLASS_INFO_FAULT_SEED, seed,
			      GLASS_INFO_UNSPEC) ||
	    nla_put_u32(skb, GLASS_INFO_FAULT_LOSS, loss) ||
	    nla_put_u32(skb, GLASS_INFO_FAULT_DUPLICATE, dup) ||
	    nla_put_u32(skb, GLASS_INFO_FAULT_REORDER, reorder) ||
	    nla_put_u32(skb, GLASS_INFO_FAULT_CORRUPT, corrupt) ||
	    nla_put_u32(skb, GLASS_INFO_FAULT_DELAY_US, delay) ||
	    nla_put_64bit(skb, GLASS_INFO_FAULT_STATS, sizeof(stats), &stats,
			  GLASS_INFO_UNSPEC))
		return -EMSGSIZE;
	return 0;
}
