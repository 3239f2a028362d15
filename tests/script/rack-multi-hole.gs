// Several holes recovered in one round trip (RFC 6675 with RACK, RFC 8985):
// ten segments leave, the 1st, 5th and 9th are lost. One ACK SACKs all the
// others. RACK finds every hole lost at once: each was sent before a
// delivered segment (9001:10001), and with three segments SACKed and no
// reordering seen the reordering window is 0. RFC 6675's IsLost alone
// would not mark the last hole (only one segment is SACKed above it). All
// three retransmissions leave at that ACK, well inside the next round trip
// (200 ms here), paced by pipe: cwnd = ssthresh = 5000 bytes, pipe 1000
// after the first. No RTO, no probe.
// The window arithmetic below is NewReno's (cwnd halved); CUBIC is the
// default (ssthresh 0.7 of the flight).
0     `echo newreno > /proc/sys/net/glass/congestion_control`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
// A 200 ms RTT: the probe timeout (2 SRTT) and the RTO stay out of the way.
+0.2  < . 1:1(0) ack 1 win 65535
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
+0.2  < . 1:1(0) ack 1 win 65535 sack 9001:10001,5001:8001,1001:4001
// Every hole at once, before anything else can come back.
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 4001:5001(1000) ack 1 win ...
+0    > . 8001:9001(1000) ack 1 win ...
+0    info(4) gi_cwnd == 5000
+0    info(4) gi_retransmits == 3
+0    stat rack_lost_segs == 3
+0    stat sack_recoveries == 1
+0.2  < . 1:1(0) ack 10001 win 65535
+0    info(4) gi_unacked == 0
+0    info(4) gi_fast_retrans == 1
+0    info(4) gi_timeouts == 0
+0    stat tlp_probes == 0
+0    stat timeouts == 0
