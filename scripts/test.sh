#!/usr/bin/env bash
# `make test` after the build: host unit tests, one guest boot for the VM
# tests, host checks of what the guest wrote (build/host/postvm_*: the
# Wireshark dissector on the guest's captures), then the harness self-tests. Ends with exactly one line
# "N passed, M failed" and exits non-zero when M > 0.
# Results: out/test/<stamp>/ (out/test/latest points at the newest).
# Environment:
#   GLASS_VMTEST_TIMEOUT   seconds per guest test (default 300)
#   GLASS_TEST_VM_TIMEOUT  watchdog for the whole test guest (default: from the tests)
#   GLASS_TEST_HARNESS=0   skip the harness self-tests
#   GLASS_TEST_PAIR=0      skip the two-machine tests (tests/vm2, vm/run --vms 2)
#   GLASS_FAULT_TIMEOUT    seconds per binary in the fault-injection pass (default 600)
#   GLASS_TEST_DEBUG=1     `make test-debug`: no host tests; in the debug kernel
#                          (vm/run --debug) the guest tests and then the
#                          fault-injection pass (GLASS_FAULT_TESTS, with
#                          GLASS_FAULT_FILTER) in one boot, the two-machine
#                          tests, then tests/harness/debug/*.sh
#   GLASS_TEST_FAULT=0     no fault-injection pass
set -euo pipefail
GLASS_PROG=test
. "$(dirname "$0")/lib.sh"

BIN=${GLASS_BIN:-$GLASS_ROOT/build/bin}
HOST_BIN=${GLASS_HOST_BIN:-$GLASS_ROOT/build/host}
VM_SCRIPTS=${GLASS_TESTS_VM:-$GLASS_ROOT/tests/vm}
PASSED=0 FAILED=0
FAILED_NAMES=()
DEBUG=${GLASS_TEST_DEBUG:-0}
if [ "$DEBUG" = 1 ]; then
	PER_TEST=${GLASS_VMTEST_TIMEOUT:-1500}
	VMRUN_ARGS=(--debug)
	HARNESS_DIR=$GLASS_ROOT/tests/harness/debug
else
	PER_TEST=${GLASS_VMTEST_TIMEOUT:-300}
	VMRUN_ARGS=()
	HARNESS_DIR=$GLASS_ROOT/tests/harness
fi
# The fault-injection pass of the debug run: which tests, which of their
# cases (see docs/debug-kernel.md), and the injection rate. By default the
# cases that move data through gt::FaultScope (only those get failures): the
# transfer suite and the hostile suite's transfers, soak and accounting.
FAULT_TESTS=${GLASS_FAULT_TESTS:-vmtest_transfer vmtest_hostile}
FAULT_FILTER=${GLASS_FAULT_FILTER-Bulk.*:Lossy.*:Small.*:Stalled.*:Vanish.*:Rtt.*:Soak.*:*MemoryBound.*:Limits.MemoryReturnsToBaselineAfterTransfer:Limits.TransferCompletesUnderTinyMemoryLimit:Isolation.DeviceDeletedMidTransferGivesEnetdown}
# Its binaries take 1-4 minutes; a hang should not cost the guest suite's 25.
FAULT_PER_TEST=${GLASS_FAULT_TIMEOUT:-600}
FAULT_ENV=(GLASS_FAULT_PROBABILITY="${GLASS_FAULT_PROBABILITY:-1}"
	GLASS_FAULT_INTERVAL="${GLASS_FAULT_INTERVAL:-1}" GLASS_FAULT_TIMES="${GLASS_FAULT_TIMES:-1000000}")

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

