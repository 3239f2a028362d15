#!/bin/sh
# Guest side of `make test-debug`: every guest test (run-vm-tests.sh in
# guest/), then the fault-injection pass (run-vm-tests.sh with GLASS_FAULT=1
# in fault/), in one boot of the debug kernel. A debug boot, with its three
# kmemleak scans, costs minutes under TCG (docs/debug-kernel.md), and the
# final scan covers both passes. The suite's last script unloads glass.ko
# and loads it again, so the fault pass starts on a fresh module.
# Runs in the results folder. Environment: run-vm-tests.sh's for the suite;
#   GLASS_FAULT_TESTS    the fault pass's tests (empty: no fault pass)
#   GLASS_FAULT_FILTER   their --gtest_filter
#   GLASS_FAULT_TIMEOUT  seconds per test in the fault pass (default 600)
# GLASS_FAULT_PROBABILITY, _INTERVAL and _TIMES reach the fault pass as they are.
mkdir -p guest fault
(cd guest && /glass/guest/run-vm-tests.sh)
[ -n "${GLASS_FAULT_TESTS:-}" ] || exit 0
echo "[guest] == fault injection: $GLASS_FAULT_TESTS"
cd fault && exec env GLASS_FAULT=1 GLASS_VMTESTS="$GLASS_FAULT_TESTS" \
	GLASS_GTEST_FILTER="${GLASS_FAULT_FILTER:-}" GLASS_VMTEST_TIMEOUT="${GLASS_FAULT_TIMEOUT:-600}" \
	/glass/guest/run-vm-tests.sh
