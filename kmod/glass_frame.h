/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame floor: what a glass frame looks like on a device, for every
 * file that builds, cuts or reads one. The device (glass_dev.c) includes
 * this and nothing of sockets.
 *
 * A frame is an Ethernet header, a glass header (glass_wire.h) and its
 * payload. A frame may carry a train: several segments of one size laid
 * end to end, the header's mss field naming that size (glass_output.c
 * builds trains, the device cuts them back for its fault injector,
 * glass_input.c counts their segments; docs/protocol.md has the rules).
 */
#ifndef _GLASS_FRAME_H
#define _GLASS_FRAME_H

#include <linux/if_ether.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/glass_wire.h>

/* Frame overhead on a glass device: Ethernet header plus the glass header. */
#define GLASS_FRAME_OVERHEAD	(ETH_HLEN + GLASS_HDR_LEN)
/* Headroom reserved in every skb glass builds. */
#define GLASS_HEADROOM		(LL_MAX_HEADER + GLASS_HDR_LEN)
/* Payload cap of one frame carrying a train: the header's 16-bit length. */
#define GLASS_TRAIN_MAX		65535

/* The segment size of a train in this header, or 0 if it is none. */
static inline u32 glass_hdr_train_mss(const struct glass_hdr *gh)
{
	return (gh->flags & GLASS_SYN) ? 0 : ntohs(gh->mss);
}

/*
 * Leave the checksum of header and payload to the "hardware": glass
 * devices advertise NETIF_F_HW_CSUM, so the frame keeps CHECKSUM_PARTIAL
 * to the receiver, and whatever must see real bytes (a qdisc that
 * corrupts, the fault injector, a device without the feature) computes
 * it with skb_checksum_help(). gh is skb's transport header.
 */
static inline void glass_hdr_csum_offload(struct sk_buff *skb,
					  struct glass_hdr *gh)
{
	gh->check = 0;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct glass_hdr, check);
}

/* Segments in len payload bytes cut at seg_size: one unless a train. */
static inline u32 glass_segs(u32 len, u32 seg_size)
{
	return seg_size && len > seg_size ? DIV_ROUND_UP(len, seg_size) : 1;
}

#endif /* _GLASS_FRAME_H */
