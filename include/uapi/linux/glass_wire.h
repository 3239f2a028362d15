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
#define GLASS_FLAGS_ALL	(GLASS_FIN | GLASS_SYN | GLASS_RST | GLASS_PSH | GLASS_ACK)

/**
 * struct glass_hdr - the 32-byte segment header; all fields big-endian.
 * @version: GLASS_VERSION.
 * @flags: GLASS_* flag bits.
 * @len: payload bytes that follow the header.
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

#endif /* _UAPI_LINUX_GLASS_WIRE_H */
