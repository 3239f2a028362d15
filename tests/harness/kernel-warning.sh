#!/usr/bin/env bash
# A WARNING: line in the guest kernel log fails the run although the
# command succeeded, and vm/run names the line.
. "$(dirname "$0")/harness-lib"

vmrun warning -- sh -c "echo '<4>WARNING: harness self-test' > /dev/kmsg"
[ "$(summary_field command_status warning)" = 0 ] || fail "the command itself should have succeeded"
[ "$RC" != 0 ] || fail "a WARNING: in the kernel log did not fail the run"
grep -q 'WARNING: harness self-test' "$LOG" || fail "vm/run did not name the bad line (see $LOG)"
grep -q 'WARNING: harness self-test' "$HOUT/warning/guest/dmesg.txt" ||
	fail "the guest dmesg was not saved on the host"

finish
