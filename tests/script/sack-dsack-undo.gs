// D-SACK undo (RFC 2883 section 5): the first segment is only delayed, not
// lost. The SACKs above it mark it lost (3 segments SACKed), recovery
// halves cwnd and resends it; then the original arrives (the ACK jumps)
// and the receiver reports the retransmission as a D-SACK. Every segment
// resent in the episode proved unneeded: the cut is undone, cwnd back to
// 10 segments, ssthresh back to infinite, recovery over.
// The window arithmetic below is NewReno's (cwnd halved); CUBIC is the
// default (ssthresh 0.7 of the flight).
0     `echo newreno > /proc/sys/net/glass/congestion_control`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
// A 100 ms handshake RTT: the probe timeout (2 SRTT) stays out of the way.
+0.1  < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    write(4, 10000) = 10000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0    > . 3001:4001(1000) ack 1 win ...
+0    > . 4001:5001(1000) ack 1 win ...
+0    > . 5001:6001(1000) ack 1 win ...
+0    > . 6001:7001(1000) ack 1 win ...
+0    > . 7001:8001(1000) ack 1 win ...
+0    > . 8001:9001(1000) ack 1 win ...
+0    > . 9001:10001(1000) ack 1 win ...
+0.02 < . 1:1(0) ack 1 win 65535 sack 1001:4001
+0    > . 1:1001(1000) ack 1 win ...
+0    info(4) gi_cwnd == 5000
+0    info(4) gi_ssthresh == 5000
// The delayed original arrives, then the retransmission: a D-SACK.
+0.01 < . 1:1(0) ack 4001 win 65535
+0    < . 1:1(0) ack 4001 win 65535 sack 1:1001
+0    info(4) gi_cwnd == 10000
+0    info(4) gi_ssthresh == 4294967295
+0    stat dsacks_received == 1
+0    stat undos == 1
+0    < . 1:1(0) ack 10001 win 65535
+0    info(4) gi_unacked == 0
+0    info(4) gi_timeouts == 0
