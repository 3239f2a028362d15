// SACK-based loss recovery (RFC 6675): ten segments leave, the 2nd and the
// 5th are lost. SACK blocks mark the first hole lost (more than 2 MSS
// SACKed above it) after two duplicates; its retransmission leaves at
// once, and the second hole's as soon as the SACKs mark it lost too, both
// before any cumulative ACK moves: every hole in one round trip, where
// NewReno needs one round trip per hole. cwnd and pipe pace them: cwnd is
// halved to 4500 bytes, and pipe (bytes not SACKed, not lost, plus the
// retransmitted) must leave room for a whole segment.
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
+0.02 < . 1:1(0) ack 1001 win 65535 sack 2001:3001
+0    < . 1:1(0) ack 1001 win 65535 sack 2001:4001
+0    < . 1:1(0) ack 1001 win 65535 sack 5001:6001,2001:4001
// 3000 bytes SACKed above 1001: lost; recovery, cwnd = ssthresh = 4500.
+0    > . 1001:2001(1000) ack 1 win ...
+0    info(4) gi_cwnd == 4500
+0    info(4) gi_ssthresh == 4500
+0    < . 1:1(0) ack 1001 win 65535 sack 5001:7001,2001:4001
+0    < . 1:1(0) ack 1001 win 65535 sack 5001:8001,2001:4001
// Now 3000 bytes above 4001 too: the second hole goes, same round trip.
+0    > . 4001:5001(1000) ack 1 win ...
+0    < . 1:1(0) ack 1001 win 65535 sack 5001:9001,2001:4001
+0    < . 1:1(0) ack 1001 win 65535 sack 5001:10001,2001:4001
// The retransmissions arrive: everything is acknowledged, no RTO.
+0.02 < . 1:1(0) ack 4001 win 65535 sack 5001:10001
+0    < . 1:1(0) ack 10001 win 65535
+0    info(4) gi_retransmits == 2
+0    info(4) gi_fast_retrans == 1
+0    info(4) gi_timeouts == 0
+0    info(4) gi_unacked == 0
+0    stat sack_recoveries == 1
+0    stat sack_retrans_segs == 2
