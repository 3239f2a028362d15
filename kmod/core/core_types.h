/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types for kmod/core: the kernel's when built into the module,
 * the C library's when built into the host unit tests. Core code includes
 * nothing else, so it compiles unchanged in both places.
 */
#ifndef _GLASS_CORE_TYPES_H
#define _GLASS_CORE_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stdint.h>
#endif

#endif /* _GLASS_CORE_TYPES_H */
