// Reordering within RACK's window (RFC 8985 section 6.2): one segment
// SACKed above a hole is not yet a loss. The hole may only be reordered:
// RACK waits reo_wnd = min_RTT / 4 (50 ms with a 200 ms RTT) past the
// hole's expected delivery. Here the original arrives 10 ms later: no
// retransmission, and its late delivery (below the highest delivered,
// never resent) tells RACK the path reorders. Then a real loss with one
// SACK above it: the reordering timer marks it lost 50 ms after the SACK,
// long before the probe timeout (400 ms) or the RTO (600 ms).
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
+0.2  < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    write(4, 4000) = 4000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0    > . 3001:4001(1000) ack 1 win ...
// The second segment overtakes the first.
+0.2  < . 1:1(0) ack 1 win 65535 sack 1001:2001
+0.01 < . 1:1(0) ack 2001 win 65535
+0    < . 1:1(0) ack 4001 win 65535
// Nothing was resent (the line below asserts nothing left in between).
+0.1  info(4) gi_retransmits == 0
+0    stat rack_reo_timeouts == 0
+0    write(4, 4000) = 4000
+0    > . 4001:5001(1000) ack 1 win ...
+0    > . 5001:6001(1000) ack 1 win ...
+0    > . 6001:7001(1000) ack 1 win ...
+0    > . 7001:8001(1000) ack 1 win ...
// Now 4001:5001 is really lost; one SACK above it.
+0.2  < . 1:1(0) ack 4001 win 65535 sack 5001:6001
+0.05 > . 4001:5001(1000) ack 1 win ...
+0    stat rack_reo_timeouts == 1
+0    info(4) gi_timeouts == 0
+0    stat tlp_probes == 0
+0.2  < . 1:1(0) ack 8001 win 65535
+0    info(4) gi_unacked == 0
+0    info(4) gi_retransmits == 1
+0    info(4) gi_timeouts == 0
