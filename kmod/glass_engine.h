/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol engine, by direction, as TCP splits it: glass_input.c
 * (receive, ACK processing, the state machine), glass_output.c (transmit,
 * windows, Nagle, control segments, and the write queue, which only it
 * edits) and glass_timer.c (retransmission, persist, TIME_WAIT, delayed
 * ACK, cork). The three call one another (ACK clocking is input calling
 * output) and the connection lifecycle (glass_conn.h); nothing below the
 * protocol floor calls them.
 */
#ifndef _GLASS_ENGINE_H
#define _GLASS_ENGINE_H

#include <linux/netdevice.h>
#include <net/sock.h>

#include "glass_sock.h"

/* glass_input.c */
int glass_rcv(struct sk_buff *skb, struct net_device *dev,
	      struct packet_type *pt, struct net_device *orig_dev);
int glass_backlog_rcv(struct sock *sk, struct sk_buff *skb);
void glass_rack_loss(struct sock *sk);

/* glass_route.c: the device, and what the route says */
int glass_route(struct sock *sk, __be32 daddr, __be32 *saddr,
		u32 *rto_min_us);
bool glass_route_child(struct sock *child, const struct sk_buff *skb,
		       u32 *rto_min_us);

/* glass_output.c: the segment size */
u32 glass_fit_mss(u32 mss);

/* glass_output.c: the write queue (its only editor) */
struct sk_buff *glass_wq_alloc_tail(struct sock *sk, u32 linear, u32 extra);
void glass_wq_append(struct sock *sk, struct sk_buff *skb);
void glass_wq_unlink_free(struct sock *sk, struct sk_buff *skb);
void glass_wq_clean(struct sock *sk, u32 ack);
void glass_wq_rewind(struct sock *sk);
bool glass_wq_sack(struct sock *sk, const struct glass_range *blocks, u32 n);
u32 glass_wq_rack_detect(struct sock *sk);
void glass_wq_rack_rto(struct sock *sk);
void glass_sack_retransmit_head(struct sock *sk);
void glass_tlp_resend_tail(struct sock *sk);
bool glass_tail_in_host(const struct sock *sk);
void glass_wq_purge(struct sock *sk);

/* glass_output.c: sending */
void glass_send_syn(struct sock *sk, bool retransmit);
void glass_send_ack(struct sock *sk);
void glass_send_rst_reply(struct net *net, const struct glass_hdr *gh,
			  int oif);
void glass_send_rst(struct sock *sk);
void glass_send_probe(struct sock *sk);
void glass_push(struct sock *sk);
void glass_push_new(struct sock *sk);
bool glass_send_into_window(struct sock *sk);
void glass_retransmit_head(struct sock *sk, int reason);
void glass_queue_fin(struct sock *sk);
u32 glass_select_window(struct sock *sk, bool commit);
void glass_window_update_check(struct sock *sk);
void glass_ack_later(struct sock *sk);
void glass_ack_deferred(struct sock *sk, bool wnd_update);

/* glass_rcvbuf.c: receive-buffer autotuning */
void glass_rcvbuf_init(struct sock *sk);
u32 glass_rcvbuf_default(const struct sock *sk);
void glass_rcvbuf_rtt_sample(struct sock *sk);
void glass_rcvbuf_adjust_now(struct sock *sk);

/* glass_sndbuf.c: send-buffer autotuning */
void glass_sndbuf_init(struct sock *sk);
void glass_sndbuf_expand(struct sock *sk);

/* glass_timer.c */
void glass_init_timers(struct sock *sk);
void glass_clear_timers(struct sock *sk);
void glass_arm_write_timer(struct sock *sk, enum glass_timer_kind kind,
			   unsigned long delay);
void glass_stop_write_timer(struct sock *sk);
void glass_arm_delack(struct sock *sk);
void glass_release_cb(struct sock *sk);
void glass_held_wake(struct list_head *node);
void glass_rearm_rtx(struct sock *sk);
void glass_start_timewait(struct sock *sk);
void glass_orphan_timeout(struct sock *sk);

#endif /* _GLASS_ENGINE_H */
