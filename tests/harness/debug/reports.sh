#!/usr/bin/env bash
# The debug guest (vm/run --debug) catches every kind of report its kernel
# makes: a test module, bugmod.ko (built here against the debug kernel),
# commits one bug per boot, and each boot must fail with 125 and the
# matching line in log-check.txt; a boot that loads it cleanly must pass.
# Run by `make test-debug` (scripts/test.sh with GLASS_TEST_DEBUG=1), not by
# `make test`.
. "$(dirname "$0")/../harness-lib"

tree=$("$ROOT/scripts/debug-kernel.sh" --path)
mod=$HOUT/bugmod
rm -rf "$mod"
mkdir -p "$mod"
cp "$ROOT/tests/harness/debug/bugmod/bugmod.c" "$ROOT/tests/harness/debug/bugmod/Kbuild" "$mod/"
make --no-print-directory -s -C "$tree" M="$mod" modules || fail "bugmod.ko does not build"
[ -f "$mod/bugmod.ko" ] || { finish; exit 1; }

vmrun clean --debug --share "$mod" -- insmod bugmod.ko bug=none
expect_rc 0 "a debug boot that loads bugmod cleanly"
[ "$(summary_field log_check clean)" = ok ] || fail "the clean debug boot failed the log check (see $HOUT/clean/log-check.txt)"
[ "$(summary_field kernel clean)" = debug ] || fail "vm/run --debug did not boot the debug kernel"

# case bug pattern: the run fails (125) and log-check.txt names the report.
bug_case() {
	local bug=$1 pattern=$2
	vmrun "$bug" --debug --share "$mod" -- insmod bugmod.ko bug="$bug"
	expect_rc 125 "bug=$bug"
	[ "$(summary_field command_status "$bug")" = 0 ] || fail "bug=$bug: insmod itself failed (see $LOG)"
	if grep -qF -- "$pattern" "$HOUT/$bug/log-check.txt" 2>/dev/null; then
		ok "bug=$bug caught: $(grep -F -- "$pattern" "$HOUT/$bug/log-check.txt" | head -n1)"
	else
		fail "bug=$bug: no '$pattern' line in $HOUT/$bug/log-check.txt"
	fi
}

bug_case uaf "BUG: KASAN: use-after-free"
bug_case lockdep "possible circular locking dependency detected"
bug_case sleep "sleeping function called from invalid context"
bug_case odebug "ODEBUG: free active"
bug_case leak "unreferenced object"

finish
