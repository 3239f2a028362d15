#!/bin/sh
# Guest side of `make test`'s two-machine tests (vm/run --vms 2): both
# guests run every executable /glass/tests/vm2/*.sh in order, together
# (a barrier before each), each under its own timeout. Runs in the share
# both guests see: writes logs/NAME.vmN.log and rc/NAME.vmN.
# Environment: GLASS_VMTEST_TIMEOUT seconds per test (default 240),
# GLASS_VM2TESTS only these tests (names, space-separated).
T=${GLASS_VMTEST_TIMEOUT:-240}
. /glass/guest/pair-lib.sh
mkdir -p logs rc

# Each test starts from a bare cable: no glass device, no qdisc, MTU 1500,
# default neighbour aging, glass.ko loaded.
cleanup() {
	local d
	[ -d /sys/module/glass ] || insmod /glass/glass.ko
	for d in $($IP -o link show type glass 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
		$IP link del "$d"
	done
	$IP netns del away 2>/dev/null
	$TC qdisc del dev eth1 root 2>/dev/null
	$IP link set eth1 mtu 1500 up 2>/dev/null
	echo 30000 >/sys/module/glass/parameters/neigh_reachable_ms
}
for t in /glass/tests/vm2/*.sh; do
	[ -x "$t" ] || continue
	n=${t##*/}
	case " ${GLASS_VM2TESTS:-$n} " in *" $n "*) ;; *) continue ;; esac
	barrier "start-$n" 300
	say "RUN $n"
	t0=$(cut -d' ' -f1 /proc/uptime)
	GLASS_PAIR_SYNC=$SYNC/$n timeout -k 5 "$T" "$t" >"logs/$n.vm$ME.log" 2>&1
	rc=$?
	echo "$rc" >"rc/$n.vm$ME"
	# However it failed, the other guest stops waiting for this one.
	[ "$rc" = 0 ] || : >"$SYNC/$n/abort.$ME"
	say "$([ "$rc" = 0 ] && echo ok || echo "FAILED ($rc)") $n ($(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }')s)"
	[ "$rc" = 0 ] || tail -n 5 "logs/$n.vm$ME.log" | sed "s/^/    /"
	cleanup
	barrier "end-$n" 300
done
exit 0
