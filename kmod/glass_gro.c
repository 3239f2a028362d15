// SPDX-License-Identifier: GPL-2.0
/*
 * GRO for glass frames arriving on an Ethernet device (a glass device
 * stacked on it, glass_lower.c). A wire carries one segment per frame
 * (glass_dev.c cuts trains); without GRO every segment would cross the
 * receive path and the protocol alone, where TCP's segments are merged by
 * the NIC driver's GRO first. This merges consecutive full segments of one
 * connection, as tcp_gro_receive() does, back into a train: the frame
 * glass_output.c would have sent on a software link (a glass header whose
 * mss field names the segment size, the segments laid end to end). The
 * protocol takes a train as the segments it carries (glass_input.c).
 *
 * A segment joins the train held for its connection when it has only the
 * ACK flag, carries data, no extension area, the same ack and window,
 * follows the train's last byte, its checksum is right, and every earlier
 * segment was full. Anything else flushes the held train first, so the
 * order of one connection's frames never changes. The checksum of every
 * merged segment is verified here; the train goes up as
 * CHECKSUM_UNNECESSARY.
 */
#include <linux/glass.h>
#include <linux/netdevice.h>
#include <net/gro.h>

#include "glass_frame.h"
#include "glass_dev.h"
#include "glass_lower.h"

/*
 * The smallest segment a train may carry (GLASS_MIN_MSS, glass_sock.h: the
 * receiver drops a train of smaller segments as malformed).
 */
#define GLASS_GRO_MIN_SEG	64

static bool glass_gro_same_conn(const struct glass_hdr *a,
				const struct glass_hdr *b)
{
	return a->saddr == b->saddr && a->daddr == b->daddr &&
	       a->sport == b->sport && a->dport == b->dport;
}

/*
 * May this frame join a train: a plain data segment (ACK, maybe PSH),
 * exactly as long as its header says, not a train already, checksum
 * right? The checksum is marked verified when it is.
 */
static bool glass_gro_mergeable(struct sk_buff *skb, unsigned int off,
				const struct glass_hdr *gh)
{
	u32 len = ntohs(gh->len);

	if (gh->version != GLASS_VERSION ||
	    (gh->flags & ~GLASS_PSH) != GLASS_ACK || !len || gh->mss ||
	    skb_gro_len(skb) != GLASS_HDR_LEN + len)
		return false;
	if (skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    skb->ip_summed != CHECKSUM_PARTIAL) {
		if (csum_fold(skb_checksum(skb, off, GLASS_HDR_LEN + len, 0)))
			return false;
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->csum_level = 0;
	}
	return true;
}

/* The held train of this frame's connection (same lower device), or NULL. */
static struct sk_buff *glass_gro_find(struct list_head *head,
				      const struct glass_hdr *gh)
{
	struct sk_buff *p;

	list_for_each_entry(p, head, list) {
		if (!NAPI_GRO_CB(p)->same_flow)
			continue;
		if (glass_gro_same_conn(gh, (struct glass_hdr *)
					skb_network_header(p)))
			return p;
		NAPI_GRO_CB(p)->same_flow = 0;
	}
	return NULL;
}

/* Does the segment continue train p (same ack, window, next byte)? */
static bool glass_gro_follows(struct sk_buff *p, const struct glass_hdr *gh,
			      u32 len)
{
	const struct glass_hdr *gh2 = (struct glass_hdr *)skb_network_header(p);
	u32 mss = skb_shinfo(p)->gso_size;

	return gh->ack == gh2->ack && gh->window == gh2->window &&
	       !(gh2->flags & GLASS_PSH) && mss >= GLASS_GRO_MIN_SEG &&
	       len <= mss && !(skb_gro_len(p) % mss) &&
	       ntohl(gh2->seq) + skb_gro_len(p) == ntohl(gh->seq);
}

/*
 * Chain the segment's payload onto train p, as skb_gro_receive() does on
 * its frag_list path (6.1 does not export it): nothing is copied.
 */
