// SPDX-License-Identifier: GPL-2.0
/*
 * The socket tables: who owns which port (the bind table) and which socket
 * a segment belongs to (the connection table). Both are hash tables with a
 * spinlock per bucket, shared by all namespaces and keyed with the
 * namespace, so no lookup ever crosses one. A lookup returns its socket
 * with a reference held; the caller drops it with sock_put().
 *
 * A socket in either table holds a reference for it.
 *
 * The bind table holds every socket that uses a port: bound, listening,
 * connecting and accepted ones (children use their listener's port, as
 * TCP's do, so a new bind sees them). Listeners are also in a table of
 * their own, so a SYN finds its listener without walking the connections
 * that share its port.
 */
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/vmalloc.h>
#include <net/netns/hash.h>

#include "glass_sock.h"
#include "glass_table.h"
#include "glass_conn.h"

#define GLASS_BIND_BITS	10
#define GLASS_CONN_BITS	14

struct glass_bucket {
	spinlock_t lock;	/* protects head and the nodes on it */
	struct hlist_head head;
};

static struct glass_bucket *glass_bind_table;
static struct glass_bucket *glass_listen_table;
static struct glass_bucket *glass_conn_table;
static u32 glass_hash_seed __read_mostly;

/*
 * Each table's bucket locks are a lock class of their own: listen() holds
 * a bind bucket while it takes a listen bucket, which lockdep would
 * otherwise read as one lock class taken recursively.
 */
static struct lock_class_key glass_bind_key, glass_listen_key, glass_conn_key;

static struct glass_bucket *glass_buckets_alloc(unsigned int bits,
						struct lock_class_key *key)
{
	struct glass_bucket *t;
	unsigned int i;

	t = vmalloc(sizeof(*t) << bits);
	if (!t)
		return NULL;
	for (i = 0; i < (1U << bits); i++) {
		spin_lock_init(&t[i].lock);
		lockdep_set_class(&t[i].lock, key);
		INIT_HLIST_HEAD(&t[i].head);
	}
	return t;
}

/**
 * glass_table_init() - allocate the bind, listen and connection tables.
 *
 * Return: 0 or -ENOMEM.
 */
int glass_table_init(void)
{
	glass_hash_seed = get_random_u32();
	glass_bind_table = glass_buckets_alloc(GLASS_BIND_BITS,
					       &glass_bind_key);
	glass_listen_table = glass_buckets_alloc(GLASS_BIND_BITS,
						 &glass_listen_key);
	glass_conn_table = glass_buckets_alloc(GLASS_CONN_BITS,
					       &glass_conn_key);
	if (!glass_bind_table || !glass_listen_table || !glass_conn_table) {
		glass_table_exit();
		return -ENOMEM;
	}
	return 0;
}

/**
 * glass_table_exit() - free the tables (every socket has left them).
 */
void glass_table_exit(void)
{
	vfree(glass_bind_table);
	vfree(glass_listen_table);
	vfree(glass_conn_table);
	glass_bind_table = NULL;
	glass_listen_table = NULL;
	glass_conn_table = NULL;
}

static struct glass_bucket *glass_bind_bucket(const struct net *net, u16 port)
{
	u32 h = jhash_2words(net_hash_mix(net), port, glass_hash_seed);

	return &glass_bind_table[hash_32(h, GLASS_BIND_BITS)];
}

static struct glass_bucket *glass_listen_bucket(const struct net *net,
						u16 port)
{
	u32 h = jhash_2words(net_hash_mix(net), port, glass_hash_seed);

	return &glass_listen_table[hash_32(h, GLASS_BIND_BITS)];
}

static struct glass_bucket *glass_conn_bucket(const struct net *net,
					      __be32 laddr, u16 lport,
					      __be32 raddr, __be16 rport)
{
	u32 h = jhash_3words((__force u32)laddr, (__force u32)raddr,
			     ((u32)lport << 16) | (__force u16)rport,
			     glass_hash_seed ^ net_hash_mix(net));

	return &glass_conn_table[hash_32(h, GLASS_CONN_BITS)];
}

