#!/bin/sh
# glass against TCP over the same cable between two guests, with glass
# perf's two-host mode (iperf3-like, docs/perf.md):
#   vm/run --vms 2 --share DIR -- /glass/guest/pair-perf.sh [SECONDS] [ROUNDS]
# vm2 runs `glass perf -s`; vm1 runs `glass perf -c 10.98.0.2 --tcp
# --tcp-addr 10.99.0.2` ROUNDS times (default 3) for SECONDS each (default
# 5): glass on g0 (stacked on eth1) and then TCP on eth1's own address, the
# same server, the same run. Each round prints both receiver rates, glass /
# TCP, the sender's retransmissions of each and the segments that came
# back (ACKs) per 100 sent; then the medians.
# RCVBUF=B (env) sets SO_RCVBUF on both servers' sockets alike, to see the
# ceiling without the default receive window; PERF_ARGS adds client flags
# (e.g. "-P 4"). SNAP=1 (env) samples both transports' connections every
# second while they run, on both sides (glass ss -tmi and ss -tmi, into
# /share/snap.N), to compare windows, cwnd, RTT and retransmissions.
# TCG figures only mean something as the same-run ratio.
. /glass/guest/pair-lib.sh
SECS=${1:-5} ROUNDS=${2:-3}
RCVBUF=${RCVBUF:-0}
glass_up g0
# sample_conns FILE: every second, glass's and TCP's connections on port
# 5201 (window, cwnd, RTT, retransmissions), until killed.
sample_conns() {
	while :; do
		echo "== $(cut -d" " -f1 /proc/uptime)"
		glass ss -tmi --port 5201 2>&1
		ss -tmi 'sport = :5201 or dport = :5201' 2>&1
		sleep 1
	done >"$1"
}
if [ "${SNAP:-0}" = 1 ]; then
	sample_conns "/share/snap.$ME" &
	SAMPLER=$!
	# At the end: the devices' and qdisc's counters and glass's.
	trap 'kill $SAMPLER 2>/dev/null; { $IP -s link show eth1; $IP -s link show g0;
		$TC -s qdisc show dev eth1; awk "\$2 != 0" /proc/net/glass_stat; } >/share/counters.$ME 2>&1' EXIT
fi
# tcp_snmp FIELD: a Tcp: counter of /proc/net/snmp by column (11 InSegs,
# 12 OutSegs, 13 RetransSegs).
tcp_snmp() { awk -v f="$1" '/^Tcp:/ { if (h) { print $f; exit } h = 1 }' /proc/net/snmp; }
# receiver bits/s of a JSON object of glass perf -J (the "end" sum).
rx_bps() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[sys.argv[1]]["end"]["sum_received"]["bits_per_second"])' "$1"; }

if [ "$ME" = 2 ]; then
	glass perf -s --rcvbuf "$RCVBUF" >/tmp/server.log 2>&1 &
	S=$!
	wait_listen 5201
	wait_for 30 sh -c "grep -q ':1451 ' /proc/net/tcp" || die "no TCP listener on 5201"
	put server-up 1
	barrier perf-done 600
	kill "$S"
	wait "$S" 2>/dev/null
	exit 0
fi
get server-up >/dev/null
i=0
: >/tmp/rates
while [ "$i" -lt "$ROUNDS" ]; do
	g0r=$(stat retransmitted_segments) t0r=$(tcp_snmp 13)
	g0i=$(stat segments_in) g0o=$(stat segments_out)
	t0i=$(tcp_snmp 11) t0o=$(tcp_snmp 12)
	# shellcheck disable=SC2086 # PERF_ARGS is a list of flags
	glass perf -c "$G_PEER" --tcp --tcp-addr "$ETH_PEER" -t "$SECS" -J $PERF_ARGS \
		>/tmp/perf.json 2>/tmp/perf.err || { cat /tmp/perf.err; die "glass perf -c failed (round $i)"; }
	g=$(rx_bps glass </tmp/perf.json) t=$(rx_bps tcp </tmp/perf.json) ||
		die "no figures in glass perf -J's output"
	gr=$(($(stat retransmitted_segments) - g0r)) tr=$(($(tcp_snmp 13) - t0r))
	# The ACK clock: segments the receiver sent back per 100 sent to it.
	ga=$(awk -v i=$(($(stat segments_in) - g0i)) -v o=$(($(stat segments_out) - g0o)) \
		'BEGIN { printf "%.1f", o ? 100 * i / o : 0 }')
	ta=$(awk -v i=$(($(tcp_snmp 11) - t0i)) -v o=$(($(tcp_snmp 12) - t0o)) \
		'BEGIN { printf "%.1f", o ? 100 * i / o : 0 }')
	gm=$(awk -v b="$g" 'BEGIN { printf "%.1f", b / 1e6 }')
	tm=$(awk -v b="$t" 'BEGIN { printf "%.1f", b / 1e6 }')
	ratio=$(awk -v g="$g" -v t="$t" 'BEGIN { printf "%.2f", t ? g / t : 0 }')
	say "round $i: glass $gm Mbit/s ($gr retransmitted), tcp $tm Mbit/s (about $tr retransmitted), glass / TCP ${ratio}x; ACKs per 100 segments: glass $ga, tcp $ta"
	echo "$gm $tm $ratio" >>/tmp/rates
	i=$((i + 1))
done
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
say "median of $ROUNDS: glass $(cut -d' ' -f1 /tmp/rates | med) Mbit/s, tcp $(cut -d' ' -f2 /tmp/rates | med) Mbit/s, glass / TCP $(cut -d' ' -f3 /tmp/rates | med)x"
barrier perf-done 600
