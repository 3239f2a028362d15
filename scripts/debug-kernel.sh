#!/usr/bin/env bash
# Build (once, cached) the debug guest kernel from Debian's linux-source-6.1
# and glass.ko against it.
#   debug-kernel.sh [kernel]  -> build the kernel if needed; print its tree
#   debug-kernel.sh --path    -> print the tree, fail if it is not built
#   debug-kernel.sh kmod      -> build glass.ko against it in build/debug/kmod
#                                (a copy of kmod/ and include/); print its path
#   debug-kernel.sh key       -> print the cache key
# The tree lives in ${GLASS_DEBUG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/glass/debug-kernel}/<key>,
# key = hash of the source tarball (package version, size, mtime), the config
# fragment vm/debug-kernel.config and the part of this script that configures
# and builds the kernel (KEY_VERSION and the functions below it, through
# `declare -f`). A change of any of them builds a new tree; old trees are
# removed. One build at a time (flock).
# Config: x86_64_defconfig + vm/debug-kernel.config, then olddefconfig.
# Build: nice make -j${GLASS_DEBUG_JOBS:-2} vmlinux modules (the ELF vmlinux
# boots through PVH; modules writes Module.symvers and modules.builtin).
set -euo pipefail
GLASS_PROG=debug-kernel
. "$(dirname "$0")/lib.sh"

