#!/bin/sh
# glass stacked on Ethernet inside one guest: a veth pair between two
# namespaces is the cable, a glass device on each end (ip link add link
# vA name gA type glass). Checks what the device promises without a second
# machine: the lower device's limits, the refusals (loopback, glass on
# glass, MTU above the lower device's), IP beside glass on one veth, a transfer with neighbour
# resolution, an unprivileged user (root of its own user namespace)
# stacking on its own veth, and deletion with the lower device.
set -u
IP=/usr/sbin/ip
fail() { echo "FAIL: $*"; exit 1; }
cleanup() { $IP netns del sa 2>/dev/null; $IP netns del sb 2>/dev/null; }
trap cleanup EXIT

$IP netns add sa && $IP netns add sb || fail "netns add"
$IP -n sa link add vA type veth peer vB netns sb || fail "veth"
$IP -n sa link set vA mtu 4000
$IP -n sb link set vB mtu 4000
$IP -n sa addr add 10.95.0.1/24 dev vA && $IP -n sa link set vA up
$IP -n sb addr add 10.95.0.2/24 dev vB && $IP -n sb link set vB up
$IP -n sa link add link vA name gA type glass || fail "glass on veth"
$IP -n sb link add link vB name gB type glass || fail "glass on the other veth"
[ "$($IP netns exec sa cat /sys/class/net/gA/mtu)" = 4000 ] || fail "gA did not take vA's MTU"
! $IP -n sa link set gA mtu 4001 2>/dev/null || fail "gA took an MTU above vA's"
$IP -n sa link set gA mtu 3000 || fail "gA refused a smaller MTU"
$IP -n sa link set gA mtu 4000
! $IP -n sa link add link lo name gL type glass 2>/dev/null || fail "glass stacked on loopback"
! $IP -n sa link add link gA name gG type glass 2>/dev/null || fail "glass stacked on glass"
! $IP -n sa link add link vA name gM type glass mtu 9000 2>/dev/null || fail "created with an MTU above the lower device's"
$IP -n sa addr add 10.94.0.1/24 dev gA && $IP -n sa link set gA up
$IP -n sb addr add 10.94.0.2/24 dev gB && $IP -n sb link set gB up
$IP -n sa -d link show gA | grep -q 'gA@vA' || fail "ip link does not show gA@vA"

head -c 4000000 /glass/bin/glass >/tmp/sv-in 2>/dev/null || head -c 4000000 /dev/urandom >/tmp/sv-in
$IP netns exec sb glass cat -l 7000 >/tmp/sv-out </dev/null &
L=$!
n=0
until $IP netns exec sb glass ss -lH --port 7000 | grep -q LISTEN; do
	n=$((n + 1)); [ $n -lt 100 ] || fail "no listener"; sleep 0.1
done
$IP netns exec sa sh -c "ping -c 1 -W 5 10.95.0.2" >/dev/null || fail "no IP over the veth under glass"
$IP netns exec sa glass cat 10.94.0.2:7000 </tmp/sv-in || fail "glass cat over gA"
wait $L || fail "the listener failed"
cmp /tmp/sv-in /tmp/sv-out || fail "bytes differ"
$IP netns exec sa sh -c "ping -c 1 -W 5 10.95.0.2" >/dev/null || fail "IP stopped after the transfer"
macB=$($IP netns exec sb cat /sys/class/net/gB/address)
$IP netns exec sa glass neigh | grep -q "^10.94.0.2 dev gA lladdr $macB REACHABLE" ||
	fail "no neighbour entry: $($IP netns exec sa glass neigh)"
[ "$($IP netns exec sa awk '$1 == "drop_wrong_device" { print $2 }' /proc/net/glass_stat)" = 0 ] ||
	fail "frames were misdelivered"
echo "ok: 4 MB over glass on veth, IP beside it, neighbour learned"

# Root of its own user namespace: glass on its own veth, nothing else.
unshare -U -r -n sh -c '
	/usr/sbin/ip link add v1 type veth peer v2 || exit 10
	/usr/sbin/ip link add link v1 name g1 type glass || exit 11
	/usr/sbin/ip link show g1 >/dev/null || exit 12
	/usr/sbin/ip link del v1 || exit 13
	! /usr/sbin/ip link show g1 >/dev/null 2>&1 || exit 14' || fail "unprivileged stacking on its own veth (exit $?)"
echo "ok: an unprivileged user stacks glass on its own veth"

# Deleting the lower device deletes the glass device on it.
$IP -n sa link del vA || fail "del vA"
! $IP -n sa link show gA >/dev/null 2>&1 || fail "gA outlived vA"
! $IP -n sb link show gB >/dev/null 2>&1 || fail "gB outlived vB (vA's peer)"
echo "ok: glass devices go with their lower device"
