/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GLASS_TXPAGE_H
#define GLASS_TXPAGE_H

#include <net/sock.h>

struct page_frag *glass_txpage_frag(struct sock *sk);
void glass_txpage_acked(struct sock *sk);
void glass_txpage_free(struct sock *sk);

#endif
