/*
 * The userspace ABI has one layout on every architecture a program may be
 * built for: this file is compiled for x86-64 and for i386 (-m32, as a
 * 32-bit program on a 64-bit kernel sees it) by the build, and any
 * difference fails the build. The kernel pins the same numbers with
 * BUILD_BUG_ON (kmod/glass_main.c).
 */
#include <linux/glass.h>
#include <linux/glass_wire.h>
#include <stddef.h>

_Static_assert(sizeof(struct sockaddr_glass) == 16, "sockaddr_glass is 16 bytes");
_Static_assert(sizeof(struct glass_hdr) == GLASS_HDR_LEN, "glass_hdr is 32 bytes");
_Static_assert(sizeof(struct glass_info) == 192, "glass_info is 192 bytes everywhere");
_Static_assert(offsetof(struct glass_info, gi_pad0) == 124, "explicit padding at 124");
_Static_assert(offsetof(struct glass_info, gi_segs_out) == 128, "u64 fields start at 128");
_Static_assert(offsetof(struct glass_info, gi_writer_blocked) == 184, "last field at 184");
_Static_assert(_Alignof(struct glass_info) == 8, "glass_info is 8-aligned everywhere");
