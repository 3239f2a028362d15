#!/usr/bin/env bash
# `make test` after the build: host unit tests, one guest boot for the VM
# tests, then the harness self-tests. Ends with exactly one line
# "N passed, M failed" and exits non-zero when M > 0.
# Results: out/test/<stamp>/ (out/test/latest points at the newest).
# Environment:
#   GLASS_VMTEST_TIMEOUT   seconds per guest test (default 300)
#   GLASS_TEST_VM_TIMEOUT  watchdog for the whole test guest (default: from the tests)
#   GLASS_TEST_HARNESS=0   skip the harness self-tests
set -euo pipefail
GLASS_PROG=test
. "$(dirname "$0")/lib.sh"

BIN=${GLASS_BIN:-$GLASS_ROOT/build/bin}
VM_SCRIPTS=${GLASS_TESTS_VM:-$GLASS_ROOT/tests/vm}
PASSED=0 FAILED=0
FAILED_NAMES=()
PER_TEST=${GLASS_VMTEST_TIMEOUT:-300}

pass() { PASSED=$((PASSED + $1)); }
fail() {
	FAILED=$((FAILED + 1))
	FAILED_NAMES+=("$1")
}

# Add one gtest XML report to the totals; $2 names the binary.
count_xml() {
	local xml=$1 bin=$2 p f s name
	{
		read -r p f s
		pass "$p"
		while IFS= read -r name; do fail "$bin: $name"; done
	} < <(python3 "$GLASS_ROOT/scripts/gtest-xml.py" "$xml")
	printf '  %-28s %d passed, %d failed, %d skipped\n' "$bin" "$p" "$f" "$s"
}

# A gtest binary's result: its XML, plus one failure when the exit status
# is bad without a failing test in the XML (crash, timeout, leak at exit).
judge_gtest() {
	local name=$1 xml=$2 rc=$3 log=$4 before=$FAILED
	if [ ! -s "$xml" ]; then
		fail "$name (exit $rc, no XML report: crashed or timed out; see $log)"
		printf '  %-28s FAILED: exit %s without a report (see %s)\n' "$name" "$rc" "$log"
		return
	fi
	count_xml "$xml" "$name"
	if [ "$rc" != 0 ] && [ "$FAILED" = "$before" ]; then
		fail "$name (exit $rc after its tests; see $log)"
		printf '  %-28s FAILED: exit %s\n' "$name" "$rc"
	fi
}

host_tests() {
	local dir=$RESULTS/host b n rc
	mkdir -p "$dir/xml" "$dir/logs"
	say "== host unit tests (build/bin/unit_*)"
	for b in "$BIN"/unit_*; do
		[ -f "$b" ] && [ -x "$b" ] || continue
		n=${b##*/}
		rc=0
		timeout -k 5 300 "$b" --gtest_output="xml:$dir/xml/$n.xml" >"$dir/logs/$n.log" 2>&1 || rc=$?
		judge_gtest "$n" "$dir/xml/$n.xml" "$rc" "$dir/logs/$n.log"
	done
	[ -n "${n:-}" ] || say "  (no unit_* binaries)"
}

# What the guest will run: the same discovery rules as vm/guest/run-vm-tests.sh.
guest_binaries() {
	local b
	for b in "$BIN"/vmtest_*; do [ -f "$b" ] && [ -x "$b" ] && printf '%s\n' "${b##*/}"; done
	return 0
}
guest_scripts() {
	local s
	for s in "$VM_SCRIPTS"/*.sh; do [ -f "$s" ] && [ -x "$s" ] && printf '%s\n' "${s##*/}"; done
	return 0
}

guest_tests() {
	local dir=$RESULTS/guest n rc=0 vmrc=0 count watchdog
	local -a bins scripts
	mkdir -p "$dir"
	mapfile -t bins < <(guest_binaries)
	mapfile -t scripts < <(guest_scripts)
	count=$((${#bins[@]} + ${#scripts[@]}))
	watchdog=${GLASS_TEST_VM_TIMEOUT:-$((90 + count * PER_TEST))}
	say "== guest tests: ${#bins[@]} vmtest binaries, ${#scripts[@]} tests/vm scripts, one boot (watchdog ${watchdog}s)"
	"$GLASS_ROOT/vm/run" --quiet --out "$RESULTS/vm" --share "$dir" --timeout "$watchdog" \
		-- env GLASS_VMTEST_TIMEOUT="$PER_TEST" /glass/guest/run-vm-tests.sh || vmrc=$?
	grep -a '^\[guest\]\|^    ' "$RESULTS/vm/console.log" | tr -d '\r' | grep -av '^\[guest\] RUN' || true
	for n in "${bins[@]}"; do
		rc=$(cat "$dir/rc/$n" 2>/dev/null || echo none)
		judge_gtest "$n" "$dir/xml/$n.xml" "$rc" "$dir/logs/$n.log"
	done
	for n in "${scripts[@]}"; do
		rc=$(cat "$dir/rc/$n" 2>/dev/null || echo none)
		if [ "$rc" = 0 ]; then
			pass 1
			printf '  %-28s passed\n' "$n"
		else
			fail "$n (exit $rc; see $dir/logs/$n.log)"
			printf '  %-28s FAILED: exit %s\n' "$n" "$rc"
		fi
	done
	# The boot itself: glass.ko loaded, the guest finished, the kernel log is clean.
	if [ "$vmrc" = 0 ]; then
		pass 1
		printf '  %-28s passed\n' "guest boot + kernel log"
	else
		fail "guest boot + kernel log check (vm/run exit $vmrc; see $RESULTS/vm/summary, log-check.txt)"
		printf '  %-28s FAILED (vm/run exit %s): %s\n' "guest boot + kernel log" "$vmrc" \
			"$(grep -E '^(guest|log_check)=' "$RESULTS/vm/summary" 2>/dev/null | tr '\n' ' ')"
		sed 's/^/      /' "$RESULTS/vm/log-check.txt" 2>/dev/null | head -n 10 || true
	fi
}

harness_tests() {
	local dir=$RESULTS/harness t n rc t0
	mkdir -p "$dir"
	say "== harness self-tests (tests/harness/*.sh)"
	for t in "$GLASS_ROOT"/tests/harness/*.sh; do
		[ -f "$t" ] || continue
		n=${t##*/}
		t0=$(now)
		rc=0
		GLASS_HARNESS_OUT=$dir/$n.d bash "$t" >"$dir/$n.log" 2>&1 || rc=$?
		if [ "$rc" = 0 ]; then
			pass 1
			printf '  %-28s passed (%ss)\n' "$n" "$(elapsed "$t0")"
		else
			fail "harness: $n (see $dir/$n.log)"
			printf '  %-28s FAILED (%ss): %s\n' "$n" "$(elapsed "$t0")" "$(grep -a 'FAIL' "$dir/$n.log" | head -n1)"
		fi
	done
}

report() {
	local n
	if [ "$FAILED" -gt 0 ]; then
		say "== failed:"
		for n in "${FAILED_NAMES[@]}"; do say "  $n"; done
	fi
	say "== results in $RESULTS ($(elapsed "$T0")s)"
	say "$PASSED passed, $FAILED failed"
}

main() {
	T0=$(now)
	RESULTS=$GLASS_ROOT/out/test/$(date +%Y%m%d-%H%M%S)
	mkdir -p "$RESULTS"
	ln -sfn "$RESULTS" "$GLASS_ROOT/out/test/latest"
	host_tests
	guest_tests
	[ "${GLASS_TEST_HARNESS:-1}" = 0 ] || harness_tests
	report
	[ "$FAILED" = 0 ]
}

main "$@"
