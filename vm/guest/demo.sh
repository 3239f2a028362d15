#!/bin/sh
# The `make run` demo, run inside the guest with glass.ko loaded.
# Placeholder: shows the module and the network devices; the lead replaces
# the body with the real walkthrough.
echo "== glass demo: module"
lsmod | grep -E '^(Module|glass)'
[ -d /sys/module/glass ] && echo "glass taint: $(cat /sys/module/glass/taint 2>/dev/null)"
echo
echo "== kernel log (last 10 lines)"
dmesg | tail -n 10
echo
echo "== network devices (/usr/sbin/ip link)"
/usr/sbin/ip link
echo
if command -v glass >/dev/null 2>&1 && glass --help 2>/dev/null | grep -q "^  demo "; then
	echo "== glass demo"
	glass demo
else
	echo "(no 'glass demo' yet; nothing more to show)"
fi
