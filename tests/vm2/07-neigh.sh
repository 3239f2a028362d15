#!/bin/sh
# Neighbour entries: learned, aged (REACHABLE -> STALE -> gone, with
# neigh_reachable_ms at 1000), a resolution failure counted, and a table
# that a flood of requests from 2000 invented addresses cannot grow past
# GLASS_NEIGH_MAX (256): entries are evicted instead.
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
	echo hi | glass cat "$G_PEER:7008" || die "glass cat failed"
	glass neigh | grep -q "^$G_PEER dev g0 .* REACHABLE" || die "not learned: $(glass neigh)"
	wait_for 5 sh -c "glass neigh | grep -q '^$G_PEER dev g0 .* STALE'" ||
		die "never went STALE: $(glass neigh)"
	wait_for 5 sh -c "! glass neigh | grep -q '^$G_PEER '" || die "never aged out: $(glass neigh)"
	# Nobody holds 10.98.0.77: three broadcast requests, then a failure.
	f0=$(stat neigh_resolve_failed)
	glass cat 10.98.0.77:9 </dev/null >/dev/null 2>&1 &
	C=$!
	sleep 0.5
	glass neigh | grep -q '^10.98.0.77 dev g0 INCOMPLETE' || die "no INCOMPLETE entry: $(glass neigh)"
	wait_for 8 sh -c "[ \$(awk '\$1 == \"neigh_resolve_failed\" { print \$2 }' /proc/net/glass_stat) -gt $f0 ]" ||
		die "no resolution failure counted"
	kill $C 2>/dev/null
	[ "$(stat neigh_unresolved_drops)" -ge 1 ] || die "the SYN waiting for resolution was not counted"
fi
barrier flood
# vm2 floods vm1's g0 with requests for vm1's address from invented senders.
if [ "$ME" = 2 ]; then
	python3 - "$(cat /sys/class/net/g0/address)" "$G_PEER" <<'PY' || die "flood failed"
import socket, struct, sys
mac = bytes.fromhex(sys.argv[1].replace(":", ""))
target = socket.inet_aton(sys.argv[2])
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth1", 0))
for i in range(2000):
    sender = socket.inet_aton("10.96.%d.%d" % (i // 250, i % 250 + 1))
    h = struct.pack("!BBH4s4sHH", 0x81, 1, 0, sender, target, 0, 0)
    h = h[:14] + struct.pack("!H", csum(h))
    s.send(b"\xff" * 6 + mac + b"\x88\xb5" + h + bytes(30))
PY
	put flooded 1
else
	get flooded >/dev/null
	sleep 1
	n=$(grep -c ' 10\.96\.' /proc/net/glass_neigh)
	say "after 2000 invented requests: $n entries, $(stat neigh_evicted) evicted"
	[ "$n" -le 256 ] || die "the table grew to $n entries"
	[ "$n" -ge 200 ] || die "only $n entries learned from 2000 requests"
	[ "$(stat neigh_evicted)" -ge 1700 ] || die "evictions not counted"
	# The flood entries age out too.
	wait_for 10 sh -c "! grep -q ' 10\.96\.' /proc/net/glass_neigh" || die "flood entries never aged out"
fi
barrier done
