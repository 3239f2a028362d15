// Retransmission timeout: nothing is ACKed, the oldest segment is resent at
// ~rto_min (200 ms), then after 2x and 4x that (RFC 6298 5.5). When the ACK
// finally comes, the rest is sent again (go-back-N) and the backoff resets.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
// The timings below assume the handshake's RTT sample left the RTO at
// rto_min (a host too slow to answer at once raises it).
+0    info(4) gi_rto_us == 200000
+0    write(4, 3000) = 3000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0.2  > . 1:1001(1000) ack 1 win ...
+0.4  > . 1:1001(1000) ack 1 win ...
+0.8  > . 1:1001(1000) ack 1 win ...
+0    info(4) gi_timeouts == 3
+0    info(4) gi_backoff == 3
+0.01 < . 1:1(0) ack 1001 win 65535
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0    info(4) gi_backoff == 0
+0.01 < . 1:1(0) ack 3001 win 65535
+0    info(4) gi_unacked == 0
+0    stat timeouts == 3
