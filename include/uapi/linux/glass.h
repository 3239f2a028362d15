/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * glass: a TCP-like transport you can see through.
 *
 * This header is the one place where glass's numbers and structures are
 * defined. The kernel module, the userspace library, the tools and the tests
 * all include it; nothing copies its values.
 */
#ifndef _UAPI_LINUX_GLASS_H
#define _UAPI_LINUX_GLASS_H

#include <linux/types.h>
#include <linux/socket.h>
#ifdef __KERNEL__
#include <linux/in.h>
#else
/* libc's struct in_addr; <linux/in.h> after it would clash (libc-compat.h). */
#include <netinet/in.h>
#endif

/* The address family reuses AF_ECONET's slot, removed from Linux in 3.5. */
#define AF_GLASS	19
#define PF_GLASS	AF_GLASS

/* Socket option level (getsockopt/setsockopt). */
#define SOL_GLASS	290

/* EtherType of glass frames (IEEE 802 local experimental 1). */
#define ETH_P_GLASS	0x88B5

/* Ports below this need CAP_NET_BIND_SERVICE, as for TCP. */
#define GLASS_PROT_SOCK		1024
/* Ephemeral ports for bind(port 0) and autobind on connect: [lo, hi]. */
#define GLASS_EPHEMERAL_LO	32768
#define GLASS_EPHEMERAL_HI	60999

/**
 * struct sockaddr_glass - a glass endpoint; the same layout as sockaddr_in.
 * @sg_family: AF_GLASS.
 * @sg_port: port, network byte order.
 * @sg_addr: IPv4 address of a glass device, network byte order.
 * @sg_zero: must be zero-filled.
 */
struct sockaddr_glass {
	__kernel_sa_family_t	sg_family;
	__be16			sg_port;
	struct in_addr		sg_addr;
	unsigned char		sg_zero[8];
};

/* Socket options at level SOL_GLASS. */
#define GLASS_NODELAY	1	/* int: disable Nagle's algorithm */
#define GLASS_MAXSEG	2	/* int: lower the MSS (bytes of payload) */
#define GLASS_CORK	3	/* int: hold partial segments (200 ms cap) */
#define GLASS_INFO	4	/* struct glass_info, read-only */
#define GLASS_QUICKACK	5	/* int: ACK every data segment at once */
#define GLASS_CONGESTION 6	/* string: "cubic" or "newreno" (TCP_CONGESTION) */
/*
 * int 0/1: SO_ZEROCOPY's switch for MSG_ZEROCOPY. Linux 6.1's
 * sock_setsockopt() refuses SO_ZEROCOPY for any family but INET, INET6
 * and RDS before a protocol sees it, so glass takes it at its own level
 * (getsockopt(SOL_SOCKET, SO_ZEROCOPY) reads it back; glass run maps
 * SO_ZEROCOPY here).
 */
#define GLASS_ZEROCOPY	10

/* Longest congestion control name, NUL included (TCP_CA_NAME_MAX). */
#define GLASS_CC_NAME_MAX	16

/* Connection states reuse the TCP_* numbering so tools already know them. */
enum {
	GLASS_ESTABLISHED = 1,
	GLASS_SYN_SENT,
	GLASS_SYN_RECV,
	GLASS_FIN_WAIT1,
	GLASS_FIN_WAIT2,
	GLASS_TIME_WAIT,
	GLASS_CLOSE,
	GLASS_CLOSE_WAIT,
	GLASS_LAST_ACK,
	GLASS_LISTEN,
	GLASS_CLOSING,
	GLASS_MAX_STATES
};

/* Delayed-ACK state bits in glass_info.gi_delack. */
#define GLASS_DELACK_PENDING	0x1	/* an ACK is owed, timer armed */
#define GLASS_DELACK_QUICK	0x2	/* quick-ACK mode (GLASS_QUICKACK) */

/**
 * struct glass_info - a connection's state, as getsockopt(GLASS_INFO) sees it.
 *
 * Versioned by size: the kernel fills min(optlen, sizeof) bytes and writes
 * the number it filled to optlen; gi_len says how many bytes the kernel's
 * structure has. New fields are only ever appended. Times are microseconds,
 * sizes bytes, sequence numbers absolute (not relative to the ISN).
 */
struct glass_info {
	__u32	gi_len;		/* sizeof(struct glass_info) in the kernel */
	__u8	gi_state;	/* GLASS_* state */
	__u8	gi_delack;	/* GLASS_DELACK_* bits */
	__u8	gi_nodelay;	/* GLASS_NODELAY is set */
	__u8	gi_cork;	/* GLASS_CORK is set */

	__u32	gi_iss;		/* our initial sequence number */
	__u32	gi_irs;		/* the peer's initial sequence number */
	__u32	gi_snd_una;	/* oldest unacknowledged sequence number */
	__u32	gi_snd_nxt;	/* next sequence number to send */
	__u32	gi_rcv_nxt;	/* next sequence number expected */
	__u32	gi_snd_wnd;	/* window the peer last advertised */
	__u32	gi_rcv_wnd;	/* window we last advertised */

