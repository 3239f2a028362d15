// SPDX-License-Identifier: GPL-2.0
/*
 * Where a connection goes, and what its route says about it, read once
 * when the connection is made (connect(), or the SYN a listener answers),
 * as TCP reads its route:
 * - the glass device the kernel's routing table picks: its MTU makes the
 *   MSS, its GSO limits the trains;
 * - the route's metrics a TCP user sets with `ip route ... initcwnd N
 *   rto_min T advmss N quickack 1`: the congestion window a connection
 *   starts with, the floor of its retransmission timeout, the MSS it
 *   announces, and whether it delays ACKs.
 */
#include <linux/inetdevice.h>
#include <net/route.h>

#include "glass_sock.h"
#include "glass_dev.h"
#include "glass_engine.h"

static u32 glass_mss_for_dev(const struct net_device *dev)
{
	u32 mss = dev->mtu > GLASS_HDR_LEN ? dev->mtu - GLASS_HDR_LEN : 0;

	return clamp_t(u32, mss, GLASS_MIN_MSS, GLASS_MAX_MSS);
}

/**
 * glass_train_limits() - how much one frame on dev may carry.
 * @gs: the connection that will send on dev.
 * @dev: its glass device.
 *
 * A frame may carry a train of segments (struct glass_train in
 * glass_output.c), within the device's gso_max_size and gso_max_segs,
 * which `ip link set DEV gso_max_segs 1` lowers to turn trains off, as
 * TCP reads them from its route once, at connect.
 */
static void glass_train_limits(struct glass_sock *gs,
			       const struct net_device *dev)
{
	u32 size = READ_ONCE(dev->gso_max_size);

	size = size > GLASS_FRAME_OVERHEAD ? size - GLASS_FRAME_OVERHEAD : 0;
	gs->train_bytes = min_t(u32, size, GLASS_TRAIN_MAX);
	gs->train_segs = max_t(u32, READ_ONCE(dev->gso_max_segs), 1);
}

/**
 * glass_use_dev() - a connection takes dev as its device.
 * @gs: the connection, owned: connecting, or a listener's new child.
 * @dev: its glass device, under RCU.
 *
 * The segment size follows the device's MTU, lowered to GLASS_MAXSEG if
 * the program set one; the train limits follow the device's GSO limits.
 */
static void glass_use_dev(struct glass_sock *gs,
			  const struct net_device *dev)
{
	WRITE_ONCE(gs->oif, dev->ifindex);
	glass_train_limits(gs, dev);
	gs->mss = glass_mss_for_dev(dev);
	if (gs->user_mss && gs->user_mss < gs->mss)
		gs->mss = gs->user_mss;
	gs->rcv_mss = gs->mss;
}

/*
 * The connection takes its route's metrics, after its device
 * (glass_use_dev()), as TCP reads them: initcwnd as set, kept for
 * establishment (tcp_init_cwnd()); advmss only when set and below what
 * the device carries (TCP's default is the device's); quickack as set,
 * as if the program had set GLASS_QUICKACK (tcp_in_quickack_mode()), and
 * taken back by the next route (a connect() again after one that failed)
 * unless the program has set the option itself since.
 * Return: the floor of the RTO, only when locked, which `ip route ...
 * rto_min T` always does (tcp_rto_min()); 0 for none.
 */
static u32 glass_route_take(struct glass_sock *gs,
			    const struct dst_entry *dst)
{
	u32 advmss = dst_metric_raw(dst, RTAX_ADVMSS);

	gs->route_iw = min_t(u32, dst_metric(dst, RTAX_INITCWND), U8_MAX);
	if (advmss)
		gs->rcv_mss = clamp_t(u32, advmss, GLASS_MIN_MSS, gs->rcv_mss);
	if (gs->route_quickack)
		gs->quickack = false;
	gs->route_quickack = dst_metric(dst, RTAX_QUICKACK) && !gs->quickack;
	gs->quickack |= gs->route_quickack;
	if (!dst_metric_locked(dst, RTAX_RTO_MIN))
		return 0;
	return jiffies_to_usecs(dst_metric_rtt(dst, RTAX_RTO_MIN));
}

/**
 * glass_route() - pick the glass device that reaches daddr.
 * @sk: the connecting socket.
 * @daddr: the peer.
 * @saddr: set to the source address the route gives.
 * @rto_min_us: set to the route's floor of the RTO, 0 for none.
 *
 * A local destination uses the glass device that owns the address (a
 * loopback glass device answers itself). The connection takes the device
 * (glass_use_dev()) and the route's metrics (glass_route_take()).
 * Return: 0, -ENETUNREACH when the route does not lead over a glass
 * device, or the routing error.
 */
int glass_route(struct sock *sk, __be32 daddr, __be32 *saddr,
		u32 *rto_min_us)
{
	struct glass_sock *gs = glass_sk(sk);
	struct net *net = sock_net(sk);
	struct net_device *dev;
	struct flowi4 fl4 = {
		.daddr = daddr,
		.saddr = sk->sk_rcv_saddr,
		.flowi4_oif = sk->sk_bound_dev_if,
	};
	struct rtable *rt;
	int err = 0;

	*rto_min_us = 0;
	gs->route_iw = 0;
	if (ipv4_is_multicast(daddr) || ipv4_is_lbcast(daddr) || !daddr)
		return -ENETUNREACH;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	rcu_read_lock();
	if (rt->rt_type == RTN_LOCAL)
		dev = __ip_dev_find(net, daddr, false);
	else
		dev = rt->dst.dev;
	if (!dev || !glass_dev_is_glass(dev)) {
		err = -ENETUNREACH;
	} else {
		glass_use_dev(gs, dev);
		*rto_min_us = glass_route_take(gs, &rt->dst);
		*saddr = fl4.saddr;
	}
	rcu_read_unlock();
	ip_rt_put(rt);
	return err;
}

/**
 * glass_route_child() - a listener's new child takes its device and its
 *	route's metrics.
 * @child: the child, its addresses and ports set.
 * @skb: the SYN it answers.
 * @rto_min_us: set to the floor of the RTO its route sets, 0 for none.
 *
 * The device is the one the SYN came in on: the skb holds no reference on
 * skb->dev, which may be gone by the time a segment is replayed from the
 * backlog, so it is looked up by index. The metrics are those of the
 * route back to the peer, as TCP's child reads them
 * (inet_csk_route_child_sock()); without one, the defaults.
 * Return: false if the device is gone.
 */
bool glass_route_child(struct sock *child, const struct sk_buff *skb,
		       u32 *rto_min_us)
{
	struct net *net = sock_net(child);
	struct net_device *dev;
	struct flowi4 fl4 = {
		.daddr = child->sk_daddr,
		.saddr = child->sk_rcv_saddr,
		.flowi4_oif = skb->skb_iif,
	};
	struct rtable *rt;

	*rto_min_us = 0;
	glass_sk(child)->route_iw = 0;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, skb->skb_iif);
	if (dev)
		glass_use_dev(glass_sk(child), dev);
	rcu_read_unlock();
	if (!dev)
		return false;
	rt = ip_route_output_key(net, &fl4);
	if (!IS_ERR(rt)) {
		*rto_min_us = glass_route_take(glass_sk(child), &rt->dst);
		ip_rt_put(rt);
	}
	return true;
}

