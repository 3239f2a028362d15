// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol-wide limits, as TCP has them: socket memory accounting against
 * net.glass.mem (pages: low, pressure, high; the kernel's sk_mem_*
 * machinery, so memory cgroups see it too), the orphan count against
 * net.glass.max_orphans, the two sysctls themselves (init_net only), and
 * /proc/net/glass_sockstat that shows both.
 * docs/limits.md describes what is bounded and how.
 *
 * Every skb on a glass queue is charged to its socket exactly once:
 * write-queue skbs with sk_wmem_schedule() + sk_mem_charge() (and
 * glass_wmem_free_skb() undoes it), received skbs with sk_rmem_schedule()
 * + skb_set_owner_r() (sock_rfree() undoes it). glass_destruct() checks
 * that nothing is left.
 */
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/swap.h>
#include <linux/sysctl.h>
#include <net/tcp_states.h>

#include "glass_sock.h"
#include "glass_mem.h"
#include "glass_memwait.h"
#include "glass_txspare.h"

static atomic_long_t glass_memory_allocated;
static DEFINE_PER_CPU(int, glass_memory_per_cpu_fw_alloc);
static unsigned long glass_memory_pressure;
static struct percpu_counter glass_sockets_allocated;
static DEFINE_PER_CPU(unsigned int, glass_orphan_count);
static atomic_t glass_namespaces = ATOMIC_INIT(0);
static atomic_long_t glass_pressure_entered = ATOMIC_LONG_INIT(0);

/*
 * How far the shared counter may be from the exact total, in pages: a
 * per-CPU reserve either way on every CPU. Set once at init, since
 * num_possible_cpus() counts bits on every call, and the uncharge path
 * asks after every page freed under pressure.
 */
static long glass_mem_slack __read_mostly;

/* net.glass.mem, pages (only in init_net); set at init like tcp_mem. */
static long sysctl_glass_mem[3] __read_mostly;
/*
 * What the kernel's own checks (__sk_mem_raise_allocated()) see: no limit.
 * They read only the shared counter, which drifts from the real total by
 * up to sysctl_mem_pcpu_rsv pages per CPU either way, so with a small
 * net.glass.mem they would refuse memory that is free (and stall a
 * connection for good) or grant memory that is not. glass enforces
 * net.glass.mem itself on the exact total; the kernel still charges the
 * memory cgroup.
 */
static long glass_kernel_mem[3] = { LONG_MAX, LONG_MAX, LONG_MAX };
/* net.glass.max_orphans (only in init_net). */
static int sysctl_glass_max_orphans __read_mostly;

/*
 * What a socket may always hold between the pressure and the high mark
 * (never above it): one page of queued data, TCP's tcp_{w,r}mem[0]. It
 * lets a reader take the next segment while other sockets hold the rest.
 */
static int glass_mem_min[3] = { PAGE_SIZE, PAGE_SIZE, PAGE_SIZE };

static void glass_enter_memory_pressure(struct sock *sk)
{
	if (!READ_ONCE(glass_memory_pressure)) {
		WRITE_ONCE(glass_memory_pressure, 1);
		atomic_long_inc(&glass_pressure_entered);
	}
}

static bool glass_mem_exceeds(long mark, long pages);
static long glass_memory_pages(void);

/*
 * The writers' mark, halfway from the pressure mark to the high mark:
 * above it an idle socket's write is refused (glass_wmem_fair()).
 */
static long glass_writers_mark(void)
{
	return (READ_ONCE(sysctl_glass_mem[1]) +
		READ_ONCE(sysctl_glass_mem[2])) / 2;
}

/*
 * The pollers' mark, an eighth of the way from the writers' mark back to
 * the pressure mark: below it poll() reports an idle socket writable, and
 * waiting writers are woken. A level-triggered loop writes every socket
 * one epoll_wait() reported, 256 at once in glass perf; at the writers'
 * mark itself memory crossed the mark a few writes into the batch and the
 * rest were refused, 16,000-17,000 of 90,000 writes of 10,000 connections
 * (EAGAIN, a system call each). The gap leaves room for the batch.
 */
static long glass_pollers_mark(void)
{
	return glass_writers_mark() - (READ_ONCE(sysctl_glass_mem[2]) -
				       READ_ONCE(sysctl_glass_mem[1])) / 8;
}