	__u32	gi_unacked;	/* bytes sent, not yet acknowledged */
	__u32	gi_unsent;	/* bytes queued, not yet sent */
	__u32	gi_unread;	/* bytes received in order, not yet read */
	__u32	gi_ooo;		/* bytes held out of order */
	__u32	gi_nagle_held;	/* unsent bytes Nagle or cork is holding */

	__u32	gi_sndbuf;	/* SO_SNDBUF (sk_sndbuf, doubled as Linux does) */
	__u32	gi_rcvbuf;	/* SO_RCVBUF (sk_rcvbuf, doubled) */
	__u32	gi_rcv_space;	/* payload bytes the receive window spans */
	__u32	gi_mss;		/* payload bytes per segment we send */
	__u32	gi_peer_mss;	/* MSS the peer announced in its SYN */

	__u32	gi_cwnd;	/* congestion window, bytes */
	__u32	gi_ssthresh;	/* slow-start threshold, bytes */
	__u32	gi_srtt_us;	/* smoothed RTT (0 before the first sample) */
	__u32	gi_rttvar_us;	/* RTT variation */
	__u32	gi_rto_us;	/* current retransmission timeout */
	__u32	gi_backoff;	/* RTO backoff exponent */

	__u32	gi_retransmits;	/* segments retransmitted (all causes) */
	__u32	gi_fast_retrans; /* fast retransmissions */
	__u32	gi_timeouts;	/* RTO expirations */
	__u32	gi_probes;	/* zero-window probes sent */
	__u32	gi_dupacks;	/* duplicate ACKs received */
	__u32	gi_zero_wnd_sent; /* times we advertised a zero window */
	__u32	gi_pad0;	/* zero; keeps the u64s 8-aligned on i386 too */

	__aligned_u64 gi_segs_out;	/* segments sent, all kinds */
	__aligned_u64 gi_segs_in;	/* segments received, all kinds */
	__aligned_u64 gi_data_segs_out; /* segments sent carrying data */
	__aligned_u64 gi_data_segs_in; /* segments received carrying data */
	__aligned_u64 gi_bytes_sent;	/* payload bytes sent (retransmits included) */
	__aligned_u64 gi_bytes_acked;	/* payload bytes the peer acknowledged */
	__aligned_u64 gi_bytes_received; /* payload bytes received in order */
	__aligned_u64 gi_writer_blocked; /* times a writer slept on a full sndbuf */

	__u8	gi_sack;	/* both ends agreed to SACK */
	__u8	gi_ca_state;	/* GLASS_CA_* */
	__u8	gi_cc_algo;	/* GLASS_CC_* congestion control */
	__u8	gi_pad1;	/* zero */
	__u32	gi_sacked;	/* bytes SACKed above snd_una */
	__u32	gi_sack_retrans; /* holes resent by SACK recovery or a probe */
	__u32	gi_dsacks;	/* D-SACK blocks received */
	__u32	gi_undos;	/* window cuts undone (D-SACK, F-RTO) */
	__u32	gi_tlp_probes;	/* tail loss probes sent */
};

/* Loss-recovery state in glass_info.gi_ca_state. */
#define GLASS_CA_OPEN		0	/* no loss being repaired */
#define GLASS_CA_RECOVERY	1	/* fast recovery (NewReno or SACK) */
#define GLASS_CA_LOSS		2	/* after an RTO, with SACK: holes resent in order */

/* Congestion control algorithms (gi_cc_algo, GLASS_CONGESTION). */
#define GLASS_CC_NEWRENO	0
#define GLASS_CC_CUBIC		1

/*
 * Netlink attributes of the `glass` link kind (IFLA_INFO_DATA). The fault
 * attributes configure seeded fault injection on a device's transmit path
 * (RTM_NEWLINK on an existing device changes them; RTM_GETLINK reports
 * them with GLASS_INFO_FAULT_STATS). Probabilities are parts per million.
 */
enum {
	GLASS_INFO_UNSPEC,
	/* Nested: struct ifinfomsg followed by IFLA_* attributes of the peer. */
	GLASS_INFO_PEER,
	GLASS_INFO_FAULT_SEED,		/* u64: restart the generator from it */
	GLASS_INFO_FAULT_LOSS,		/* u32 ppm: frame is dropped */
	GLASS_INFO_FAULT_DUPLICATE,	/* u32 ppm: frame is delivered twice */
	GLASS_INFO_FAULT_REORDER,	/* u32 ppm: frame is held behind the next */
	GLASS_INFO_FAULT_CORRUPT,	/* u32 ppm: one bit of the frame flips */
	GLASS_INFO_FAULT_DELAY_US,	/* u32: every frame is delayed this long */
	GLASS_INFO_FAULT_STATS,		/* struct glass_fault_stats, read-only */
	__GLASS_INFO_MAX
};
#define GLASS_INFO_MAX (__GLASS_INFO_MAX - 1)

#define GLASS_PPM_MAX	1000000

/* What the fault injector of one device did since it was configured. */
struct glass_fault_stats {
	__u64	frames;		/* frames that went through the injector */
	__u64	lost;
	__u64	duplicated;
	__u64	reordered;
	__u64	corrupted;
	__u64	delayed;
};

#endif /* _UAPI_LINUX_GLASS_H */
