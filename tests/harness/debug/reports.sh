#!/usr/bin/env bash
# The debug guest (vm/run --debug) catches every kind of report its kernel
# makes: a test module, bugmod.ko (built here against the debug kernel),
# commits bugs on purpose; each boot must fail with 125 and name every bug
# in log-check.txt; a boot that loads it cleanly must pass.
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

# KASAN and lockdep report only once per boot: a boot each.
bug_case uaf "BUG: KASAN: use-after-free"
bug_case lockdep "possible circular locking dependency detected"

# might_sleep, ODEBUG and kmemleak report every time: one boot commits all
# three (a debug boot costs minutes under TCG) and each must be named.
vmrun three --debug --share "$mod" -- sh -c \
	'insmod bugmod.ko bug=sleep && rmmod bugmod && insmod bugmod.ko bug=odebug && rmmod bugmod && insmod bugmod.ko bug=leak'
expect_rc 125 "bug=sleep, odebug, leak"
[ "$(summary_field command_status three)" = 0 ] || fail "bug=sleep, odebug, leak: insmod/rmmod failed (see $LOG)"
for pattern in "sleeping function called from invalid context" "ODEBUG: free active" "unreferenced object"; do
	if grep -qF -- "$pattern" "$HOUT/three/log-check.txt" 2>/dev/null; then
		ok "caught: $(grep -F -- "$pattern" "$HOUT/three/log-check.txt" | head -n1)"
	else
		fail "no '$pattern' line in $HOUT/three/log-check.txt"
	fi
done

finish
