#!/usr/bin/env bash
# Install, with apt-get, exactly the packages that are missing.
#   deps.sh [base|check|debug]...   (default: base)
# base:  everything make run/test/shell need.
# check: what make check needs on top (linux-source-6.1 for checkpatch.pl).
# debug: what make test-debug needs on top to build the debug kernel.
# Idempotent: when nothing is missing it prints nothing and installs nothing.
set -euo pipefail
GLASS_PROG=deps
. "$(dirname "$0")/lib.sh"

# qemu-system-x86 is installed with --no-install-recommends (see install()).
BASE_PKGS=(qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static
	libbpf-dev bpftool clang clang-format clang-tidy g++ libcli11-dev libgtest-dev
	libmnl-dev liburing-dev cmake cpio iproute2 kmod sparse gnuplot-nox dwarves
	xz-utils python3 pkgconf libssl-dev libelf-dev zlib1g-dev
	libc6-dev-i386 libpcap-dev tshark
	curl openssl strace tcpdump default-jdk-headless python3-pytest)
CHECK_PKGS=(linux-source-6.1)
DEBUG_PKGS=(linux-source-6.1 bc flex bison libssl-dev libelf-dev dwarves rsync make gcc)

is_installed() {
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true)" = "ii " ]
}

missing_of() {
	local p
	for p in "$@"; do
		is_installed "$p" || printf '%s\n' "$p"
	done
}

install() {
	local -a pkgs=("$@")
	command -v apt-get >/dev/null 2>&1 ||
		die "cannot install ${pkgs[*]}: apt-get not found (install them by hand)"
	say "deps: installing ${pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update -qq ||
		die "cannot install ${pkgs[*]}: 'apt-get update' failed (network or permissions?)"
	as_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}" ||
		die "cannot install ${pkgs[*]}: 'apt-get install' failed"
}

main() {
	local -a want=() missing=()
	local group
	[ $# -gt 0 ] || set -- base
	for group in "$@"; do
		case "$group" in
		base) want+=("${BASE_PKGS[@]}") ;;
		check) want+=("${CHECK_PKGS[@]}") ;;
		debug) want+=("${DEBUG_PKGS[@]}") ;;
		*) die "unknown package group '$group' (base, check, debug)" ;;
		esac
	done
	command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: glass needs a Debian-like host"
	mapfile -t missing < <(missing_of "${want[@]}")
	[ ${#missing[@]} -eq 0 ] || install "${missing[@]}"
}

main "$@"