/* Room below the pollers' mark that wakes one waiting writer: 16 KiB. */
#define GLASS_MEMWAIT_PAGES	4

/*
 * How many writers waiting for memory (glass_memwait.c) may go now: all
 * once pressure is over, else one for each GLASS_MEMWAIT_PAGES of room
 * below the pollers' mark, oldest first.
 */
static unsigned int glass_memwait_room(void)
{
	long room;

	if (!READ_ONCE(glass_memory_pressure))
		return UINT_MAX;
	room = glass_pollers_mark() - glass_memory_pages();
	return room > 0 ? room / GLASS_MEMWAIT_PAGES : 0;
}

/* Wake the writers waiting for memory that may go now, if any. */
static void glass_memwait_wake_room(void)
{
	unsigned int n;

	if (!glass_memwait_any())
		return;
	n = glass_memwait_room();
	if (n)
		glass_memwait_wake(n);
}

/*
 * The kernel calls this after every uncharge under pressure: leave it
 * below the low mark, and let waiting writers go as memory comes back.
 */
static void glass_leave_memory_pressure(struct sock *sk)
{
	if (READ_ONCE(glass_memory_pressure) &&
	    !glass_mem_exceeds(READ_ONCE(sysctl_glass_mem[0]), 0))
		WRITE_ONCE(glass_memory_pressure, 0);
	glass_memwait_wake_room();
}

/**
 * glass_proto_mem_init() - point a struct proto at glass's accounting.
 * @prot: glass_proto, before proto_register().
 */
void glass_proto_mem_init(struct proto *prot)
{
	prot->memory_allocated = &glass_memory_allocated;
	prot->per_cpu_fw_alloc = &glass_memory_per_cpu_fw_alloc;
	prot->memory_pressure = &glass_memory_pressure;
	prot->enter_memory_pressure = glass_enter_memory_pressure;
	prot->leave_memory_pressure = glass_leave_memory_pressure;
	prot->sysctl_mem = glass_kernel_mem;
	prot->sysctl_wmem = glass_mem_min;
	prot->sysctl_rmem = glass_mem_min;
	prot->sockets_allocated = &glass_sockets_allocated;
	prot->orphan_count = &glass_orphan_count;
}

/*
 * The range sets of glass_sock's ooo and sb.sacked. An idle connection
 * holds none; a connection that reorders or loses holds one or two while
 * holes are open.
 */
static struct kmem_cache *glass_ranges_cache;
static atomic_t glass_ranges_live = ATOMIC_INIT(0);
const struct glass_ooo_set glass_ranges_none;

/**
 * glass_ranges_alloc() - an empty range set.
 * Context: softirq under the socket's spinlock, or the socket's owner.
 * Return: the set, or NULL (the caller counts what it gives up).
 */
struct glass_ooo_set *glass_ranges_alloc(void)
{
	struct glass_ooo_set *s;

	s = kmem_cache_alloc(glass_ranges_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!s)
		return NULL;
	atomic_inc(&glass_ranges_live);
	glass_ooo_init(s);
	return s;
}

/**
 * glass_ranges_free() - free a set and forget it.
 * @s: where the set is kept; NULL afterwards (it may be NULL already).
 */
void glass_ranges_free(struct glass_ooo_set **s)
{
	if (!*s)
		return;
	kmem_cache_free(glass_ranges_cache, *s);
	atomic_dec(&glass_ranges_live);
	*s = NULL;
}

/**
 * glass_mem_init() - size net.glass.mem and max_orphans as tcp_init_mem() does;
 *	create the range sets' cache.
 *
 * Return: 0 or -ENOMEM (the cache, the socket counter).
 */
int glass_mem_init(void)
{
	unsigned long limit = max(nr_free_buffer_pages() / 16, 128UL);

	glass_mem_slack = (long)num_possible_cpus() * 2 * SK_MEMORY_PCPU_RESERVE;
	sysctl_glass_mem[0] = limit / 4 * 3;
	sysctl_glass_mem[1] = limit;
	sysctl_glass_mem[2] = sysctl_glass_mem[0] * 2;
	sysctl_glass_max_orphans = clamp_t(unsigned long,
					   nr_free_buffer_pages() / 32,
					   128, 65536);
	glass_ranges_cache = KMEM_CACHE(glass_ooo_set, 0);
	if (!glass_ranges_cache)
		return -ENOMEM;
	if (percpu_counter_init(&glass_sockets_allocated, 0, GFP_KERNEL)) {
		kmem_cache_destroy(glass_ranges_cache);
		return -ENOMEM;
	}
	return 0;
}

