#!/bin/sh
# Shared by the one-guest perf scripts (perf-ab.sh, perf-acks.sh,
# perf-loss.sh): swapping the module under test, and the namespaces they
# measure in. Sourced: . /glass/guest/perf-lib.sh
IP=${IP:-/usr/sbin/ip}

# perf_swap MODULE: unload glass (retrying while sockets let go), load MODULE.
perf_swap() {
	tries=0
	while [ -d /sys/module/glass ] && [ $tries -lt 10 ]; do
		rmmod glass 2>/dev/null || sleep 1
		tries=$((tries + 1))
	done
	insmod "$1" || { echo "insmod $1 failed"; exit 1; }
}

# perf_unpair A B: delete namespaces A and B, if they exist.
perf_unpair() {
	$IP netns del "$1" 2>/dev/null || true
	$IP netns del "$2" 2>/dev/null || true
}

# perf_pairs A B [veth]: namespaces A and B (made afresh) joined by a glass
# pair ga 10.7.0.1 - gb 10.7.0.2, and with "veth" a veth pair va 10.8.0.1 -
# vb 10.8.0.2; every device up, lo too.
perf_pairs() {
	perf_unpair "$1" "$2"
	$IP netns add "$1"
	$IP netns add "$2"
	$IP netns exec "$1" "${GLASS:-glass}" link add ga peer gb
	$IP -n "$1" link set gb netns "$2"
	$IP -n "$1" addr add 10.7.0.1/24 dev ga
	$IP -n "$2" addr add 10.7.0.2/24 dev gb
	set -- "$1" "$2" "${3:-}" "$1 ga" "$2 gb" "$1 lo" "$2 lo"
	if [ "$3" = veth ]; then
		$IP link add va netns "$1" type veth peer name vb netns "$2"
		$IP -n "$1" addr add 10.8.0.1/24 dev va
		$IP -n "$2" addr add 10.8.0.2/24 dev vb
		set -- "$@" "$1 va" "$2 vb"
	fi
	shift 3
	for d in "$@"; do
		# shellcheck disable=SC2086
		set -- $d
		$IP -n "$1" link set "$2" up
	done
}
