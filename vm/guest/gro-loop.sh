#!/bin/sh
# 10-gro.sh's impaired phase LOOPS times (default 8), to hunt a rare stall;
# on a stall (no end in STALL s) dump both sides' sockets and counters.
# Run: vm/run --vms 2 --share DIR -- env LOOPS=150 /glass/guest/gro-loop.sh
# (a fresh DIR each time). 150 loops take about 7 minutes.
. /glass/guest/pair-lib.sh
SIZE=$((8 * 1048576))
LOOPS=${LOOPS:-8}
STALL=${STALL:-100}
glass_up g0
dump() {
	say "=== dump $1"
	glass ss -eiH 2>&1 | head -40
	cat /proc/net/glass_stat | grep -v " 0$"
	cat /proc/net/glass_sockstat 2>/dev/null
}
# watch PID RUN: wait for PID to end; if it has not after STALL s, or the
# other side saw a stall, dump this side (twice, 2 s apart) and fail.
watch() {
	local n=0
	while kill -0 "$1" 2>/dev/null; do
		n=$((n + 1))
		if [ $n -gt $((STALL * 10)) ] || [ -e "$SYNC/stall.$PEER" ]; then
			dump "vm$ME stalled run $2"
			sleep 2
			dump "vm$ME stalled run $2, 2 s later"
			: >"$SYNC/stall.$ME"
			die "run $2 stalled"
		fi
		sleep 0.1
	done
}
[ "$ME" = 1 ] && { $TC qdisc add dev eth1 root netem loss 2% delay 2ms reorder 20% 50% || die netem; }
[ "$ME" = 1 ] && head -c "$SIZE" /dev/urandom >/tmp/data
i=0
while [ $i -lt "$LOOPS" ]; do
	i=$((i + 1))
	port=$((7100 + i))
	if [ "$ME" = 2 ]; then
		glass cat -l "$port" </dev/null | sha256sum | cut -d' ' -f1 >/tmp/got &
		L=$!
		wait_listen "$port"
		barrier "listening-$i"
		watch $L $i
		put "got-$i" "$(cat /tmp/got)"
	else
		barrier "listening-$i"
		t0=$(cut -d' ' -f1 /proc/uptime)
		glass cat "$G_PEER:$port" </tmp/data &
		S=$!
		watch $S $i
		wait $S || die "run $i: sending failed"
		[ "$(sha256sum </tmp/data | cut -d' ' -f1)" = "$(get "got-$i")" ] || die "run $i: bytes differ"
		say "run $i ok in $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }') s"
	fi
	barrier "done-$i"
done
[ "$ME" = 1 ] && cat /proc/net/glass_stat | grep -v " 0$"
exit 0