static int glass_gro_merge(struct sk_buff *p, struct sk_buff *skb)
{
	unsigned int offset = skb_gro_offset(skb);
	unsigned int headlen = skb_headlen(skb);
	unsigned int len = skb_gro_len(skb);
	unsigned int eat;

	if (p->pp_recycle != skb->pp_recycle || skb_zcopy(p) || skb_zcopy(skb))
		return -ETOOMANYREFS;
	/* The header's 16-bit length must still hold the whole payload. */
	if (p->len + len >= min_t(unsigned int, GRO_LEGACY_MAX_SIZE,
				  READ_ONCE(p->dev->gro_max_size)))
		return -E2BIG;
	skb->destructor = NULL;
	if (offset > headlen) {
		eat = offset - headlen;
		skb_frag_off_add(&skb_shinfo(skb)->frags[0], eat);
		skb_frag_size_sub(&skb_shinfo(skb)->frags[0], eat);
		skb->data_len -= eat;
		skb->len -= eat;
		offset = headlen;
	}
	__skb_pull(skb, offset);
	if (NAPI_GRO_CB(p)->last == p)
		skb_shinfo(p)->frag_list = skb;
	else
		NAPI_GRO_CB(p)->last->next = skb;
	NAPI_GRO_CB(p)->last = skb;
	__skb_header_release(skb);
	NAPI_GRO_CB(p)->count++;
	p->data_len += len;
	p->truesize += skb->truesize;
	p->len += len;
	NAPI_GRO_CB(skb)->same_flow = 1;
	return 0;
}

static struct sk_buff *glass_gro_receive(struct list_head *head,
					 struct sk_buff *skb)
{
	unsigned int off = skb_gro_offset(skb);
	const struct glass_hdr *gh;
	struct sk_buff *p, *pp = NULL;
	u32 len, mss = 1;
	int flush = 1;

	gh = skb_gro_header(skb, off + GLASS_HDR_LEN, off);
	if (!gh)
		goto out;
	p = glass_gro_find(head, gh);
	len = ntohs(gh->len);
	if (!glass_gro_mergeable(skb, off, gh))
		goto out_flush_held;
	skb_gro_pull(skb, GLASS_HDR_LEN);
	flush = NAPI_GRO_CB(skb)->flush;
	if (!p)
		goto out_check_final;
	if (flush || !glass_gro_follows(p, gh, len) ||
	    glass_gro_merge(p, skb)) {
		/* Not merged: the held train goes first, this one is held. */
		goto out_check_final;
	}
	mss = skb_shinfo(p)->gso_size;
	((struct glass_hdr *)skb_network_header(p))->flags |=
		gh->flags & GLASS_PSH;
out_check_final:
	/* A short segment or a push ends the train: no more may follow it. */
	flush = len < mss || (gh->flags & GLASS_PSH);
	if (p && (!NAPI_GRO_CB(skb)->same_flow || flush))
		pp = p;
	goto out;
out_flush_held:
	/* A frame that cannot join goes up after its connection's train. */
	pp = p;
out:
	NAPI_GRO_CB(skb)->flush |= flush != 0;
	return pp;
}

/*
 * A merged train goes up: its header names the whole payload and the
 * segment size, as a train glass_output.c builds.
 */
static int glass_gro_complete(struct sk_buff *skb, int nhoff)
{
	struct glass_hdr *gh = (struct glass_hdr *)(skb->data + nhoff);

	gh->len = htons(skb->len - nhoff - GLASS_HDR_LEN);
	gh->mss = htons(skb_shinfo(skb)->gso_size);
	skb_shinfo(skb)->gso_size = 0;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = 0;
	return 0;
}

static struct packet_offload glass_gro_offload __read_mostly = {
	.type = cpu_to_be16(ETH_P_GLASS),
	.callbacks = {
		.gro_receive = glass_gro_receive,
		.gro_complete = glass_gro_complete,
		/* A stacked device's trains, cut by its lower device. */
		.gso_segment = glass_dev_gso_segment,
	},
};

/**
 * glass_gro_init() - merge glass segments arriving on Ethernet devices,
 * and cut the trains a stacked device hands its lower device as GSO.
 */
void glass_gro_init(void)
{
	dev_add_offload(&glass_gro_offload);
}

/**
 * glass_gro_exit() - stop merging; returns after every GRO user is done.
 */
void glass_gro_exit(void)
{
	dev_remove_offload(&glass_gro_offload);
}
