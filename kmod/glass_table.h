/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket tables (glass_table.c): the bind table (who owns which
 * port), the listen table and the connection table (which socket a
 * segment belongs to). On the protocol floor: demultiplexing is part of
 * the protocol, and a listener becomes visible in state LISTEN under its
 * bucket lock (glass_set_state(), glass_conn.c).
 */
#ifndef _GLASS_TABLE_H
#define _GLASS_TABLE_H

#include <net/sock.h>

int glass_table_init(void);
void glass_table_exit(void);
int glass_bind_port(struct sock *sk, __be32 addr, u16 port);
void glass_unbind(struct sock *sk);
void glass_bind_child(struct sock *sk);
int glass_table_listen(struct sock *sk);
void glass_table_unlisten(struct sock *sk);
int glass_conn_hash(struct sock *sk);
void glass_conn_unhash(struct sock *sk);
struct sock *glass_lookup(struct net *net, __be32 saddr, __be16 sport,
			  __be32 daddr, __be16 dport, int dif);
struct sock *glass_lookup_listener(struct net *net, __be32 daddr, u16 dport,
				   int dif);

/* Visits one connection under its bucket lock (glass_table_walk_conns()). */
typedef void (*glass_conn_fn)(struct sock *sk, void *arg);
void glass_table_walk_conns(struct net *net, glass_conn_fn fn, void *arg);

/**
 * struct glass_cursor - a place in a walk of a namespace's sockets.
 * @table: 0 the connection table, 1 the bind table, 2 the end.
 * @bucket: the bucket in that table.
 * @skip: sockets of the namespace already returned from that bucket.
 */
struct glass_cursor {
	u32 table;
	u32 bucket;
	u32 skip;
};

struct sock *glass_table_next(struct net *net, struct glass_cursor *c);

#endif /* _GLASS_TABLE_H */
