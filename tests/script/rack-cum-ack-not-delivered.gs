// A cumulative ACK delivers only what it covers (RFC 8985 section 6.2
// step 2): the segment it stops at, the next hole, was not delivered, even
// when it is a retransmission in flight. The 1st and 9th of ten segments
// are lost. Recovery resends the 1st; as SACKs drain pipe, new data
// (10001:12001) leaves; then RACK finds the 9th lost and resends it, after
// that new data. The ACK of the first retransmission moves snd_una to the
// 9th. Were the 9th's retransmission taken as delivered (the write queue's
// walk once did so), it would be RACK's newest delivered segment, and
// 10001:12001, sent just before it and still in flight, would look lost
// and be resent at that ACK: the needless retransmissions (and D-SACKs)
// the loss lab showed. Nothing but new data may leave at that ACK.
// The window arithmetic below is NewReno's (cwnd halved); CUBIC is the
// default (ssthresh 0.7 of the flight).
0     `echo newreno > /proc/sys/net/glass/congestion_control`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
// A 200 ms handshake RTT: the RTO (about 600 ms) stays out of the way.
+0.2  < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    write(4, 15000) = 15000
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
// Three segments SACKed (min_RTT 20 ms): the first is lost; recovery,
// cwnd = ssthresh = 5000.
+0.02 < . 1:1(0) ack 1 win 65535 sack 1001:4001
+0    > . 1:1001(1000) ack 1 win ...
+0    info(4) gi_cwnd == 5000
+0    < . 1:1(0) ack 1 win 65535 sack 1001:5001
+0    < . 1:1(0) ack 1 win 65535 sack 1001:6001
+0    < . 1:1(0) ack 1 win 65535 sack 1001:7001
+0    > . 10001:11001(1000) ack 1 win ...
+0    < . 1:1(0) ack 1 win 65535 sack 1001:8001
+0    > . 11001:12001(1000) ack 1 win ...
// 9001:10001 arrives, 8001:9001 does not: RACK marks it lost (sent before
// a delivered segment, reordering window 0 in recovery) and it goes again,
// after 10001:12001; then pipe lets one new segment go.
+0    < . 1:1(0) ack 1 win 65535 sack 9001:10001,1001:8001
+0    > . 8001:9001(1000) ack 1 win ...
+0    > . 12001:13001(1000) ack 1 win ...
+0    stat rack_lost_segs == 2
// 30 ms later (past min_RTT, so an RTT measured from the 9th's
// retransmission would count) the first retransmission is ACKed; the
// 9th's is still on its way. Only new data may go: 13001:14001 (pipe
// 4000 of 5000), not 10001:12001 again.
+0.03 < . 1:1(0) ack 8001 win 65535 sack 9001:10001
+0    > . 13001:14001(1000) ack 1 win ...
+0    stat rack_lost_segs == 2
+0    info(4) gi_retransmits == 2
// Everything sent arrives: recovery ends; the last segment goes.
+0.03 < . 1:1(0) ack 14001 win 65535
+0    > . 14001:15001(1000) ack 1 win ...
+0.03 < . 1:1(0) ack 15001 win 65535
+0    info(4) gi_unacked == 0
+0    info(4) gi_retransmits == 2
+0    info(4) gi_timeouts == 0
+0    stat dsacks_received == 0