/**
 * glass_mem_exit() - free the socket counter and the range sets' cache (module
 *	exit: no socket is left).
 */
void glass_mem_exit(void)
{
	percpu_counter_destroy(&glass_sockets_allocated);
	kmem_cache_destroy(glass_ranges_cache);
}

/**
 * glass_mem_netns_add() - count namespaces that use glass, for sockstat.
 * @n: +1 or -1.
 */
void glass_mem_netns_add(int n)
{
	atomic_add(n, &glass_namespaces);
}

/*
 * Pages charged to glass sockets, exactly: the shared counter lags the
 * per-CPU reserves by up to sysctl_mem_pcpu_rsv pages per CPU.
 */
static long glass_memory_pages(void)
{
	long sum = atomic_long_read(&glass_memory_allocated);
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(&glass_memory_per_cpu_fw_alloc, cpu);
	return sum;
}

/*
 * Would pages more take glass past mark? Exact: the per-CPU reserves are
 * added whenever they could matter, so the marks hold to the page.
 */
static bool glass_mem_exceeds(long mark, long pages)
{
	long shared = atomic_long_read(&glass_memory_allocated);
	long slack = glass_mem_slack;

	if (shared + pages + slack <= mark)
		return false;
	if (shared + pages - slack > mark)
		return true;
	return glass_memory_pages() + pages > mark;
}

static bool glass_mem_over_high(long pages)
{
	if (glass_mem_exceeds(READ_ONCE(sysctl_glass_mem[1]), pages))
		glass_enter_memory_pressure(NULL);
	return glass_mem_exceeds(READ_ONCE(sysctl_glass_mem[2]), pages);
}

/**
 * glass_under_memory_pressure() - is glass under memory pressure?
 * @sk: a glass socket.
 *
 * Pressure is entered above the pressure mark of net.glass.mem and left
 * below its low mark.
 * Return: true under pressure (windows stop growing, send buffers shrink).
 */
bool glass_under_memory_pressure(const struct sock *sk)
{
	return sk_under_memory_pressure(sk);
}

static bool glass_memory_over_limit(void)
{
	return glass_mem_over_high(0);
}

/*
 * Under memory pressure, may sk queue size bytes more to write? Yes while
 * its write queue holds less than a page (as tcp_wmem[0]: every writer
 * may have one skb queued) and glass stays below mark (the writers' mark
 * for a write, the pollers' mark for poll() and for waiters), else
 * only while its share stays within high / sockets: TCP's fairness rule,
 * with an exact count of sockets (the kernel's own check reads a per-CPU
 * batched estimate). The writers' mark, halfway from the pressure mark to
 * the high mark, leaves the rest to data already sent, which receivers
 * refuse only at the high mark (glass_rmem_schedule()): the first page is
 * the one allowance that grows with the number of sockets, and 10,000
 * idle writers each queueing 16 KiB under pressure took glass to the high
 * mark, where the receivers dropped.
 */
static bool glass_wmem_fair(struct sock *sk, int size, long mark)
{
	int queued = READ_ONCE(sk->sk_wmem_queued);
	s64 socks, pages;

	if (!sk_under_memory_pressure(sk))
		return true;
	if (queued < PAGE_SIZE &&
	    !glass_mem_exceeds(mark, sk_mem_pages(size)))
		return true;
	socks = percpu_counter_sum_positive(&glass_sockets_allocated);
	pages = sk_mem_pages(queued + atomic_read(&sk->sk_rmem_alloc) + size);
	return pages * socks <= READ_ONCE(sysctl_glass_mem[2]);
}

/*
 * Would glass refuse size more bytes to sk's write queue now, with mark
 * as the idle sockets' mark (glass_wmem_fair())?
 */
static bool glass_wmem_refused(struct sock *sk, int size, long mark)
{
	return glass_mem_over_high(sk_mem_pages(size)) ||
	       !glass_wmem_fair(sk, size, mark);
}

