// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry and exit for glass. Placeholder while the protocol lands.
 */
#include <linux/module.h>

static int __init glass_init(void)
{
	return 0;
}

static void __exit glass_exit(void)
{
}

module_init(glass_init);
module_exit(glass_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("glass: a TCP-like transport you can see through");
