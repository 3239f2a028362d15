#!/usr/bin/env bash
# The README's tour works when pasted into `make shell`, in order: the first
# ```sh block after "## A tour" in README.md is pasted, in one go, into the
# interactive guest shell (vm/run --shell, as make shell runs it, with a
# scratch folder as /share), and what each step promises is checked in the
# console: the copies arrive intact, ss sees the open connection, the trace
# shows it, the fault injector dropped frames, the lab showed its
# phenomenon, perf printed its table, and no command failed.
. "$(dirname "$0")/harness-lib"

share=$HOUT/share
rm -rf "$share"
mkdir -p "$share"
paste=$HOUT/paste.txt
awk '/^## A tour/ { t = 1 } t && /^```sh$/ { b = 1; next } b && /^```$/ { exit } b' \
	"$ROOT/README.md" >"$paste"
[ -s "$paste" ] || fail "no \`\`\`sh block after '## A tour' in README.md"
echo exit >>"$paste"

LOG=$HOUT/console.out
t0=$(date +%s)
RC=0
"$ROOT/tests/harness/paste-into-shell" "$paste" "$LOG" --timeout 420 -- \
	--share "$share" --out "$HOUT/guest" >/dev/null 2>&1 || RC=$?
echo "paste into vm/run --shell -> exit $RC in $(($(date +%s) - t0))s (console: $LOG)"
expect_rc 0 "the tour's guest"

# What the shell printed after its banner (the pasted lines echo there too).
tail -n +"$(grep -n 'built-in shell' "$LOG" | head -n1 | cut -d: -f1)" "$LOG" |
	tr -d '\r' | grep -av '^\[ *[0-9.]*\]' >"$HOUT/after-banner.txt" || true
want() {
	if grep -aqE "$1" "$HOUT/after-banner.txt"; then ok "$2"; else fail "$2: no line matching '$1' (see $LOG)"; fi
}
want '^arrived intact$' "the file arrived intact"
want '^ESTAB .*10\.7\.0\.1:[0-9]+ +10\.7\.0\.2:7001' "glass ss -tmi shows the open connection"
want '^ESTAB .*10\.7\.0\.2:7001 +10\.7\.0\.1:' "glass ss -N h2 shows h2's side"
want '^passive_opens +[1-9]' "glass stat -n h2 counts the accepted connections"
want 'state_change .*7002.*newstate=ESTABLISHED' "glass trace events shows the handshake"
want '^hello$' "the listener printed what was sent"
want '^intact despite the losses$' "the copy through the fault injector arrived intact"
want '^  frames [0-9]+ lost [1-9]' "glass fault show: the injector dropped frames"
want 'ok: the run showed what it is about' "glass lab delack showed its phenomenon"
want '^ratio = value / tcp-veth' "glass perf printed its table"
# glass's errors: "glass: call: reason" (runtime), "glass SUB: what (see
# 'glass SUB --help')" (usage); a background job that failed: "Done(N)".
if grep -aE "^glass: |\(see 'glass|^sh: |^Cannot |^cmp: |Done\([0-9]+\)" "$HOUT/after-banner.txt"; then
	fail "a command of the tour failed (lines above)"
else
	ok "no command failed"
fi
grep -q '^shown=1$' "$share/out/tour/delack/facts.txt" 2>/dev/null && ok "the lab's files are on the host" ||
	fail "no $share/out/tour/delack/facts.txt with shown=1"
finish
