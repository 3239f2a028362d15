/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types for kmod/core: the kernel's when built into the module,
 * the same definitions (bool from the C library) when built into the host
 * unit tests. Core code includes nothing else, so it compiles unchanged in
 * both places.
 */
#ifndef _GLASS_CORE_TYPES_H
#define _GLASS_CORE_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>

/* The same base types as the kernel's asm-generic/int-ll64.h. */
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;
#endif

#endif /* _GLASS_CORE_TYPES_H */
