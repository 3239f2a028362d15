// SPDX-License-Identifier: GPL-2.0
/*
 * The glass network device. `ip link add NAME type glass` makes a
 * loopback device: every frame it transmits comes back in on itself. With
 * a GLASS_INFO_PEER attribute (as veth's VETH_INFO_PEER) it makes a pair:
 * what one end transmits, the other receives, across namespaces too.
 * Frames leave through the normal queueing path (qdiscs, netem, AF_PACKET
 * taps apply) and arrive through netif_rx, like veth. The device knows
 * nothing of sockets: it includes only the frame floor (glass_frame.h),
 * and the socket side watches devices go with its own notifier
 * (glass_conn.c). With IFLA_LINK (`ip link add link eth1 name g0 type
 * glass`) it is stacked on a lower Ethernet device instead: frames go
 * out of the lower device to the peer's MAC and come in from it
 * (glass_lower.c, glass_neigh.c).
 *
 * Frames are handed to the receiving end through its own queue, drained by
 * its NAPI poll, not netif_rx(): netif_rx() queues to the backlog of
 * whichever CPU transmits, and a connection that transmits from two CPUs
 * (a writer on one, ACK-clocked sends in softirq on the other) would see
 * its own segments reordered on a wire that never reorders. A train's
 * poll is scheduled on another CPU than the sender's (glass_rx_kick()).
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/addrconf.h>
#include <net/busy_poll.h>
#include <net/rtnetlink.h>

#include "glass_frame.h"
#include "glass_dev.h"
#include "glass_fault.h"
#include "glass_lower.h"

/**
 * struct glass_priv - per-device state.
 * @peer: the other end of a pair (RCU; RTNL for writers), NULL if none.
 * @loopback: this device answers itself.
 * @fault: the seeded fault injector of the transmit path.
 * @rxq: frames received, waiting for @napi (its own lock).
 * @napi: delivers @rxq to the stack in order.
 * @kick: schedules @napi on another CPU (glass_rx_kick()).
 * @kick_busy: bit 0 is set while @kick is in flight.
 * @rxq_bytes: bytes of the frames on @rxq (written under @rxq's lock).
 * @held_lock: protects @held.
 * @held: senders waiting for @rxq to drain (glass_dev_hold()), oldest first.
 * @held_mark: the mark of the latest sender held, bytes: @rxq_bytes at which
 *	senders wait; they are let go from half of it.
 * @held_frames: the frame mark of the latest sender held, as @held_mark.
 * @up: the lower device and neighbours of a stacked device (up.lower set).
 */
struct glass_priv {
	struct net_device __rcu *peer;
	bool loopback;
	struct glass_fault fault;
	struct sk_buff_head rxq;
	u32 rxq_bytes;
	u32 held_mark;
	u32 held_frames;
	spinlock_t held_lock;		/* protects held */
	struct list_head held;
	struct napi_struct napi;
	call_single_data_t kick;
	unsigned long kick_busy;
	struct glass_upper up;
};

/*
 * Frames a device may have waiting for its peer's poll before they are
 * dropped: its txqueuelen (`ip link set DEV txqueuelen N`), 4,096 unless
 * set. 2,048 dropped a third of the frames of 10,000 busy connections (one
 * NAPI poll drains the queue, late when it runs in ksoftirqd), each drop a
 * whole 16 KiB flight recovered by an RTO; 4,096 roughly doubled what they
 * moved (docs/perf.md). Not more: the queue's delay must stay well under
 * the minimum RTO, or it is retransmitted from, not drained (16,384
 * collapsed). GLASS_TXQ_LIMIT bounds what a user may set.
 */
#define GLASS_TXQ_DEFAULT	4096
#define GLASS_TXQ_LIMIT		65536

static struct rtnl_link_ops glass_link_ops;

/* Called for a held sender once it may send again (glass_dev_init()). */
static void (*glass_held_wake)(struct list_head *node);

/**
 * glass_dev_is_glass() - is dev a glass device?
 * @dev: any network device.
 *
 * Return: true if its kind is `glass`.
 */
bool glass_dev_is_glass(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &glass_link_ops;
}

/**
 * glass_dev_upper() - the stacking state of a glass device.
 * @dev: a glass device (glass_dev_is_glass()).
 *
 * Return: its struct glass_upper; ->lower is NULL unless it is stacked.
 */
struct glass_upper *glass_dev_upper(struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);

	return &priv->up;
}

static bool glass_stacked(const struct glass_priv *priv)
{
	return priv->up.lower;
}

/* The way out of a stacked device, for the fault injector. */
static void glass_stacked_deliver(struct net_device *dev, struct sk_buff *skb)
{
	struct glass_priv *priv = netdev_priv(dev);

	glass_lower_xmit(&priv->up, skb);
}

