# shellcheck shell=bash
# Common helpers for glass scripts. Source it; do not execute it.

GLASS_ROOT=${GLASS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

say() { printf '%s\n' "$*"; }
warn() { printf '%s: %s\n' "${GLASS_PROG:-glass}" "$*" >&2; }
die() {
	warn "error: $*"
	exit 1
}

# Run a command with sudo only when we are not root.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run '$*' and sudo is not installed"
	fi
}

# Seconds since the epoch with a fractional part, for timings.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
