#!/bin/sh
# ACKs per MB (docs/perf.md, issue 17): a glass bulk run over a glass pair
# built by hand, so the counters of both namespaces can be read after it,
# with the module under test (/glass/glass.ko) and another build of it
# (BASE, e.g. the previous commit's glass.ko on the share), alternating N
# times. Prints one line per run: MB/s, CPU per MB, the receiver's ACK
# frames and window updates per MB, segments per MB, backlog segments.
#   vm/run --share DIR -- sh /glass/guest/perf-acks.sh [N]
# with DIR/base.ko.
set -u
N=${1:-3}
BASE=${BASE:-/share/base.ko}
a=acks-a
b=acks-b
. /glass/guest/perf-lib.sh
trap 'perf_unpair $a $b' EXIT
snap() {
	for ns in $a $b; do
		$IP netns exec "$ns" cat /proc/net/glass_stat | sed "s/^/$ns./"
	done
}
run=1
while [ $run -le "$N" ]; do
	for m in new base; do
		if [ $m = new ]; then perf_swap /glass/glass.ko; else perf_swap "$BASE"; fi
		perf_pairs $a $b
		snap > /tmp/acks.0
		out=$(glass perf --no-setup --glass-addr 10.7.0.2 --server-netns $b \
			--client-netns $a --tests bulk --transports glass -t 3 |
			grep -E "throughput|cpu-")
		snap > /tmp/acks.1
		paste -d' ' /tmp/acks.0 /tmp/acks.1 | awk -v m=$m -v r=$run -v o="$out" '
			{ d[$1] = $4 - $2 }
			END {
				n = split(o, L, "\n")
				for (i = 1; i <= n; i++) { split(L[i], f, " +"); v[f[3]] = f[4] }
				mb = d["acks-b.bytes_in"] / 1e6
				if (mb <= 0) { print "run " r " " m ": nothing moved"; exit }
				printf "run %d %-4s %6.0f MB/s  cpu-send %5d  cpu-recv %5d us/MB  acks/MB %5.1f  window-updates/MB %5.1f  segments/MB %4.0f  backlog-segments %d\n",
					r, m, v["throughput"], v["cpu-send"], v["cpu-recv"],
					d["acks-b.segments_out"] / mb, d["acks-b.window_updates"] / mb,
					d["acks-a.segments_out"] / mb, d["acks-b.backlog_segments"]
			}'
	done
	run=$((run + 1))
done
