#!/usr/bin/env bash
# A hung guest is killed by the host-side watchdog and fails the run.
. "$(dirname "$0")/harness-lib"
WATCHDOG=30

vmrun hang --timeout $WATCHDOG -- sleep 100000
expect_rc 124 "a hung guest"
[ "$(summary_field guest hang)" = timeout ] || fail "the summary does not say guest=timeout"
# The guest's own run (wall_seconds: QEMU's start to its end) ends at the
# watchdog: TERM at WATCHDOG, KILL 5 s later at most. The whole of vm/run
# (SECS) also holds the image check before the guest and the log checks
# after it, which take as long as the machine's load makes them: it is
# only checked not to have ended before the watchdog.
wall=$(summary_field wall_seconds hang)
awk -v w="$wall" -v d=$WATCHDOG 'BEGIN { exit !(w >= d && w <= d + 10) }' ||
	fail "the guest ran ${wall:-?}s: the watchdog did not stop it at ${WATCHDOG}s"
[ "$SECS" -ge "$WATCHDOG" ] || fail "returned after ${SECS}s, before the ${WATCHDOG}s watchdog?"
grep -q 'watchdog' "$LOG" || fail "vm/run did not name the watchdog (see $LOG)"

finish
