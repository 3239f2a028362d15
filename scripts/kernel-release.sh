#!/usr/bin/env bash
# Print the guest kernel release (e.g. 6.1.0-56-amd64), found from the
# installed linux-image-amd64 metapackage, not hard-coded.
#   kernel-release.sh            -> release
#   kernel-release.sh --headers  -> Kbuild directory for that release
#   kernel-release.sh --vmlinuz  -> path of the kernel image
# GLASS_KREL overrides the release.
set -euo pipefail
GLASS_PROG=kernel-release
. "$(dirname "$0")/lib.sh"

find_release() {
	if [ -n "${GLASS_KREL:-}" ]; then
		say "$GLASS_KREL"
		return
	fi
	local deps rel
	deps=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null) ||
		die "linux-image-amd64 is not installed (run: make deps)"
	rel=$(printf '%s\n' "$deps" | tr ',|' '\n\n' | sed -n 's/^ *linux-image-\([^ ]*\).*/\1/p' | head -n1)
	[ -n "$rel" ] || die "cannot find the kernel release in linux-image-amd64's Depends: '$deps'"
	say "$rel"
}

find_headers() {
	local rel=$1 d
	for d in "/lib/modules/$rel/build" "/usr/src/linux-headers-$rel"; do
		if [ -f "$d/Makefile" ]; then
			say "$d"
			return
		fi
	done
	die "kernel headers for $rel are missing (no /lib/modules/$rel/build or /usr/src/linux-headers-$rel); install linux-headers-$rel (make deps)"
}

find_vmlinuz() {
	local rel=$1
	[ -r "/boot/vmlinuz-$rel" ] || die "guest kernel /boot/vmlinuz-$rel is missing or unreadable (make deps)"
	[ -f "/lib/modules/$rel/modules.dep" ] || die "/lib/modules/$rel/modules.dep is missing (reinstall linux-image-$rel)"
	say "/boot/vmlinuz-$rel"
}

main() {
	local rel
	rel=$(find_release)
	case "${1:-}" in
	"") say "$rel" ;;
	--headers) find_headers "$rel" ;;
	--vmlinuz) find_vmlinuz "$rel" ;;
	*) die "unknown option $1" ;;
	esac
}

main "$@"
