#!/bin/sh
# The `make run` demo, run inside the guest with glass.ko loaded: glass perf
# (glass vs TCP over veth and lo vs AF_UNIX), then every `glass lab`
# scenario, each over glass and over TCP (a veth pair), in this one boot. Results go to /out/lab, which is the host's
# out/vm/demo/guest/lab: per scenario a CSV, a gnuplot script, an
# explanation and facts.txt, plus index.html/index.md and perf.txt. gnuplot
# is not in the guest image: the host renders the plots afterwards with
# `build/bin/glass lab plot out/vm/demo/guest/lab` (scripts/run-demo.sh).
RES=${GLASS_LAB_OUT:-/out/lab}
HOST_RES=out/vm/demo/guest/lab
rm -rf "$RES"
mkdir -p "$RES"
rc=0

echo "== glass demo: module $(lsmod | awk '$1 == "glass" { print $1 " (" $2 " bytes)" }')"
echo
echo "== glass perf: glass vs TCP (veth, lo) vs AF_UNIX, same run (ratios matter under TCG)"
if glass perf --time 2 --requests 2000 --connections 200 >"$RES/perf.txt" 2>"$RES/perf.err"; then
	cat "$RES/perf.txt"
	glass perf --json --tests bulk --time 1 >"$RES/perf-bulk.json" 2>/dev/null || true
else
	rc=1
	echo "glass perf FAILED:"
	cat "$RES/perf.err"
fi
echo

echo "== glass lab: every scenario, over glass and over TCP (CSV + plot script + explanation each)"
glass lab all -o "$RES" || rc=1

# The perf table joins the summary pages.
if [ -s "$RES/perf.txt" ]; then
	{
		echo
		echo "## glass perf (\`glass perf\`)"
		echo
		echo '```'
		cat "$RES/perf.txt"
		echo '```'
	} >>"$RES/index.md"
	{
		echo "<h2 id='perf'>glass perf</h2><pre>"
		sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' "$RES/perf.txt"
		echo "</pre></body></html>"
	} >"$RES/perf.html.part"
	sed -i 's#</body></html>##' "$RES/index.html"
	cat "$RES/perf.html.part" >>"$RES/index.html"
	rm -f "$RES/perf.html.part"
fi

echo
echo "== results (on the host): $HOST_RES/index.html (and index.md)"
echo "   plots are rendered on the host: build/bin/glass lab plot $HOST_RES"
[ "$rc" = 0 ] && echo "== every lab scenario showed its phenomenon" ||
	echo "== some scenario did NOT show its phenomenon (see above)"
exit "$rc"