/*
 * sk, with less than a page queued, is refused size bytes, or would be:
 * list it until memory comes back below the pollers' mark. If it came back
 * before sk was listed (the full barriers of glass_memwait_add() and
 * glass_memwait_any() order this test against an uncharge that found no
 * one listed), unlist it at once: the next write will fit.
 * Return: true if it is listed.
 */
static bool glass_wmem_wait(struct sock *sk, int size)
{
	glass_memwait_add(sk);
	if (!glass_wmem_refused(sk, size, glass_pollers_mark()))
		glass_memwait_cancel(sk);
	return glass_memwait_listed(sk);
}

/* What poll() takes an idle socket's next write to need: 16 KiB. */
#define GLASS_MEMWAIT_SIZE	(GLASS_MEMWAIT_PAGES * PAGE_SIZE)

/**
 * glass_wmem_poll_wait() - must poll() hold EPOLLOUT back for memory?
 * @sk: a connected socket, not owned (poll()); its send buffer has room.
 * @may_list: the poller asked for EPOLLOUT, so a wake for it is wanted.
 *
 * Yes while it waits for memory (glass_memwait.c), and for an idle socket
 * (less than a page queued, so no ACK of its own is due) whose next write
 * would take glass past the pollers' mark: that one starts waiting now,
 * if its poller asked for EPOLLOUT. Without this, poll() said writable
 * and write() EAGAIN, and a level-triggered loop retried it at once,
 * again and again. A socket with more queued is not held back: its ACKs
 * wake it, as TCP's do. A socket polled only for input (a reader's) is
 * not listed: it would take a wake that memory coming back owes a writer
 * (the list wakes one socket per 16 KiB of room), and a server reading
 * 10,000 connections listed its sockets a third as often as their
 * writers did.
 * Return: true to leave EPOLLOUT out.
 */
bool glass_wmem_poll_wait(struct sock *sk, bool may_list)
{
	/*
	 * Without pressure no write has been refused (a refusal enters it),
	 * and a socket still listed is being woken
	 * (glass_leave_memory_pressure()); this also keeps the node's line
	 * out of every poll when memory is plentiful.
	 */
	if (!READ_ONCE(glass_memory_pressure))
		return false;
	if (glass_memwait_listed(sk))
		return true;
	if (READ_ONCE(sk->sk_wmem_queued) >= PAGE_SIZE ||
	    !glass_wmem_refused(sk, GLASS_MEMWAIT_SIZE, glass_pollers_mark()))
		return false;
	return !may_list || glass_wmem_wait(sk, GLASS_MEMWAIT_SIZE);
}

/**
 * glass_wmem_schedule() - room for size more bytes on the write queue.
 * @sk: the socket, owned.
 * @size: the truesize of the skb to queue.
 *
 * sk_wmem_schedule(), except that nothing goes over the high mark (the
 * kernel lets a stream socket at its sndbuf do so) and the fairness rule
 * under pressure counts sockets exactly. A socket refused with less than
 * a page queued waits for memory (glass_memwait.c): no ACK of its own
 * would tell it when to try again.
 * Return: true if the caller may charge size bytes.
 */
bool glass_wmem_schedule(struct sock *sk, int size)
{
	int delta = size - sk->sk_forward_alloc;

	if (delta <= 0)
		return true;
	if (glass_mem_over_high(sk_mem_pages(delta)) ||
	    !glass_wmem_fair(sk, size, glass_writers_mark())) {
		glass_enter_memory_pressure(sk);
		sk_stream_moderate_sndbuf(sk);
		if (sk->sk_wmem_queued < PAGE_SIZE)
			glass_wmem_wait(sk, size);
		return false;
	}
	/* It got memory under pressure: it waits no more (else it is woken). */
	if (READ_ONCE(glass_memory_pressure))
		glass_memwait_cancel(sk);
	return sk_wmem_schedule(sk, size);
}

/**
 * glass_rmem_schedule() - room to hold skb (its truesize) on a receive queue.
 * @sk: the socket, owned.
 * @skb: the skb about to be charged with skb_set_owner_r(); its bytes are
 *	within the window this socket advertised.
 *
 * Only the high mark refuses it. Under pressure a sender's share is held
 * to the fairness rule (glass_wmem_schedule()) and windows stop growing
 * (glass_rcv_free()), but what a window already offered is taken while
 * memory lasts: dropping it (as TCP's fair share would) makes the sender
 * send it again, and 100 connections with grown windows spent a third of
 * their segments on retransmissions and timeouts that way.
 * Return: true if the caller may charge it; false: drop it (drop_memory).
 */