/*
 * __dev_forward_skb(), except that a train (glass_output.c) is longer than
 * the MTU by design, as a GSO packet is on veth; any other frame must fit.
 */
static int glass_forward(struct net_device *rcv, struct sk_buff *skb)
{
	if (____dev_forward_skb(rcv, skb, !skb_has_frag_list(skb)))
		return NET_RX_DROP;
	skb->protocol = eth_type_trans(skb, rcv);
	skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);
	return 0;
}

/*
 * Frames of at least this many bytes (trains: a bulk sender's) are polled
 * on another CPU than the one that sends them (glass_rx_kick()).
 */
#define GLASS_RX_STEER_MIN	8192

/*
 * The IPI of glass_rx_kick(): schedule the poll here, on the target CPU.
 * The kick already owns the poll's SCHED state (napi_schedule_prep()).
 */
static void glass_rx_kick_ipi(void *data)
{
	struct glass_priv *priv = data;

	__napi_schedule(&priv->napi);
	/* Release: glass_close() may disable the poll once it sees this. */
	clear_bit_unlock(0, &priv->kick_busy);
}

/* The next online CPU after this one (this one if it is alone). */
static int glass_rx_other_cpu(void)
{
	int cpu = cpumask_next(smp_processor_id(), cpu_online_mask);

	return cpu < nr_cpu_ids ? cpu : cpumask_first(cpu_online_mask);
}

/*
 * A frame waits on priv's queue: get its poll going. NAPI polls in softirq
 * on the CPU that schedules it, which here is the sender's: a bulk
 * sender's CPU would also run the receiver's protocol work (the peer's
 * poll: its trains, its socket, its ACKs) while the reader's CPU idles.
 * A train's poll is therefore scheduled on another CPU, by an IPI, as
 * RPS hands a packet to another CPU's backlog; the work of a bulk
 * transfer then runs on two CPUs at once. A small frame (a request, an
 * ACK) is polled here, at once: a round trip does not wait for an IPI.
 * One queue and one NAPI keep the frames in order whichever CPU polls.
 * A poll already scheduled or running takes the frame where it runs (its
 * MISSED state makes it look again): no IPI then, where one per train
 * only set that state on the other CPU (42-45 IPIs per MB moved by 100
 * connections, 63-65 by 10,000; now 4-23 and 30-41).
 */
static void glass_rx_kick(struct glass_priv *priv, unsigned int len)
{
	int cpu;

	if (!napi_schedule_prep(&priv->napi))
		return;
	/*
	 * This kick owns SCHED, so no earlier kick is in flight: its IPI
	 * let go of kick_busy before the poll it scheduled could run and
	 * clear SCHED. The bit still guards the csd.
	 */
	if (len >= GLASS_RX_STEER_MIN && num_online_cpus() > 1 &&
	    !test_and_set_bit(0, &priv->kick_busy)) {
		cpu = glass_rx_other_cpu();
		if (cpu != smp_processor_id() &&
		    !smp_call_function_single_async(cpu, &priv->kick))
			return;
		clear_bit(0, &priv->kick_busy);
	}
	__napi_schedule(&priv->napi);
}

/* Frames dev's frames may queue at the receiving end: its txqueuelen. */
static u32 glass_rxq_cap(const struct net_device *dev)
{
	return clamp_t(u32, READ_ONCE(dev->tx_queue_len), 1, GLASS_TXQ_LIMIT);
}

/*
 * The frames at which senders through dev wait whatever their bytes, half
 * the queue: a burst of small frames (10,000 connections' FINs at the end
 * of a run, 46 bytes each) fills the queue's frames long before its bytes
 * reach any mark, and every FIN dropped there came back after an RTO.
 */
static u32 glass_rxq_frame_mark(const struct net_device *dev)
{
	return max(glass_rxq_cap(dev) / 2, 1U);
}

