#!/bin/sh
# MTU 9000 on the cable: a glass device created on it takes MTU 9000,
# cannot go above its lower device's, segments are jumbo, and
# 16 MiB arrive byte-exact. Lowering eth1's MTU lowers g0's.
. /glass/guest/pair-lib.sh
SIZE=16777216
$IP link set eth1 mtu 9000 || die "eth1 takes no MTU 9000"
glass_up g0
[ "$(cat /sys/class/net/g0/mtu)" = 9000 ] || die "g0's MTU is $(cat /sys/class/net/g0/mtu), not 9000"
! $IP link set g0 mtu 9001 2>/dev/null || die "g0 took an MTU above eth1's"
barrier up
if [ "$ME" = 2 ]; then
	listen_sum 7003
	check_sum
else
	random_data "$SIZE"
	out0=$(stat bytes_out) segs0=$(stat segments_out)
	glass cat "$G_PEER:7003" </tmp/data || die "sending failed"
	out=$(($(stat bytes_out) - out0)) segs=$(($(stat segments_out) - segs0))
	say "bytes_out $out segments_out $segs"
	[ $((out / segs)) -gt 4000 ] || die "segments average $((out / segs)) bytes: not jumbo"
fi
barrier done
$IP link set eth1 mtu 1500
[ "$(cat /sys/class/net/g0/mtu)" = 1500 ] || die "g0's MTU did not follow eth1's down to 1500"
