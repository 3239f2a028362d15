#!/bin/sh
# `make bench`, inside the guest: glass perf's one-host run five times (all
# tests), a -P sweep 1..64, the many-connections runs (10,000 connections,
# else as many as the guest could take, and 100, in alternating rounds),
# request/response with SO_BUSY_POLL and one run under netem, each as JSON
# in /out/bench (the host's out/bench/<time>/vm/guest/bench);
# scripts/bench-report.py turns them into the table, the plot and
# docs/perf.md's section. Timing is never a failure here: only a run that
# cannot be made is.
RES=/out/bench
REPS=${GLASS_BENCH_REPS:-5}
SECS=${GLASS_BENCH_SECONDS:-2}
mkdir -p "$RES"
rc=0

run() { # NAME ARGS...: glass perf --json ARGS > NAME.json
	name=$1
	shift
	echo "== glass perf $*"
	if glass perf --json "$@" >"$RES/$name.json" 2>"$RES/$name.err"; then
		return 0
	fi
	echo "   FAILED: $(tail -n 1 "$RES/$name.err")"
	rm -f "$RES/$name.json"
	return 1
}

nproc >"$RES/cpus"
awk '/MemTotal/ { print $2 }' /proc/meminfo >"$RES/mem_kb"
uname -r >"$RES/kernel"

i=1
while [ "$i" -le "$REPS" ]; do
	run "rep$i" --time "$SECS" || rc=1
	i=$((i + 1))
done
for p in 1 2 4 8 16 32 64; do
	run "sweep-P$p" --tests bulk --transports glass,tcp-veth -P "$p" --time "$SECS" || rc=1
done
# 10,000 connections moving data: halve the count until the guest manages.
# Then rounds alternate N and 100 connections, AF_UNIX beside glass and TCP:
# at 10,000 the host's noise moves even AF_UNIX's figure 2x between runs in
# one boot, so the report takes each N/100 ratio within a round and prints
# the median and range of the rounds. Each round runs again with a writer
# like iperf3's (burst-N-R.json: up to ten writes per ready connection),
# for three times as long: a turn of ten writes on each of 10,000
# connections takes longer than the others' whole run.
MANY="--tests many --transports glass,tcp-veth,unix --time $SECS -l 16K"
BURST_SECS=$((SECS * 3))
BURST="--tests many --transports glass,tcp-veth,unix --time $BURST_SECS -l 16K --writes-per-wake 10"
echo "$BURST_SECS" >"$RES/burst_secs"
ROUNDS=${GLASS_BENCH_MANY_ROUNDS:-5}
for n in 10000 5000 2000 1000; do
	# shellcheck disable=SC2086 # MANY is a list of words
	if run "many-$n-1" $MANY --many "$n"; then
		echo "$n" >"$RES/many_count"
		break
	fi
done
if [ -f "$RES/many_count" ]; then
	n=$(cat "$RES/many_count")
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		# shellcheck disable=SC2086
		[ "$r" -eq 1 ] || run "many-$n-$r" $MANY --many "$n" || rc=1
		# shellcheck disable=SC2086
		run "many-100-$r" $MANY --many 100 || rc=1
		# shellcheck disable=SC2086
		run "burst-$n-$r" $BURST --many "$n" || rc=1
		# shellcheck disable=SC2086
		run "burst-100-$r" $BURST --many 100 || rc=1
		r=$((r + 1))
	done
else
	rc=1
fi
# Request/response with SO_BUSY_POLL on both ends: glass's readers spin on
# their device's poll; TCP over veth has none to spin on.
run "busypoll" --tests rr --transports glass,tcp-veth,unix --busy-poll 50 \
	--requests 5000 || rc=1
run "netem" --tests bulk --transports glass,tcp-veth --time "$((SECS * 2))" \
	--netem "delay 5ms loss 1%" || rc=1
echo "== bench: results in $RES (exit $rc)"
exit "$rc"
