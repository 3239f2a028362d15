// A peer without SACK (no sackOK on its SYN): loss recovery is NewReno
// (RFC 6582), one hole per round trip. Ten segments, the 2nd and the 5th
// lost. Three duplicate ACKs resend the first hole (cwnd = ssthresh + 3
// MSS = 7500, inflated by each further duplicate); the partial ACK one
// round trip later resends the second at once; the full ACK ends
// recovery. No RTO, nothing sent with SACK blocks.
// The window arithmetic below is NewReno's (cwnd halved); CUBIC is the
// default (ssthresh 0.7 of the flight).
0     `echo newreno > /proc/sys/net/glass/congestion_control`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
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
+0.02 < . 1:1(0) ack 1001 win 65535
+0    < . 1:1(0) ack 1001 win 65535
+0    < . 1:1(0) ack 1001 win 65535
+0    < . 1:1(0) ack 1001 win 65535
+0    > . 1001:2001(1000) ack 1 win ...
+0    info(4) gi_ssthresh == 4500
+0    info(4) gi_cwnd == 7500
+0    < . 1:1(0) ack 1001 win 65535
+0    < . 1:1(0) ack 1001 win 65535
+0    < . 1:1(0) ack 1001 win 65535
+0    < . 1:1(0) ack 1001 win 65535
+0    info(4) gi_cwnd == 11500
// The retransmission arrives: a partial ACK, up to the second hole,
// which goes at once (one round trip per hole).
+0.1  < . 1:1(0) ack 4001 win 65535
+0    > . 4001:5001(1000) ack 1 win ...
+0.1  < . 1:1(0) ack 10001 win 65535
+0    info(4) gi_unacked == 0
+0    info(4) gi_retransmits == 2
+0    info(4) gi_fast_retrans == 1
+0    info(4) gi_timeouts == 0
+0    stat sack_recoveries == 0
+0    stat duplicate_acks == 7
