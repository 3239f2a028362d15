/* SPDX-License-Identifier: GPL-2.0 */
#ifndef GLASS_TXSPARE_H
#define GLASS_TXSPARE_H

#include <linux/skbuff.h>

/* Send pages are 32 KiB, as TCP's page frags (SKB_FRAG_PAGE_ORDER). */
#define GLASS_TXPAGE_ORDER	3

struct page *glass_txspare_get(void);
void glass_txspare_put(struct page *page);
void glass_txspare_harvest(struct sk_buff *skb);
void glass_txspare_exit(void);

#endif
