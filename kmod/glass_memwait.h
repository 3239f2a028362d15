/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Idle writers refused for glass memory, waiting for it (glass_memwait.c).
 */
#ifndef GLASS_MEMWAIT_H
#define GLASS_MEMWAIT_H

#include <net/sock.h>
#include <net/tcp_states.h>

/* The states in which a socket may write, and so wait for memory. */
#define GLASS_TCPF_WRITER	(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)

void glass_memwait_add(struct sock *sk);
void glass_memwait_cancel(struct sock *sk);
bool glass_memwait_listed(const struct sock *sk);
bool glass_memwait_any(void);
void glass_memwait_wake(unsigned int n);

#endif
