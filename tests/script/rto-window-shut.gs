// After an RTO the resent head is ACKed with a window of 0: what is left
// was never resent, so nothing is lost and nothing is "in flight". The
// next timer is the persist timer (probes), not another retransmission
// that counts towards ETIMEDOUT.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 4000 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 4000
+0    accept(3, ..., ...) = 4
+0    info(4) gi_rto_us == 200000
+0    write(4, 3000) = 3000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
// All three lost: the RTO resends the first.
+0.2  > . 1:1001(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 1001 win 0
+0    info(4) gi_timeouts == 1
// The window is shut: zero-window probes at snd_una - 1, answered.
*     > . 1000:1000(0) ack 1 win ...
+0    < . 1:1(0) ack 1001 win 0
+0    info(4) gi_timeouts == 1
+0    info(4) gi_probes == 1
// The window opens: the rest goes.
+0.05 < . 1:1(0) ack 1001 win 4000
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 3001 win 4000
+0    info(4) gi_unacked == 0
