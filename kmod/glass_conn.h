/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection lifecycle (glass_conn.c): a glass socket from allocation
 * to destruction, as the socket calls and the engine share it: its state,
 * its children, its end (done, reset), and the device it loses. On the
 * protocol floor with the engine: glass_done() stops the engine's timers
 * and the engine ends connections with it, as tcp_done() and TCP's input
 * and timers do.
 */
#ifndef _GLASS_CONN_H
#define _GLASS_CONN_H

#include <net/sock.h>

extern struct proto glass_proto;

void glass_set_state(struct sock *sk, int state);
void glass_init_sock(struct sock *sk);
void glass_init_conn_vars(struct sock *sk, u32 rto_min_us);
struct sock *glass_child_alloc(struct sock *parent, gfp_t gfp);
void glass_child_pending(struct sock *parent, struct sock *child);
void glass_child_established(struct sock *child);
struct sock *glass_accept_dequeue(struct sock *sk);
void glass_listen_stop(struct sock *sk);
void glass_done(struct sock *sk);
void glass_reset_conn(struct sock *sk, int err);
void glass_dev_gone(struct sock *sk);
void glass_dev_gone_check(struct sock *sk);
int glass_conn_init(void);
void glass_conn_exit(void);

#endif /* _GLASS_CONN_H */