/* Queue a frame for the poll, unless the queue holds cap frames. */
static bool glass_rxq_add(struct glass_priv *priv, struct sk_buff *skb,
			  u32 cap)
{
	struct sk_buff_head *q = &priv->rxq;
	unsigned long flags;
	bool added = false;

	spin_lock_irqsave(&q->lock, flags);
	if (skb_queue_len(q) < cap) {
		__skb_queue_tail(q, skb);
		WRITE_ONCE(priv->rxq_bytes, priv->rxq_bytes + skb->len);
		added = true;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return added;
}

/* The oldest frame on the queue, taken off it; NULL if none. */
static struct sk_buff *glass_rxq_take(struct glass_priv *priv)
{
	struct sk_buff_head *q = &priv->rxq;
	unsigned long flags;
	struct sk_buff *skb;

	/*
	 * Unlocked: a busy-polling reader calls the poll over and over on an
	 * empty queue. A frame queued after this look schedules the poll
	 * again (NAPI's MISSED bit if it is running), so none is left behind.
	 */
	if (skb_queue_empty_lockless(q))
		return NULL;
	spin_lock_irqsave(&q->lock, flags);
	skb = __skb_dequeue(q);
	if (skb)
		WRITE_ONCE(priv->rxq_bytes, priv->rxq_bytes - skb->len);
	spin_unlock_irqrestore(&q->lock, flags);
	return skb;
}

/* Drop every frame on the queue (the device stops or goes). */
static void glass_rxq_purge(struct glass_priv *priv)
{
	struct sk_buff *skb;

	while ((skb = glass_rxq_take(priv)))
		kfree_skb(skb);
}

/* Hand a frame to the receiving end: this device or its peer. */
static void glass_deliver(struct net_device *dev, struct sk_buff *skb)
{
	struct glass_priv *priv = netdev_priv(dev), *rpriv;
	unsigned int len = skb->len;
	struct net_device *rcv;

	rcu_read_lock();
	rcv = priv->loopback ? dev : rcu_dereference(priv->peer);
	/*
	 * netif_running(), not IFF_UP: ndo_stop runs while IFF_UP is still
	 * set, but after __LINK_STATE_START is cleared and before the
	 * synchronize_net() that waits for this RCU section; so nothing is
	 * queued after glass_close() purged the queue.
	 */
	if (unlikely(!rcv || !netif_running(rcv))) {
		kfree_skb(skb);
		dev_core_stats_tx_dropped_inc(dev);
		goto out;
	}
	if (unlikely(glass_forward(rcv, skb))) {
		dev_core_stats_tx_dropped_inc(dev);
		goto out;
	}
	rpriv = netdev_priv(rcv);
	if (unlikely(!glass_rxq_add(rpriv, skb, glass_rxq_cap(dev)))) {
		kfree_skb(skb);
		dev_core_stats_rx_dropped_inc(rcv);
		goto out;
	}
	glass_rx_kick(rpriv, len);
	dev_sw_netstats_tx_add(dev, 1, len);
	dev_sw_netstats_rx_add(rcv, len);
out:
	rcu_read_unlock();
}

/* The device whose queue dev's frames go to: its peer, or itself. */
static struct glass_priv *glass_rcv_priv(struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);
	struct net_device *rcv;

	if (glass_stacked(priv))
		return NULL;
	rcv = priv->loopback ? dev : rcu_dereference(priv->peer);
	return rcv ? netdev_priv(rcv) : NULL;
}

/* Does the queue hold @mark bytes or @frames frames? */
static bool glass_rxq_over(const struct glass_priv *rpriv, u32 mark,
			   u32 frames)
{
	return READ_ONCE(rpriv->rxq_bytes) >= mark ||
	       skb_queue_len_lockless(&rpriv->rxq) >= frames;
}

/* Has the queue drained to half of both marks, where held senders go? */
static bool glass_rxq_drained(const struct glass_priv *rpriv, u32 mark,
			      u32 frames)
{
	return READ_ONCE(rpriv->rxq_bytes) <= mark / 2 &&
	       skb_queue_len_lockless(&rpriv->rxq) <= frames / 2;
}

/**
 * glass_dev_full() - must a sender through dev wait before it sends more?
 * @dev: a glass device (RCU).
 * @mark: the sender's mark, bytes; 0 never waits.
 *
 * Return: true if the queue dev's frames go to (its peer's, or its own
 * for a loopback) holds @mark bytes or more, or half the frames dev's
 * txqueuelen lets it take. A stacked device has no such queue: its lower
 * device queues.
 */
bool glass_dev_full(struct net_device *dev, u32 mark)
{
	struct glass_priv *rpriv = glass_rcv_priv(dev);

	return mark && rpriv &&
	       glass_rxq_over(rpriv, mark, glass_rxq_frame_mark(dev));
}

/**
 * glass_dev_hold() - hold a sender back until dev's receiving queue drains.
 * @dev: a glass device (RCU) that glass_dev_full() found full.
 * @node: the sender's entry, empty (INIT_LIST_HEAD) when not held. The
 *	caller holds a reference for it, which the wake callback given to
 *	glass_dev_init() takes over.
 * @mark: the sender's mark, as given to glass_dev_full().
 *
 * A queue that holds more than the poll drains in well under an RTO costs
 * its senders a retransmission of everything behind the first frame the
 * queue cannot take (a whole flight of each connection), as TCP Small
 * Queues keep a socket's bytes in qdiscs and devices low. The poll calls
 * the wake callback, oldest sender first, once the queue has drained to
 * half the mark (and half its frame mark), and as long as it stays under
 * them; the device going down calls it too.
 *
 * Return: true if @node waits and the callback will be called; false if
 * the queue drained meanwhile: the caller sends, and keeps its reference.
 */
