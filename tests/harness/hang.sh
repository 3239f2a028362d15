#!/usr/bin/env bash
# A hung guest is killed by the host-side watchdog and fails the run.
. "$(dirname "$0")/harness-lib"
WATCHDOG=30

vmrun hang --timeout $WATCHDOG -- sleep 100000
expect_rc 124 "a hung guest"
[ "$SECS" -ge "$WATCHDOG" ] || fail "returned after ${SECS}s, before the ${WATCHDOG}s watchdog?"
# SECS is all of vm/run: the image check before the guest and the log checks
# after it are outside the watchdog, and take longer while another guest
# boots beside this one (scripts/test.sh runs two self-tests at a time).
[ "$SECS" -le $((WATCHDOG + 30)) ] || fail "the watchdog took ${SECS}s to stop a ${WATCHDOG}s run"
grep -q 'watchdog' "$LOG" || fail "vm/run did not name the watchdog (see $LOG)"

finish
