// SPDX-License-Identifier: GPL-2.0
/*
 * procfs: /proc/net/glass, one row per socket of the reader's namespace,
 * and /proc/net/glass_stat, the namespace's counters, one `name value`
 * per line. docs/procfs.md documents every column. Rows are snapshots
 * taken under each socket's lock, so none is ever torn; no pointers are
 * printed.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_table.h"
#include "glass_socket.h"
#include "glass_lower.h"

#define GLASS_PROC_HEADER						\
	"local remote state sendq unsent recvq ooo sndbuf rcvbuf wmem "	\
	"rmem peer_wnd adv_wnd mss cwnd ssthresh srtt_us rto_us retrans "\
	"probes timers uid inode cc sack"

/**
 * struct glass_seq_state - where a reader of /proc/net/glass is.
 * @p: the namespace (seq_file's own).
 * @cur: the walk, just past the socket last returned.
 * @prev: the walk just before it, to return it again when seq_file
 *	restarts at the same record (its buffer filled).
 * @idx: the index of the socket last returned, -1 before any.
 *
 * Reading row after row continues the walk instead of rescanning the
 * tables for each row: linear, not quadratic, in the number of sockets.
 */
struct glass_seq_state {
	struct seq_net_private p;
	struct glass_cursor cur;
	struct glass_cursor prev;
	loff_t idx;
};

/* The idx-th socket of the walk, held, moving the reader's cursor there. */
static struct sock *glass_seq_get(struct seq_file *seq, loff_t idx)
{
	struct glass_seq_state *st = seq->private;
	struct net *net = seq_file_net(seq);
	struct sock *sk;

	if (idx == st->idx) {
		st->cur = st->prev;
	} else if (idx != st->idx + 1) {
		memset(&st->cur, 0, sizeof(st->cur));
		for (st->idx = -1; st->idx + 1 < idx; st->idx++) {
			sk = glass_table_next(net, &st->cur);
			if (!sk)
				return NULL;
			sock_put(sk);
		}
	}
	st->prev = st->cur;
	sk = glass_table_next(net, &st->cur);
	st->idx = idx;
	return sk;
}

static void *glass_seq_start(struct seq_file *seq, loff_t *pos)
{
	struct glass_seq_state *st = seq->private;

	if (!*pos) {
		st->idx = -1;
		memset(&st->cur, 0, sizeof(st->cur));
		return SEQ_START_TOKEN;
	}
	return glass_seq_get(seq, *pos - 1);
}

static void *glass_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	if (v != SEQ_START_TOKEN)
		sock_put(v);
	++*pos;
	return glass_seq_get(seq, *pos - 1);
}

static void glass_seq_stop(struct seq_file *seq, void *v)
{
	if (v && v != SEQ_START_TOKEN)
		sock_put(v);
}

static const char *glass_timers_str(const struct glass_sock *gs)
{
	switch (gs->timer_kind) {
	case GLASS_TIMER_RETRANS:
		return gs->delack_pending ? "rtx,delack" : "rtx";
	case GLASS_TIMER_PROBE:
		return gs->delack_pending ? "probe,delack" : "probe";
	case GLASS_TIMER_TIMEWAIT:
		return "timewait";
	case GLASS_TIMER_TLP:
		return gs->delack_pending ? "tlp,delack" : "tlp";
	case GLASS_TIMER_REO:
		return gs->delack_pending ? "reo,delack" : "reo";
	}
	return gs->delack_pending ? "delack" : "-";
}

static int glass_seq_show(struct seq_file *seq, void *v)
{
	struct sock *sk = v;
	struct glass_sock *gs;
	struct glass_info gi;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, GLASS_PROC_HEADER "\n");
		return 0;
	}
	gs = glass_sk(sk);
	lock_sock(sk);
	glass_fill_info(sk, &gi);
	seq_printf(seq, "%pI4:%u %pI4:%u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %u %s ",
		   &sk->sk_rcv_saddr, sk->sk_num, &sk->sk_daddr,
		   ntohs(sk->sk_dport), sk->sk_state,
		   gi.gi_unacked + gi.gi_unsent, gi.gi_unsent,
		   sk->sk_state == TCP_LISTEN ? READ_ONCE(gs->accept_len) :
		   gi.gi_unread,
		   gi.gi_ooo, sk->sk_sndbuf, sk->sk_rcvbuf,
		   refcount_read(&sk->sk_wmem_alloc) - 1,
		   atomic_read(&sk->sk_rmem_alloc), gi.gi_snd_wnd,
		   gi.gi_rcv_wnd, gi.gi_mss, gi.gi_cwnd,
		   gi.gi_ssthresh, gi.gi_srtt_us, gi.gi_rto_us,
		   gi.gi_retransmits, gi.gi_probes, glass_timers_str(gs));
	release_sock(sk);
	seq_printf(seq, "%u %lu %s %u\n",
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)),
		   sock_i_ino(sk), glass_cc_name(gi.gi_cc_algo), gi.gi_sack);
	return 0;
}

