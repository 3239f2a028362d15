#!/usr/bin/env bash
# A guest kernel panic fails the run, well within the watchdog.
. "$(dirname "$0")/harness-lib"
WATCHDOG=90

vmrun panic --timeout $WATCHDOG -- sh -c 'echo c > /proc/sysrq-trigger; sleep 1000; exit 0'
[ "$RC" != 0 ] || fail "a panicking guest returned 0"
[ "$RC" != 124 ] || fail "the panic was only caught by the watchdog (should end at once: panic=-1, -no-reboot)"
# The guest's own run (not vm/run's image and log checks, which take what
# the machine's load makes them) ended before the watchdog.
wall=$(summary_field wall_seconds panic)
awk -v w="$wall" -v d=$WATCHDOG 'BEGIN { exit !(w != "" && w < d) }' ||
	fail "the guest ran ${wall:-?}s, watchdog is ${WATCHDOG}s"
grep -q 'panicked' "$LOG" || fail "vm/run did not say the kernel panicked (see $LOG)"
[ "$(summary_field log_check panic)" = fail ] || fail "the kernel log check missed the crash"

finish
