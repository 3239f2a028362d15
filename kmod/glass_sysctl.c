// SPDX-License-Identifier: GPL-2.0
/*
 * net.glass.* sysctls, one table per namespace: the timer and retry
 * tunables of struct glass_sysctl and the receive and send buffer sizes
 * (rmem, wmem). Defaults are documented in docs/protocol.md. The
 * protocol-wide limits (net.glass.mem and net.glass.max_orphans) are
 * glass_mem.c's. Also the namespace's slot itself (glass_net_id), which
 * glass_main.c registers.
 */
#include <linux/sysctl.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "glass_sock.h"

/* Where struct glass_net lives in each namespace (glass_pernet()). */
unsigned int glass_net_id __read_mostly;

static int glass_zero;
static int glass_one = 1;
static int glass_max_ms = 600000;
static int glass_max_retries = 100;
/* net.glass.rmem, wmem: each from a page to 1 GiB (the largest window). */
static int glass_rmem_lo = 4096;
static int glass_rmem_hi = 1 << 30;
/* net.glass.reply_poll_us: a spin of at most 100 ms, preemptible. */
static int glass_max_poll_us = 100000;

static const struct glass_sysctl glass_sysctl_defaults = {
	.rto_min_ms	= 200,
	.rto_max_ms	= 30000,
	.rto_initial_ms	= 1000,
	.retries	= 8,
	.syn_retries	= 5,
	.time_wait_ms	= 2000,
	.delack_ms	= 40,
	.orphan_retries	= 8,
	.sack		= 1,
	.congestion_control = GLASS_CC_CUBIC,	/* as Linux's default */
	/* TCP's min and max; the default is the kernel's rmem_default. */
	.rmem		= { 4096, 212992, 6291456 },
	/* TCP's min and max; the default is the kernel's wmem_default. */
	.wmem		= { 4096, 212992, 4194304 },
	/* Drained in 10-40 ms under TCG: far from the RTO (glass_dev.c). */
	.queue_hold_bytes = 4 << 20,
	/*
	 * Longer than a round trip with both ends spinning: 50 us at the
	 * median under TCG, 200-400 us at the 99th percentile (docs/perf.md).
	 */
	.reply_poll_us	= 200,
	.autocork	= 1,	/* as net.ipv4.tcp_autocorking */
};

static const char *const glass_cc_names[] = {
	[GLASS_CC_NEWRENO] = "newreno",
	[GLASS_CC_CUBIC] = "cubic",
};

/**
 * glass_cc_name() - the name of a congestion control algorithm.
 * @algo: GLASS_CC_*.
 * Return: its name ("newreno" for an unknown number).
 */
const char *glass_cc_name(u32 algo)
{
	return algo < ARRAY_SIZE(glass_cc_names) ? glass_cc_names[algo] :
	       glass_cc_names[GLASS_CC_NEWRENO];
}

/**
 * glass_cc_find() - a congestion control algorithm by name.
 * @name: "newreno" (or "reno", as Linux calls it) or "cubic".
 * Return: GLASS_CC_*, or -ENOENT (what TCP_CONGESTION answers).
 */
int glass_cc_find(const char *name)
{
	u32 i;

	if (!strcmp(name, "reno"))
		return GLASS_CC_NEWRENO;
	for (i = 0; i < ARRAY_SIZE(glass_cc_names); i++)
		if (!strcmp(name, glass_cc_names[i]))
			return i;
	return -ENOENT;
}

/* net.glass.congestion_control: read and written as a name. */
static int glass_proc_cc(struct ctl_table *table, int write, void *buffer,
			 size_t *lenp, loff_t *ppos)
{
	char name[GLASS_CC_NAME_MAX];
	struct ctl_table tbl = { .data = name, .maxlen = sizeof(name) };
	int *algo = table->data;
	int ret, found;

	strscpy(name, glass_cc_name(READ_ONCE(*algo)), sizeof(name));
	ret = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;
	found = glass_cc_find(strim(name));
	if (found < 0)
		return found;
	WRITE_ONCE(*algo, found);
	return 0;
}

#define GLASS_SYSCTL(field, lo, hi) {				\
	.procname	= #field,				\
	.data		= &init_net_glass_dummy.field,		\
	.maxlen		= sizeof(int),				\
	.mode		= 0644,					\
	.proc_handler	= proc_dointvec_minmax,			\
	.extra1		= lo,					\
	.extra2		= hi,					\
}

/* Template; .data is rebased onto each namespace's struct glass_sysctl. */
static struct glass_sysctl init_net_glass_dummy;

static struct ctl_table glass_sysctl_template[] = {
	GLASS_SYSCTL(rto_min_ms, &glass_one, &glass_max_ms),
	GLASS_SYSCTL(rto_max_ms, &glass_one, &glass_max_ms),
	GLASS_SYSCTL(rto_initial_ms, &glass_one, &glass_max_ms),
	GLASS_SYSCTL(retries, &glass_one, &glass_max_retries),
	GLASS_SYSCTL(syn_retries, &glass_one, &glass_max_retries),
	GLASS_SYSCTL(time_wait_ms, &glass_one, &glass_max_ms),
	GLASS_SYSCTL(delack_ms, &glass_one, &glass_max_ms),
	GLASS_SYSCTL(orphan_retries, &glass_one, &glass_max_retries),
	GLASS_SYSCTL(sack, &glass_zero, &glass_one),
	GLASS_SYSCTL(queue_hold_bytes, &glass_zero, &glass_rmem_hi),
	GLASS_SYSCTL(reply_poll_us, &glass_zero, &glass_max_poll_us),
	GLASS_SYSCTL(autocork, &glass_zero, &glass_one),
	{
		.procname	= "rmem",
		.data		= &init_net_glass_dummy.rmem,
		.maxlen		= sizeof(init_net_glass_dummy.rmem),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &glass_rmem_lo,
		.extra2		= &glass_rmem_hi,
	},
	{
		.procname	= "wmem",
		.data		= &init_net_glass_dummy.wmem,
		.maxlen		= sizeof(init_net_glass_dummy.wmem),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &glass_rmem_lo,
		.extra2		= &glass_rmem_hi,
	},
	{
		.procname	= "congestion_control",
		.data		= &init_net_glass_dummy.congestion_control,
		.maxlen		= GLASS_CC_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= glass_proc_cc,
	},
	{ }
};

/**
 * glass_sysctl_init_net() - the namespace's net.glass.* tunables.
 * @net: the namespace; its values start from the defaults.
 *
 * Return: 0 or -ENOMEM.
 */
int glass_sysctl_init_net(struct net *net)
{
	struct glass_net *gn = glass_pernet(net);
	struct ctl_table *table;
	int i;

	gn->sysctl = glass_sysctl_defaults;
	table = kmemdup(glass_sysctl_template, sizeof(glass_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; table[i].procname; i++)
		table[i].data = (char *)&gn->sysctl +
			((char *)table[i].data - (char *)&init_net_glass_dummy);
	gn->sysctl_hdr = register_net_sysctl(net, "net/glass", table);
	if (!gn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

/**
 * glass_sysctl_exit_net() - unregister and free the namespace's table.
 * @net: the namespace.
 */
void glass_sysctl_exit_net(struct net *net)
{
	struct glass_net *gn = glass_pernet(net);
	struct ctl_table *table = gn->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(gn->sysctl_hdr);
	kfree(table);
}
