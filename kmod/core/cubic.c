// SPDX-License-Identifier: GPL-2.0
/*
 * CUBIC congestion avoidance (RFC 9438): after a loss the window grows
 * along W_cubic(t) = C (t - K)^3 + W_max, a cubic in the time since the
 * epoch began, concave up to the window where the loss happened and
 * convex beyond, and never slower than the Reno-friendly estimate W_est.
 * A loss multiplies the window by beta = 0.7. Windows are in bytes, the
 * curve in segments and milliseconds; no 64-bit value is divided by a
 * variable.
 */
#include "cc.h"

/* C = 0.4 segments / s^3 = 2 / 5 / 10^9 segments / ms^3. */
#define GLASS_CUBIC_C_NUM	2ull
#define GLASS_CUBIC_C_DEN	5000000000ull
/* |t - K| beyond 1000 s changes nothing but the risk of overflow. */
#define GLASS_CUBIC_T_MAX	1000000ll
#define GLASS_CUBIC_WND_MAX	0x40000000u

/*
 * Bitwise integer cube root (Hacker's Delight, icbrt64): three bits of x
 * per step, one bit of the root.
 */
u32 glass_cubic_cbrt(u64 x)
{
	u64 y = 0, y2 = 0, b;
	int s;

	for (s = 63; s >= 0; s -= 3) {
		y2 <<= 2;
		y <<= 1;
		b = 3 * (y2 + y) + 1;
		if ((x >> s) >= b) {
			x -= b << s;
			y2 += 2 * y + 1;
			y++;
		}
	}
	return (u32)y;
}

u32 glass_cubic_window(const struct glass_cubic *c, u64 t_ms, u32 mss)
{
	s64 d = (s64)(t_ms > (u64)GLASS_CUBIC_T_MAX ? GLASS_CUBIC_T_MAX : t_ms) -
		(s64)c->k_ms;
	s64 segs, w;
	u64 cube;

	if (d < -GLASS_CUBIC_T_MAX)
		d = -GLASS_CUBIC_T_MAX;
	cube = (u64)(d < 0 ? -d : d);
	cube = cube * cube * cube;
	segs = (s64)(cube * GLASS_CUBIC_C_NUM / GLASS_CUBIC_C_DEN);
	w = (s64)c->origin + (d < 0 ? -segs : segs) * (s64)mss;
	if (w < (s64)mss)
		return mss;
	return w > (s64)GLASS_CUBIC_WND_MAX ? GLASS_CUBIC_WND_MAX : (u32)w;
}
