/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The glass segment header, as it travels on the wire after the Ethernet
 * header of a frame with EtherType ETH_P_GLASS. Shared by the module and by
 * the userspace tools that read or forge frames (the scripted tester, the
 * fuzzer). docs/protocol.md draws it.
 */
#ifndef _UAPI_LINUX_GLASS_WIRE_H
#define _UAPI_LINUX_GLASS_WIRE_H

#include <linux/types.h>

#define GLASS_VERSION	1

/* Flag bits keep TCP's values so a reader of tcpdump output feels at home. */
#define GLASS_FIN	0x01
#define GLASS_SYN	0x02
#define GLASS_RST	0x04
#define GLASS_PSH	0x08
#define GLASS_ACK	0x10
/* glass's own: an extension area (struct glass_ext) follows the header. */
#define GLASS_EXT	0x20
#define GLASS_FLAGS_ALL	(GLASS_FIN | GLASS_SYN | GLASS_RST | GLASS_PSH | \
			 GLASS_ACK | GLASS_EXT)

/**
 * struct glass_hdr - the 32-byte segment header; all fields big-endian.
 * @version: GLASS_VERSION.
 * @flags: GLASS_* flag bits.
 * @len: bytes that follow the header: the extension area (with GLASS_EXT)
 *	and the payload.
 * @sport: source port.
 * @dport: destination port.
 * @saddr: source IPv4 address.
 * @daddr: destination IPv4 address.
 * @seq: sequence number of the first payload byte (or of the SYN/FIN).
 * @ack: next sequence number expected from the peer (valid with GLASS_ACK).
 * @window: receive window in bytes, counted from @ack (no scaling).
 * @mss: on SYN and SYN-ACK, the largest payload the sender accepts; on a
 *	train (a data frame carrying several segments, @len > @mss), the size
 *	of every segment but the last; zero otherwise.
 * @check: Internet checksum (RFC 1071) over the header and the payload,
 *	computed with this field zero.
 */
struct glass_hdr {
	__u8	version;
	__u8	flags;
	__be16	len;
	__be16	sport;
	__be16	dport;
	__be32	saddr;
	__be32	daddr;
	__be32	seq;
	__be32	ack;
	__be32	window;
	__be16	mss;
	__sum16	check;
};

#define GLASS_HDR_LEN	32

/*
 * Neighbour discovery on a glass device stacked on Ethernet (glass_neigh.c,
 * docs/protocol.md): a request, broadcast (or unicast to refresh an entry),
 * asks who holds @target; the holder answers with a reply, unicast to the
 * asker's MAC. The MAC that answers is the frame's Ethernet source. The
 * first byte tells a neighbour message from a segment (GLASS_VERSION).
 */
#define GLASS_NEIGH_VERSION	0x81
#define GLASS_NEIGH_REQUEST	1
#define GLASS_NEIGH_REPLY	2

/**
 * struct glass_neigh_hdr - the 16-byte neighbour message; big-endian.
 * @version: GLASS_NEIGH_VERSION.
 * @op: GLASS_NEIGH_REQUEST or GLASS_NEIGH_REPLY.
 * @reserved: zero.
 * @sender: the sender's IPv4 address on its glass device.
 * @target: the address asked for (request) or the asker's (reply).
 * @reserved2: zero.
 * @check: Internet checksum over the 16 bytes, computed with this zero.
 */
struct glass_neigh_hdr {
	__u8	version;
	__u8	op;
	__be16	reserved;
	__be32	sender;
	__be32	target;
	__be16	reserved2;
	__sum16	check;
};

#define GLASS_NEIGH_LEN	16

/*
 * The extension area (docs/protocol.md): with GLASS_EXT in the flags, the
 * first bytes after the header are a struct glass_ext and its items, and
 * the payload follows them; the header's len counts both. Every length is
 * a multiple of 4, so the SACK edges stay 4-byte aligned.
 */
#define GLASS_EXT_VERSION	1
#define GLASS_EXT_MAX		64	/* largest area accepted */

/**
 * struct glass_ext - the extension area's own header.
 * @version: GLASS_EXT_VERSION.
 * @reserved: zero.
 * @len: bytes of the whole area, this header included: a multiple of 4,
 *	from 8 (one item) to GLASS_EXT_MAX, and no more than the header's len.
 */
struct glass_ext {
	__u8	version;
	__u8	reserved;
	__be16	len;
};

/**
 * struct glass_ext_item - one item of the area.
 * @kind: GLASS_EXT_*.
 * @len: bytes of the item, these 4 included: a multiple of 4.
 * @reserved: zero.
 */
struct glass_ext_item {
	__u8	kind;
	__u8	len;
	__be16	reserved;
};

/* SACK permitted (RFC 2018): SYN and SYN-ACK only, no body (len 4). */
#define GLASS_EXT_SACK_PERM	1
/*
 * SACK blocks (RFC 2018, D-SACK RFC 2883): ACK segments without SYN; a
 * body of 1 to GLASS_SACK_BLOCKS struct glass_sack_block (len 4 + 8 n).
 */
#define GLASS_EXT_SACK		2
#define GLASS_SACK_BLOCKS	4

/**
 * struct glass_sack_block - bytes [left, right) received out of order.
 * @left: first sequence number of the block.
 * @right: one past the last.
 */
struct glass_sack_block {
	__be32	left;
	__be32	right;
};

#endif /* _UAPI_LINUX_GLASS_WIRE_H */
