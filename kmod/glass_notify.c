// SPDX-License-Identifier: GPL-2.0
/*
 * The socket side's view of devices: when a glass device goes away
 * (deleted, or moved to another namespace), the connections that used it
 * fail with ENETDOWN, as TCP's do when their route is gone.
 *
 * The notifier runs under RTNL, so it neither sleeps on a socket lock (a
 * program can hold one for as long as a page fault on its buffer takes)
 * nor rescans the tables per socket: one pass marks each connection of
 * the device (glass_dev_gone()), and each then fails itself from its
 * write timer, under its own lock, a moment later.
 */
#include <linux/netdevice.h>

#include "glass_impl.h"

static void glass_dev_gone_mark(struct sock *sk, void *arg)
{
	if (READ_ONCE(glass_sk(sk)->oif) == *(int *)arg)
		glass_dev_gone(sk);
}

static int glass_netdev_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	int ifindex = dev->ifindex;

	if (event != NETDEV_UNREGISTER || !glass_dev_is_glass(dev))
		return NOTIFY_DONE;
	glass_table_walk_conns(dev_net(dev), glass_dev_gone_mark, &ifindex);
	return NOTIFY_DONE;
}

static struct notifier_block glass_netdev_notifier = {
	.notifier_call = glass_netdev_event,
};

int glass_notify_init(void)
{
	return register_netdevice_notifier(&glass_netdev_notifier);
}

void glass_notify_exit(void)
{
	unregister_netdevice_notifier(&glass_netdev_notifier);
}
