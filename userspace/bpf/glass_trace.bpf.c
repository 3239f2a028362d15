// SPDX-License-Identifier: GPL-2.0
/*
 * glass trace: BPF programs on the glass tracepoints. The module has no BTF,
 * so every program is a plain `tracepoint` program whose context is the
 * record as the module's ABI lays it out (the common header, then struct
 * glass_tp_<event> of <linux/glass_tracepoints.h>); no CO-RE, no vmlinux.h.
 *
 * Event programs copy the fields into a ring-buffer record (with
 * bpf_probe_read_kernel: a struct copy straight from ctx would make clang
 * offset the ctx pointer, which the verifier rejects); a full ring
 * counts the record in `lost` instead of dropping it silently. The front end
 * loads only the programs its view needs (bpf_program__set_autoload).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include <linux/glass.h>

#include "glass_tracer.h"

/* Filters, set by the front end before load; 0 means "any". */
const volatile __u16 filter_port = 0;
const volatile __u32 filter_addr = 0; /* host order */
const volatile __u8 filter_addr_set = 0;

/* Records that did not fit into the ring buffer. */
__u64 lost = 0;
/* `rtt` view: log2 histogram of srtt (microseconds) of received segments. */
__u64 rtt_hist[GLASS_RTT_SLOTS] = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20); /* resized by the front end */
} events SEC(".maps");

/* `states` view: when each socket (by cookie) entered its current state. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u64);
} state_since SEC(".maps");

/* The context of each tracepoint: the common header, then the fields. */
#define GLASS_CTX(name)                                                        \
	struct ctx_##name {                                                    \
		__u8 common[GLASS_TP_COMMON_LEN];                              \
		struct glass_tp_##name f;                                      \
	}
GLASS_CTX(segment);
GLASS_CTX(retransmit);
GLASS_CTX(state_change);
GLASS_CTX(window);
GLASS_CTX(drop);
GLASS_CTX(sndbuf);
GLASS_CTX(destroy_sock);

static __always_inline int match(__u32 saddr, __u32 daddr, __u16 sport,
				 __u16 dport)
{
	if (filter_port && sport != filter_port && dport != filter_port)
		return 0;
	if (filter_addr_set && saddr != filter_addr && daddr != filter_addr)
		return 0;
	return 1;
}

#define MATCH(f) match((f).saddr, (f).daddr, (f).sport, (f).dport)

/* Copies ctx->f into a new record of the given type, or counts it lost. */
#define EMIT(ctx, TYPE, member, aux_)                                          \
	do {                                                                   \
		struct glass_trace_record *r;                                  \
                                                                               \
		r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);               \
		if (!r) {                                                      \
			__sync_fetch_and_add(&lost, 1);                        \
			break;                                                 \
		}                                                              \
		r->ts_ns = bpf_ktime_get_ns();                                 \
		r->aux = (aux_);                                               \
		r->type = (TYPE);                                              \
		r->pad = 0;                                                    \
		bpf_probe_read_kernel(&r->u.member, sizeof(r->u.member),       \
				      &(ctx)->f);                              \
		bpf_ringbuf_submit(r, 0);                                      \
	} while (0)

SEC("tracepoint/glass/glass_segment_send")
int glass_segment_send(struct ctx_segment *ctx)
{
	if (MATCH(ctx->f))
		EMIT(ctx, GLASS_EV_SEGMENT_SEND, segment, 0);
	return 0;
}

SEC("tracepoint/glass/glass_segment_recv")
int glass_segment_recv(struct ctx_segment *ctx)
{
	if (MATCH(ctx->f))
		EMIT(ctx, GLASS_EV_SEGMENT_RECV, segment, 0);
	return 0;
}

SEC("tracepoint/glass/glass_retransmit")
int glass_retransmit(struct ctx_retransmit *ctx)
{
	if (MATCH(ctx->f))
		EMIT(ctx, GLASS_EV_RETRANSMIT, retransmit, 0);
	return 0;
}

SEC("tracepoint/glass/glass_state_change")
int glass_state_change(struct ctx_state_change *ctx)
{
	__u64 cookie = ctx->f.cookie;
	__u64 now = bpf_ktime_get_ns();
	__u64 *since, spent = 0;

	if (!MATCH(ctx->f))
		return 0;
	since = bpf_map_lookup_elem(&state_since, &cookie);
	if (since && now > *since)
		spent = now - *since;
	if (ctx->f.newstate == GLASS_CLOSE)
		bpf_map_delete_elem(&state_since, &cookie);
	else
		bpf_map_update_elem(&state_since, &cookie, &now, BPF_ANY);
	EMIT(ctx, GLASS_EV_STATE_CHANGE, state_change, spent);
	return 0;
}

SEC("tracepoint/glass/glass_window")
int glass_window(struct ctx_window *ctx)
{
	if (MATCH(ctx->f))
		EMIT(ctx, GLASS_EV_WINDOW, window, 0);
	return 0;
}

SEC("tracepoint/glass/glass_drop")
int glass_drop(struct ctx_drop *ctx)
{
	if (MATCH(ctx->f))
		EMIT(ctx, GLASS_EV_DROP, drop, 0);
	return 0;
}

SEC("tracepoint/glass/glass_sndbuf")
int glass_sndbuf(struct ctx_sndbuf *ctx)
{
	if (MATCH(ctx->f))
		EMIT(ctx, GLASS_EV_SNDBUF, sndbuf, 0);
	return 0;
}

SEC("tracepoint/glass/glass_destroy_sock")
int glass_destroy_sock(struct ctx_destroy_sock *ctx)
{
	if (MATCH(ctx->f))
		EMIT(ctx, GLASS_EV_DESTROY_SOCK, destroy_sock, 0);
	return 0;
}

static __always_inline __u32 log2_u32(__u32 v)
{
	__u32 r, shift;

	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

/* `rtt` view: no records, only the histogram. */
SEC("tracepoint/glass/glass_segment_recv")
int glass_rtt(struct ctx_segment *ctx)
{
	__u32 srtt = ctx->f.srtt;
	__u32 slot;

	if (!srtt || !ctx->f.cookie || !MATCH(ctx->f))
		return 0;
	slot = log2_u32(srtt) + 1;
	if (slot >= GLASS_RTT_SLOTS)
		slot = GLASS_RTT_SLOTS - 1;
	__sync_fetch_and_add(&rtt_hist[slot], 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
