/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zero-copy send (glass_zerocopy.c): MSG_ZEROCOPY and io_uring's send-zc
 * put the pages of the user's buffer on write-queue skbs, as TCP does,
 * and the write queue's owner (glass_output.c) cuts and trims such skbs
 * with the helpers here, which know that their bytes sit in page frags.
 */
#ifndef _GLASS_ZEROCOPY_H
#define _GLASS_ZEROCOPY_H

#include <linux/skbuff.h>
#include <net/sock.h>

/* glass_zerocopy.c: skbs whose payload may sit in page frags */
int glass_skb_trim_head(struct sk_buff *skb, u32 len);
struct sk_buff *glass_skb_split(struct sk_buff *skb, u32 len);

/* glass_zerocopy.c: the send side */
int glass_set_zerocopy(struct sock *sk, int val);
int glass_zc_start(struct sock *sk, struct msghdr *msg, size_t len,
		   struct ubuf_info **uarg);
int glass_zc_send_step(struct sock *sk, struct msghdr *msg, size_t want,
		       u32 goal, struct ubuf_info *uarg);
void glass_zc_end(struct ubuf_info *uarg, size_t copied);

#endif /* _GLASS_ZEROCOPY_H */
