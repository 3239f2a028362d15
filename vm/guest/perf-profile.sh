#!/bin/sh
# Where the CPU goes in a glass bulk run (docs/perf.md, issue 17): the
# host's perf (vm/run --hostfs, the default) samples both vCPUs while
# `glass perf` moves data over a glass pair, then prints the flat profile,
# the profile by caller, and the call graphs of the top symbols.
#   vm/run --share DIR -- sh /glass/guest/perf-profile.sh [SECONDS]
#   vm/run --share DIR -- env P=2 sh /glass/guest/perf-profile.sh   (-P 2 streams)
#   vm/run --share DIR -- env TR=tcp-veth sh /glass/guest/perf-profile.sh   (TCP, to compare)
#   vm/run --share DIR -- env RR=20000 sh /glass/guest/perf-profile.sh   (request/response)
#   vm/run --share DIR -- env MANY=10000 sh /glass/guest/perf-profile.sh   (many connections)
# Writes DIR/perf.data and DIR/profile-{sym,children,callers,comm}.txt.
set -e
T=${1:-4}
P=${P:-1}
TR=${TR:-glass}
OUT=${OUT:-/share}
if [ -n "${RR:-}" ]; then
	set -- --tests rr -r "$RR"
elif [ -n "${MANY:-}" ]; then
	set -- --tests many --many "$MANY" -t "$T" -l 16K
else
	set -- --tests bulk -P "$P" -t "$T"
fi
perf record -a -F 999 -e cpu-clock -g -o "$OUT/perf.data" -- \
	glass perf --transports "$TR" "$@" > "$OUT/profile-run.txt" 2>&1
perf report -i "$OUT/perf.data" --no-children --sort sym --stdio -g none \
	--percent-limit 0.4 > "$OUT/profile-sym.txt" 2>&1
perf report -i "$OUT/perf.data" --children --sort sym --stdio -g none \
	--percent-limit 3 > "$OUT/profile-children.txt" 2>&1
perf report -i "$OUT/perf.data" --no-children --sort sym --stdio -G \
	--percent-limit 3 > "$OUT/profile-callers.txt" 2>&1
perf report -i "$OUT/perf.data" --no-children --sort comm,sym --stdio -g none \
	--percent-limit 0.4 > "$OUT/profile-comm.txt" 2>&1
head -40 "$OUT/profile-sym.txt"
