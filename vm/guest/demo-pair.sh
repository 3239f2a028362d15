#!/bin/sh
# The two-machine step of the `make run` demo (scripts/run-demo.sh boots
# `vm/run --vms 2 --share DIR -- /glass/guest/demo-pair.sh`): glass crosses
# a network. Each guest stacks g0 on its cable eth1 (10.98.0.N); the
# cable drops 1% of vm1's frames (tc netem on eth1); vm1 sends MiB
# (default 16) of random bytes to vm2 over glass; while it runs, vm1 shows
# the connection's window, congestion window and retransmissions (`glass
# ss -i`) every second; at the end both sides compare SHA-256 sums, show
# the neighbour table (`glass neigh`) and vm1 prints a summary.
. /glass/guest/pair-lib.sh
MIB=${1:-16} PORT=7400
glass_up g0
if [ "$ME" = 2 ]; then
	echo "== vm2: waiting for vm1's transfer on glass $G_ME:$PORT (g0 on eth1)"
	glass cat -l "$PORT" </dev/null >/tmp/in.bin &
	R=$!
	wait_listen "$PORT"
	put ready 1
	wait "$R" || die "glass cat -l failed"
	put sum "$(sha256sum </tmp/in.bin | cut -d' ' -f1) $(wc -c </tmp/in.bin)"
	barrier shown
	echo "== vm2: neighbours (glass neigh)"
	glass neigh
	exit 0
fi
head -c "$((MIB * 1048576))" /dev/urandom >/tmp/out.bin
$TC qdisc add dev eth1 root netem loss 1% || die "tc netem on eth1"
get ready >/dev/null
echo "== vm1: $MIB MiB of random bytes to vm2 ($G_PEER:$PORT) over glass on g0 (stacked on eth1), 1% of frames lost on the cable"
echo "   every second: the connection as glass ss -i shows it (peer_wnd: vm2's receive window; cwnd; retrans: segments sent again;
   CLOSE-WAIT: vm2 has nothing to send and closed its half at once)"
r0=$(stat retransmitted_segments) t0=$(cut -d' ' -f1 /proc/uptime)
glass cat "$G_PEER:$PORT" </tmp/out.bin &
S=$!
n=0
while kill -0 "$S" 2>/dev/null; do
	sleep 1
	if [ "$n" = 0 ]; then
		glass ss -i --port "$PORT" | sed 's/^/   /'
	else
		glass ss -i -H --port "$PORT" | sed 's/^/   /'
	fi
	n=$((n + 1))
done
wait "$S" || die "glass cat to $G_PEER:$PORT failed"
t1=$(cut -d' ' -f1 /proc/uptime)
retr=$(($(stat retransmitted_segments) - r0))
$TC qdisc del dev eth1 root
mine="$(sha256sum </tmp/out.bin | cut -d' ' -f1) $(wc -c </tmp/out.bin)"
theirs=$(get sum)
barrier shown
echo "== vm1: neighbours (glass neigh)"
glass neigh
rate=$(awk -v b="$((MIB * 1048576))" -v a="$t0" -v c="$t1" 'BEGIN { printf "%.1f", b * 8 / (c - a) / 1e6 }')
echo
echo "== two machines: $MIB MiB vm1 -> vm2 over glass on an Ethernet cable with 1% loss:"
echo "   $rate Mbit/s (TCG), $retr segments retransmitted by vm1"
if [ "$mine" = "$theirs" ]; then
	echo "   vm2 received every byte intact (SHA-256 and length match)"
else
	die "vm2 received different bytes: sent $mine, received $theirs"
fi
[ "$retr" -gt 0 ] || die "no retransmission with 1% loss: the scenario did not show loss recovery"
