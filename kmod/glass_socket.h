/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The top floor: the socket calls (af_glass.c: create, bind, listen,
 * accept, connect, shutdown, close; glass_io.c: send, receive, poll,
 * ioctl, options) and procfs (glass_proc.c), which read sockets the way
 * a program does. Nothing on a lower floor includes this.
 */
#ifndef _GLASS_SOCKET_H
#define _GLASS_SOCKET_H

#include <linux/net.h>
#include <linux/poll.h>
#include <net/sock.h>
#include <linux/glass.h>

/* af_glass.c */
int glass_create(struct net *net, struct socket *sock, int protocol,
		 int kern);

/* glass_io.c */
int glass_sendmsg(struct socket *sock, struct msghdr *msg, size_t len);
int glass_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
		  int flags);
__poll_t glass_poll(struct file *file, struct socket *sock,
		    struct poll_table_struct *wait);
int glass_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
int glass_setsockopt(struct socket *sock, int level, int optname,
		     sockptr_t optval, unsigned int optlen);
int glass_getsockopt(struct socket *sock, int level, int optname,
		     char __user *optval, int __user *optlen);
void glass_fill_info(struct sock *sk, struct glass_info *info);

/* glass_proc.c */
int glass_proc_init_net(struct net *net);
void glass_proc_exit_net(struct net *net);

#endif /* _GLASS_SOCKET_H */
