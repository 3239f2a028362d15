#!/bin/sh
# Neighbour entries: learned, aged (REACHABLE -> STALE -> gone, each
# state held long enough by neigh_reachable_ms to be seen under any load),
# a resolution failure counted, and a table that a flood of requests from
# 2000 invented addresses (all received: lost ones are replaced) cannot
# grow past GLASS_NEIGH_MAX (256): exactly one entry is evicted per
# request past the 256th.
. /glass/guest/pair-lib.sh
P=/sys/module/glass/parameters/neigh_reachable_ms
old=$(cat $P)
echo 1000 >$P
trap 'echo $old >$P' EXIT
glass_up g0
barrier up
if [ "$ME" = 2 ]; then
	glass cat -l 7008 </dev/null >/dev/null &
	wait_listen 7008
	put listening 1
	wait
else
	get listening >/dev/null
	# Each state lasts long enough that no poll misses it, whatever the
	# load: REACHABLE an hour while it is checked, then STALE 10 s after
	# the last confirmation and for 10 s, then gone a second later.
	echo 3600000 >$P
	echo hi | glass cat "$G_PEER:7008" || die "glass cat failed"
	glass neigh | grep -q "^$G_PEER dev g0 .* REACHABLE" || die "not learned: $(glass neigh)"
	echo 10000 >$P
	wait_for 60 sh -c "glass neigh | grep -q '^$G_PEER dev g0 .* STALE'" ||
		die "never went STALE: $(glass neigh)"
	echo 1000 >$P
	wait_for 20 sh -c "! glass neigh | grep -q '^$G_PEER '" || die "never aged out: $(glass neigh)"
	# Nobody holds 10.98.0.77: three broadcast requests, then a failure
	# (the SYN's retransmissions ask again: the entry keeps coming back).
	f0=$(stat neigh_resolve_failed)
	glass cat 10.98.0.77:9 </dev/null >/dev/null 2>&1 &
	C=$!
	wait_for 20 sh -c "glass neigh | grep -q '^10.98.0.77 dev g0 INCOMPLETE'" ||
		die "no INCOMPLETE entry: $(glass neigh)"
	wait_for 20 sh -c "[ \$(awk '\$1 == \"neigh_resolve_failed\" { print \$2 }' /proc/net/glass_stat) -gt $f0 ]" ||
		die "no resolution failure counted"
	kill $C 2>/dev/null
	[ "$(stat neigh_unresolved_drops)" -ge 1 ] || die "the SYN waiting for resolution was not counted"
fi
# The flood: vm2 sends vm1's g0 requests for vm1's address from invented
# senders, until vm1 has received 2000 of them (the cable may lose some
# under load: vm2 sends more, from senders not used yet). Aging is off
# meanwhile (neigh_reachable_ms an hour), so only eviction removes an
# entry: with the table empty at the start, every request received creates
# one, and the counters must balance exactly whatever the timing:
# evicted == received - entries, entries == GLASS_NEIGH_MAX (256).
if [ "$ME" = 1 ]; then
	# The failed 10.98.0.77 entry (and any retry of the killed SYN) goes
	# first: an INCOMPLETE entry that fails would leave uncounted.
	wait_for 20 sh -c "[ \$(tail -n +2 /proc/net/glass_neigh | wc -l) = 0 ]" ||
		die "the table never emptied: $(glass neigh)"
	echo 3600000 >$P
	r0=$(stat neigh_requests_received) e0=$(stat neigh_evicted)
fi
barrier flood
flood() { # FIRST COUNT: requests from senders FIRST..FIRST+COUNT-1
	python3 - "$(cat /sys/class/net/g0/address)" "$G_PEER" "$1" "$2" <<'PY'
import socket, struct, sys
mac = bytes.fromhex(sys.argv[1].replace(":", ""))
target = socket.inet_aton(sys.argv[2])
first, count = int(sys.argv[3]), int(sys.argv[4])
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth1", 0))
for i in range(first, first + count):
    sender = socket.inet_aton("10.96.%d.%d" % (i // 250, i % 250 + 1))
    h = struct.pack("!BBH4s4sHH", 0x81, 1, 0, sender, target, 0, 0)
    h = h[:14] + struct.pack("!H", csum(h))
    s.send(b"\xff" * 6 + mac + b"\x88\xb5" + h + bytes(30))
PY
}
# received: requests received since the flood began, once the count has
# stopped moving (late frames only make the next round smaller).
received() {
	local a b
	b=$(stat neigh_requests_received)
	while sleep 1; a=$b; b=$(stat neigh_requests_received); [ "$a" != "$b" ]; do :; done
	echo $((b - r0))
}
k=0 sent=0 got=0
while [ "$got" -lt 2000 ]; do
	[ "$k" -lt 10 ] || die "only $got of $sent requests crossed the cable in 10 rounds"
	if [ "$ME" = 2 ]; then
		flood "$sent" $((2000 - got)) || die "flood failed"
		sent=$((sent + 2000 - got))
		put "sent.$k" "$sent"
		got=$(get "got.$k")
	else
		sent=$(get "sent.$k")
		got=$(received)
		say "flood round $k: $got of $sent requests received"
		put "got.$k" "$got"
	fi
	k=$((k + 1))
done
if [ "$ME" = 1 ]; then
	# One consistent reading: the counters before and after the table.
	while :; do
		s1=$(grep '^neigh_' /proc/net/glass_stat)
		n=$(grep -c ' 10\.96\.' /proc/net/glass_neigh)
		t=$(tail -n +2 /proc/net/glass_neigh | wc -l)
		[ "$s1" != "$(grep '^neigh_' /proc/net/glass_stat)" ] || break
	done
	r=$(($(stat neigh_requests_received) - r0)) e=$(($(stat neigh_evicted) - e0))
	say "after $r requests from invented senders: $n entries, $e evicted"
	[ "$t" = "$n" ] || die "$((t - n)) entries that are not the flood's: $(glass neigh)"
	[ "$n" = 256 ] || die "the table holds $n entries, not GLASS_NEIGH_MAX (256)"
	[ "$e" = $((r - n)) ] || die "$e evicted, expected $r received - $n held = $((r - n))"
	[ "$r" -ge 2000 ] || die "only $r requests counted"
	# The flood entries age out too, once aging is back.
	echo 1000 >$P
	wait_for 20 sh -c "! grep -q ' 10\.96\.' /proc/net/glass_neigh" || die "flood entries never aged out"
fi
barrier done
