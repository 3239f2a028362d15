#!/bin/sh
# The lower device leaves (eth1 moved to another namespace) under an open
# connection: g0 is deleted with it, the connection fails with a clear
# errno (ENETDOWN: network is down), nothing is left behind, eth1 comes
# back, and a new g0 works again. The other side just listens.
. /glass/guest/pair-lib.sh
# Writes to a connection that died must not kill this shell.
trap '' PIPE
glass_up g0
barrier up
if [ "$ME" = 2 ]; then
	# Its side stays open (no FIN): vm1 waits on a live connection.
	sleep 60 | glass cat -l 7010 >/dev/null &
	wait_listen 7010
	put listening 1
	get done1 >/dev/null
	pkill -x sleep 2>/dev/null
else
	get listening >/dev/null
	rm -f /tmp/in
	mkfifo /tmp/in
	glass cat "$G_PEER:7010" </tmp/in >/dev/null 2>/tmp/err &
	C=$!
	exec 3>/tmp/in
	echo hello >&3
	sleep 1
	$IP netns add away
	$IP link set eth1 netns away || die "cannot move eth1"
	[ ! -e /sys/class/net/g0 ] || die "g0 outlived its lower device's move"
	# glass cat notices by itself (poll: an error on the socket).
	wait_for 20 sh -c "! kill -0 $C" || die "glass cat still runs on a deleted device"
	wait $C
	rc=$?
	exec 3>&-
	say "glass cat exit $rc: $(cat /tmp/err)"
	[ "$rc" != 0 ] || die "the connection survived its device"
	grep -qi 'network is down' /tmp/err || die "unclear error: $(cat /tmp/err)"
	$IP -n away link set eth1 netns 1 || die "cannot bring eth1 back"
	$IP addr add "$ETH_ME/24" dev eth1
	$IP link set eth1 up
	put done1 1
fi
barrier back
if [ "$ME" = 1 ]; then
	glass_up g0
	wait_for 10 ping -c 1 -W 1 "$ETH_PEER" || die "eth1 does not work after coming back"
fi
barrier done
