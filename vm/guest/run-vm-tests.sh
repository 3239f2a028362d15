#!/bin/sh
# Guest side of `make test`: run every /glass/bin/vmtest_* GoogleTest binary,
# the pytest suite /glass/pytest (pytest_glass) and every executable
# /glass/tests/vm/*.sh, each under its own timeout.
# Runs in the results folder (the host's share): writes xml/NAME.xml (gtest),
# logs/NAME.log and rc/NAME (exit status) for each test.
# Environment:
#   GLASS_VMTEST_TIMEOUT  seconds per test (default 300)
#   GLASS_VMTESTS         only these tests (names, space-separated; default all)
#   GLASS_GTEST_FILTER    --gtest_filter for every vmtest binary (default none)
#   GLASS_FAULT=1         fault injection (debug kernel): failslab and
#                         fail_page_alloc fail allocations of the threads
#                         a test marks while they move data (task-filter +
#                         /proc/thread-self/make-it-fail, gt::FaultScope), at
#                         GLASS_FAULT_PROBABILITY percent (default 1) of the
#                         calls, every GLASS_FAULT_INTERVAL-th call (default 1),
#                         at most GLASS_FAULT_TIMES times per test (default
#                         1000000; -1: no limit, no count); faults/NAME
#                         records how many were injected.
T=${GLASS_VMTEST_TIMEOUT:-300}
FAULT=${GLASS_FAULT:-0}
FAULT_DIRS="/sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc"
mkdir -p xml logs rc
[ "$FAULT" = 0 ] || mkdir -p faults

uptime_s() { cut -d' ' -f1 /proc/uptime; }

wanted() {
	[ -z "${GLASS_VMTESTS:-}" ] && return 0
	case " $GLASS_VMTESTS " in *" $1 "*) return 0 ;; esac
	return 1
}

# Arm failslab and fail_page_alloc for the tasks marked make-it-fail.
fault_arm() {
	for d in $FAULT_DIRS; do
		if [ ! -d "$d" ]; then
			echo "[guest] FATAL: $d missing (not the debug kernel?)"
			exit 1
		fi
		echo Y >"$d/task-filter"
		echo N >"$d/ignore-gfp-wait"
		echo 0 >"$d/verbose"
		echo 0 >"$d/space"
		echo "${GLASS_FAULT_INTERVAL:-1}" >"$d/interval"
		echo "${GLASS_FAULT_PROBABILITY:-1}" >"$d/probability"
		echo "${GLASS_FAULT_TIMES:-1000000}" >"$d/times"
	done
	# User pages (__GFP_HIGHMEM) never fail: a failed page fault inside
	# copy_from_user() is a spurious EFAULT, not a protocol error path.
	echo Y >/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
	echo 0 >/sys/kernel/debug/fail_page_alloc/min-order
}

# How many failures were injected since fault_arm (times counts down), and
# disarm.
fault_disarm() {
	for d in $FAULT_DIRS; do
		left=$(cat "$d/times")
		echo 0 >"$d/probability"
		if [ "${GLASS_FAULT_TIMES:-1000000}" -ge 0 ]; then
			printf '%s=%s ' "${d##*/}" $((${GLASS_FAULT_TIMES:-1000000} - left))
		else
			printf '%s=%s ' "${d##*/}" "unlimited"
		fi
	done
}

# hang_dump: what a test that is about to time out is waiting for, in
# logs/NAME.hang: its threads' kernel stacks and every glass socket of
# every named namespace (timers, windows, queues), so that a stall found
# once can be explained without reproducing it.
hang_dump() {
	echo "== $(uptime_s) s: still running after $((T - 10)) s"
	for t in /proc/[0-9]*/task/[0-9]*; do
		case "$(cat "$t/cmdline" 2>/dev/null | tr '\0' ' ')" in
		*vmtest_* | *glass\ *) ;;
		*) continue ;;
		esac
		echo "-- ${t#/proc/} $(cat "$t/comm" 2>/dev/null) $(cat "$t/wchan" 2>/dev/null)"
		cat "$t/stack" 2>/dev/null
	done
	for ns in "" $(/usr/sbin/ip netns list 2>/dev/null | cut -d' ' -f1); do
		echo "-- namespace ${ns:-(init)}"
		if [ -n "$ns" ]; then
			/usr/sbin/ip netns exec "$ns" cat /proc/net/glass /proc/net/glass_stat 2>&1
		else
			cat /proc/net/glass /proc/net/glass_stat 2>&1
		fi
	done
	cat /proc/net/glass_sockstat 2>&1
}

# run_one NAME CMD...: run with the timeout, record the status, report.
run_one() {
	name=$1
	shift
	echo "[guest] RUN  $name"
	echo "<6>glass-test: start $name" >/dev/kmsg
	t0=$(uptime_s)
	# In the fault pass the test marks its own data-moving threads
	# (gt::FaultScope, /proc/thread-self/make-it-fail): failures injected
	# into exec, the loader, `ip` or the report file would only fail the
	# harness, never the protocol.
	[ "$FAULT" = 0 ] || fault_arm
	timeout "$T" "$@" >"logs/$name.log" 2>&1 </dev/null &
	pid=$!
	# Ten seconds before the timeout, say what it waits for.
	(
		trap 'kill "$s" 2>/dev/null; exit 0' TERM
		sleep $((T > 20 ? T - 10 : T)) &
		s=$!
		wait "$s" && hang_dump >"logs/$name.hang" 2>&1
	) &
	watcher=$!
	wait "$pid"
	rc=$?
	kill "$watcher" 2>/dev/null
	[ "$FAULT" = 0 ] || fault_disarm >"faults/$name"
	echo "$rc" >"rc/$name"
	t1=$(uptime_s)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	echo "<6>glass-test: end $name status $rc" >/dev/kmsg
	if [ "$rc" = 0 ]; then
		echo "[guest] OK   $name (${secs}s)"
	else
		why="exit $rc"
		if [ "$rc" -gt 128 ]; then
			why="killed by signal $((rc - 128))"
			awk -v s="$secs" -v t="$T" 'BEGIN { exit !(s >= t) }' && why="timed out after ${T}s"
		fi
		echo "[guest] FAIL $name: $why (${secs}s); last lines of logs/$name.log:"
		tail -n 25 "logs/$name.log" | sed 's/^/    /'
	fi
	sync
}

for b in /glass/bin/vmtest_*; do
	[ -f "$b" ] && [ -x "$b" ] || continue
	n=${b##*/}
	wanted "$n" || continue
	run_one "$n" "$b" --gtest_output="xml:xml/$n.xml" ${GLASS_GTEST_FILTER:+"--gtest_filter=$GLASS_GTEST_FILTER"}
done
# The Python module's pytest suite (/glass/pytest, from tests/python), with
# the host's python3 and Debian's pytest (hostfs): one JUnit report, counted
# case by case like a gtest binary's. The tree is read-only: no caches.
if [ -d /glass/pytest ] && wanted pytest_glass; then
	run_one pytest_glass env PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -p no:cacheprovider -q \
		--junitxml=xml/pytest_glass.xml /glass/pytest
fi
for s in /glass/tests/vm/*.sh; do
	[ -f "$s" ] && [ -x "$s" ] || continue
	n=${s##*/}
	wanted "$n" || continue
	run_one "$n" "$s"
done
exit 0
