#!/bin/sh
# A peer that "reboots" mid-connection: vm2 deletes its glass device under
# an established connection, unloads and reloads glass.ko and comes back
# with the same address on a new MAC. vm1's connection, still
# ESTABLISHED, sends again: its neighbour entry for the old MAC goes
# stale (or, if vm1 was idle long enough, has aged out), the address is
# resolved afresh (the new MAC), and vm2, which knows no such connection,
# answers with RST: vm1's write fails with ECONNRESET.
# What proves the new MAC was used is counted, not looked for in the
# table (an entry no longer used ages out in 2 x neigh_reachable_ms,
# which a slow guest outlasts): vm2's new glass.ko answered a neighbour
# request and sent the RST, which a frame to the old MAC cannot cause,
# and vm1 received a reply after the reboot.
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
	put back 1
	get result >/dev/null
	r=$(stat resets_sent)
	a=$(stat neigh_replies_sent)
	say "since the reload: resets sent $r, neighbour replies sent $a"
	[ "$a" -ge 1 ] || die "vm1 never asked for the new MAC"
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
	# Connected before the peer goes away (the debug kernel's glass cat
	# takes over a second to start and connect).
	wait_for 60 sh -c "glass ss -H --state established --port 7009 | grep -q ." ||
		die "not connected: $(cat /tmp/err)"
	put connected 1
	get back >/dev/null
	replies=$(stat neigh_replies_received)
	end=$(($(cut -d. -f1 /proc/uptime) + 120))
	while kill -0 $C 2>/dev/null; do
		[ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ] ||
			die "the connection outlived the peer's reboot by 120 s:" \
				"$(glass ss -tmio --port 7009; glass neigh; grep neigh_ /proc/net/glass_stat)"
		echo after >&3 2>/dev/null
		sleep 0.1
	done
	exec 3>&-
	wait $C
	rc=$?
	say "glass cat exit $rc: $(cat /tmp/err)"
	[ "$rc" != 0 ] || die "the connection to a rebooted peer did not fail"
	grep -qi 'reset' /tmp/err || die "not ECONNRESET: $(cat /tmp/err)"
	[ "$(stat neigh_replies_received)" -gt "$replies" ] ||
		die "no neighbour reply after the reboot: $(glass neigh)"
	put result 1
fi
barrier done
