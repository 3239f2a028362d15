/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol memory and orphan limits (glass_mem.c, docs/limits.md): the
 * socket-state floor's accounting of what sockets queue, as TCP's
 * tcp_mem and orphan count.
 */
#ifndef _GLASS_MEM_H
#define _GLASS_MEM_H

#include <net/sock.h>

void glass_proto_mem_init(struct proto *prot);
int glass_mem_init(void);
void glass_mem_exit(void);
int glass_mem_sysctl_init(void);
void glass_mem_sysctl_exit(void);
void glass_mem_netns_add(int n);
bool glass_under_memory_pressure(const struct sock *sk);
bool glass_wmem_schedule(struct sock *sk, int size);
bool glass_wmem_poll_wait(struct sock *sk, bool may_list);
void glass_wmem_schedule_forced(struct sock *sk, int size);
bool glass_rmem_schedule(struct sock *sk, struct sk_buff *skb);
bool glass_rmem_schedule_next(struct sock *sk, struct sk_buff *skb);
void glass_wmem_free_skb(struct sock *sk, struct sk_buff *skb);
void glass_mem_reclaim_all(struct sock *sk);
void glass_sockets_allocated_add(int n);
void glass_orphan_inc(struct sock *sk);
void glass_orphan_dec(struct sock *sk);
bool glass_check_oom(struct sock *sk);
int glass_sockstat_init_net(struct net *net);
void glass_sockstat_exit_net(struct net *net);

#endif /* _GLASS_MEM_H */
