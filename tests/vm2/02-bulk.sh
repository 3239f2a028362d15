#!/bin/sh
# 256 MiB each way at the same time over the cable, byte-exact: each side
# streams random bytes through tee into a SHA-256 of what it sent, and
# hashes what it receives; the sums are swapped through the share.
. /glass/guest/pair-lib.sh
SIZE=${GLASS_PAIR_BULK:-268435456}
glass_up g0
glass cat -l 7001 </dev/null | sha256sum | cut -d' ' -f1 >/tmp/got &
L=$!
wait_listen 7001
mkfifo /tmp/sent.fifo
sha256sum </tmp/sent.fifo | cut -d' ' -f1 >/tmp/sent &
H=$!
barrier listening
t0=$(cut -d' ' -f1 /proc/uptime)
head -c "$SIZE" /dev/urandom | tee /tmp/sent.fifo | glass cat "$G_PEER:7001" ||
	die "sending failed"
wait $H
wait $L || die "receiving failed"
t1=$(cut -d' ' -f1 /proc/uptime)
say "sent and received $SIZE bytes each way in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
put sum "$(cat /tmp/sent)"
[ "$(cat /tmp/got)" = "$(get sum)" ] || die "the bytes received differ from the bytes sent"
barrier done