bool glass_dev_hold(struct net_device *dev, struct list_head *node, u32 mark)
{
	struct glass_priv *rpriv = glass_rcv_priv(dev);
	u32 frames = glass_rxq_frame_mark(dev);
	bool held = true;

	if (!rpriv)
		return false;
	spin_lock_bh(&rpriv->held_lock);
	WRITE_ONCE(rpriv->held_mark, mark);
	WRITE_ONCE(rpriv->held_frames, frames);
	list_add_tail(node, &rpriv->held);
	spin_unlock_bh(&rpriv->held_lock);
	/*
	 * Pairs with glass_release_held()'s: either the poll sees this entry,
	 * or this sees the frames it took off. Drained to half, the poll may
	 * be done and gone; take the entry back and send.
	 */
	smp_mb();
	if (glass_rxq_drained(rpriv, mark, frames)) {
		spin_lock_bh(&rpriv->held_lock);
		held = list_empty(node);	/* the poll took it: it wakes */
		list_del_init(node);
		spin_unlock_bh(&rpriv->held_lock);
	}
	return held;
}

/* The oldest held sender, taken off the list; NULL if none. */
static struct list_head *glass_held_take(struct glass_priv *priv)
{
	struct list_head *node = NULL;

	spin_lock_bh(&priv->held_lock);
	if (!list_empty(&priv->held)) {
		node = priv->held.next;
		list_del_init(node);
	}
	spin_unlock_bh(&priv->held_lock);
	return node;
}

/*
 * Let held senders go, oldest first: all of them if the device stops;
 * else once the queue is down to half its marks, as long as it stays
 * under them (each one woken sends before the next is looked at).
 */
static void glass_release_held(struct glass_priv *priv, bool all)
{
	u32 mark = READ_ONCE(priv->held_mark);
	u32 frames = READ_ONCE(priv->held_frames);
	struct list_head *node;

	/* Pairs with glass_dev_hold()'s: the frames taken off, then the list. */
	smp_mb();
	if (list_empty_careful(&priv->held) ||
	    (!all && !glass_rxq_drained(priv, mark, frames)))
		return;
	while ((all || !glass_rxq_over(priv, mark, frames)) &&
	       (node = glass_held_take(priv)))
		glass_held_wake(node);
}

/*
 * Hand queued frames to the stack, in arrival order, budget at a time.
 * Each frame carries this poll's id to its socket (sk_napi_id), so that a
 * reader with SO_BUSY_POLL (or net.core.busy_read) spins on this poll
 * instead of sleeping (napi_busy_loop() calls it from the reader's
 * system call).
 */
static int glass_napi_poll(struct napi_struct *napi, int budget)
{
	struct glass_priv *priv = container_of(napi, struct glass_priv, napi);
	struct sk_buff *skb;
	int done = 0;

	while (done < budget && (skb = glass_rxq_take(priv))) {
		skb_mark_napi_id(skb, napi);
		netif_receive_skb(skb);
		done++;
	}
	glass_release_held(priv, false);
	if (done < budget && napi_complete_done(napi, done) &&
	    !skb_queue_empty_lockless(&priv->rxq))
		napi_schedule(napi);
	return done;
}

/*
 * Segment len bytes at offset off of a train's payload as a frame of its
 * own: the train's Ethernet and glass headers, this sequence and length.
 * With csum, the checksum is computed in the same pass as the copy (for
 * a lower device without checksum offload, which would otherwise read
 * the bytes again in skb_checksum_help(), as skb_segment() does for TCP);
 * without, it is left to the device.
 */
static struct sk_buff *glass_train_cut(const struct sk_buff *train, u32 off,
				       u32 len, bool csum)
{
	u32 hlen = skb_headlen(train);
	struct glass_hdr *gh;
	struct sk_buff *n;
	__wsum sum = 0;
	u8 *to;

	n = alloc_skb(hlen + len, GFP_ATOMIC);
	if (!n)
		return NULL;
	skb_put_data(n, train->data, hlen);
	to = skb_put(n, len);
	if (csum) {
		sum = skb_copy_and_csum_bits(train, hlen + off, to, len);
	} else if (skb_copy_bits(train, hlen + off, to, len)) {
		kfree_skb(n);
		return NULL;
	}
	skb_reset_mac_header(n);
	skb_set_network_header(n, skb_network_offset(train));
	skb_set_transport_header(n, skb_transport_offset(train));
	gh = (struct glass_hdr *)skb_transport_header(n);
	gh->seq = htonl(ntohl(gh->seq) + off);
	gh->len = htons(len);
	gh->mss = 0;
	if (csum) {
		/* The payload starts GLASS_HDR_LEN (even) bytes in. */
		gh->check = 0;
		gh->check = csum_fold(csum_add(csum_partial(gh, GLASS_HDR_LEN, 0),
					       sum));
		n->ip_summed = CHECKSUM_NONE;
	} else {
		glass_hdr_csum_offload(n, gh);
	}
	n->protocol = train->protocol;
	n->priority = train->priority;
	n->mark = train->mark;
	n->dev = train->dev;
	return n;
}

