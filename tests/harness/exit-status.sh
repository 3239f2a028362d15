#!/usr/bin/env bash
# The command's exit status comes out of the guest: 3 stays 3, 0 stays 0.
. "$(dirname "$0")/harness-lib"

vmrun exit3 -- sh -c 'exit 3'
expect_rc 3 "vm/run -- sh -c 'exit 3'"

vmrun true -- true
expect_rc 0 "vm/run -- true"
[ "$(summary_field log_check true)" = ok ] || fail "a clean boot must pass the kernel log check"

finish