static const struct seq_operations glass_seq_ops = {
	.start	= glass_seq_start,
	.next	= glass_seq_next,
	.stop	= glass_seq_stop,
	.show	= glass_seq_show,
};

/* The printed name of each counter; the enum's order is the file's. */
static const char * const glass_mib_names[GLASS_MIB_MAX] = {
	[GLASS_MIB_ACTIVE_OPENS] = "active_opens",
	[GLASS_MIB_PASSIVE_OPENS] = "passive_opens",
	[GLASS_MIB_ATTEMPT_FAILS] = "attempt_fails",
	[GLASS_MIB_ESTAB_RESETS] = "estab_resets",
	[GLASS_MIB_RSTS_SENT] = "resets_sent",
	[GLASS_MIB_RSTS_RECV] = "resets_received",
	[GLASS_MIB_SEGS_IN] = "segments_in",
	[GLASS_MIB_SEGS_OUT] = "segments_out",
	[GLASS_MIB_BYTES_IN] = "bytes_in",
	[GLASS_MIB_BYTES_OUT] = "bytes_out",
	[GLASS_MIB_RETRANS_SEGS] = "retransmitted_segments",
	[GLASS_MIB_TIMEOUTS] = "timeouts",
	[GLASS_MIB_FAST_RETRANS] = "fast_retransmits",
	[GLASS_MIB_DUP_ACKS] = "duplicate_acks",
	[GLASS_MIB_OOO_SEGS] = "out_of_order_segments",
	[GLASS_MIB_ZERO_WND_ADV] = "zero_window_advertised",
	[GLASS_MIB_WND_UPDATES] = "window_updates",
	[GLASS_MIB_ZERO_WND_PROBES] = "zero_window_probes",
	[GLASS_MIB_DELAYED_ACKS] = "delayed_acks",
	[GLASS_MIB_CHALLENGE_ACKS] = "challenge_acks",
	[GLASS_MIB_CONN_TIMEOUTS] = "connection_timeouts",
	[GLASS_MIB_DROP_CSUM] = "drop_checksum",
	[GLASS_MIB_DROP_MALFORMED] = "drop_malformed",
	[GLASS_MIB_DROP_TRUNCATED] = "drop_truncated",
	[GLASS_MIB_DROP_NOT_LOCAL] = "drop_not_local",
	[GLASS_MIB_DROP_NO_SOCKET] = "drop_no_socket",
	[GLASS_MIB_DROP_RCVBUF] = "drop_rcvbuf",
	[GLASS_MIB_DROP_BACKLOG] = "drop_backlog",
	[GLASS_MIB_DROP_LISTEN_OVERFLOW] = "drop_listen_overflow",
	[GLASS_MIB_DROP_OOO_FULL] = "drop_ooo_full",
	[GLASS_MIB_DROP_OUT_OF_WINDOW] = "drop_out_of_window",
	[GLASS_MIB_DROP_DUPLICATE] = "drop_duplicate",
	[GLASS_MIB_DROP_BAD_ACK] = "drop_bad_ack",
	[GLASS_MIB_DROP_BAD_STATE] = "drop_bad_state",
	[GLASS_MIB_DROP_BAD_RST] = "drop_bad_rst",
	[GLASS_MIB_DROP_BAD_SYN] = "drop_bad_syn",
	[GLASS_MIB_DROP_NOMEM] = "drop_nomem",
	[GLASS_MIB_DROP_WRONG_DEVICE] = "drop_wrong_device",
	[GLASS_MIB_DROP_TX_NO_DEVICE] = "drop_tx_no_device",
	[GLASS_MIB_DROP_TX_DEVICE] = "drop_tx_device",
	[GLASS_MIB_DROP_FILTER] = "drop_filter",
	[GLASS_MIB_DROP_MEMORY] = "drop_memory",
	[GLASS_MIB_ORPHAN_RESETS] = "orphan_resets",
	[GLASS_MIB_SACK_RECOVERIES] = "sack_recoveries",
	[GLASS_MIB_SACK_RETRANS] = "sack_retrans_segs",
	[GLASS_MIB_DSACKS_IN] = "dsacks_received",
	[GLASS_MIB_SACK_IGNORED] = "sack_blocks_ignored",
	[GLASS_MIB_SACK_RENEGED] = "sack_reneged",
	[GLASS_MIB_UNDOS] = "undos",
	[GLASS_MIB_TLP_PROBES] = "tlp_probes",
	[GLASS_MIB_TLP_RECOVERIES] = "tlp_recoveries",
	[GLASS_MIB_RACK_LOST] = "rack_lost_segs",
	[GLASS_MIB_RACK_LOST_RETRANS] = "rack_lost_retrans",
	[GLASS_MIB_RACK_REO_TIMEOUTS] = "rack_reo_timeouts",
	[GLASS_MIB_BACKLOG_SEGS] = "backlog_segments",
	[GLASS_MIB_SPURIOUS_RTOS] = "spurious_rtos",
	[GLASS_MIB_TX_PAGES_NEW] = "tx_pages_new",
	[GLASS_MIB_TX_PAGES_REUSED] = "tx_pages_reused",
	[GLASS_MIB_TX_HELD] = "tx_held",
	[GLASS_MIB_TLP_IN_HOST] = "tlp_tail_in_host",
	[GLASS_MIB_TX_PAGES_SHARED] = "tx_pages_shared",
	[GLASS_MIB_REPLY_POLLS] = "reply_polls",
	[GLASS_MIB_REPLY_POLL_HITS] = "reply_poll_hits",
	[GLASS_MIB_TX_PAGES_SPARE] = "tx_pages_spare",
	[GLASS_MIB_WRITE_MEM_WAITS] = "write_mem_waits",
	[GLASS_MIB_TIMEWAIT_REUSED] = "timewait_reused",
};

