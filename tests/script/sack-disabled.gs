// A peer without SACK, and SACK turned off: the peer's SYN offers no SACK,
// so the SYN-ACK offers none and out-of-order data is answered with plain
// duplicate ACKs (the NewReno path, as fast-retransmit shows for the
// sender). With net.glass.sack = 0, an offer is not taken up either.
0     `echo 0 > /proc/sys/net/glass/sack`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 1001:2001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 1 win ...
// SACK blocks from a peer that did not agree to SACK are ignored.
+0    write(4, 1000) = 1000
+0    > . 1:1001(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 1 win 65535 sack 1:1001
+0.3  > . 1:1001(1000) ack 1 win ...
+0    info(4) gi_timeouts == 1
