#!/usr/bin/env bash
# vm/run --vms 2: two guests joined by a cable (eth1, 10.99.0.1 and .2):
# CMD runs in both with GLASS_VM=1 or 2, the shared folder is mounted in
# both, the IP works across, the exit status is the worse of the two,
# both logs are kept, a kernel warning in either guest fails the run, and
# a guest that failed does not leave the other running to its timeout.
. "$(dirname "$0")/harness-lib"

dir=$HOUT/vms2-share
rm -rf "$dir"
mkdir -p "$dir"
# Each guest pings the other over eth1, writes what it saw, and exits
# with its own number: the pair must exit 2, the worse.
vmrun pair --vms 2 --share "$dir" -- sh -c '
	ip=$(/usr/sbin/ip -4 -o addr show dev eth1 | awk "{ print \$4 }")
	n=0 p=no
	while [ $n -lt 60 ]; do
		if ping -c 1 -W 1 10.99.0.$((3 - GLASS_VM)) >/dev/null 2>&1; then p=ok; break; fi
		n=$((n + 1))
	done
	echo "vm=$GLASS_VM ip=$ip ping=$p glass=$(cat /sys/module/glass/refcnt >/dev/null && echo loaded)" > seen.$GLASS_VM
	n=0; until [ -e seen.$((3 - GLASS_VM)) ] || [ $n -ge 1200 ]; do sleep 0.1; n=$((n + 1)); done
	exit $GLASS_VM'
expect_rc 2 "vm/run --vms 2 -- exit \$GLASS_VM (the worse of 1 and 2)"
for n in 1 2; do
	want="vm=$n ip=10.99.0.$n/24 ping=ok glass=loaded"
	[ "$(cat "$dir/seen.$n" 2>/dev/null)" = "$want" ] ||
		fail "guest $n saw '$(cat "$dir/seen.$n" 2>/dev/null)', not '$want'"
	[ -s "$HOUT/pair/vm$n/console.log" ] || fail "guest $n's console log was not kept"
	[ -s "$HOUT/pair/vm$n/guest/dmesg.txt" ] || fail "guest $n's kernel log was not kept"
done
[ "$(summary_field result pair)" = 2 ] || fail "the pair's summary lacks result=2"

# A warning in guest 2's kernel log alone fails the run.
vmrun pairwarn --vms 2 -- sh -c '[ "$GLASS_VM" = 1 ] || echo "<4>WARNING: harness self-test" > /dev/kmsg'
[ "$RC" != 0 ] || fail "a WARNING: in one guest's kernel log did not fail the pair"
[ "$(summary_field vm1_log_check pairwarn)" = ok ] || fail "guest 1's log should be clean"
[ "$(summary_field vm2_log_check pairwarn)" = fail ] || fail "guest 2's log check should fail"
[ "$(summary_field log_check pairwarn)" = fail ] || fail "the pair's log check should fail"

# A guest that fails leaves the other waiting at a barrier for good (or
# the other never booted): the pair stops it GLASS_VM_PAIR_GRACE seconds
# later, not at its timeout.
GLASS_VM_PAIR_GRACE=5 vmrun pairstop --vms 2 --timeout 900 -- sh -c '[ "$GLASS_VM" = 1 ] || exit 3; sleep 900'
[ "$RC" != 0 ] || fail "a pair whose guest 1 was stopped exited 0"
[ "$(summary_field vm2_result pairstop)" = 3 ] || fail "guest 2's own status (3) was not kept"
[ "$SECS" -lt 300 ] || fail "guest 1 ran ${SECS}s after guest 2 failed; the grace was 5 s"
grep -q "vm1 still running 5s after vm2 failed; stopped" "$LOG" || fail "the pair did not say it stopped guest 1"

# Both guests fail at once: nothing the pair started (the grace's timer)
# is left holding its output open for the 120 s grace.
t0=$(date +%s)
"$ROOT/vm/run" --quiet --out "$HOUT/pairpipe" --vms 2 -- sh -c 'exit $GLASS_VM' 2>&1 | cat >/dev/null || true
took=$(($(date +%s) - t0))
[ "$took" -lt 100 ] || fail "the output of a pair whose guests both failed stayed open ${took}s"

finish
