#!/bin/sh
# Two machines: a glass device on each end of the cable (g0 on eth1), a
# handshake and a few bytes across, the peer's MAC learned on both sides,
# and IP (ping) working on the same NIC meanwhile.
. /glass/guest/pair-lib.sh
glass_up g0
put mac "$(cat /sys/class/net/g0/address)"
[ "$(cat /sys/class/net/g0/mtu)" = "$(cat /sys/class/net/eth1/mtu)" ] || die "g0's MTU is not eth1's"
$IP -d link show g0 | grep -q 'g0@eth1' || die "ip link does not show g0@eth1"
barrier up
ping -c 2 -W 5 "$ETH_PEER" >/dev/null || die "no ping over eth1"
if [ "$ME" = 2 ]; then
	glass cat -l 7000 >/tmp/got </dev/null &
	L=$!
	wait_listen 7000
	put listening 1
	wait $L || die "the listener failed"
	[ "$(cat /tmp/got)" = "hello from vm1" ] || die "got '$(cat /tmp/got)'"
else
	get listening >/dev/null
	echo "hello from vm1" | glass cat "$G_PEER:7000" || die "glass cat to $G_PEER failed"
fi
barrier done
peer_mac=$(get mac)
glass neigh
glass neigh | grep -q "^$G_PEER dev g0 lladdr $peer_mac REACHABLE" ||
	die "no REACHABLE entry for $G_PEER at $peer_mac"
glass neigh --json | grep -q "\"lladdr\": \"$peer_mac\"" || die "glass neigh --json lacks the entry"
[ "$(stat neigh_requests_sent)" -ge 1 ] || [ "$(stat neigh_replies_sent)" -ge 1 ] ||
	die "no neighbour message counted"
# The resolution went one way: vm1 asked (broadcast), vm2 answered.
if [ "$ME" = 1 ]; then
	[ "$(stat neigh_replies_received)" -ge 1 ] || die "vm1 counted no reply"
else
	[ "$(stat neigh_requests_received)" -ge 1 ] || die "vm2 counted no request"
fi
ping -c 1 -W 5 "$ETH_PEER" >/dev/null || die "ping over eth1 stopped working"
say "handshake, bytes and neighbours ok"