# judge_fault NAME XML RC LOG: a gtest binary of the fault-injection pass.
# Passed and cleanly failed cases (a syscall error, no wrong data:
# scripts/fault-verdict.py) count as passed; the binary must exit by itself
# (no signal, no timeout) and write its report.
judge_fault() {
	local name=$1 xml=$2 rc=$3 log=$4 p f s c line
	if [ ! -s "$xml" ]; then
		fail "$name (exit $rc, no XML report: crashed or timed out; see $log)"
		printf '  %-28s FAILED: exit %s without a report (see %s)\n' "$name" "$rc" "$log"
		return
	fi
	{
		read -r p f s c
		pass "$((p + c))"
		while IFS= read -r line; do
			case "$line" in
			FAIL\ *) fail "$name: ${line#FAIL }" ;;
			CLEAN\ *) printf '  %-28s   clean error: %s\n' "" "${line#CLEAN }" ;;
			esac
		done
	} < <(python3 "$GLASS_ROOT/scripts/fault-verdict.py" "$xml")
	printf '  %-28s %d passed, %d failed cleanly (counted as passed), %d failed, %d skipped\n' \
		"$name" "$p" "$c" "$f" "$s"
	if [ "$rc" = none ] || [ "$rc" -gt 128 ] || [ "$rc" = 124 ]; then
		fail "$name (exit $rc: killed or timed out; see $log)"
		printf '  %-28s FAILED: exit %s\n' "$name" "$rc"
	fi
}

host_tests() {
	local dir=$RESULTS/host b n rc
	mkdir -p "$dir/xml" "$dir/logs"
	say "== host tests (build/bin/unit_*, tests/host/*.sh)"
	for b in "$BIN"/unit_*; do
		[ -f "$b" ] && [ -x "$b" ] || continue
		n=${b##*/}
		rc=0
		timeout -k 5 300 "$b" --gtest_output="xml:$dir/xml/$n.xml" >"$dir/logs/$n.log" 2>&1 || rc=$?
		judge_gtest "$n" "$dir/xml/$n.xml" "$rc" "$dir/logs/$n.log"
	done
	[ -n "${n:-}" ] || say "  (no unit_* binaries)"
	host_scripts
}

# Executable tests/host/*.sh: host-side tests of the build itself (make
# install into a temporary DESTDIR, ...); exit 0 passes.
host_scripts() {
	local dir=$RESULTS/host t n rc t0
	for t in "$GLASS_ROOT"/tests/host/*.sh; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		n=${t##*/}
		t0=$(now)
		rc=0
		timeout -k 5 600 "$t" >"$dir/logs/$n.log" 2>&1 || rc=$?
		if [ "$rc" = 0 ]; then
			pass 1
			printf '  %-28s passed (%ss)\n' "$n" "$(elapsed "$t0")"
		else
			fail "host: $n (exit $rc; see $dir/logs/$n.log)"
			printf '  %-28s FAILED: exit %s: %s\n' "$n" "$rc" "$(grep -a '^FAIL' "$dir/logs/$n.log" | head -n1)"
		fi
	done
}

# What the guest will run: the same discovery rules as vm/guest/run-vm-tests.sh.
guest_binaries() {
	local b
	for b in "$BIN"/vmtest_*; do [ -f "$b" ] && [ -x "$b" ] && printf '%s\n' "${b##*/}"; done
	return 0
}
# pytest_glass: the Python module's suite (tests/python, built into build/pytest).
guest_pytests() {
	ls "$GLASS_ROOT"/build/pytest/test_*.py >/dev/null 2>&1 && echo pytest_glass
	return 0
}
guest_scripts() {
	local s
	for s in "$VM_SCRIPTS"/*.sh; do [ -f "$s" ] && [ -x "$s" ] && printf '%s\n' "${s##*/}"; done
	return 0
}

# only NAME...: keep the names (read from stdin) that are in the list.
only() {
	local n
	while IFS= read -r n; do
		case " $* " in *" $n "*) printf '%s\n' "$n" ;; esac
	done
}

