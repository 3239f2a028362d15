// SPDX-License-Identifier: GPL-2.0
/*
 * glass over Ethernet: `ip link add link eth1 name g0 type glass` stacks a
 * glass device on a lower Ethernet device, the way macvlan does. The lower
 * device gets an rx_handler (one struct glass_port per lower device,
 * shared by every glass device stacked on it): glass frames addressed to
 * a glass device's MAC are handed to that device (RX_HANDLER_ANOTHER, so
 * the frame is received again as if it had arrived on g0: the glass
 * packet handler, taps and counters see g0), neighbour messages go to the
 * neighbour tables (glass_neigh.c), and everything else (IP, ARP, glass
 * frames for no glass device here) passes untouched. Each glass device has
 * its own MAC, added to the lower device's unicast filter while it is up.
 *
 * Frames leave a stacked device as whole trains marked GSO (no NIC knows
 * glass, so the lower device's software GSO cuts them after its qdisc,
 * glass_dev.c), get their peer's MAC from the neighbour table and go out
 * through dev_queue_xmit() on the lower device, so its qdisc (netem) and
 * offloads apply.
 *
 * The lower device's notifier events follow through to the glass devices:
 * carrier and operstate (a cut cable is a carrier loss; connections keep
 * retransmitting and survive it), MTU (a glass device never exceeds its
 * lower device's), and unregistration or a move to another namespace,
 * which deletes the glass devices stacked on it: their connections fail
 * as on any deleted glass device (glass_conn.c).
 */
#include <linux/etherdevice.h>
#include <linux/glass.h>
#include <linux/if_arp.h>
#include <linux/proc_fs.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "glass_frame.h"
#include "glass_dev.h"
#include "glass_lower.h"

/**
 * struct glass_port - the glass devices stacked on one lower device.
 * @uppers: struct glass_upper list (RCU readers on receive, RTNL writers).
 * @lower: the lower device.
 * @rcu: frees the port after receivers are done with it.
 */
struct glass_port {
	struct list_head uppers;
	struct net_device *lower;
	struct rcu_head rcu;
};

static rx_handler_result_t glass_lower_rx(struct sk_buff **pskb);

static struct glass_port *glass_port_rtnl(const struct net_device *lower)
{
	return rcu_access_pointer(lower->rx_handler) == glass_lower_rx ?
	       rtnl_dereference(lower->rx_handler_data) : NULL;
}

/* The running glass device with this MAC on the port, or NULL. */
static struct glass_upper *glass_port_find(struct glass_port *port,
					   const u8 *mac)
{
	struct glass_upper *up;

	list_for_each_entry_rcu(up, &port->uppers, node)
		if (ether_addr_equal(up->dev->dev_addr, mac))
			return up;
	return NULL;
}

/* A neighbour message: to every glass device if broadcast, else to one. */
static rx_handler_result_t glass_lower_neigh_rx(struct glass_port *port,
						struct sk_buff *skb)
{
	const u8 *dst = eth_hdr(skb)->h_dest;
	struct glass_upper *up;

	if (is_multicast_ether_addr(dst)) {
		list_for_each_entry_rcu(up, &port->uppers, node)
			if (netif_running(up->dev))
				glass_neigh_rcv(&up->neigh, skb);
	} else {
		up = glass_port_find(port, dst);
		if (!up)
			return RX_HANDLER_PASS;
		if (netif_running(up->dev))
			glass_neigh_rcv(&up->neigh, skb);
	}
	consume_skb(skb);
	return RX_HANDLER_CONSUMED;
}

/*
 * The lower device's rx_handler (softirq, RCU). Glass frames for one of
 * our MACs become frames received on that glass device; nothing else is
 * touched. A glass frame for no glass device here passes on to the glass
 * packet handler on the lower device, which counts it (drop_wrong_device).
 */
static rx_handler_result_t glass_lower_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct glass_port *port;
	struct glass_upper *up;

	if (skb->protocol != htons(ETH_P_GLASS))
		return RX_HANDLER_PASS;
	port = rcu_dereference(skb->dev->rx_handler_data);
	if (glass_neigh_is_msg(skb))
		return glass_lower_neigh_rx(port, skb);
	up = glass_port_find(port, eth_hdr(skb)->h_dest);
	if (!up)
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	if (unlikely(!netif_running(up->dev))) {
		dev_core_stats_rx_dropped_inc(up->dev);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	if (!net_eq(dev_net(skb->dev), dev_net(up->dev)))
		skb_scrub_packet(skb, true);
	dev_sw_netstats_rx_add(up->dev, skb->len + ETH_HLEN);
	skb->dev = up->dev;
	skb->pkt_type = PACKET_HOST;
	*pskb = skb;
	return RX_HANDLER_ANOTHER;
}

