#!/usr/bin/env bash
# `make bench`: boot a guest, run vm/guest/bench.sh (glass perf, five
# repetitions, a -P sweep, the many-connections run, netem), then
# scripts/bench-report.py: out/bench/<time>/{bench.md,bench.csv,sweep.svg}
# and the dated section of docs/perf.md. Never part of `make test`.
set -euo pipefail
GLASS_PROG=bench
. "$(dirname "$0")/lib.sh"

main() {
	local stamp out rc=0 commit
	stamp=$(date -u +%Y%m%d-%H%M%S)
	out=$GLASS_ROOT/out/bench/$stamp
	mkdir -p "$out"
	ln -sfn "$stamp" "$GLASS_ROOT/out/bench/latest"
	say "== booting the guest for the benchmark (QEMU TCG; 10-20 minutes under load)"
	# The guest's bench.sh reads these; the guest sees only what is passed.
	"$GLASS_ROOT/vm/run" --out "$out/vm" --mem "${GLASS_BENCH_MEM:-2048}" \
		--timeout "${GLASS_BENCH_TIMEOUT:-3600}" -- env \
		"GLASS_BENCH_REPS=${GLASS_BENCH_REPS:-5}" \
		"GLASS_BENCH_SECONDS=${GLASS_BENCH_SECONDS:-2}" \
		"GLASS_BENCH_MANY_ROUNDS=${GLASS_BENCH_MANY_ROUNDS:-5}" \
		/glass/guest/bench.sh || rc=$?
	[ -d "$out/vm/guest/bench" ] || die "the guest wrote no results: $out/vm/console.log"
	cp "$out"/vm/guest/bench/*.json "$out"/vm/guest/bench/*.err "$out"/vm/guest/bench/cpus \
		"$out"/vm/guest/bench/mem_kb "$out"/vm/guest/bench/kernel "$out/" 2>/dev/null || true
	cp "$out/vm/guest/bench/many_count" "$out/vm/guest/bench/burst_secs" "$out/" 2>/dev/null || true
	commit=$(git -C "$GLASS_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
	python3 "$GLASS_ROOT/scripts/bench-report.py" "$out" --docs "$GLASS_ROOT/docs/perf.md" \
		--commit "$commit" --date "$(date -u +%Y-%m-%d)" || rc=1
	say ""
	say "== bench: table $out/bench.md, plot $out/sweep.svg, docs/perf.md updated (exit $rc)"
	return "$rc"
}

main "$@"
