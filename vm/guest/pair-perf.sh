#!/bin/sh
# glass against TCP over the same cable between two guests:
#   vm/run --vms 2 --share DIR -- /glass/guest/pair-perf.sh [MiB] [ROUNDS]
# vm1 sends MiB (default 64) of zeros to vm2, ROUNDS times (default 3)
# alternating glass (g0 on eth1, `glass cat`) and TCP (eth1's own address,
# a Python copy loop in 64 KiB calls, as glass cat's), and prints the
# receiver's rate of each run and the median of each. TCG figures only
# mean something as the ratio of the two (docs/perf.md).
. /glass/guest/pair-lib.sh
MIB=${1:-64} ROUNDS=${2:-3}
BYTES=$((MIB * 1048576))
glass_up g0
TCP_RECV='
import socket, sys, time
s = socket.create_server(("0.0.0.0", int(sys.argv[1]))); c, _ = s.accept()
n, t0, buf = 0, None, bytearray(65536)
while True:
    k = c.recv_into(buf)
    if t0 is None: t0 = time.monotonic()
    if not k: break
    n += k
print("%d %.6f" % (n, time.monotonic() - t0))'
TCP_SEND='
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2]))); b = bytes(65536); left = int(sys.argv[3])
while left > 0:
    k = c.send(b[:min(left, 65536)]); left -= k
c.close()'
# Receiver's time from its first byte to the end, for glass: the uptime
# before the first read is taken when the listener accepts (close enough:
# the sender starts at once).
glass_recv() {
	local t0 t1
	glass cat -l "$1" </dev/null | (
		dd bs=1 count=1 of=/dev/null 2>/dev/null
		t0=$(cut -d' ' -f1 /proc/uptime)
		n=$(wc -c)
		t1=$(cut -d' ' -f1 /proc/uptime)
		echo "$((n + 1)) $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
	)
}
tcp_retrans() { awk '/^Tcp:/ { if (h) { print $13; exit } h = 1 }' /proc/net/snmp; }
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	for proto in glass tcp; do
		port=$((7100 + i * 2))
		[ "$proto" = glass ] || port=$((port + 1))
		if [ "$ME" = 2 ]; then
			if [ "$proto" = glass ]; then
				glass_recv "$port" >/tmp/r &
				wait_listen "$port"
			else
				python3 -c "$TCP_RECV" "$port" >/tmp/r &
				wait_for 30 sh -c "grep -q ':$(printf %04X "$port") ' /proc/net/tcp"
			fi
			R=$!
			put "ready-$proto-$i" 1
			wait $R
			read -r n secs </tmp/r
			rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.1f", n * 8 / s / 1e6 }')
			say "$proto round $i: $n bytes in $secs s: $rate Mbit/s"
			echo "$proto $rate" >>/tmp/rates
		else
			get "ready-$proto-$i" >/dev/null
			if [ "$proto" = glass ]; then
				r0=$(stat retransmitted_segments) o0=$(stat timeouts)
				head -c "$BYTES" /dev/zero | glass cat "$G_PEER:$port" || die "glass send failed"
				say "glass round $i: sender retransmitted $(($(stat retransmitted_segments) - r0)) segments, $(($(stat timeouts) - o0)) timeouts"
			else
				r0=$(tcp_retrans)
				python3 -c "$TCP_SEND" "$ETH_PEER" "$port" "$BYTES" || die "TCP send failed"
				say "tcp round $i: sender retransmitted $(($(tcp_retrans) - r0)) segments"
			fi
		fi
		barrier "done-$proto-$i"
	done
	i=$((i + 1))
done
if [ "$ME" = 2 ]; then
	for proto in glass tcp; do
		say "$proto median of $ROUNDS: $(awk -v p="$proto" '$1 == p { print $2 }' /tmp/rates | sort -n |
			awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }') Mbit/s"
	done
fi
