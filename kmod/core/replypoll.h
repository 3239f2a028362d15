/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reply poll: whether a blocking read that found nothing should spin
 * for a while before it sleeps (glass_io.c, net.glass.reply_poll_us).
 *
 * A socket that wrote since it last read is waiting for a reply to what
 * it wrote: a request/response exchange, whose reply is one round trip
 * away. Sleeping costs that reader a wake-up, and on an idle machine the
 * wake-up of a halted CPU, which under virtualization is often longer
 * than the round trip itself. So such a reader spins first, as Homa's
 * receivers do by default and TCP's with SO_BUSY_POLL. A reader that
 * never writes (a bulk receiver) never spins.
 *
 * One whose replies keep coming later than the poll time stops spinning:
 * a credit of 0 to GLASS_REPLY_CREDIT_MAX is raised by each spin that
 * ended with the reply and lowered by each that did not. Once it is
 * spent, the reader sleeps, and spins again (one trial) only after
 * GLASS_REPLY_RETRY sleeps: a wake-up's length says nothing of what a
 * spin would have found, since the peer may be spinning too, and
 * answering faster for it.
 *
 * The state is one byte: GLASS_REPLY_WANTED, the sleeps since the credit
 * was spent, and the credit.
 */
#ifndef _GLASS_CORE_REPLYPOLL_H
#define _GLASS_CORE_REPLYPOLL_H

#include "core_types.h"

#define GLASS_REPLY_WANTED	0x80	/* wrote since it last read */
#define GLASS_REPLY_SLEPT	0x7c	/* sleeps since the credit was spent */
#define GLASS_REPLY_SLEPT_ONE	0x04
#define GLASS_REPLY_CREDIT	0x03	/* the credit's bits */
#define GLASS_REPLY_CREDIT_MAX	3
#define GLASS_REPLY_RETRY	16	/* sleeps before a spin is tried again */

/* A new socket: nothing asked yet, full credit. */
#define GLASS_REPLY_INIT	GLASS_REPLY_CREDIT_MAX

/* How a read that waited for a reply waited. */
enum glass_reply_wait {
	GLASS_REPLY_NONE,	/* it did not wait, or not for a reply */
	GLASS_REPLY_HIT,	/* it spun, and the reply came in the spin */
	GLASS_REPLY_MISS,	/* it spun, and the reply did not come */
	GLASS_REPLY_SLEPT_ONLY,	/* the credit was spent: it slept */
};

/**
 * glass_reply_wrote() - the state after a write queued bytes.
 * @state: the socket's reply-poll state.
 * Return: the new state: a reply is wanted.
 */
u8 glass_reply_wrote(u8 state);

/**
 * glass_reply_may_poll() - may a read that found nothing spin?
 * @state: the socket's reply-poll state.
 * Return: true if a reply is wanted, and the credit is not spent or
 * GLASS_REPLY_RETRY sleeps have passed since it was.
 */
bool glass_reply_may_poll(u8 state);

/**
 * glass_reply_read() - the state after a read took bytes.
 * @state: the socket's reply-poll state.
 * @wait: how the read waited (enum glass_reply_wait).
 * Return: the new state: nothing wanted; after a spin, the credit one
 * higher for a hit and one lower for a miss (within 0 and
 * GLASS_REPLY_CREDIT_MAX) and the sleeps reset; after a sleep with the
 * credit spent, one more sleep counted.
 */
u8 glass_reply_read(u8 state, enum glass_reply_wait wait);

#endif /* _GLASS_CORE_REPLYPOLL_H */
