#!/bin/sh
# Module lifetime, run last in the guest (scripts sort after the test
# binaries): while a glass socket exists rmmod refuses; once every socket is
# gone rmmod succeeds and leaves nothing behind (no devices, no procfs
# entries, no slab cache); then the module loads again.
set -u
IP=/usr/sbin/ip
fail() { echo "FAIL: $*"; exit 1; }

$IP netns add unload1 || fail "netns add"
$IP netns exec unload1 glass link add ua peer ub || fail "glass link add"
$IP -n unload1 addr add 10.7.77.1/24 dev ua
$IP -n unload1 addr add 10.7.77.2/24 dev ub
$IP -n unload1 link set ua up
$IP -n unload1 link set ub up
$IP netns exec unload1 sysctl -qw net.glass.time_wait_ms=200

# seen PATTERN: wait up to 60 s for a row matching PATTERN in unload1's
# /proc/net/glass. Read through the server's /proc/PID/net (ip netns exec
# execs glass in place): no process is spawned to look, and starting ip
# and glass takes seconds in the debug kernel, so fixed sleeps are not
# enough.
seen() {
	i=0
	while ! grep -q "$1" "/proc/$server/net/glass" 2>/dev/null; do
		[ $i -lt 600 ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# A listener and an established connection keep the module busy.
$IP netns exec unload1 glass cat -l 10.7.77.2:7000 >/dev/null </dev/null &
server=$!
seen "10.7.77.2:7000 0.0.0.0:0" || fail "no listener in /proc/net/glass"
(sleep 30 | $IP netns exec unload1 glass cat 10.7.77.2:7000 >/dev/null) &
client=$!
# The server's end of the connection (local :7000, remote the client).
seen "10.7.77.2:7000 10.7.77.2:" || fail "no connection visible in /proc/net/glass"
refs=$(cat /sys/module/glass/refcnt)
[ "$refs" -gt 0 ] || fail "refcnt $refs while sockets are open"
if rmmod glass 2>/dev/null; then fail "rmmod succeeded while sockets were open"; fi
echo "ok: rmmod refused with refcnt $refs"

kill "$client" "$server" 2>/dev/null
kill $(pidof glass) $(pidof sleep) 2>/dev/null
wait 2>/dev/null
# TIME_WAIT (200 ms here) must run out before the last socket is freed.
i=0
while [ "$(cat /sys/module/glass/refcnt)" != 0 ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
if [ "$(cat /sys/module/glass/refcnt)" != 0 ]; then
	ps; $IP netns exec unload1 cat /proc/net/glass
	fail "refcnt stuck at $(cat /sys/module/glass/refcnt)"
fi

rmmod glass || fail "rmmod failed after every socket closed"
[ ! -d /sys/module/glass ] || fail "/sys/module/glass still there"
$IP -n unload1 link show ua >/dev/null 2>&1 && fail "device ua survived rmmod"
[ ! -e /proc/net/glass ] || fail "/proc/net/glass survived rmmod"
grep -q "^GLASS " /proc/slabinfo 2>/dev/null && fail "GLASS slab cache survived rmmod"
echo "ok: rmmod left no devices, procfs entries or slab cache"

insmod /glass/glass.ko || fail "insmod after rmmod"
[ -e /proc/net/glass ] || fail "/proc/net/glass missing after reload"
$IP netns del unload1
echo "ok: module reloaded"
