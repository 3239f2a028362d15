// Fast retransmit: the second segment is lost; three duplicate ACKs make the
// stack resend it at once, long before the 200 ms RTO (RFC 5681 3.2).
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    write(4, 4000) = 4000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0    > . 3001:4001(1000) ack 1 win ...
+0.02 < . 1:1(0) ack 1001 win 65535
+0    < . 1:1(0) ack 1001 win 65535
+0    < . 1:1(0) ack 1001 win 65535
+0    < . 1:1(0) ack 1001 win 65535
+0    > . 1001:2001(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 4001 win 65535
+0    info(4) gi_fast_retrans == 1
+0    info(4) gi_dupacks == 3
+0    info(4) gi_timeouts == 0
+0    info(4) gi_unacked == 0