/*
 * Do sk and sk2 hear frames of one device? Not if SO_BINDTODEVICE bound
 * them to two different ones, as for TCP's bind and listen conflicts: a
 * server may then run on one port once per device. The device may change
 * after bind, as TCP's may; lookups then filter by device (glass_dev_ok()).
 */
static bool glass_devs_overlap(const struct sock *sk, const struct sock *sk2)
{
	int d1 = READ_ONCE(sk->sk_bound_dev_if);
	int d2 = READ_ONCE(sk2->sk_bound_dev_if);

	return !d1 || !d2 || d1 == d2;
}

/*
 * May sk take (addr, port) while sk2 holds it? As TCP: no if the addresses
 * and devices overlap, unless both set SO_REUSEADDR and sk2 is not
 * listening.
 */
static bool glass_bind_conflict(const struct sock *sk, __be32 addr,
				const struct sock *sk2)
{
	if (sk2 == sk || !net_eq(sock_net(sk2), sock_net(sk)))
		return false;
	if (addr && sk2->sk_rcv_saddr && addr != sk2->sk_rcv_saddr)
		return false;
	if (!glass_devs_overlap(sk, sk2))
		return false;
	return !(sk->sk_reuse && sk2->sk_reuse &&
		 sk2->sk_state != TCP_LISTEN);
}

static bool glass_port_free(const struct sock *sk, struct glass_bucket *b,
			    __be32 addr, u16 port)
{
	struct glass_sock *gs2;

	hlist_for_each_entry(gs2, &b->head, bind_node)
		if (gs2->sk.sk_num == port &&
		    glass_bind_conflict(sk, addr, &gs2->sk))
			return false;
	return true;
}

static int glass_bind_exact(struct sock *sk, __be32 addr, u16 port)
{
	struct glass_bucket *b = glass_bind_bucket(sock_net(sk), port);
	int err = -EADDRINUSE;

	spin_lock_bh(&b->lock);
	if (glass_port_free(sk, b, addr, port)) {
		sk->sk_rcv_saddr = addr;
		sk->sk_num = port;
		sock_hold(sk);
		hlist_add_head(&glass_sk(sk)->bind_node, &b->head);
		WRITE_ONCE(glass_sk(sk)->bind_hashed, true);
		err = 0;
	}
	spin_unlock_bh(&b->lock);
	return err;
}

/* Ephemeral ports: a random start, then every port of the range once. */
static int glass_bind_ephemeral(struct sock *sk, __be32 addr)
{
	u32 range = GLASS_EPHEMERAL_HI - GLASS_EPHEMERAL_LO + 1;
	u32 start = get_random_u32_below(range);
	u32 i;

	for (i = 0; i < range; i++) {
		u16 port = GLASS_EPHEMERAL_LO + (start + i) % range;

		if (!glass_bind_exact(sk, addr, port))
			return 0;
		cond_resched();
	}
	return -EADDRNOTAVAIL;
}

/**
 * glass_bind_port() - give sk the local address and port (0: ephemeral).
 * @sk: an unbound socket, locked by the caller.
 * @addr: local address, or 0 for any.
 * @port: host-order port, 0 to pick an ephemeral one.
 *
 * Return: 0, -EADDRINUSE or -EADDRNOTAVAIL (no ephemeral port left).
 */
int glass_bind_port(struct sock *sk, __be32 addr, u16 port)
{
	if (port)
		return glass_bind_exact(sk, addr, port);
	return glass_bind_ephemeral(sk, addr);
}

/**
 * glass_bind_child() - an accepted child takes its listener's port.
 * @sk: the child, locked; no conflict check, as for TCP's children.
 */
