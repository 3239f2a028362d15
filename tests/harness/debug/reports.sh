#!/usr/bin/env bash
# The debug guest (vm/run --debug) catches every kind of report its kernel
# makes: a test module, bugmod.ko (built here against the debug kernel),
# commits bugs on purpose; the boot must fail with 125 and name every bug in
# log-check.txt. One boot: a debug boot and its kmemleak scans cost minutes
# under TCG. That a clean debug boot passes the same log check is shown by
# every make test-debug: its suite's boot must pass it.
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

# Every bug in one boot (a debug boot costs minutes under TCG). KASAN and
# lockdep report only once per boot, so each is committed once and lockdep's
# comes first (the sleep bug also trips lockdep's wait-context check, which
# would otherwise take lockdep's only report); might_sleep, ODEBUG and
# kmemleak report every time. Each must be named in log-check.txt.
bugs="lockdep uaf sleep odebug leak"
cmds=
for bug in $bugs; do cmds+="insmod bugmod.ko bug=$bug && rmmod bugmod && "; done
vmrun bugs --debug --share "$mod" -- sh -c "${cmds}true"
expect_rc 125 "bug=${bugs// /, }"
[ "$(summary_field kernel bugs)" = debug ] || fail "vm/run --debug did not boot the debug kernel"
[ "$(summary_field command_status bugs)" = 0 ] || fail "insmod/rmmod of a bug failed (see $LOG)"
for pattern in "possible circular locking dependency detected" "BUG: KASAN: use-after-free" \
	"sleeping function called from invalid context" "ODEBUG: free active" "unreferenced object"; do
	if grep -qF -- "$pattern" "$HOUT/bugs/log-check.txt" 2>/dev/null; then
		ok "caught: $(grep -F -- "$pattern" "$HOUT/bugs/log-check.txt" | head -n1)"
	else
		fail "no '$pattern' line in $HOUT/bugs/log-check.txt"
	fi
done

finish