/*
 * The glass device's carrier is its lower device's, and off while the
 * lower device is down (closing a NIC need not drop its carrier flag).
 */
static void glass_lower_sync(struct net_device *lower, struct net_device *dev)
{
	if (netif_running(lower))
		netif_stacked_transfer_operstate(lower, dev);
	else
		netif_carrier_off(dev);
}

/* Hand a finished frame of the glass device to its lower device. */
static void glass_lower_send(struct net_device *dev, struct sk_buff *skb)
{
	struct glass_upper *up = glass_dev_upper(dev);
	struct net_device *lower = up->lower;
	unsigned int len = skb->len;
	/* A train handed over as GSO (glass_dev.c) counts as its segments. */
	u16 segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;

	if (unlikely(!netif_running(lower))) {
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		return;
	}
	if (!net_eq(dev_net(dev), dev_net(lower)))
		skb_scrub_packet(skb, true);
	skb->dev = lower;
	if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS)
		dev_sw_netstats_tx_add(dev, segs, len);
	else
		dev_core_stats_tx_dropped_inc(dev);
}

/**
 * glass_lower_xmit() - send one frame (not a train) of a stacked device.
 * @up: the glass device's stacking state.
 * @skb: the frame with its Ethernet header; consumed.
 *
 * The neighbour table supplies the peer's MAC (or holds the frame until
 * it knows it), then the frame leaves through the lower device.
 */
void glass_lower_xmit(struct glass_upper *up, struct sk_buff *skb)
{
	glass_neigh_xmit(&up->neigh, skb);
}

/**
 * glass_lower_get() - the lower device IFLA_LINK names, checked.
 * @net: the namespace of the request (where IFLA_LINK's index lives).
 * @tb: the request's attributes.
 * @extack: for the reason of a refusal.
 *
 * It must be an Ethernet device other than loopback and glass, and the
 * caller needs CAP_NET_ADMIN in its namespace (rtnetlink checked only the
 * namespaces of the request and of the new device).
 * Return: the device (RTNL, no reference), NULL without IFLA_LINK, or an
 * ERR_PTR: -ENODEV, -EINVAL, -EPERM.
 */
struct net_device *glass_lower_get(struct net *net, struct nlattr *tb[],
				   struct netlink_ext_ack *extack)
{
	struct net_device *lower;

	if (!tb[IFLA_LINK])
		return NULL;
	lower = __dev_get_by_index(net, nla_get_u32(tb[IFLA_LINK]));
	if (!lower) {
		NL_SET_ERR_MSG(extack, "glass: no such lower device");
		return ERR_PTR(-ENODEV);
	}
	if (lower->type != ARPHRD_ETHER || (lower->flags & IFF_LOOPBACK) ||
	    glass_dev_is_glass(lower) || lower->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG(extack, "glass: the lower device must be Ethernet, not glass");
		return ERR_PTR(-EINVAL);
	}
	if (!ns_capable(dev_net(lower)->user_ns, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(extack, "glass: no CAP_NET_ADMIN in the lower device's namespace");
		return ERR_PTR(-EPERM);
	}
	return lower;
}

/**
 * glass_lower_setup() - a new glass device takes its lower device's limits.
 * @up: its stacking state, zeroed with the device.
 * @dev: the glass device, not yet registered.
 * @lower: from glass_lower_get(); held from now on.
 *
 * MTU and GSO limits come from the lower device (a user's IFLA_MTU is
 * applied, and checked, by glass_dev.c afterwards).
 */
void glass_lower_setup(struct glass_upper *up, struct net_device *dev,
		       struct net_device *lower)
{
	up->dev = dev;
	up->lower = lower;
	dev_hold(lower);
	INIT_LIST_HEAD(&up->node);
	dev->mtu = lower->mtu;
	dev->max_mtu = lower->mtu;
	dev->gso_max_size = lower->gso_max_size;
	dev->gso_max_segs = lower->gso_max_segs;
	dev->needed_headroom = lower->needed_headroom;
	dev->needed_tailroom = lower->needed_tailroom;
	glass_neigh_init(&up->neigh, dev, glass_lower_send);
}

/* The lower device's port, created with its rx_handler if it has none. */
static struct glass_port *glass_port_get(struct net_device *lower,
					 struct netlink_ext_ack *extack)
{
	struct glass_port *port = glass_port_rtnl(lower);
	int err;

