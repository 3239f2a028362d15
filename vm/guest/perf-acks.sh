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
IP=/usr/sbin/ip
a=acks-a
b=acks-b
swap() {
	tries=0
	while [ -d /sys/module/glass ] && [ $tries -lt 10 ]; do
		rmmod glass 2>/dev/null || sleep 1
		tries=$((tries + 1))
	done
	insmod "$1" || { echo "insmod $1 failed"; exit 1; }
}
cleanup() {
	$IP netns del $a 2>/dev/null || true
	$IP netns del $b 2>/dev/null || true
}
trap cleanup EXIT
setup() {
	cleanup
	$IP netns add $a
	$IP netns add $b
	$IP netns exec $a glass link add ga peer gb
	$IP -n $a link set gb netns $b
	$IP -n $a addr add 10.7.0.1/24 dev ga
	$IP -n $b addr add 10.7.0.2/24 dev gb
	for d in "$a ga" "$b gb" "$a lo" "$b lo"; do
		# shellcheck disable=SC2086
		set -- $d
		$IP -n "$1" link set "$2" up
	done
}
snap() {
	for ns in $a $b; do
		$IP netns exec "$ns" cat /proc/net/glass_stat | sed "s/^/$ns./"
	done
}
run=1
while [ $run -le "$N" ]; do
	for m in new base; do
		if [ $m = new ]; then swap /glass/glass.ko; else swap "$BASE"; fi
		setup
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
