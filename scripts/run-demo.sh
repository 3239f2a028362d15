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
	return "$rc"
}

main "$@"
