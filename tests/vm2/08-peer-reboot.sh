#!/bin/sh
# A peer that "reboots" mid-connection: vm2 deletes its glass device under
# an established connection, unloads and reloads glass.ko and comes back
# with the same address on a new MAC. vm1's connection, still
# ESTABLISHED, sends again: its neighbour entry for the old MAC goes
# stale, the refresh is unanswered, the address is resolved afresh (the
# new MAC), and vm2, which knows no such connection, answers with RST:
# vm1's write fails with ECONNRESET.
. /glass/guest/pair-lib.sh
# Writes to a connection that died must not kill this shell.
trap '' PIPE
P=/sys/module/glass/parameters/neigh_reachable_ms
echo 1000 >$P
glass_up g0
barrier up
if [ "$ME" = 2 ]; then
	sleep 60 | glass cat -l 7009 >/dev/null &
	wait_listen 7009
	put listening 1
	get connected >/dev/null
	old=$(cat /sys/class/net/g0/address)
	$IP link del g0
	kill %1 2>/dev/null
	pkill -x sleep 2>/dev/null
	wait 2>/dev/null
	wait_for 20 rmmod glass || die "rmmod glass failed"
	insmod /glass/glass.ko neigh_reachable_ms=1000 || die "insmod glass.ko failed"
	glass_up g0
	new=$(cat /sys/class/net/g0/address)
	say "g0 was $old, is now $new"
	[ "$old" != "$new" ] || die "the MAC did not change"
	put mac "$new"
	put back 1
	get result >/dev/null
	r=$(stat resets_sent)
	say "resets sent: $r"
	[ "$r" -ge 1 ] || die "no RST sent to the stale connection"
else
	get listening >/dev/null
	# The writer's fifo stays open; its writes after the reboot go to a
	# connection the peer has forgotten.
	rm -f /tmp/in
	mkfifo /tmp/in
	glass cat "$G_PEER:7009" </tmp/in >/dev/null 2>/tmp/err &
	C=$!
	exec 3>/tmp/in
	echo before >&3
	sleep 1
	put connected 1
	get back >/dev/null
	mac=$(get mac)
	# The entry for the new MAC is looked for while the writer runs: once
	# the connection is reset it is unused, goes stale after
	# neigh_reachable_ms and is removed after as long again, which the
	# debug kernel's slow shell can outlast.
	i=0
	learned=0
	while kill -0 $C 2>/dev/null && [ $i -lt 300 ]; do
		echo after >&3 2>/dev/null
		sleep 0.1
		glass neigh | grep -q "^$G_PEER dev g0 lladdr $mac " && learned=1
		i=$((i + 1))
	done
	exec 3>&-
	wait $C
	rc=$?
	say "glass cat exit $rc: $(cat /tmp/err)"
	[ "$rc" != 0 ] || die "the connection to a rebooted peer did not fail"
	grep -qi 'reset' /tmp/err || die "not ECONNRESET: $(cat /tmp/err)"
	[ "$learned" = 1 ] || die "the new MAC was not learned: $(glass neigh)"
	put result 1
fi
barrier done
