#!/usr/bin/env bash
# --share DIR: the guest runs in /share, sees host files, and its files
# appear on the host.
. "$(dirname "$0")/harness-lib"

dir=$HOUT/share-dir
rm -rf "$dir"
mkdir -p "$dir"
token=host-$$-$RANDOM
echo "$token" >"$dir/from-host.txt"

vmrun share --share "$dir" -- sh -c 'pwd > pwd.txt; cat from-host.txt > seen.txt; echo "guest $(uname -r)" > from-guest.txt'
expect_rc 0 "vm/run --share"
[ "$(cat "$dir/pwd.txt" 2>/dev/null)" = /share ] || fail "the command did not run in /share (pwd: $(cat "$dir/pwd.txt" 2>/dev/null))"
[ "$(cat "$dir/seen.txt" 2>/dev/null)" = "$token" ] || fail "the guest did not see the host file"
grep -q '^guest ' "$dir/from-guest.txt" 2>/dev/null || fail "the guest's file did not appear on the host"

finish
