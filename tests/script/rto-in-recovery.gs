// An RTO during a SACK recovery does not cut the window a second time
// (Linux's tcp_enter_loss()): ten segments, the 2nd and the 5th lost;
// recovery halves cwnd to 4500 bytes and resends both holes; the first
// retransmission arrives (ACK 4001), the second is lost too, and nothing
// was sent after it, so neither RACK nor a probe can find it: the RTO
// resends it. ssthresh stays the recovery's 4500 (not half of the 6000
// bytes outstanding at the expiry), cwnd restarts from one segment; a
// backed-off second expiry keeps it too.
// NewReno's arithmetic (cwnd halved); CUBIC is the default.
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
+0    > . 1001:2001(1000) ack 1 win ...
+0    info(4) gi_ssthresh == 4500
+0    < . 1:1(0) ack 1001 win 65535 sack 5001:7001,2001:4001
+0    < . 1:1(0) ack 1001 win 65535 sack 5001:8001,2001:4001
+0    > . 4001:5001(1000) ack 1 win ...
+0    < . 1:1(0) ack 1001 win 65535 sack 5001:9001,2001:4001
+0    < . 1:1(0) ack 1001 win 65535 sack 5001:10001,2001:4001
// The first retransmission arrives; the second (4001) is lost.
+0.02 < . 1:1(0) ack 4001 win 65535 sack 5001:10001
+0    info(4) gi_timeouts == 0
// The RTO (about 370 ms after that ACK here) resends the hole, one segment.
+0.37 > . 4001:5001(1000) ack 1 win ...
+0    info(4) gi_timeouts == 1
+0    info(4) gi_ssthresh == 4500
+0    info(4) gi_cwnd == 1000
// Backed off: twice as long; still one cut.
+0.67 > . 4001:5001(1000) ack 1 win ...
+0    info(4) gi_timeouts == 2
+0    info(4) gi_ssthresh == 4500
+0.01 < . 1:1(0) ack 10001 win 65535
+0    info(4) gi_unacked == 0
+0    stat timeouts == 2
