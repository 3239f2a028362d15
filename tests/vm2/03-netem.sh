#!/bin/sh
# The cable impaired with netem on eth1 (loss, reordering, duplication,
# both directions): 8 MiB still arrive byte-exact, glass retransmitted,
# and ping keeps working beside it.
. /glass/guest/pair-lib.sh
SIZE=8388608
glass_up g0
$TC qdisc add dev eth1 root netem loss 2% duplicate 1% delay 2ms reorder 10% 50% ||
	die "tc netem on eth1"
barrier up
if [ "$ME" = 2 ]; then
	listen_sum 7002
	check_sum
else
	random_data "$SIZE"
	r0=$(stat retransmitted_segments)
	glass cat "$G_PEER:7002" </tmp/data || die "sending failed"
	r=$(($(stat retransmitted_segments) - r0))
	say "retransmitted segments: $r"
	[ "$r" -gt 0 ] || die "2% loss but nothing retransmitted"
fi
ping -c 5 -i 0.2 -W 5 "$ETH_PEER" >/dev/null || die "no ping through the impaired cable"
barrier done
$TC qdisc del dev eth1 root
