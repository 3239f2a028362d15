#!/bin/sh
# GSO and GRO of glass frames (kmod/glass_dev.c, glass_gro.c): 8 MiB
# vm1 -> vm2, byte-exact; vm1's g0 hands eth1 whole trains as GSO packets
# (eth1's software GSO calls glass_dev_gso_segment(): a kprobe counts), the
# cable carries one segment per frame, and vm2's g0 receives them merged
# back into trains: far fewer frames on g0 than glass frames on eth1.
# Then the same with 2% loss and reordering on the cable (held trains
# flush around holes), byte-exact again.
. /glass/guest/pair-lib.sh
SIZE=$((8 * 1048576))
glass_up g0
K=/sys/kernel/tracing
rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }
run() { # run NAME PORT
	if [ "$ME" = 2 ]; then
		e0=$(rx eth1) g0=$(rx g0)
		glass cat -l "$2" </dev/null | sha256sum | cut -d' ' -f1 >/tmp/got &
		L=$!
		wait_listen "$2"
		barrier "listening-$1"
		wait $L || die "$1: receiving failed"
		put "got-$1" "$(cat /tmp/got)"
		e=$(($(rx eth1) - e0)) g=$(($(rx g0) - g0))
		say "$1: eth1 received $e frames, g0 $g"
		echo "$e $g" >"/tmp/frames-$1"
	else
		head -c "$SIZE" /dev/urandom >/tmp/data
		# Count eth1's calls to glass's GSO callback.
		echo "p:glass_gso_$1 glass_dev_gso_segment" >>$K/kprobe_events &&
			echo 1 >"$K/events/kprobes/glass_gso_$1/enable" || die "no kprobe"
		barrier "listening-$1"
		glass cat "$G_PEER:$2" </tmp/data || die "$1: sending failed"
		echo 0 >"$K/events/kprobes/glass_gso_$1/enable"
		grep -c "glass_gso_$1:" $K/trace >"/tmp/gso-$1"
		echo "-:glass_gso_$1" >>$K/kprobe_events
		[ "$(sha256sum </tmp/data | cut -d' ' -f1)" = "$(get "got-$1")" ] ||
			die "$1: the bytes received differ from the bytes sent"
	fi
	barrier "done-$1"
}
run clean 7010
if [ "$ME" = 2 ]; then
	read -r e g </tmp/frames-clean
	# 8 MiB is over 5,000 segments of at most 1,468 bytes.
	[ "$e" -gt 5000 ] || die "only $e frames on eth1 for 8 MiB"
	[ $((g * 4)) -lt "$e" ] || die "g0 received $g frames for eth1's $e: no merging"
else
	say "clean: eth1 cut $(cat /tmp/gso-clean) trains (GSO)"
	[ "$(cat /tmp/gso-clean)" -gt 0 ] || die "no train left g0 whole for eth1 to cut (GSO)"
	$TC qdisc add dev eth1 root netem loss 2% delay 2ms reorder 20% 50% || die "netem"
fi
run impaired 7011