void glass_bind_child(struct sock *sk)
{
	struct glass_bucket *b = glass_bind_bucket(sock_net(sk), sk->sk_num);

	spin_lock_bh(&b->lock);
	sock_hold(sk);
	hlist_add_head(&glass_sk(sk)->bind_node, &b->head);
	WRITE_ONCE(glass_sk(sk)->bind_hashed, true);
	spin_unlock_bh(&b->lock);
}

/**
 * glass_table_listen() - start listening on the socket's port.
 * @sk: a bound socket, locked.
 *
 * As TCP, refused while another socket listens on an overlapping address
 * and device, SO_REUSEADDR or not. Checked and made visible under the
 * port's lock, in state LISTEN, so two listen() calls cannot both win.
 * Return: 0 (also if it already listens) or -EADDRINUSE.
 */
int glass_table_listen(struct sock *sk)
{
	struct glass_bucket *b = glass_bind_bucket(sock_net(sk), sk->sk_num);
	struct glass_sock *gs = glass_sk(sk), *gs2;
	struct glass_bucket *lb;
	int err = 0;

	if (gs->listen_hashed)
		return 0;
	spin_lock_bh(&b->lock);
	hlist_for_each_entry(gs2, &b->head, bind_node) {
		struct sock *sk2 = &gs2->sk;

		if (sk2 != sk && sk2->sk_num == sk->sk_num &&
		    sk2->sk_state == TCP_LISTEN &&
		    net_eq(sock_net(sk2), sock_net(sk)) &&
		    (!sk->sk_rcv_saddr || !sk2->sk_rcv_saddr ||
		     sk->sk_rcv_saddr == sk2->sk_rcv_saddr) &&
		    glass_devs_overlap(sk, sk2)) {
			err = -EADDRINUSE;
			goto out;
		}
	}
	lb = glass_listen_bucket(sock_net(sk), sk->sk_num);
	spin_lock(&lb->lock);
	sock_hold(sk);
	hlist_add_head(&gs->listen_node, &lb->head);
	WRITE_ONCE(gs->listen_hashed, true);
	glass_set_state(sk, TCP_LISTEN);
	spin_unlock(&lb->lock);
out:
	spin_unlock_bh(&b->lock);
	return err;
}

/**
 * glass_table_unlisten() - take a listener out of the listen table.
 * @sk: the socket, locked; nothing happens if it is not in it.
 */
void glass_table_unlisten(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_bucket *lb;

	if (!gs->listen_hashed)
		return;
	lb = glass_listen_bucket(sock_net(sk), sk->sk_num);
	spin_lock_bh(&lb->lock);
	hlist_del_init(&gs->listen_node);
	WRITE_ONCE(gs->listen_hashed, false);
	spin_unlock_bh(&lb->lock);
	sock_put(sk);
}

/**
 * glass_unbind() - give the socket's port back.
 * @sk: the socket, locked; nothing happens if it holds no port.
 */
void glass_unbind(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_bucket *b;

	if (!gs->bind_hashed)
		return;
	b = glass_bind_bucket(sock_net(sk), sk->sk_num);
	spin_lock_bh(&b->lock);
	hlist_del_init(&gs->bind_node);
	WRITE_ONCE(gs->bind_hashed, false);
	spin_unlock_bh(&b->lock);
	sock_put(sk);
}

/*
 * SO_BINDTODEVICE on input, as TCP's inet_sk_bound_dev_eq(): a socket
 * bound to a device hears only the frames that arrived on it.
 */
static bool glass_dev_ok(const struct sock *sk, int dif)
{
	int bound = READ_ONCE(sk->sk_bound_dev_if);

	return !bound || bound == dif;
}

static bool glass_conn_match(const struct sock *sk, const struct net *net,
			     __be32 laddr, u16 lport, __be32 raddr,
			     __be16 rport)
{
	return sk->sk_num == lport && sk->sk_dport == rport &&
	       sk->sk_daddr == raddr && sk->sk_rcv_saddr == laddr &&
	       net_eq(sock_net(sk), net);
}

