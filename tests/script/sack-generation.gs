// SACK generation (RFC 2018, D-SACK RFC 2883): SACK is agreed on the SYN;
// every out-of-order segment is answered at once with the ranges held,
// the most recent first; a late segment merges two blocks and reports the
// merged one first; a duplicate is reported as a D-SACK block, followed by
// the held block around it; a malformed extension area is dropped and
// counted. delack_ms=300 tells "at once" from "delayed".
0     `echo 300 > /proc/sys/net/glass/delack_ms`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 1:1001(1000) ack 1 win 65535
// RFC 2018 section 5, case 3: every second segment lost.
+0    < . 2001:3001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 1001 win ... sack 2001:3001
+0    < . 4001:5001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 1001 win ... sack 4001:5001,2001:3001
+0    < . 6001:7001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 1001 win ... sack 6001:7001,4001:5001,2001:3001
// The 4th segment arrives late: its (merged) block first.
+0    < . 3001:4001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 1001 win ... sack 2001:5001,6001:7001
// A held segment arrives again: D-SACK, then the block holding it.
+0    < . 6001:7001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 1001 win ... sack 6001:7001,6001:7001,2001:5001
+0    stat drop_duplicate == 1
// The hole fills: ACKed at once, the rest still SACKed; then all in order.
+0    < . 1001:2001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 5001 win ... sack 6001:7001
+0    < . 5001:6001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 7001 win ...
// A copy of delivered data: a D-SACK below the ACK, reported once.
+0    < . 1001:2001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 7001 win ... sack 1001:2001
+0    stat drop_duplicate == 2
// An extension area of an unknown version: dropped, counted, unanswered.
+0    < . 7001:7001(0) ack 1 win 65535 bad_ext
+0.05 stat drop_malformed == 1
+0    read(4, 10000) = 7000
// The read opens the window to 106496, not twice the 99496 bytes still
// open: no window update for it (window-update.gs).
