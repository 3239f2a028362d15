#!/bin/sh
# Goodput under loss, glass against TCP in one guest (docs/perf.md):
# a glass pair ga/gb and a veth pair va/vb between the same two
# namespaces, the same netem on all four devices (`delay 5ms loss N%` each
# way), then `glass perf --no-setup --tests bulk` over both, once per loss
# rate, with trains/GSO and without (gso_max_segs 1 on every device).
#   perf-loss.sh [SECONDS] [LOSS%...]     default: 6 s, 1 5 10
# CC=cubic|newreno and SACK=0|1 set net.glass.congestion_control and
# net.glass.sack in both namespaces (defaults: the module's). SEGS="1"
# runs only one segment per frame (default "64 1": trains, then one).
# After each glass run the sender's recovery counters are printed
# (/proc/net/glass_stat in the client namespace, this run's share), and
# TCP's (nstat, when the guest has it).
# REPS=N repeats every condition N times (default 1). SAMPLE=SECONDS
# prints the senders' sockets every SECONDS during each run (glass ss -ei
# and ss -tmi in the client namespace), to see cwnd, ssthresh, RTT and
# retransmissions over time.
# Every run checks byte-exact delivery (glass perf does); the table of
# glass / TCP ratios is printed at the end.
set -eu
# iproute2, not busybox's ip applet (the guest image has both).
IP=/usr/sbin/ip
TC=/usr/sbin/tc
secs=${1:-6}
shift || true
losses=${*:-1 5 10}
glass=${GLASS:-glass}
a=perf-loss-a
b=perf-loss-b
. /glass/guest/perf-lib.sh

trap 'perf_unpair $a $b' EXIT

setup() {
	perf_pairs $a $b veth
	for ns in $a $b; do
		[ -z "${CC:-}" ] || $IP netns exec $ns sh -c \
			"echo $CC > /proc/sys/net/glass/congestion_control"
		[ -z "${SACK:-}" ] || $IP netns exec $ns sh -c \
			"echo $SACK > /proc/sys/net/glass/sack"
	done
}

# impair SEGS LOSS: gso_max_segs (64 = trains/GSO) and netem on all four.
impair() {
	segs=$1
	loss=$2
	for d in "$a ga" "$b gb" "$a va" "$b vb"; do
		set -- $d
		$IP -n "$1" link set "$2" gso_max_segs "$segs"
		$TC -n "$1" qdisc replace dev "$2" root netem delay 5ms loss "$loss%"
	done
}

# exact: 4 MB of random bytes over glass (glass cat) under the same netem,
# compared byte for byte (glass perf counts bytes, it does not compare them).
exact() {
	head -c 4000000 /dev/urandom > /tmp/perf-loss.in
	$glass cat -n $b -l 10.7.0.2:7399 > /tmp/perf-loss.out &
	srv=$!
	# The listener may take a while under TCG: retry a refused connect.
	tries=0
	until $glass cat -n $a 10.7.0.2:7399 < /tmp/perf-loss.in 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 50 ] || {
			echo "perf-loss: no listener" >&2
			kill $srv
			return 1
		}
		sleep 0.2
	done
	wait $srv
	if cmp -s /tmp/perf-loss.in /tmp/perf-loss.out; then echo exact; else echo DIFFERS; fi
}

# The sender's recovery counters (name value), from its namespace.
counters() {
	$IP netns exec $a cat /proc/net/glass_stat | awk '
		/^(retransmitted_segments|timeouts|fast_retransmits|sack_recoveries|sack_retrans_segs|dsacks_received|undos|tlp_probes|tlp_recoveries|spurious_rtos|rack_lost_segs|rack_lost_retrans|rack_reo_timeouts|segments_out) / { print $1, $2 }'
}

# TCP's counterparts (name value), from the same namespace.
tcp_counters() {
	command -v nstat > /dev/null || return 0
	$IP netns exec $a nstat -az 2>/dev/null | awk '
		/^(TcpOutSegs|TcpRetransSegs|TcpExtTCPTimeouts|TcpExtTCPSackRecovery|TcpExtTCPDSACKRecv|TcpExtTCPLossProbes|TcpExtTCPLossProbeRecovery|TcpExtTCPSpuriousRTOs|TcpExtTCPLostRetransmit|TcpExtTCPSACKReneging) / { print $1, $2 }'
}

# bulk: one glass perf run; prints "glass_MBps tcp_MBps" (the throughput
# figures: the JSON also has CPU per MB).
bulk() {
	out=$($glass perf --no-setup --glass-addr 10.7.0.2 --tcp-addr 10.8.0.2 \
		--server-netns $b --client-netns $a --transports glass,tcp-veth \
		--tests bulk -t "$secs" --json)
	echo "$out" >&2
	echo "$out" | tr '{' '\n' | awk -F'"' '
		/"transport":"glass","figure":"throughput"/ {
			for (i = 1; i < NF; i++) if ($i == "value") g = $(i + 1) }
		/"transport":"tcp-veth","figure":"throughput"/ {
			for (i = 1; i < NF; i++) if ($i == "value") t = $(i + 1) }
		END { gsub(/[:,]/, "", g); gsub(/[:,]/, "", t); print g, t }'
}

# sample: the senders' sockets every $SAMPLE s until killed.
sample() {
	while :; do
		echo "== sample $(cut -d' ' -f1 /proc/uptime)" >&2
		$IP netns exec $a $glass ss -eH 2>/dev/null | grep -v LISTEN >&2 || true
		$IP netns exec $a ss -tmiH dst 10.8.0.2 2>/dev/null | tr -s ' \t' ' ' >&2 || true
		sleep "$SAMPLE"
	done
}

setup
# 1 2 ... REPS: each condition REPS times.
reps=$(awk -v n="${REPS:-1}" 'BEGIN { for (i = 1; i <= n; i++) print i }')
table="condition glass_MB/s tcp_MB/s glass/tcp bytes"
for s in ${SEGS:-64 1}; do
	for l in $losses; do
		for _ in $reps; do
			segs=$s
			loss=$l
			impair "$segs" "$loss"
			counters > /tmp/perf-loss.c0
			tcp_counters >> /tmp/perf-loss.c0
			sampler=
			if [ -n "${SAMPLE:-}" ]; then
				sample &
				sampler=$!
			fi
			set -- $(bulk)
			[ -z "$sampler" ] || kill "$sampler"
			counters > /tmp/perf-loss.c1
			tcp_counters >> /tmp/perf-loss.c1
			echo "== counters, loss=${loss}% gso_max_segs=$segs (senders, this run):" \
				$(awk 'NR == FNR { c[$1] = $2; next } { printf "%s=%d ", $1, $2 - c[$1] }' \
					/tmp/perf-loss.c0 /tmp/perf-loss.c1) >&2
			ratio=$(awk -v g="$1" -v t="$2" 'BEGIN { printf "%.2f", (t > 0 ? g / t : 0) }')
			check=$(exact)
			what="loss=${loss}%,$([ "$segs" = 1 ] && echo one-seg-per-frame || echo trains)"
			table="$table
$what $1 $2 ${ratio}x $check"
			echo "== $what: glass $1 MB/s, tcp $2 MB/s, ${ratio}x, $check" >&2
		done
	done
done
echo "$table" | column -t 2>/dev/null || echo "$table"
