#!/bin/sh
# The cable cut mid-transfer (ip link set eth1 down, 3 s, up) on the
# receiving side: g0 follows eth1's state (LOWERLAYERDOWN), the connection
# survives, retransmits, and the 48 MiB arrive byte-exact.
. /glass/guest/pair-lib.sh
SIZE=50331648
glass_up g0
barrier up
if [ "$ME" = 2 ]; then
	listen_sum 7005
	get started >/dev/null
	sleep 0.5
	$IP link set eth1 down
	sleep 0.5
	state=$(cat /sys/class/net/g0/operstate)
	sleep 2.5
	$IP link set eth1 up
	say "g0 while eth1 was down: $state"
	[ "$state" = lowerlayerdown ] || die "g0's operstate was '$state' with eth1 down"
	wait $L || die "receiving failed after the cut"
	[ "$(cat /tmp/got)" = "$(get sum)" ] || die "the bytes differ"
else
	random_data "$SIZE"
	t0=$(stat timeouts)
	put started 1
	glass cat "$G_PEER:7005" </tmp/data || die "the connection did not survive the cut"
	say "timeouts during the transfer: $(($(stat timeouts) - t0))"
	[ "$(stat timeouts)" -gt "$t0" ] || die "no retransmission timeout during a 3 s cut"
fi
barrier done