/**
 * glass_conn_hash() - make sk findable by its four-tuple.
 * @sk: a socket with both ends set, locked by the caller.
 *
 * The table holds a reference while the socket is in it.
 * Return: 0, or -EADDRNOTAVAIL if another socket has the same four-tuple.
 */
int glass_conn_hash(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk), *gs2;
	struct glass_bucket *b;
	int err = 0;

	b = glass_conn_bucket(sock_net(sk), sk->sk_rcv_saddr, sk->sk_num,
			      sk->sk_daddr, sk->sk_dport);
	spin_lock_bh(&b->lock);
	hlist_for_each_entry(gs2, &b->head, conn_node) {
		if (glass_conn_match(&gs2->sk, sock_net(sk), sk->sk_rcv_saddr,
				     sk->sk_num, sk->sk_daddr, sk->sk_dport)) {
			err = -EADDRNOTAVAIL;
			goto out;
		}
	}
	sock_hold(sk);
	hlist_add_head(&gs->conn_node, &b->head);
	WRITE_ONCE(gs->conn_hashed, true);
out:
	spin_unlock_bh(&b->lock);
	return err;
}

/**
 * glass_conn_unhash() - take a connection out of the connection table.
 * @sk: the socket, locked; nothing happens if it is not in it.
 */
void glass_conn_unhash(struct sock *sk)
{
	struct glass_sock *gs = glass_sk(sk);
	struct glass_bucket *b;

	if (!gs->conn_hashed)
		return;
	b = glass_conn_bucket(sock_net(sk), sk->sk_rcv_saddr, sk->sk_num,
			      sk->sk_daddr, sk->sk_dport);
	spin_lock_bh(&b->lock);
	hlist_del_init(&gs->conn_node);
	WRITE_ONCE(gs->conn_hashed, false);
	spin_unlock_bh(&b->lock);
	sock_put(sk);
}

/**
 * glass_lookup() - the connection a segment belongs to.
 * @net: the namespace it arrived in.
 * @saddr: its source address (the peer).
 * @sport: its source port.
 * @daddr: its destination address (ours).
 * @dport: its destination port.
 * @dif: the device it arrived on.
 *
 * Return: the socket with a reference held, or NULL (also when the
 * connection is bound to another device).
 */
struct sock *glass_lookup(struct net *net, __be32 saddr, __be16 sport,
			  __be32 daddr, __be16 dport, int dif)
{
	struct glass_bucket *b;
	struct glass_sock *gs;
	struct sock *found = NULL;
	u16 lport = ntohs(dport);

	b = glass_conn_bucket(net, daddr, lport, saddr, sport);
	spin_lock_bh(&b->lock);
	hlist_for_each_entry(gs, &b->head, conn_node) {
		struct sock *sk = &gs->sk;

		if (glass_conn_match(sk, net, daddr, lport, saddr, sport)) {
			if (glass_dev_ok(sk, dif)) {
				sock_hold(sk);
				found = sk;
			}
			break;
		}
	}
	spin_unlock_bh(&b->lock);
	return found;
}

/**
 * glass_lookup_listener() - the listener a SYN for (daddr, dport) reaches.
 * @net: the namespace it arrived in.
 * @daddr: its destination address.
 * @dport: its destination port, host order.
 * @dif: the device it arrived on; a listener bound to another one
 *	(SO_BINDTODEVICE) does not hear it.
 *
 * A listener bound to @daddr beats one bound to INADDR_ANY.
 * Return: the listener with a reference held, or NULL.
 */
