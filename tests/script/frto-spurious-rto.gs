// F-RTO (RFC 5682 section 3.1, SACK-enhanced; Linux's tcp_process_loss()):
// an RTO that was spurious is found out and undone. Ten segments leave and
// no ACK comes back for a while (the path stalled, nothing was lost): the
// tail loss probe resends the last one, then the RTO resends the first and
// cuts cwnd to one segment. Its ACK (1001) tells nothing yet, so instead
// of resending the next holes F-RTO sends two new segments (step 2.b);
// the next ACK acknowledges 1001:3001, sent before the RTO and never
// resent: the originals got through, the RTO was spurious (step 3.b).
// cwnd and ssthresh go back to what they were before it, the holes are
// not resent, and the remaining new segment goes out at once.
// NewReno's arithmetic (cwnd halved); CUBIC is the default.
0     `echo newreno > /proc/sys/net/glass/congestion_control`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
// A 100 ms handshake RTT: probe timeout about 200 ms, RTO about 300 ms.
+0.1  < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    write(4, 12000) = 12000
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
+0.2  > . 9001:10001(1000) ack 1 win ...
+0    stat tlp_probes == 1
+0.3  > . 1:1001(1000) ack 1 win ...
+0    info(4) gi_timeouts == 1
+0    info(4) gi_cwnd == 1000
+0    info(4) gi_ssthresh == 5000
// The resent head is acknowledged: new data, not the next holes.
+0.02 < . 1:1(0) ack 1001 win 65535
+0    > . 10001:11001(1000) ack 1 win ...
+0    > . 11001:12001(1000) ack 1 win ...
+0    stat spurious_rtos == 0
// Originals never resent are acknowledged: the RTO was spurious.
+0.01 < . 1:1(0) ack 3001 win 65535
+0    stat spurious_rtos == 1
+0    stat undos == 1
+0    info(4) gi_cwnd == 10000
+0    info(4) gi_ssthresh == 4294967295
+0    info(4) gi_ca_state == 0
+0.01 < . 1:1(0) ack 12001 win 65535
+0    info(4) gi_unacked == 0
+0    info(4) gi_retransmits == 2
