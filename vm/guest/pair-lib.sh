# shellcheck shell=sh
# Helpers for two-machine scripts (vm/run --vms 2; tests/vm2/*.sh). Source
# it. The same script runs in both guests; GLASS_VM (1 or 2) says which
# side this is. The cable is eth1 (10.99.0.N/24); glass devices stacked on
# it get 10.98.0.N/24 (glass_up). Barriers go through a folder both guests
# see: the share (GLASS_PAIR_SYNC, default /share/sync).
ME=${GLASS_VM:?GLASS_VM is unset: run under vm/run --vms 2}
PEER=$((3 - ME))
ETH_ME=10.99.0.$ME ETH_PEER=10.99.0.$PEER
G_ME=10.98.0.$ME G_PEER=10.98.0.$PEER
SYNC=${GLASS_PAIR_SYNC:-/share/sync}
IP=/usr/sbin/ip TC=/usr/sbin/tc
mkdir -p "$SYNC"

say() { echo "[vm$ME] $*"; }
die() {
	say "FAIL: $*"
	: >"$SYNC/abort.$ME"
	exit 1
}

# barrier NAME [SECS]: wait until the other guest reached NAME too.
barrier() {
	local n=0 max=$((${2:-120} * 10))
	: >"$SYNC/$1.$ME"
	while [ ! -e "$SYNC/$1.$PEER" ]; do
		[ ! -e "$SYNC/abort.$PEER" ] || die "the other guest failed (before barrier $1)"
		n=$((n + 1))
		[ "$n" -lt "$max" ] || die "barrier $1: the other guest never came"
		sleep 0.1
	done
}

# put NAME VALUE / get NAME: pass a word to the other guest.
put() { echo "$2" >"$SYNC/$1.$ME.tmp" && mv "$SYNC/$1.$ME.tmp" "$SYNC/$1.$ME"; }
get() {
	local n=0
	while [ ! -e "$SYNC/$1.$PEER" ]; do
		[ ! -e "$SYNC/abort.$PEER" ] || die "the other guest failed (waiting for $1)"
		n=$((n + 1))
		[ "$n" -lt 1200 ] || die "never got $1 from the other guest"
		sleep 0.1
	done
	cat "$SYNC/$1.$PEER"
}

# glass_up [DEV [SUBNET]]: a glass device on eth1 with 10.98.0.N/24 (or
# SUBNET.N/24), up.
glass_up() {
	local dev=${1:-g0} net=${2:-10.98.0}
	$IP link add link eth1 name "$dev" type glass || die "ip link add link eth1 name $dev type glass"
	$IP addr add "$net.$ME/24" dev "$dev"
	$IP link set "$dev" up
}

# wait_listen PORT: until a glass listener is bound to PORT here (a
# listener started in the background is not bound at once).
wait_listen() {
	wait_for 30 sh -c "glass ss -lH --port $1 | grep -q LISTEN" || die "no listener on port $1"
}

# The byte-exact transfer the scripts share. The receiver: listen_sum PORT
# starts a glass listener whose bytes' SHA-256 goes to /tmp/got (its pid in
# L) and tells the peer it listens; check_sum waits for it and compares
# with the sender's sum. The sender: random_data SIZE writes /tmp/data,
# sends its sum and waits until the peer listens.
listen_sum() {
	glass cat -l "$1" </dev/null | sha256sum | cut -d' ' -f1 >/tmp/got &
	L=$!
	wait_listen "$1"
	put listening 1
}
check_sum() {
	wait "$L" || die "receiving failed"
	[ "$(cat /tmp/got)" = "$(get sum)" ] || die "the bytes differ"
}
random_data() {
	head -c "$1" /dev/urandom >/tmp/data
	put sum "$(sha256sum </tmp/data | cut -d' ' -f1)"
	get listening >/dev/null
}

# stat NAME: a counter of /proc/net/glass_stat.
stat() { awk -v n="$1" '$1 == n { print $2 }' /proc/net/glass_stat; }

# wait_for SECS CMD...: until CMD succeeds, or fail after SECS.
wait_for() {
	local n=0 max=$(($1 * 10))
	shift
	until "$@" >/dev/null 2>&1; do
		n=$((n + 1))
		[ "$n" -lt "$max" ] || return 1
		sleep 0.1
	done
}