/*
 * The segment size of a train, its payload length in *len; 0 if skb is
 * none. Only glass builds trains: a glass frame, a header-only skb with
 * its segments on frag_list, as long as its header says, longer than one
 * segment. Anything else (a frame redirected here by tc) is no train.
 * skb->data is at the Ethernet header.
 */
static u32 glass_train_mss(const struct sk_buff *skb, u32 *len)
{
	const struct glass_hdr *gh;
	u32 mss;

	if (skb->protocol != htons(ETH_P_GLASS) || !skb_has_frag_list(skb) ||
	    skb_transport_offset(skb) + GLASS_HDR_LEN != skb_headlen(skb))
		return 0;
	gh = (const struct glass_hdr *)skb_transport_header(skb);
	*len = ntohs(gh->len);
	mss = glass_hdr_train_mss(gh);
	if (skb_headlen(skb) + *len > skb->len || *len <= mss)
		return 0;
	return mss;
}

/*
 * The fault injector acts on the segments a wire would carry, not on the
 * trains glass hands the device (glass_output.c). Cut each train back
 * into its segments first, as software GSO would, and hand each to out;
 * csum: compute each segment's checksum while cutting. Anything but a
 * train is passed on whole.
 */
static void glass_train_each(struct glass_priv *priv, struct sk_buff *skb,
			     void (*out)(struct glass_priv *, struct sk_buff *),
			     bool csum)
{
	u32 len = 0, off, seg, mss = glass_train_mss(skb, &len);
	struct sk_buff *n;

	if (!mss) {
		out(priv, skb);
		return;
	}
	for (off = 0; off < len; off += seg) {
		seg = min(mss, len - off);
		n = glass_train_cut(skb, off, seg, csum);
		if (!n)
			dev_core_stats_tx_dropped_inc(skb->dev);
		else
			out(priv, n);
	}
	consume_skb(skb);
}

static void glass_out_fault(struct glass_priv *priv, struct sk_buff *skb)
{
	glass_fault_xmit(&priv->fault, skb);
}

static void glass_out_lower(struct glass_priv *priv, struct sk_buff *skb)
{
	glass_lower_xmit(&priv->up, skb);
}

/**
 * glass_dev_gso_segment() - cut a train a lower device got as a GSO packet.
 * @skb: the train (glass_stacked_xmit()), data at its glass header, as
 *	skb_mac_gso_segment() calls it.
 * @features: what the lower device offers for it.
 *
 * The lower device's software GSO calls this after its qdisc, as it calls
 * tcp_gso_segment() for TCP on a NIC without TSO, and sends the segments
 * in one batch. Each segment is a frame of its own from its Ethernet
 * header on, its checksum computed while copied unless the device has
 * NETIF_F_HW_CSUM.
 * Return: the segments (->prev of the first is the last, as
 * validate_xmit_skb_list() expects), or ERR_PTR(-EINVAL) for what is no
 * train, ERR_PTR(-ENOMEM); the caller frees skb either way.
 */
struct sk_buff *glass_dev_gso_segment(struct sk_buff *skb,
				      netdev_features_t features)
{
	bool csum = !(features & NETIF_F_HW_CSUM);
	struct sk_buff *segs = NULL, *last = NULL, *n;
	u32 len = 0, off, seg, mss;

	__skb_push(skb, skb->data - skb_mac_header(skb));
	mss = glass_train_mss(skb, &len);
	if (!mss || mss != skb_shinfo(skb)->gso_size)
		return ERR_PTR(-EINVAL);
	for (off = 0; off < len; off += seg) {
		seg = min(mss, len - off);
		n = glass_train_cut(skb, off, seg, csum);
		if (!n) {
			kfree_skb_list(segs);
			return ERR_PTR(-ENOMEM);
		}
		skb_copy_queue_mapping(n, skb);
		if (last)
			last->next = n;
		else
			segs = n;
		last = n;
	}
	segs->prev = last;
	return segs;
}

/*
 * A stacked device hands its lower device whole trains as GSO packets, as
 * TCP hands a NIC without TSO its GSO packets: the lower device cuts them
 * after its qdisc (glass_dev_gso_segment()) and sends the segments in one
 * batch (xmit_more: one doorbell for the train, where each segment sent
 * alone rang its own). A lower device that would carry a GSO list whole
 * (NETIF_F_GSO_FRAGLIST: veth) gets segments cut here instead, as does a
 * train whose head a tap still shares (its gso fields are the tap's too).
 */
