// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry and exit: registers the pieces of glass with the kernel in
 * dependency order (per-namespace state, tables, the socket family, the
 * frame handler, the device kind) and unwinds exactly what was done. The
 * protocol itself lives in the other files; docs/architecture.md has the
 * map of floors.
 */
#include <linux/module.h>
#include <linux/net.h>
#include <net/netns/generic.h>

#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_mem.h"
#include "glass_dev.h"
#include "glass_table.h"
#include "glass_engine.h"
#include "glass_conn.h"
#include "glass_socket.h"
#include "glass_txspare.h"

static const struct net_proto_family glass_family_ops = {
	.family	= PF_GLASS,
	.create	= glass_create,
	.owner	= THIS_MODULE,
};

static struct packet_type glass_packet_type __read_mostly = {
	.type	= cpu_to_be16(ETH_P_GLASS),
	.func	= glass_rcv,
};

static int __net_init glass_net_init(struct net *net)
{
	struct glass_net *gn = glass_pernet(net);
	int err;

	gn->mib = alloc_percpu(struct glass_mib_counters);
	if (!gn->mib)
		return -ENOMEM;
	err = glass_sysctl_init_net(net);
	if (err)
		goto free_mib;
	err = glass_proc_init_net(net);
	if (err)
		goto free_sysctl;
	err = glass_sockstat_init_net(net);
	if (err)
		goto free_proc;
	atomic_set(&gn->sockets, 0);
	glass_mem_netns_add(1);
	return 0;

free_proc:
	glass_proc_exit_net(net);
free_sysctl:
	glass_sysctl_exit_net(net);
free_mib:
	free_percpu(gn->mib);
	return err;
}

static void __net_exit glass_net_exit(struct net *net)
{
	struct glass_net *gn = glass_pernet(net);

	glass_mem_netns_add(-1);
	glass_sockstat_exit_net(net);
	glass_proc_exit_net(net);
	glass_sysctl_exit_net(net);
	free_percpu(gn->mib);
}

static struct pernet_operations glass_net_ops = {
	.init	= glass_net_init,
	.exit	= glass_net_exit,
	.id	= &glass_net_id,
	.size	= sizeof(struct glass_net),
};

/* Pin the ABI: these sizes are what userspace compiled against. */
static void glass_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct sockaddr_glass) != 16);
	BUILD_BUG_ON(sizeof(struct sockaddr_glass) != sizeof(struct sockaddr_in));
	BUILD_BUG_ON(sizeof(struct glass_hdr) != GLASS_HDR_LEN);
	BUILD_BUG_ON(sizeof(struct glass_neigh_hdr) != GLASS_NEIGH_LEN);
	BUILD_BUG_ON(GLASS_CC_ALGO_NEWRENO != GLASS_CC_NEWRENO);
	BUILD_BUG_ON(GLASS_CC_ALGO_CUBIC != GLASS_CC_CUBIC);
	BUILD_BUG_ON(sizeof(struct glass_info) != 216);
	BUILD_BUG_ON(offsetof(struct glass_info, gi_sack) != 192);
	BUILD_BUG_ON(offsetof(struct glass_info, gi_segs_out) != 128);
	BUILD_BUG_ON(sizeof(struct glass_skb_cb) > sizeof_field(struct sk_buff, cb));
	BUILD_BUG_ON((int)GLASS_ESTABLISHED != (int)TCP_ESTABLISHED);
	BUILD_BUG_ON((int)GLASS_CLOSING != (int)TCP_CLOSING);
}

/*
 * The socket family is registered last: once socket(AF_GLASS) can succeed,
 * everything a socket uses must exist, and nothing may fail any more (a
 * socket made in the window would outlive a module whose init failed).
 */
static int __init glass_init(void)
{
	int err;

	glass_check_abi();
	err = glass_mem_init();
	if (err)
		return err;
	glass_proto_mem_init(&glass_proto);
	err = register_pernet_subsys(&glass_net_ops);
	if (err)
		goto out_mem;
	err = glass_mem_sysctl_init();
	if (err)
		goto out_pernet;
	err = glass_table_init();
	if (err)
		goto out_sysctl;
	err = proto_register(&glass_proto, 1);
	if (err)
		goto out_table;
	err = glass_conn_init();
	if (err)
		goto out_proto;
	dev_add_pack(&glass_packet_type);
	err = glass_dev_init(glass_held_wake);
	if (err)
		goto out_pack;
	err = sock_register(&glass_family_ops);
	if (err)
		goto out_dev;
	return 0;

out_dev:
	glass_dev_exit();
out_pack:
	dev_remove_pack(&glass_packet_type);
	glass_conn_exit();
out_proto:
	proto_unregister(&glass_proto);
out_table:
	glass_table_exit();
out_sysctl:
	glass_mem_sysctl_exit();
out_pernet:
	unregister_pernet_subsys(&glass_net_ops);
out_mem:
	glass_mem_exit();
	return err;
}

static void __exit glass_exit(void)
{
	sock_unregister(PF_GLASS);
	glass_dev_exit();
	dev_remove_pack(&glass_packet_type);
	glass_conn_exit();
	proto_unregister(&glass_proto);
	glass_table_exit();
	glass_mem_sysctl_exit();
	unregister_pernet_subsys(&glass_net_ops);
	glass_mem_exit();
	glass_txspare_exit();
}

module_init(glass_init);
module_exit(glass_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("glass: a TCP-like transport you can see through");
MODULE_ALIAS_NETPROTO(PF_GLASS);
MODULE_ALIAS_RTNL_LINK("glass");