	if (port)
		return port;
	if (netdev_is_rx_handler_busy(lower)) {
		NL_SET_ERR_MSG(extack, "glass: the lower device has a receive hook (bridge?)");
		return ERR_PTR(-EBUSY);
	}
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&port->uppers);
	port->lower = lower;
	err = netdev_rx_handler_register(lower, glass_lower_rx, port);
	if (err) {
		kfree(port);
		return ERR_PTR(err);
	}
	return port;
}

/**
 * glass_lower_attach() - link a registered glass device to its lower one.
 * @up: its stacking state (glass_lower_setup() done).
 * @extack: for the reason of a refusal.
 *
 * Under RTNL. Links the devices (`ip link` shows g0@eth1; the lower
 * device cannot go without our notifier hearing of it) and puts the glass
 * device on the lower device's port.
 * Return: 0, -EBUSY when the lower device has another receive hook, or
 * netdev_upper_dev_link()'s error; on error nothing is left attached.
 */
int glass_lower_attach(struct glass_upper *up, struct netlink_ext_ack *extack)
{
	struct glass_port *port;
	int err;

	err = netdev_upper_dev_link(up->lower, up->dev, extack);
	if (err)
		return err;
	port = glass_port_get(up->lower, extack);
	if (IS_ERR(port)) {
		netdev_upper_dev_unlink(up->lower, up->dev);
		return PTR_ERR(port);
	}
	list_add_tail_rcu(&up->node, &port->uppers);
	up->attached = true;
	glass_lower_sync(up->lower, up->dev);
	return 0;
}

/**
 * glass_lower_unlink() - undo the upper/lower link (dellink, RTNL).
 * @up: the stacking state of a glass device being deleted.
 */
void glass_lower_unlink(struct glass_upper *up)
{
	if (up->attached)
		netdev_upper_dev_unlink(up->lower, up->dev);
}

/**
 * glass_lower_detach() - take a glass device off its lower device.
 * @up: its stacking state; the device is unregistering (ndo_uninit, RTNL).
 *
 * The last glass device of a port takes the rx_handler and the port with
 * it; the neighbour table goes, and the lower device's reference.
 */
void glass_lower_detach(struct glass_upper *up)
{
	struct glass_port *port;

	if (!up->lower)
		return;
	if (up->attached) {
		port = glass_port_rtnl(up->lower);
		list_del_rcu(&up->node);
		up->attached = false;
		if (port && list_empty(&port->uppers)) {
			netdev_rx_handler_unregister(up->lower);
			kfree_rcu(port, rcu);
		}
		synchronize_net();
	}
	glass_neigh_destroy(&up->neigh);
	dev_put(up->lower);
	up->lower = NULL;
}

/**
 * glass_lower_open() - a stacked device comes up (ndo_open).
 * @up: its stacking state.
 *
 * The lower device accepts frames for the glass device's MAC; the carrier
 * follows the lower device's.
 */
void glass_lower_open(struct glass_upper *up)
{
	if (dev_uc_add(up->lower, up->dev->dev_addr))
		netdev_warn(up->dev, "cannot add its MAC to %s's filter\n",
			    up->lower->name);
	glass_lower_sync(up->lower, up->dev);
}

/**
 * glass_lower_stop() - a stacked device goes down (ndo_stop).
 * @up: its stacking state.
 *
 * Its neighbours are forgotten, frames waiting for them dropped.
 */
void glass_lower_stop(struct glass_upper *up)
{
	dev_uc_del(up->lower, up->dev->dev_addr);
	glass_neigh_flush(&up->neigh);
}

/**
 * glass_lower_set_mac() - a running stacked device changes its MAC.
 * @up: its stacking state.
 * @mac: the new address.
 *
 * Return: 0 or dev_uc_add()'s error (the old address stays then).
 */
int glass_lower_set_mac(struct glass_upper *up, const u8 *mac)
{
	int err;

	if (!netif_running(up->dev))
		return 0;
	err = dev_uc_add(up->lower, mac);
	if (!err)
		dev_uc_del(up->lower, up->dev->dev_addr);
	return err;
}

