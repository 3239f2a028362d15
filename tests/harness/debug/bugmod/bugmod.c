// SPDX-License-Identifier: GPL-2.0
/*
 * bugmod: commits one kernel bug on purpose when loaded, so the debug
 * harness self-test (tests/harness/debug/reports.sh) can prove that the
 * debug guest catches it. Built only against the debug kernel.
 *
 *   insmod bugmod.ko bug=NAME
 *
 * NAME: uaf (KASAN use-after-free read), lockdep (A->B then B->A in one
 * thread: a circular dependency, no deadlock), leak (a kmalloc whose pointer
 * is dropped: kmemleak), sleep (mutex_lock under a spinlock), odebug (kfree of a
 * structure holding an active timer), none (loads cleanly).
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>

static char* bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "uaf, lockdep, leak, sleep, odebug or none");

static DEFINE_MUTEX(bugmod_a);
static DEFINE_MUTEX(bugmod_b);
static DEFINE_SPINLOCK(bugmod_lock);
static void* bugmod_sink;

static noinline void bugmod_uaf(void) {
  char* p = kmalloc(64, GFP_KERNEL);

  if (!p) return;
  kfree(p);
  pr_info("bugmod: use after free reads %d\n", READ_ONCE(p[8]));
}

static noinline void bugmod_lockdep(void) {
  mutex_lock(&bugmod_a);
  mutex_lock(&bugmod_b);
  mutex_unlock(&bugmod_b);
  mutex_unlock(&bugmod_a);

  mutex_lock(&bugmod_b);
  mutex_lock(&bugmod_a);
  mutex_unlock(&bugmod_a);
  mutex_unlock(&bugmod_b);
}

static noinline void bugmod_leak(void) {
  int i;

  /*
   * Several objects, each referenced only through a variable that is
   * then cleared: a stale copy of the last pointer on a stack cannot hide
   * them all from kmemleak.
   */
  for (i = 0; i < 4; i++) {
    char* p = kmalloc(128 + 64 * i, GFP_KERNEL);

    if (!p) return;
    strscpy(p, "bugmod leaked this", 128);
    WRITE_ONCE(bugmod_sink, p);
    WRITE_ONCE(bugmod_sink, NULL);
  }
}

static noinline void bugmod_sleep(void) {
  /*
   * mutex_lock() may sleep: might_sleep() reports it under a spinlock even
   * though the uncontended mutex never sleeps (msleep() would schedule and
   * give "scheduling while atomic" instead).
   */
  spin_lock(&bugmod_lock);
  mutex_lock(&bugmod_a);
  mutex_unlock(&bugmod_a);
  spin_unlock(&bugmod_lock);
}

struct bugmod_timer {
  struct timer_list t;
};

static void bugmod_timer_fn(struct timer_list* t) {}

static noinline void bugmod_odebug(void) {
  struct bugmod_timer* b = kzalloc(sizeof(*b), GFP_KERNEL);

  if (!b) return;
  timer_setup(&b->t, bugmod_timer_fn, 0);
  mod_timer(&b->t, jiffies + 3600 * HZ);
  /*
   * DEBUG_OBJECTS_FREE reports the active timer in kfree() and its fixup
   * deletes the timer before the memory goes, so nothing runs later.
   */
  kfree(b);
}

static int __init bugmod_init(void) {
  pr_info("bugmod: committing bug '%s'\n", bug);
  if (!strcmp(bug, "uaf"))
    bugmod_uaf();
  else if (!strcmp(bug, "lockdep"))
    bugmod_lockdep();
  else if (!strcmp(bug, "leak"))
    bugmod_leak();
  else if (!strcmp(bug, "sleep"))
    bugmod_sleep();
  else if (!strcmp(bug, "odebug"))
    bugmod_odebug();
  else if (strcmp(bug, "none"))
    return -EINVAL;
  return 0;
}

static void __exit bugmod_exit(void) {}

module_init(bugmod_init);
module_exit(bugmod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("glass debug harness: commits one kernel bug on purpose");