bool glass_rmem_schedule(struct sock *sk, struct sk_buff *skb)
{
	int delta = skb->truesize - sk->sk_forward_alloc;

	if (delta <= 0)
		return true;
	if (glass_mem_over_high(sk_mem_pages(delta))) {
		glass_enter_memory_pressure(sk);
		return false;
	}
	return sk_rmem_schedule(sk, skb, skb->truesize);
}

/**
 * glass_rmem_schedule_next() - glass_rmem_schedule() for the next in-order
 *	segment, which a reader who emptied the queue gets whatever the
 *	marks say.
 * @sk: the socket, owned.
 * @skb: the segment, in order, about to be charged with skb_set_owner_r().
 *
 * As TCP forces the charge of an in-order segment to an empty receive
 * queue (tcp_data_queue()): at the high mark, write queues full of
 * unacknowledged data would otherwise leave every reader nothing to read,
 * and every sender no ACK to free its queue with, until the connections
 * time out (10,000 connections did). Stricter than TCP: only once the
 * program has read everything it was given (something, so a child never
 * accepted, or a reader that never reads, gains nothing), and one skb at
 * a time. As in glass_wmem_schedule_forced(), a charge the accounting
 * refuses is a debt the reader's read repays.
 * Return: true if the caller may charge it; false: drop it (drop_memory).
 */
bool glass_rmem_schedule_next(struct sock *sk, struct sk_buff *skb)
{
	const struct glass_sock *gs = glass_sk(sk);

	if (glass_rmem_schedule(sk, skb))
		return true;
	if (atomic_read(&sk->sk_rmem_alloc) || !gs->bytes_received ||
	    gs->rcv_unread)
		return false;
	sk_rmem_schedule(sk, skb, skb->truesize);
	return true;
}

/**
 * glass_wmem_schedule_forced() - room for size bytes whatever the limits.
 * @sk: the socket, owned.
 * @size: the truesize of the skb to queue (a FIN).
 *
 * A FIN must go out whatever the limits say (TCP forces its charge).
 * Modules cannot force a memcg charge, so if scheduling fails the charge
 * the caller then makes is a debt: sk_forward_alloc goes below zero by the
 * FIN's truesize until later uncharges repay it.
 */
void glass_wmem_schedule_forced(struct sock *sk, int size)
{
	sk_wmem_schedule(sk, size);
}

/**
 * glass_wmem_free_skb() - free a write-queue skb and return its charge.
 * @sk: the socket, owned.
 * @skb: an skb already off the write queue.
 */
void glass_wmem_free_skb(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, -skb->truesize);
	sk_mem_uncharge(sk, skb->truesize);
	glass_txspare_harvest(skb);
	kfree_skb(skb);
}

/**
 * glass_mem_reclaim_all() - return every byte still forward-allocated.
 * @sk: a socket being destroyed.
 */
void glass_mem_reclaim_all(struct sock *sk)
{
	if (sk->sk_forward_alloc > 0)
		__sk_mem_reclaim(sk, sk->sk_forward_alloc);
}

/**
 * glass_sockets_allocated_add() - count glass sockets, for fairness.
 * @n: +1 or -1.
 */
void glass_sockets_allocated_add(int n)
{
	percpu_counter_add_batch(&glass_sockets_allocated, n, 16);
}

/**
 * glass_orphan_inc() - a closed socket lives on: count it as an orphan.
 * @sk: the socket, owned; counted once however often this is called.
 */
void glass_orphan_inc(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	if (gs->orphan_counted)
		return;
	gs->orphan_counted = true;
	this_cpu_inc(glass_orphan_count);
}

/**
 * glass_orphan_dec() - an orphan is destroyed: uncount it.
 * @sk: the socket; nothing happens if it was never counted.
 */
void glass_orphan_dec(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);

	if (!gs->orphan_counted)
		return;
	gs->orphan_counted = false;
	this_cpu_dec(glass_orphan_count);
}