/*
 * The neighbour counters of the namespace's stacked devices (glass over
 * Ethernet, glass_neigh.c), after the socket counters.
 */
static void glass_neigh_stat_show(struct seq_file *seq)
{
	struct glass_neigh_stats st;

	glass_lower_stats(seq_file_single_net(seq), &st);
	seq_printf(seq, "neigh_requests_sent %llu\n", st.requests_out);
	seq_printf(seq, "neigh_replies_sent %llu\n", st.replies_out);
	seq_printf(seq, "neigh_requests_received %llu\n", st.requests_in);
	seq_printf(seq, "neigh_replies_received %llu\n", st.replies_in);
	seq_printf(seq, "neigh_resolve_failed %llu\n", st.resolve_failed);
	seq_printf(seq, "neigh_unresolved_drops %llu\n", st.unresolved_drops);
	seq_printf(seq, "neigh_refresh_failed %llu\n", st.refresh_failed);
	seq_printf(seq, "neigh_mac_changes %llu\n", st.mac_changes);
	seq_printf(seq, "neigh_evicted %llu\n", st.evicted);
	seq_printf(seq, "neigh_bad_messages %llu\n", st.bad);
}

static int glass_stat_show(struct seq_file *seq, void *v)
{
	struct glass_net *gn = glass_pernet(seq_file_single_net(seq));
	int i, cpu;

	BUILD_BUG_ON(ARRAY_SIZE(glass_mib_names) != GLASS_MIB_MAX);
	for (i = 0; i < GLASS_MIB_MAX; i++) {
		u64 sum = 0;

		for_each_possible_cpu(cpu)
			sum += per_cpu_ptr(gn->mib, cpu)->v[i];
		seq_printf(seq, "%s %llu\n", glass_mib_names[i], sum);
	}
	glass_neigh_stat_show(seq);
	return 0;
}

/**
 * glass_proc_init_net() - create /proc/net/glass and /proc/net/glass_stat.
 * @net: the namespace.
 *
 * Return: 0 or -ENOMEM (neither file is left behind).
 */
int glass_proc_init_net(struct net *net)
{
	if (!proc_create_net("glass", 0444, net->proc_net, &glass_seq_ops,
			     sizeof(struct glass_seq_state)))
		return -ENOMEM;
	if (!proc_create_net_single("glass_stat", 0444, net->proc_net,
				    glass_stat_show, NULL)) {
		remove_proc_entry("glass", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

/**
 * glass_proc_exit_net() - remove both files.
 * @net: the namespace.
 */
void glass_proc_exit_net(struct net *net)
{
	remove_proc_entry("glass_stat", net->proc_net);
	remove_proc_entry("glass", net->proc_net);
}