TARBALL=${GLASS_DEBUG_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
FRAGMENT=$GLASS_ROOT/vm/debug-kernel.config
CACHE=${GLASS_DEBUG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/glass/debug-kernel}
JOBS=${GLASS_DEBUG_JOBS:-2}
# Bump when the build changes in a way the hashed functions do not show.
KEY_VERSION=1

cache_key() {
	[ -r "$TARBALL" ] || die "$TARBALL is missing (make test-debug installs linux-source-6.1)"
	{
		dpkg-query -W -f='${Version}\n' linux-source-6.1 2>/dev/null || true
		stat -L -c '%s %Y' "$TARBALL"
		cat "$FRAGMENT"
		echo "$KEY_VERSION"
		declare -f check_config build_kernel
	} | sha256sum | cut -c1-16
}

tree_of() { printf '%s/%s/linux\n' "$CACHE" "$1"; }

# Every =y / =n / =value line of the fragment must have survived olddefconfig
# (a dependency that is not met silently drops an option).
check_config() {
	local tree=$1 bad=0 line sym
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF "$line" "$tree/.config" || {
				warn "config: wanted '$line', got '$(grep -E "^(# )?${line%%=*}[= ]" "$tree/.config" || echo unset)'"
				bad=1
			}
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -qE "^$sym=" "$tree/.config"; then
				warn "config: wanted $sym off, got '$(grep -E "^$sym=" "$tree/.config")'"
				bad=1
			fi
			;;
		esac
	done <"$FRAGMENT"
	[ "$bad" = 0 ] || die "vm/debug-kernel.config does not apply cleanly (see above)"
}

build_kernel() {
	local key=$1 dir=$CACHE/$1 tree t0
	tree=$(tree_of "$key")
	t0=$(now)
	if [ ! -f "$tree/Makefile" ]; then
		say "debug-kernel: extracting $TARBALL into $dir" >&2
		rm -rf "$dir"
		mkdir -p "$dir"
		tar -C "$dir" -xf "$TARBALL"
		mv "$dir"/linux-source-* "$tree"
	fi
	# QEMU enters the ELF vmlinux through the PVH entry code, which runs
	# before KASAN has its shadow memory: KASAN must not instrument it (an
	# instrumented xen_prepare_pvh() faults on the first memset and the
	# guest resets without a word). Debian's source is otherwise unchanged.
	grep -qx 'KASAN_SANITIZE := n' "$tree/arch/x86/platform/pvh/Makefile" ||
		echo 'KASAN_SANITIZE := n' >>"$tree/arch/x86/platform/pvh/Makefile"
	say "debug-kernel: configuring (x86_64_defconfig + vm/debug-kernel.config)" >&2
	(
		cd "$tree"
		make -s x86_64_defconfig >/dev/null
		KCONFIG_CONFIG=.config scripts/kconfig/merge_config.sh -m .config "$FRAGMENT" >/dev/null
		make -s olddefconfig >/dev/null
	)
	check_config "$tree"
	say "debug-kernel: building vmlinux + modules with nice make -j$JOBS (log: $dir/build.log; the first build takes a while)" >&2
	if ! (cd "$tree" && nice make -j"$JOBS" vmlinux modules) >"$dir/build.log" 2>&1; then
		tail -n 30 "$dir/build.log" >&2
		die "kernel build failed (full log: $dir/build.log)"
	fi
	[ -s "$tree/vmlinux" ] && [ -f "$tree/Module.symvers" ] || die "build finished without vmlinux/Module.symvers"
	echo "build_seconds=$(elapsed "$t0")" >"$dir/build.time"
	touch "$dir/done"
	say "debug-kernel: built $(cat "$tree/include/config/kernel.release") in $(elapsed "$t0")s" >&2
}

# Remove trees of other keys (each is several GB), never the one in use.
prune() {
	local keep=$1 d
	for d in "$CACHE"/*/; do
		d=${d%/}
		[ -d "$d" ] && [ "${d##*/}" != "$keep" ] || continue
		say "debug-kernel: removing the stale tree $d" >&2
		rm -rf "$d"
	done
}

kernel() {
	local key tree
	key=$(cache_key)
	tree=$(tree_of "$key")
	if [ ! -f "$CACHE/$key/done" ]; then
		mkdir -p "$CACHE"
		exec 9>"$CACHE/lock"
		if ! flock -n 9; then
			say "debug-kernel: waiting for another build to finish" >&2
			flock 9
		fi
		if [ ! -f "$CACHE/$key/done" ]; then
			prune "$key"
			build_kernel "$key"
		fi
		exec 9>&-
	fi
	bzimage "$tree"
	say "$tree"
}

# The guest boots arch/x86/boot/bzImage: QEMU's direct PVH entry into the
# ELF vmlinux runs C code (xen_prepare_pvh, then memcmp...) before KASAN
# has its shadow, and that code is KASAN-instrumented; the bzImage enters
# through the decompressor and startup_64, where KASAN is set up first.
# A few seconds to compress vmlinux; redone only when vmlinux is newer.
bzimage() {
	local tree=$1
	[ "$tree/arch/x86/boot/bzImage" -nt "$tree/vmlinux" ] && return 0
	exec 9>"$CACHE/lock"
	flock 9
	(cd "$tree" && nice make -j"$JOBS" bzImage) >"${tree%/linux}/bzimage.log" 2>&1 ||
		die "make bzImage failed (log: ${tree%/linux}/bzimage.log)"
	exec 9>&-
}

path() {
	local key
	key=$(cache_key)
	[ -f "$CACHE/$key/done" ] ||
		die "the debug kernel is not built (scripts/debug-kernel.sh, or make test-debug, builds it)"
	tree_of "$key"
}

# glass.ko against the debug tree, in a copy of kmod/ and include/ (Kbuild
# writes objects next to the sources; the stock kmod/ stays untouched).
# One caller at a time: both guests of a pair (vm/run --vms 2) and the
# self-tests run side by side ask for it together; two rsyncs and makes in
# one folder race (one guest's rsync failed on the other's temporary file).
kmod() {
	local tree dst=$GLASS_ROOT/build/debug
	tree=$(kernel)
	mkdir -p "$dst"
	exec 8>"$dst/kmod.lock"
	flock 8
	local -a ex=(--exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod'
		--exclude='*.mod.c' --exclude='modules.order' --exclude='Module.symvers' --exclude='.tmp*')
	rsync -a --delete "${ex[@]}" "$GLASS_ROOT/kmod/" "$dst/kmod/"
	rsync -a --delete "$GLASS_ROOT/include/" "$dst/include/"
	make --no-print-directory -s -j"$JOBS" -C "$tree" M="$dst/kmod" modules >&2 ||
		die "glass.ko does not build against the debug kernel"
	exec 8>&-
	say "$dst/kmod/glass.ko"
}

main() {
	case "${1:-kernel}" in
	kernel) kernel ;;
	--path) path ;;
	kmod) kmod ;;
	key) cache_key ;;
	*) die "unknown command '$1' (kernel, --path, kmod, key)" ;;
	esac
}

main "$@"
