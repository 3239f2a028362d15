/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the glass tracer's BPF program (glass_trace.bpf.c) and its C++ front
 * end (userspace/cli/trace_*.cpp) share: the event numbers, the record sent
 * through the ring buffer, and the RTT histogram's shape.
 *
 * The tracepoint records themselves are an ABI of the module, declared in
 * include/uapi/linux/glass_tracepoints.h (struct glass_tp_<event>, the
 * retransmit and drop reasons), which the module pins to its tracepoints
 * at build time; nothing here restates them.
 */
#ifndef GLASS_TRACER_H
#define GLASS_TRACER_H

#include <linux/glass_tracepoints.h>
#include <linux/types.h>

/* Event numbers: bit (1 << n) in glass_trace_config.events. */
enum glass_trace_event {
  GLASS_EV_SEGMENT_SEND,
  GLASS_EV_SEGMENT_RECV,
  GLASS_EV_RETRANSMIT,
  GLASS_EV_STATE_CHANGE,
  GLASS_EV_WINDOW,
  GLASS_EV_DROP,
  GLASS_EV_SNDBUF,
  GLASS_EV_DESTROY_SOCK,
  GLASS_EV_COUNT
};

/* One ring-buffer record: which event, when, and its fields. */
struct glass_trace_record {
  __u64 ts_ns; /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) */
  __u64 aux;   /* state_change: ns in oldstate (0: unknown) */
  __u32 type;  /* enum glass_trace_event */
  __u32 pad;
  union {
    struct glass_tp_segment segment;
    struct glass_tp_retransmit retransmit;
    struct glass_tp_state_change state_change;
    struct glass_tp_window window;
    struct glass_tp_drop drop;
    struct glass_tp_sndbuf sndbuf;
    struct glass_tp_destroy_sock destroy_sock;
  } u;
};

/* RTT histogram: slot 0 counts srtt 0, slot k counts [2^(k-1), 2^k). */
#define GLASS_RTT_SLOTS 33

#endif /* GLASS_TRACER_H */
