#!/bin/sh
# One NIC, three users at once: two glass devices on eth1 (g0 10.98.0.N,
# g1 10.97.0.N, each its own MAC and neighbours) and TCP over eth1's own
# IP address, each moving 8 MiB byte-exact while ping runs.
. /glass/guest/pair-lib.sh
SIZE=8388608
# Entries learned at the start must still be there when the transfers are
# checked: at the default 30 s, an entry whose device finished early went
# stale and then aged out (2 x 30 s unused) while a slower transfer on the
# debug kernel went on, and CI saw no neighbour on g0. An hour keeps them
# REACHABLE; the runner puts 30 s back.
echo 3600000 >/sys/module/glass/parameters/neigh_reachable_ms
glass_up g0
glass_up g1 10.97.0
[ "$(cat /sys/class/net/g0/address)" != "$(cat /sys/class/net/g1/address)" ] ||
	die "g0 and g1 share a MAC"
head -c "$SIZE" /dev/urandom >/tmp/data
put sum "$(sha256sum </tmp/data | cut -d' ' -f1)"
glass cat -l 7006 </dev/null | sha256sum | cut -d' ' -f1 >/tmp/got0 &
A=$!
glass cat -l 7007 </dev/null | sha256sum | cut -d' ' -f1 >/tmp/got1 &
B=$!
python3 -c '
import hashlib, socket
s = socket.create_server(("0.0.0.0", 8000)); c, _ = s.accept(); h = hashlib.sha256()
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b)
open("/tmp/gott", "w").write(h.hexdigest() + "\n")' &
C=$!
wait_listen 7006
wait_listen 7007
wait_for 30 sh -c "grep -q ':1F40 ' /proc/net/tcp" || die "no TCP listener on 8000"
barrier listening
ping -c 20 -i 0.2 -W 5 "$ETH_PEER" >/tmp/ping.txt 2>&1 &
P=$!
glass cat "$G_PEER:7006" </tmp/data & S0=$!
glass cat "10.97.0.$PEER:7007" </tmp/data & S1=$!
python3 -c '
import socket, sys
c = socket.create_connection((sys.argv[1], 8000))
c.sendall(open("/tmp/data", "rb").read()); c.close()' "$ETH_PEER" & ST=$!
wait $S0 || die "sending over g0 failed"
wait $S1 || die "sending over g1 failed"
wait $ST || die "sending over TCP failed"
wait $A || die "receiving over g0 failed"
wait $B || die "receiving over g1 failed"
wait $C || die "receiving over TCP failed"
wait $P || die "ping over eth1 failed during the transfers: $(tail -n 2 /tmp/ping.txt)"
sum=$(get sum)
[ "$(cat /tmp/got0)" = "$sum" ] || die "g0's bytes differ"
[ "$(cat /tmp/got1)" = "$sum" ] || die "g1's bytes differ"
[ "$(cat /tmp/gott)" = "$sum" ] || die "TCP's bytes differ"
glass neigh
# Learned: one address per device, with its MAC, still confirmed.
[ "$(glass neigh -d g0 | grep -c ' lladdr .* REACHABLE ')" = 1 ] || die "g0 should know one neighbour"
[ "$(glass neigh -d g1 | grep -c ' lladdr .* REACHABLE ')" = 1 ] || die "g1 should know one neighbour"
glass neigh -d g1 | grep -q "^10.97.0.$PEER " || die "g1's neighbour is not 10.97.0.$PEER"
[ "$(stat drop_wrong_device)" = 0 ] || die "frames for one device reached another ($(stat drop_wrong_device))"
barrier done