/* The lower device's MTU or GSO limits changed: the glass devices follow. */
static void glass_lower_limits(struct glass_port *port)
{
	struct net_device *lower = port->lower;
	struct glass_upper *up;

	list_for_each_entry(up, &port->uppers, node) {
		up->dev->max_mtu = lower->mtu;
		if (up->dev->mtu > lower->mtu)
			dev_set_mtu(up->dev, lower->mtu);
		WRITE_ONCE(up->dev->gso_max_size, min(up->dev->gso_max_size,
						      lower->gso_max_size));
		WRITE_ONCE(up->dev->gso_max_segs, min(up->dev->gso_max_segs,
						      lower->gso_max_segs));
	}
}

/* The lower device goes (or leaves the namespace): its glass devices too. */
static void glass_lower_gone(struct glass_port *port)
{
	struct glass_upper *up, *tmp;
	LIST_HEAD(kill);

	list_for_each_entry_safe(up, tmp, &port->uppers, node)
		up->dev->rtnl_link_ops->dellink(up->dev, &kill);
	unregister_netdevice_many(&kill);
}

static int glass_lower_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *lower = netdev_notifier_info_to_dev(ptr);
	struct glass_port *port = glass_port_rtnl(lower);
	struct glass_upper *up;

	if (!port)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		list_for_each_entry(up, &port->uppers, node)
			glass_lower_sync(lower, up->dev);
		break;
	case NETDEV_CHANGEMTU:
	case NETDEV_FEAT_CHANGE:
		glass_lower_limits(port);
		break;
	case NETDEV_UNREGISTER:
		glass_lower_gone(port);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		return NOTIFY_BAD;
	}
	return NOTIFY_DONE;
}

static struct notifier_block glass_lower_notifier = {
	.notifier_call = glass_lower_event,
};

/*
 * /proc/net/glass_neigh: the neighbours of every stacked glass device of
 * the namespace, one row each (glass_neigh_show()).
 */
static int glass_neigh_proc_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct glass_upper *up;
	struct net_device *dev;

	seq_puts(seq, "device          address         lladdr            state      confirmed_ms probes queued\n");
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		up = glass_dev_is_glass(dev) ? glass_dev_upper(dev) : NULL;
		if (up && up->lower)
			glass_neigh_show(&up->neigh, seq);
	}
	rcu_read_unlock();
	return 0;
}

/**
 * glass_lower_stats() - the neighbour counters of a namespace, summed.
 * @net: the namespace.
 * @sum: zeroed, then the sum over its stacked glass devices.
 */
void glass_lower_stats(struct net *net, struct glass_neigh_stats *sum)
{
	struct glass_upper *up;
	struct net_device *dev;

	memset(sum, 0, sizeof(*sum));
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		up = glass_dev_is_glass(dev) ? glass_dev_upper(dev) : NULL;
		if (up && up->lower)
			glass_neigh_stats_add(&up->neigh, sum);
	}
	rcu_read_unlock();
}

static int __net_init glass_lower_net_init(struct net *net)
{
	if (!proc_create_net_single("glass_neigh", 0444, net->proc_net,
				    glass_neigh_proc_show, NULL))
		return -ENOMEM;
	return 0;
}

static void __net_exit glass_lower_net_exit(struct net *net)
{
	remove_proc_entry("glass_neigh", net->proc_net);
}

static struct pernet_operations glass_lower_net_ops = {
	.init = glass_lower_net_init,
	.exit = glass_lower_net_exit,
};

/**
 * glass_lower_init() - /proc/net/glass_neigh, the lower-device notifier
 * and GRO of glass frames (glass_gro.c).
 *
 * Return: 0 or the registration's error (nothing left registered).
 */
int glass_lower_init(void)
{
	int err;

	err = register_pernet_subsys(&glass_lower_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&glass_lower_notifier);
	if (err) {
		unregister_pernet_subsys(&glass_lower_net_ops);
		return err;
	}
	glass_gro_init();
	return 0;
}

/**
 * glass_lower_exit() - undo glass_lower_init(), after every glass device
 * is gone.
 */
void glass_lower_exit(void)
{
	glass_gro_exit();
	unregister_netdevice_notifier(&glass_lower_notifier);
	unregister_pernet_subsys(&glass_lower_net_ops);
}