struct sock *glass_lookup_listener(struct net *net, __be32 daddr, u16 dport,
				   int dif)
{
	struct glass_bucket *b = glass_listen_bucket(net, dport);
	struct sock *best = NULL;
	struct glass_sock *gs;

	spin_lock_bh(&b->lock);
	hlist_for_each_entry(gs, &b->head, listen_node) {
		struct sock *sk = &gs->sk;

		if (sk->sk_num != dport || sk->sk_state != TCP_LISTEN ||
		    !net_eq(sock_net(sk), net) || !glass_dev_ok(sk, dif))
			continue;
		if (sk->sk_rcv_saddr == daddr) {
			best = sk;
			break;
		}
		if (!sk->sk_rcv_saddr)
			best = sk;
	}
	if (best)
		sock_hold(best);
	spin_unlock_bh(&b->lock);
	return best;
}

/*
 * The skip-th socket of net in bucket b, held, or NULL. The bind table
 * yields only the port owners that are not connections, which the
 * connection table has already given.
 */
static struct sock *glass_bucket_nth(struct net *net, struct glass_bucket *b,
				     bool bind, u32 skip)
{
	struct glass_sock *gs, *found = NULL;

	if (hlist_empty(&b->head))
		return NULL;
	spin_lock_bh(&b->lock);
	if (bind) {
		hlist_for_each_entry(gs, &b->head, bind_node) {
			if (READ_ONCE(gs->conn_hashed) ||
			    !net_eq(sock_net(&gs->sk), net))
				continue;
			if (skip-- == 0) {
				found = gs;
				break;
			}
		}
	} else {
		hlist_for_each_entry(gs, &b->head, conn_node) {
			if (!net_eq(sock_net(&gs->sk), net))
				continue;
			if (skip-- == 0) {
				found = gs;
				break;
			}
		}
	}
	if (found)
		sock_hold(&found->sk);
	spin_unlock_bh(&b->lock);
	return found ? &found->sk : NULL;
}

/**
 * glass_table_next() - the socket at a cursor, held; the cursor moves on.
 * @net: the namespace walked.
 * @c: where the walk is (zeroed to start): connections first, then port
 *	owners that are not connections.
 *
 * A walk costs one pass over the tables however many sockets there are
 * (procfs keeps the cursor between reads). Sockets that come or go while
 * the walk runs may be missed or seen twice, as in /proc/net/tcp.
 *
 * Return: the socket with a reference held, or NULL past the end.
 */
struct sock *glass_table_next(struct net *net, struct glass_cursor *c)
{
	struct sock *sk;

	for (; c->table < 2; c->table++, c->bucket = 0, c->skip = 0) {
		bool bind = c->table == 1;
		struct glass_bucket *t = bind ? glass_bind_table :
					 glass_conn_table;
		u32 n = 1U << (bind ? GLASS_BIND_BITS : GLASS_CONN_BITS);

		for (; c->bucket < n; c->bucket++, c->skip = 0) {
			sk = glass_bucket_nth(net, &t[c->bucket], bind,
					      c->skip);
			if (sk) {
				c->skip++;
				return sk;
			}
		}
	}
	return NULL;
}

/**
 * glass_table_walk_conns() - call fn on every connection of a namespace.
 * @net: the namespace.
 * @fn: called under the socket's bucket lock, BHs off: it must not sleep,
 *	must not take the socket lock, and must not change the tables.
 * @arg: passed to fn.
 *
 * One pass over the connection table, so the cost is linear in its size:
 * device teardown runs this under RTNL (glass_conn.c).
 */
void glass_table_walk_conns(struct net *net, glass_conn_fn fn, void *arg)
{
	unsigned int i;

	for (i = 0; i < (1U << GLASS_CONN_BITS); i++) {
		struct glass_bucket *b = &glass_conn_table[i];
		struct glass_sock *gs;

		if (hlist_empty(&b->head))
			continue;
		spin_lock_bh(&b->lock);
		hlist_for_each_entry(gs, &b->head, conn_node)
			if (net_eq(sock_net(&gs->sk), net))
				fn(&gs->sk, arg);
		spin_unlock_bh(&b->lock);
	}
}
