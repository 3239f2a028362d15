#!/bin/sh
# Guest side of `make test`: run every /glass/bin/vmtest_* GoogleTest binary
# and every executable /glass/tests/vm/*.sh, each under its own timeout.
# Runs in the results folder (the host's share): writes xml/NAME.xml (gtest),
# logs/NAME.log and rc/NAME (exit status) for each test.
# Environment: GLASS_VMTEST_TIMEOUT seconds per test (default 180).
T=${GLASS_VMTEST_TIMEOUT:-300}
mkdir -p xml logs rc

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# run_one NAME CMD...: run with the timeout, record the status, report.
run_one() {
	name=$1
	shift
	echo "[guest] RUN  $name"
	echo "<6>glass-test: start $name" >/dev/kmsg
	t0=$(uptime_s)
	timeout "$T" "$@" >"logs/$name.log" 2>&1 </dev/null
	rc=$?
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
	run_one "$n" "$b" --gtest_output="xml:xml/$n.xml"
done
for s in /glass/tests/vm/*.sh; do
	[ -f "$s" ] && [ -x "$s" ] || continue
	n=${s##*/}
	run_one "$n" "$s"
done
exit 0
