#!/bin/sh
# Before/after in one boot (docs/perf.md): glass perf with the module under
# test (/glass/glass.ko) and with another build of it (BASE, e.g. the
# previous commit's glass.ko on the share), alternating N times, so both
# meet the same host load. Prints each run after a "=== run I module M" line.
#   vm/run --share DIR -- sh /glass/guest/perf-ab.sh [N]
# with DIR/base.ko; ARGS overrides glass perf's arguments.
N=${1:-3}
BASE=${BASE:-/share/base.ko}
ARGS=${ARGS:-"--tests bulk,rr -t 3 -r 1000"}
. /glass/guest/perf-lib.sh
run=1
while [ $run -le "$N" ]; do
	for m in new base; do
		if [ $m = new ]; then perf_swap /glass/glass.ko; else perf_swap "$BASE"; fi
		echo "=== run $run module $m"
		# shellcheck disable=SC2086
		glass perf $ARGS 2>&1
	done
	run=$((run + 1))
done
