#!/usr/bin/env bash
# `make run`: boot the guest, load glass.ko, run the demo (vm/guest/demo.sh)
# and say where everything went.
set -euo pipefail
GLASS_PROG=run
. "$(dirname "$0")/lib.sh"

main() {
	local out=$GLASS_ROOT/out/vm/demo rc=0
	say "== booting the guest (QEMU TCG, ~10 s) to run vm/guest/demo.sh (a few minutes)"
	"$GLASS_ROOT/vm/run" --out "$out" --timeout "${GLASS_DEMO_TIMEOUT:-600}" \
		-- /glass/guest/demo.sh || rc=$?
	say ""
	if [ "$rc" = 0 ]; then say "== demo finished: OK"; else say "== demo FAILED (exit $rc)"; fi
	say "   console (demo output + kernel messages): $out/console.log"
	say "   full guest kernel log:                   $out/guest/dmesg.txt"
	say "   run summary (status, timings):           $out/summary"
	if [ -d "$out/guest/lab" ]; then
		# gnuplot runs here, not in the guest (it would double the image).
		if ! "$GLASS_ROOT/build/bin/glass" lab plot "$out/guest/lab" >"$out/plot.log" 2>&1; then
			say "   plots: rendering FAILED (gnuplot): $out/plot.log"
			rc=1
		fi
		say "   lab results (plots, explanations, perf): $out/guest/lab/index.html"
	fi
	pair_demo || rc=1
	return "$rc"
}

# What guest N of the pair printed: its console from the demo's first
# line to its exit marker, without kernel messages.
pair_output() {
	tr -d '\r' <"$2/vm$1/console.log" 2>/dev/null |
		sed -n "/^\(== vm$1:\|\[vm$1\]\)/,/GLASS-EXIT-STATUS/p" | grep -v -e '^\[ *[0-9]*\.[0-9]*\]' -e GLASS-EXIT-STATUS |
		sed "s/^/vm$1| /" || true
}

# The two-machine step: two guests joined by a cable, glass between them
# (vm/guest/demo-pair.sh). Its failure fails `make run` and says so.
pair_demo() {
	local out=$GLASS_ROOT/out/vm/demo-pair share rc=0
	share=$out-share
	rm -rf "$share"
	mkdir -p "$share"
	say ""
	say "== booting two guests joined by an Ethernet cable (vm/run --vms 2) to run vm/guest/demo-pair.sh"
	"$GLASS_ROOT/vm/run" --vms 2 --quiet --out "$out" --share "$share" \
		--timeout "${GLASS_DEMO_PAIR_TIMEOUT:-300}" -- /glass/guest/demo-pair.sh || rc=$?
	# --quiet: show the guests' own output (the demo's), not the boot logs.
	pair_output 2 "$out"
	pair_output 1 "$out"
	say ""
	if [ "$rc" = 0 ]; then say "== two-machine demo finished: OK"; else say "== two-machine demo FAILED (exit $rc)"; fi
	say "   consoles and kernel logs: $out/vm1/, $out/vm2/; pair summary: $out/summary"
	return "$rc"
}

main "$@"