# guest_list [NAME...]: BINS and SCRIPTS, the guest tests (all, or those
# named).
guest_list() {
	mapfile -t BINS < <(guest_binaries; guest_pytests)
	mapfile -t SCRIPTS < <(guest_scripts)
	if [ $# -gt 0 ]; then
		mapfile -t BINS < <(printf '%s\n' "${BINS[@]}" | only "$@")
		mapfile -t SCRIPTS < <(printf '%s\n' "${SCRIPTS[@]}" | only "$@")
	fi
	return 0
}

# judge_tests DIR PREFIX: the results in DIR of BINS and SCRIPTS; PREFIX
# goes before every test name (the fault pass's, judged by judge_fault).
judge_tests() {
	local dir=$1 prefix=$2 n rc
	for n in "${BINS[@]}"; do
		rc=$(cat "$dir/rc/$n" 2>/dev/null || echo none)
		if [ -n "$prefix" ]; then
			judge_fault "$prefix$n" "$dir/xml/$n.xml" "$rc" "$dir/logs/$n.log"
		else
			judge_gtest "$n" "$dir/xml/$n.xml" "$rc" "$dir/logs/$n.log"
		fi
	done
	for n in "${SCRIPTS[@]}"; do
		rc=$(cat "$dir/rc/$n" 2>/dev/null || echo none)
		if [ "$rc" = 0 ]; then
			pass 1
			printf '  %-28s passed\n' "$prefix$n"
		else
			fail "$prefix$n (exit $rc; see $dir/logs/$n.log)"
			printf '  %-28s FAILED: exit %s\n' "$prefix$n" "$rc"
		fi
	done
}

# judge_boot VM PREFIX VMRC: the boot itself (glass.ko loaded, the guest
# finished, the kernel log is clean) counts once; its guest's logs are in
# $RESULTS/VM.
judge_boot() {
	local vm=$1 prefix=$2 vmrc=$3
	if [ "$vmrc" = 0 ]; then
		pass 1
		printf '  %-28s passed (%s)\n' "${prefix}guest boot + kernel log" \
			"$(sed -n 's/^wall_seconds=//p' "$RESULTS/$vm/summary" 2>/dev/null)s"
	else
		fail "${prefix}guest boot + kernel log check (vm/run exit $vmrc; see $RESULTS/$vm/summary, log-check.txt)"
		printf '  %-28s FAILED (vm/run exit %s)\n' "${prefix}guest boot + kernel log" "$vmrc"
		why_vm "$RESULTS/$vm"
	fi
}

# console_lines VM: what the guest said beyond RUN (results, failures).
console_lines() {
	grep -a '^\[guest\]\|^    ' "$RESULTS/$1/console.log" | tr -d '\r' | grep -av '^\[guest\] RUN' || true
}

# guest_boot SUB VM: one boot running every guest test; results in
# $RESULTS/SUB, the guest's logs in $RESULTS/VM.
guest_boot() {
	local sub=$1 vm=$2 dir=$RESULTS/$1 vmrc=0 watchdog
	guest_list
	watchdog=${GLASS_TEST_VM_TIMEOUT:-$((90 + (${#BINS[@]} + ${#SCRIPTS[@]}) * PER_TEST))}
	say "== guest tests: ${#BINS[@]} vmtest binaries and pytest suites, ${#SCRIPTS[@]} tests/vm scripts, one boot (watchdog ${watchdog}s)"
	mkdir -p "$dir"
	"$GLASS_ROOT/vm/run" "${VMRUN_ARGS[@]}" --quiet --out "$RESULTS/$vm" --share "$dir" --timeout "$watchdog" \
		-- env GLASS_VMTEST_TIMEOUT="$PER_TEST" /glass/guest/run-vm-tests.sh || vmrc=$?
	console_lines "$vm"
	judge_tests "$dir" ""
	judge_boot "$vm" "" "$vmrc"
}

# debug_boot: make test-debug's one boot of the debug kernel: every guest
# test, then the fault-injection pass (vm/guest/run-debug-tests.sh; results
# in $RESULTS/guest and $RESULTS/fault). One boot, not two: each costs
# minutes of boot and kmemleak scans.
debug_boot() {
	local vmrc=0 n_guest n_fault=0 fault_tests=$FAULT_TESTS f watchdog
	[ "${GLASS_TEST_FAULT:-1}" != 0 ] || fault_tests=
	guest_list
	n_guest=$((${#BINS[@]} + ${#SCRIPTS[@]}))
	# shellcheck disable=SC2086 # a list of names
	[ -z "$fault_tests" ] || { guest_list $fault_tests; n_fault=${#BINS[@]}; }
	watchdog=${GLASS_TEST_VM_TIMEOUT:-$((90 + n_guest * PER_TEST + n_fault * FAULT_PER_TEST))}
	say "== guest tests (debug kernel): $n_guest vmtest binaries, pytest suites and tests/vm scripts${fault_tests:+, then the fault-injection pass}, one boot (watchdog ${watchdog}s)"
	"$GLASS_ROOT/vm/run" "${VMRUN_ARGS[@]}" --quiet --out "$RESULTS/vm" --share "$RESULTS" --timeout "$watchdog" \
		-- env GLASS_VMTEST_TIMEOUT="$PER_TEST" "${FAULT_ENV[@]}" GLASS_FAULT_TESTS="$fault_tests" \
		GLASS_FAULT_FILTER="$FAULT_FILTER" GLASS_FAULT_TIMEOUT="$FAULT_PER_TEST" \
		/glass/guest/run-debug-tests.sh || vmrc=$?
	console_lines vm
	guest_list
	judge_tests "$RESULTS/guest" ""
	if [ -n "$fault_tests" ]; then
		say "== fault injection (debug kernel, same boot): $fault_tests${FAULT_FILTER:+ (--gtest_filter=$FAULT_FILTER)}, failslab + fail_page_alloc at ${GLASS_FAULT_PROBABILITY:-1}%"
		# shellcheck disable=SC2086
		guest_list $fault_tests
		judge_tests "$RESULTS/fault" "fault: "
		for f in "$RESULTS"/fault/faults/*; do
			[ -f "$f" ] && printf '  %-28s injected: %s\n' "${f##*/}" "$(cat "$f")"
		done
	fi
	judge_boot vm "" "$vmrc"
}

# why_vm OUT: why a guest run failed, from vm/run's files in OUT, on our
# output (CI keeps only that): the summary's verdict, a setup failure, the
# kernel log's bad lines, and the console's last lines when the guest
# reported no status. Never fails: it only reports.
why_vm() {
	local out=$1
	printf '      %s\n' "$(grep -E '^(guest|command_status|log_check|qemu_status|wall_seconds)=' \
		"$out/summary" 2>/dev/null | tr '\n' ' ')"
	[ ! -s "$out/guest/failure" ] || printf '      setup failed: %s\n' "$(cat "$out/guest/failure")"
	head -n 10 "$out/log-check.txt" 2>/dev/null | sed 's/^/      log: /' || true
	if ! grep -q '^guest=ok' "$out/summary" 2>/dev/null; then
		tr -d '\r' 2>/dev/null <"$out/console.log" | tail -n 15 | sed 's/^/      console: /' || true
	fi
}

guest_tests() {
	if [ "$DEBUG" = 1 ]; then
		debug_boot
	else
		guest_boot guest vm
	fi
}

# Host-side checks of the guest's output, after the boot: each
# build/host/postvm_* GoogleTest binary reads what the guest tests left in
# the share (GLASS_CAPTURES: the capture suite's pcaps) and runs host tools
# on it (tshark).
postvm_tests() {
	local dir=$RESULTS/postvm b n rc
	mkdir -p "$dir/xml" "$dir/logs"
	say "== host checks of the guest's output (build/host/postvm_*)"
	for b in "$HOST_BIN"/postvm_*; do
		[ -f "$b" ] && [ -x "$b" ] || continue
		n=${b##*/}
		rc=0
		GLASS_CAPTURES=$RESULTS/guest/captures timeout -k 5 300 "$b" \
			--gtest_output="xml:$dir/xml/$n.xml" >"$dir/logs/$n.log" 2>&1 || rc=$?
		judge_gtest "$n" "$dir/xml/$n.xml" "$rc" "$dir/logs/$n.log"
	done
	[ -n "${n:-}" ] || say "  (no postvm_* binaries)"
}

# The two-machine tests (tests/vm2/*.sh): one double boot, vm/run --vms 2,
# both guests running every script together (vm/guest/run-vm2-tests.sh).
# A script passes when it passed in both guests; the boot itself counts
# once more (both kernel logs clean).
pair_tests() {
	local dir=$RESULTS/pair n rc1 rc2 vmrc=0 count
	local -a scripts
	mkdir -p "$dir"
	mapfile -t scripts < <(for s in "$GLASS_ROOT"/tests/vm2/*.sh; do [ -x "$s" ] && echo "${s##*/}"; done)
	count=${#scripts[@]}
	[ "$count" -gt 0 ] || return 0
	say "== two-machine tests: ${#scripts[@]} tests/vm2 scripts, one double boot (vm/run --vms 2)"
	# Each script's bound is a hang bound, not a timing: 256 MiB each way
	# took 172-195 s and then, on a slower day of the shared host, over 240.
	# The debug kernel is about ten times slower: each script gets 600 s and
	# the bulk transfer 32 MiB each way instead of 256 (what KASAN and
	# lockdep check is the path, not the volume).
	local per=480 bulk=268435456
	[ "$DEBUG" = 0 ] || { per=600 bulk=33554432; }
	"$GLASS_ROOT/vm/run" "${VMRUN_ARGS[@]}" --vms 2 --quiet --out "$RESULTS/vm2" --share "$dir" \
		--timeout "${GLASS_TEST_VM_TIMEOUT:-$((120 + count * per))}" \
		-- env GLASS_VMTEST_TIMEOUT="$per" GLASS_PAIR_BULK="$bulk" /glass/guest/run-vm2-tests.sh || vmrc=$?
	# What each guest said beyond RUN/ok (a failure, a barrier given up on).
	cat "$RESULTS"/vm2/vm[12]/console.log 2>/dev/null | tr -d '\r' |
		grep -a '^\[vm[12]\] \|^    ' | grep -av '^\[vm[12]\] \(RUN\|ok\) ' || true
	for n in "${scripts[@]}"; do
		rc1=$(cat "$dir/rc/$n.vm1" 2>/dev/null || echo none)
		rc2=$(cat "$dir/rc/$n.vm2" 2>/dev/null || echo none)
		if [ "$rc1" = 0 ] && [ "$rc2" = 0 ]; then
			pass 1
			printf '  %-28s passed\n' "vm2/$n"
		else
			fail "vm2/$n (exit $rc1/$rc2; see $dir/logs/$n.vm1.log, .vm2.log)"
			printf '  %-28s FAILED: exit %s/%s\n' "vm2/$n" "$rc1" "$rc2"
			# Say why here: CI keeps only this output, not the share.
			tail -n 8 "$dir/logs/$n.vm1.log" "$dir/logs/$n.vm2.log" 2>&1 | sed 's/^/      /' || true
		fi
	done
	if [ "$vmrc" = 0 ]; then
		pass 1
		printf '  %-28s passed (%ss)\n' "vm2/double boot + kernel logs" \
			"$(sed -n 's/^wall_seconds=//p' "$RESULTS/vm2/summary" 2>/dev/null)"
	else
		fail "vm2/double boot + kernel logs (vm/run exit $vmrc; see $RESULTS/vm2/summary)"
		printf '  %-28s FAILED (vm/run exit %s)\n' "vm2/double boot + kernel logs" "$vmrc"
		printf '      vm1:\n'
		why_vm "$RESULTS/vm2/vm1"
		printf '      vm2:\n'
		why_vm "$RESULTS/vm2/vm2"
	fi
}

# harness_one T DIR: one self-test, its status and seconds in DIR/NAME.rc.
harness_one() {
	local t=$1 dir=$2 n=${1##*/} t0 rc=0
	t0=$(now)
	GLASS_HARNESS_OUT=$dir/$n.d bash "$t" >"$dir/$n.log" 2>&1 || rc=$?
	echo "$rc $(elapsed "$t0")" >"$dir/$n.rc"
}

# harness_all DIR: every self-test, GLASS_HARNESS_JOBS (2) at a time, each
# with its own output folder (vm/mkimage locks the shared image).
harness_all() {
	local dir=$1 t
	for t in "$HARNESS_DIR"/*.sh; do
		[ -f "$t" ] || continue
		while [ "$(jobs -rp | wc -l)" -ge "${GLASS_HARNESS_JOBS:-2}" ]; do wait -n || true; done
		harness_one "$t" "$dir" &
	done
	wait
}

# The self-tests boot small guests that mostly wait (on a watchdog, a
# shell, a cable), and the test guest leaves most of the second CPU idle
# (it waits on timers, netem and its peer). With the stock kernel they
# therefore run in the background from the start of the guest tests, at
# the lowest priority so the guests under test keep the CPU they need
# (make test's clock budget: docs/harness.md); with the debug kernel,
# whose guests use every CPU, after the other suites.
harness_start() {
	HARNESS_RUN=$RESULTS/harness
	mkdir -p "$HARNESS_RUN"
	if [ "$DEBUG" = 0 ]; then
		# The image first, at full speed: every guest waits for it, and a
		# self-test that waited would count the wait in its own time.
		"$GLASS_ROOT/vm/mkimage" >/dev/null
		(renice -n 19 -p "$BASHPID" >/dev/null; harness_all "$HARNESS_RUN") &
		HARNESS_PID=$!
	fi
}

# Wait for the self-tests and report them in order.
harness_tests() {
	local dir=$HARNESS_RUN t n rc secs
	if [ -n "${HARNESS_PID:-}" ]; then
		wait "$HARNESS_PID" || true
		say "== harness self-tests (${HARNESS_DIR#"$GLASS_ROOT"/}/*.sh, in the background since the guest tests, ${GLASS_HARNESS_JOBS:-2} at a time)"
	else
		say "== harness self-tests (${HARNESS_DIR#"$GLASS_ROOT"/}/*.sh, ${GLASS_HARNESS_JOBS:-2} at a time)"
		harness_all "$dir"
	fi
	for t in "$HARNESS_DIR"/*.sh; do
		[ -f "$t" ] || continue
		n=${t##*/}
		read -r rc secs <"$dir/$n.rc" 2>/dev/null || { rc=lost secs=?; }
		if [ "$rc" = 0 ]; then
			pass 1
			printf '  %-28s passed (%ss)\n' "$n" "$secs"
		else
			fail "harness: $n (see $dir/$n.log)"
			printf '  %-28s FAILED (%ss): %s\n' "$n" "$secs" "$(grep -a 'FAIL' "$dir/$n.log" | head -n1)"
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
	if [ "$DEBUG" = 1 ]; then
		say "== debug kernel: $("$GLASS_ROOT/scripts/debug-kernel.sh" --path)"
	else
		host_tests
	fi
	[ "${GLASS_TEST_HARNESS:-1}" = 0 ] || harness_start
	guest_tests
	[ "$DEBUG" = 1 ] || postvm_tests
	[ "${GLASS_TEST_PAIR:-1}" = 0 ] || pair_tests
	[ "${GLASS_TEST_HARNESS:-1}" = 0 ] || harness_tests
	report
	[ "$FAILED" = 0 ]
}

main "$@"
