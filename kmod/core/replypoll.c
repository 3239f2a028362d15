// SPDX-License-Identifier: GPL-2.0
/* The reply poll's decision and its credit (see replypoll.h). */
#include "replypoll.h"

u8 glass_reply_wrote(u8 state)
{
	return state | GLASS_REPLY_WANTED;
}

bool glass_reply_may_poll(u8 state)
{
	return (state & GLASS_REPLY_WANTED) &&
	       ((state & GLASS_REPLY_CREDIT) ||
		(state & GLASS_REPLY_SLEPT) >=
		GLASS_REPLY_RETRY * GLASS_REPLY_SLEPT_ONE);
}

u8 glass_reply_read(u8 state, enum glass_reply_wait wait)
{
	u8 credit = state & GLASS_REPLY_CREDIT;
	u8 slept = state & GLASS_REPLY_SLEPT;

	if (wait == GLASS_REPLY_HIT)
		return credit < GLASS_REPLY_CREDIT_MAX ? (u8)(credit + 1) : credit;
	if (wait == GLASS_REPLY_MISS)
		return credit ? (u8)(credit - 1) : 0;
	if (wait == GLASS_REPLY_SLEPT_ONLY && slept < GLASS_REPLY_SLEPT)
		slept = (u8)(slept + GLASS_REPLY_SLEPT_ONE);
	return (u8)(slept | credit);
}