static void glass_stacked_xmit(struct glass_priv *priv, struct sk_buff *skb)
{
	netdev_features_t f = READ_ONCE(priv->up.lower->features);
	u32 len = 0, mss = glass_train_mss(skb, &len);

	if (!mss || (f & NETIF_F_GSO_FRAGLIST) ||
	    skb_unclone(skb, GFP_ATOMIC)) {
		glass_train_each(priv, skb, glass_out_lower,
				 !(f & NETIF_F_HW_CSUM));
		return;
	}
	skb_shinfo(skb)->gso_size = mss;
	skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(len, mss);
	skb_shinfo(skb)->gso_type = SKB_GSO_FRAGLIST;
	glass_lower_xmit(&priv->up, skb);
}

static netdev_tx_t glass_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);

	skb_tx_timestamp(skb);
	if (unlikely(glass_fault_active(&priv->fault)))
		glass_train_each(priv, skb, glass_out_fault, false);
	else if (glass_stacked(priv))
		glass_stacked_xmit(priv, skb);
	else
		glass_deliver(dev, skb);
	return NETDEV_TX_OK;
}

static int glass_ndo_init(struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	glass_fault_init(&priv->fault, dev, glass_stacked(priv) ?
			 glass_stacked_deliver : glass_deliver);
	skb_queue_head_init(&priv->rxq);
	spin_lock_init(&priv->held_lock);
	INIT_LIST_HEAD(&priv->held);
	netif_napi_add(dev, &priv->napi, glass_napi_poll);
	INIT_CSD(&priv->kick, glass_rx_kick_ipi, priv);
	return 0;
}

static void glass_ndo_uninit(struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);

	glass_fault_destroy(&priv->fault);
	glass_lower_detach(&priv->up);
	netif_napi_del(&priv->napi);
	glass_rxq_purge(priv);
	free_percpu(dev->tstats);
}

/*
 * A glass wire carries glass frames only. IPv6 would otherwise greet every
 * link that comes up with router solicitations, frames that glass never
 * sent yet the device counters (and fault injectors) would show. Set
 * before NETDEV_UP, which addrconf then skips.
 */
static void glass_no_ipv6(struct net_device *dev)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct inet6_dev *idev = __in6_dev_get(dev);

	if (idev)
		WRITE_ONCE(idev->cnf.disable_ipv6, 1);
#endif
}

/* A pair has carrier when both ends are up; a loopback when it is. */
static int glass_open(struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	glass_no_ipv6(dev);
	napi_enable(&priv->napi);
	if (glass_stacked(priv)) {
		glass_lower_open(&priv->up);
	} else if (priv->loopback) {
		netif_carrier_on(dev);
	} else if (peer && (peer->flags & IFF_UP)) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int glass_close(struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	if (glass_stacked(priv))
		glass_lower_stop(&priv->up);
	/*
	 * No frame is delivered to a device that stopped running (see
	 * glass_deliver()), so no kick starts now; one in flight schedules
	 * the poll, which must happen before it is disabled. An async IPI
	 * is done with its csd before its function runs (kernel/smp.c).
	 */
	while (test_bit(0, &priv->kick_busy))
		cpu_relax();
	napi_disable(&priv->napi);
	glass_rxq_purge(priv);
	/* Its senders wake to find it down (their frames dropped, counted). */
	local_bh_disable();
	glass_release_held(priv, true);
	local_bh_enable();
	return 0;
}

static int glass_get_iflink(const struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int iflink;

	if (glass_stacked(priv))
		return priv->up.lower->ifindex;
	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	iflink = peer ? peer->ifindex : dev->ifindex;
	rcu_read_unlock();
	return iflink;
}

/* A stacked device's lower device must accept frames for its new MAC. */
static int glass_set_mac(struct net_device *dev, void *p)
{
	struct glass_priv *priv = netdev_priv(dev);
	struct sockaddr *sa = p;
	int err;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	if (glass_stacked(priv)) {
		err = glass_lower_set_mac(&priv->up, sa->sa_data);
		if (err)
			return err;
	}
	return eth_mac_addr(dev, p);
}

static const struct net_device_ops glass_netdev_ops = {
	.ndo_init		= glass_ndo_init,
	.ndo_uninit		= glass_ndo_uninit,
	.ndo_open		= glass_open,
	.ndo_stop		= glass_close,
	.ndo_start_xmit		= glass_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= glass_set_mac,
	.ndo_get_iflink		= glass_get_iflink,
};

static void glass_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &glass_netdev_ops;
	dev->needs_free_netdev = true;
	dev->flags |= IFF_NOARP;
	dev->flags &= ~IFF_MULTICAST;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->tx_queue_len = GLASS_TXQ_DEFAULT;
	/*
	 * Trains (glass_output.c) carry their segments on a frag_list; fixed,
	 * as linearizing one would only make it too long for the MTU check.
	 */
	dev->features |= NETIF_F_LLTX | NETIF_F_HW_CSUM | NETIF_F_SG |
			 NETIF_F_FRAGLIST;
	dev->hw_features |= NETIF_F_HW_CSUM;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = 65535;
}