static unsigned int glass_orphans(void)
{
	unsigned int sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(&glass_orphan_count, cpu);
	return sum;
}

/**
 * glass_check_oom() - may this orphan live on (tcp_check_oom())?
 * @sk: an orphan, owned.
 *
 * No if there are more orphans than net.glass.max_orphans, or if glass
 * memory is past the high mark and this orphan holds queued data.
 * Return: true if the caller must reset it.
 */
bool glass_check_oom(struct sock *sk)
{
	if (glass_orphans() > (unsigned int)READ_ONCE(sysctl_glass_max_orphans)) {
		net_info_ratelimited("glass: too many orphaned sockets\n");
		return true;
	}
	if (sk->sk_wmem_queued > SOCK_MIN_SNDBUF && glass_memory_over_limit()) {
		net_info_ratelimited("glass: out of memory -- consider tuning net.glass.mem\n");
		return true;
	}
	return false;
}

static unsigned long glass_mem_min_pages = 1;

/* Global limits: registered in init_net only. */
static struct ctl_table glass_global_table[] = {
	{
		.procname	= "mem",
		.data		= &sysctl_glass_mem,
		.maxlen		= sizeof(sysctl_glass_mem),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
		.extra1		= &glass_mem_min_pages,
	},
	{
		.procname	= "max_orphans",
		.data		= &sysctl_glass_max_orphans,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
	},
	{ }
};

static struct ctl_table_header *glass_global_hdr;

/**
 * glass_mem_sysctl_init() - register net.glass.mem and max_orphans.
 *
 * Return: 0 or -ENOMEM. In init_net only, as net.ipv4.tcp_mem is, so no
 * user namespace can raise them.
 */
int glass_mem_sysctl_init(void)
{
	glass_global_hdr = register_net_sysctl(&init_net, "net/glass",
					       glass_global_table);
	return glass_global_hdr ? 0 : -ENOMEM;
}

/**
 * glass_mem_sysctl_exit() - unregister the global limits.
 */
void glass_mem_sysctl_exit(void)
{
	unregister_net_sysctl_table(glass_global_hdr);
}

/*
 * /proc/net/glass_sockstat: one `name value` per line. sockets_inuse is
 * the reader's namespace; everything else is global, as TCP's orphan and
 * mem figures in /proc/net/sockstat are.
 */
static int glass_sockstat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);

	seq_printf(seq, "sockets_inuse %d\n",
		   atomic_read(&glass_pernet(net)->sockets));
	seq_printf(seq, "sockets_allocated %lld\n",
		   percpu_counter_sum_positive(&glass_sockets_allocated));
	seq_printf(seq, "orphans %u\n", glass_orphans());
	seq_printf(seq, "max_orphans %d\n", READ_ONCE(sysctl_glass_max_orphans));
	seq_printf(seq, "memory_pages %ld\n", glass_memory_pages());
	seq_printf(seq, "memory_low %ld\n", READ_ONCE(sysctl_glass_mem[0]));
	seq_printf(seq, "memory_pressure_mark %ld\n", READ_ONCE(sysctl_glass_mem[1]));
	seq_printf(seq, "memory_high %ld\n", READ_ONCE(sysctl_glass_mem[2]));
	seq_printf(seq, "memory_pressure %d\n",
		   READ_ONCE(glass_memory_pressure) ? 1 : 0);
	seq_printf(seq, "memory_pressure_entered %ld\n",
		   atomic_long_read(&glass_pressure_entered));
	seq_printf(seq, "namespaces %d\n", atomic_read(&glass_namespaces));
	seq_printf(seq, "range_sets %d\n", atomic_read(&glass_ranges_live));
	return 0;
}

/**
 * glass_sockstat_init_net() - create /proc/net/glass_sockstat.
 * @net: the namespace.
 *
 * Return: 0 or -ENOMEM.
 */
int glass_sockstat_init_net(struct net *net)
{
	if (!proc_create_net_single("glass_sockstat", 0444, net->proc_net,
				    glass_sockstat_show, NULL))
		return -ENOMEM;
	return 0;
}

/**
 * glass_sockstat_exit_net() - remove /proc/net/glass_sockstat.
 * @net: the namespace.
 */
void glass_sockstat_exit_net(struct net *net)
{
	remove_proc_entry("glass_sockstat", net->proc_net);
}
