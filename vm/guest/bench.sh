#!/bin/sh
# `make bench`, inside the guest: glass perf's one-host run five times (all
# tests), a -P sweep 1..64, the many-connections run (10,000 connections,
# else as many as the guest could take), request/response with
# SO_BUSY_POLL and one run under netem, each as
# JSON in /out/bench (the host's out/bench/<time>/vm/guest/bench);
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
for n in 10000 5000 2000 1000; do
	if run "many-$n" --tests many --many "$n" --transports glass,tcp-veth --time "$SECS" -l 16K; then
		echo "$n" >"$RES/many_count"
		break
	fi
done
[ -f "$RES/many_count" ] || rc=1
run "many-100" --tests many --many 100 --transports glass,tcp-veth --time "$SECS" -l 16K || rc=1
# Request/response with SO_BUSY_POLL on both ends: glass's readers spin on
# their device's poll; TCP over veth has none to spin on.
run "busypoll" --tests rr --transports glass,tcp-veth,unix --busy-poll 50 \
	--requests 5000 || rc=1
run "netem" --tests bulk --transports glass,tcp-veth --time "$((SECS * 2))" \
	--netem "delay 5ms loss 1%" || rc=1
echo "== bench: results in $RES (exit $rc)"
exit "$rc"