static const struct nla_policy glass_policy[GLASS_INFO_MAX + 1] = {
	[GLASS_INFO_PEER] = { .len = sizeof(struct ifinfomsg) },
	[GLASS_INFO_FAULT_SEED] = { .type = NLA_U64 },
	[GLASS_INFO_FAULT_LOSS] = { .type = NLA_U32 },
	[GLASS_INFO_FAULT_DUPLICATE] = { .type = NLA_U32 },
	[GLASS_INFO_FAULT_REORDER] = { .type = NLA_U32 },
	[GLASS_INFO_FAULT_CORRUPT] = { .type = NLA_U32 },
	[GLASS_INFO_FAULT_DELAY_US] = { .type = NLA_U32 },
	[GLASS_INFO_FAULT_STATS] = { .type = NLA_REJECT },
};

static int glass_validate(struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN)
			return -EINVAL;
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS])))
			return -EADDRNOTAVAIL;
	}
	if (tb[IFLA_MTU] && nla_get_u32(tb[IFLA_MTU]) > 65535) {
		NL_SET_ERR_MSG(extack, "glass: MTU above 65535");
		return -EINVAL;
	}
	return 0;
}

static void glass_set_name(struct net_device *dev, struct nlattr *tb[])
{
	if (tb[IFLA_IFNAME])
		nla_strscpy(dev->name, tb[IFLA_IFNAME], IFNAMSIZ);
	else
		snprintf(dev->name, IFNAMSIZ, "glass%%d");
}

/* Create and register the peer described by GLASS_INFO_PEER. */
static struct net_device *glass_create_peer(struct net *src_net,
					    struct net_device *dev,
					    struct nlattr *nla_peer,
					    struct netlink_ext_ack *extack)
{
	struct ifinfomsg *ifmp = nla_data(nla_peer);
	struct nlattr *tbp[IFLA_MAX + 1];
	unsigned char assign = NET_NAME_ENUM;
	char ifname[IFNAMSIZ] = "glass%d";
	struct net_device *peer;
	struct net *net;
	int err;

	err = rtnl_nla_parse_ifinfomsg(tbp, nla_peer, extack);
	if (err < 0)
		return ERR_PTR(err);
	err = glass_validate(tbp, NULL, extack);
	if (err < 0)
		return ERR_PTR(err);
	if (tbp[IFLA_IFNAME]) {
		nla_strscpy(ifname, tbp[IFLA_IFNAME], IFNAMSIZ);
		assign = NET_NAME_USER;
	}
	net = rtnl_link_get_net(src_net, tbp);
	if (IS_ERR(net))
		return ERR_CAST(net);
	/*
	 * rtnetlink checked the caller's namespace and the main device's,
	 * never the peer's: without this, the root of a user namespace could
	 * plant a device in any namespace it can name (upstream veth's fix,
	 * 7b735ef81286). rtnetlink runs the request as the sender, so
	 * current's credentials are the caller's.
	 */
	if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(extack, "glass: no CAP_NET_ADMIN in the peer's namespace");
		put_net(net);
		return ERR_PTR(-EPERM);
	}
	peer = rtnl_create_link(net, ifname, assign, &glass_link_ops, tbp,
				extack);
	if (IS_ERR(peer)) {
		put_net(net);
		return peer;
	}
	if (!tbp[IFLA_ADDRESS])
		eth_hw_addr_random(peer);
	if (dev->ifindex)
		peer->ifindex = ifmp->ifi_index;
	err = register_netdevice(peer);
	put_net(net);
	if (err < 0) {
		free_netdev(peer);
		return ERR_PTR(err);
	}
	netif_carrier_off(peer);
	err = rtnl_configure_link(peer, ifmp, 0, NULL);
	if (err < 0) {
		unregister_netdevice(peer);
		return ERR_PTR(err);
	}
	return peer;
}

/*
 * A device stacked on the lower device IFLA_LINK names: its limits, an
 * MTU the user asked for within them, registered and attached.
 */
static int glass_newlink_stacked(struct net_device *dev,
				 struct net_device *lower, struct nlattr *tb[],
				 struct nlattr *data[],
				 struct netlink_ext_ack *extack)
{
	struct glass_priv *priv = netdev_priv(dev);
	int err;

