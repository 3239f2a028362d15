#!/usr/bin/env bash
# --hostfs (the default): the host's programs run in the guest by their
# usual names, read-only; /tmp, /root and /var are the guest's own; the
# host's home folders are not visible; user namespaces still work (the view
# is switched to like switch_root, not chrooted); --no-hostfs boots the
# initramfs alone.
. "$(dirname "$0")/harness-lib"

dir=$HOUT/hostfs-dir
rm -rf "$dir"
mkdir -p "$dir"

vmrun hostfs --share "$dir" -- sh -c '
	python3 -c "import sys; print(sys.version_info[0])" > python.txt
	openssl version > openssl.txt
	glass --version > glass.txt
	touch /usr/glass-test 2> usr-write.txt && echo written >> usr-write.txt
	echo x > /tmp/t && echo x > /var/tmp/t && echo x > /root/t && echo writable > private.txt
	ls -A /root | grep -v "^t$" > root-listing.txt
	unshare -U -r id -u > userns.txt
	ls /glass/lib > glass-lib.txt'
expect_rc 0 "vm/run --hostfs"
[ "$(cat "$dir/python.txt" 2>/dev/null)" = 3 ] || fail "python3 did not run in the guest"
grep -q '^OpenSSL ' "$dir/openssl.txt" 2>/dev/null || fail "openssl did not run in the guest"
grep -q '^glass ' "$dir/glass.txt" 2>/dev/null || fail "the project's glass tool did not run"
grep -q 'Read-only file system' "$dir/usr-write.txt" 2>/dev/null ||
	fail "/usr was writable: $(cat "$dir/usr-write.txt" 2>/dev/null)"
[ "$(cat "$dir/private.txt" 2>/dev/null)" = writable ] || fail "/tmp, /var/tmp or /root not writable"
[ ! -s "$dir/root-listing.txt" ] || fail "the host's /root is visible: $(head -c 200 "$dir/root-listing.txt")"
[ "$(cat "$dir/userns.txt" 2>/dev/null)" = 0 ] || fail "unshare -U -r failed under hostfs"
grep -q libglass_preload.so "$dir/glass-lib.txt" 2>/dev/null || fail "/glass/lib has no libglass_preload.so"
[ "$(summary_field hostfs hostfs)" = 1 ] || fail "summary does not say hostfs=1"

vmrun nohostfs --no-hostfs -- sh -c '! command -v python3 && glass --version'
expect_rc 0 "vm/run --no-hostfs (no python3, glass still there)"
[ "$(summary_field hostfs nohostfs)" = 0 ] || fail "summary does not say hostfs=0"

finish