	if (data && data[GLASS_INFO_PEER]) {
		NL_SET_ERR_MSG(extack, "glass: stacked (link) or paired (peer), not both");
		return -EINVAL;
	}
	if (tb[IFLA_MTU] && nla_get_u32(tb[IFLA_MTU]) > lower->mtu) {
		NL_SET_ERR_MSG(extack, "glass: MTU above the lower device's");
		return -EINVAL;
	}
	glass_lower_setup(&priv->up, dev, lower);
	if (tb[IFLA_MTU])
		dev->mtu = nla_get_u32(tb[IFLA_MTU]);
	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);
	glass_set_name(dev, tb);
	err = register_netdevice(dev);
	if (err < 0) {
		if (priv->up.lower) {	/* ndo_uninit did not run */
			dev_put(priv->up.lower);
			priv->up.lower = NULL;
		}
		return err;
	}
	netif_carrier_off(dev);
	err = glass_lower_attach(&priv->up, extack);
	if (err) {
		unregister_netdevice(dev);
		return err;
	}
	glass_fault_set(&priv->fault, data);
	return 0;
}

static int glass_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct glass_priv *priv = netdev_priv(dev);
	struct net_device *peer = NULL, *lower;
	int err;

	lower = glass_lower_get(src_net, tb, extack);
	if (IS_ERR(lower))
		return PTR_ERR(lower);
	if (lower)
		return glass_newlink_stacked(dev, lower, tb, data, extack);
	if (data && data[GLASS_INFO_PEER]) {
		peer = glass_create_peer(src_net, dev, data[GLASS_INFO_PEER],
					 extack);
		if (IS_ERR(peer))
			return PTR_ERR(peer);
	} else {
		priv->loopback = true;
	}
	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);
	glass_set_name(dev, tb);
	err = register_netdevice(dev);
	if (err < 0) {
		if (peer)
			unregister_netdevice(peer);
		return err;
	}
	netif_carrier_off(dev);
	glass_fault_set(&priv->fault, data);
	if (peer) {
		rcu_assign_pointer(priv->peer, peer);
		priv = netdev_priv(peer);
		rcu_assign_pointer(priv->peer, dev);
	}
	return 0;
}

static int glass_changelink(struct net_device *dev, struct nlattr *tb[],
			    struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	struct glass_priv *priv = netdev_priv(dev);

	if (data && data[GLASS_INFO_PEER]) {
		NL_SET_ERR_MSG(extack, "glass: the peer of a device is fixed");
		return -EOPNOTSUPP;
	}
	return glass_fault_set(&priv->fault, data);
}

static size_t glass_get_size(const struct net_device *dev)
{
	return glass_fault_nl_size();
}

static int glass_link_fill_info(struct sk_buff *skb,
				const struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);

	return glass_fault_fill(&priv->fault, skb);
}

static void glass_dellink(struct net_device *dev, struct list_head *head)
{
	struct glass_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	if (glass_stacked(priv))
		glass_lower_unlink(&priv->up);
	RCU_INIT_POINTER(priv->peer, NULL);
	unregister_netdevice_queue(dev, head);
	if (peer) {
		priv = netdev_priv(peer);
		RCU_INIT_POINTER(priv->peer, NULL);
		unregister_netdevice_queue(peer, head);
	}
}

static struct net *glass_get_link_net(const struct net_device *dev)
{
	struct glass_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	if (glass_stacked(priv))
		return dev_net(priv->up.lower);
	return peer ? dev_net(peer) : dev_net(dev);
}

static struct rtnl_link_ops glass_link_ops = {
	.kind		= "glass",
	.priv_size	= sizeof(struct glass_priv),
	.setup		= glass_setup,
	.validate	= glass_validate,
	.newlink	= glass_newlink,
	.dellink	= glass_dellink,
	.changelink	= glass_changelink,
	.get_size	= glass_get_size,
	.fill_info	= glass_link_fill_info,
	.policy		= glass_policy,
	.maxtype	= GLASS_INFO_MAX,
	.get_link_net	= glass_get_link_net,
};

/**
 * glass_dev_init() - register the `glass` device kind with rtnetlink, after
 *	glass_lower_init() (/proc/net/glass_neigh, the lower devices'
 *	notifier, GRO).
 * @held_wake: lets a sender held by glass_dev_hold() go (in softirq, or
 *	with bottom halves off), its node off the list; the sockets' side.
 *
 * Return: 0 or the registration's error.
 */
int glass_dev_init(void (*held_wake)(struct list_head *node))
{
	int err;

	glass_held_wake = held_wake;
	err = glass_lower_init();
	if (err)
		return err;
	err = rtnl_link_register(&glass_link_ops);
	if (err)
		glass_lower_exit();
	return err;
}

/**
 * glass_dev_exit() - unregister the device kind; its devices go with it.
 */
void glass_dev_exit(void)
{
	rtnl_link_unregister(&glass_link_ops);
	glass_lower_exit();
}
