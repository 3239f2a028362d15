// Tail loss probe (RFC 8985 section 7): the last two of three segments are
// lost and nothing behind them will bring duplicate ACKs. After a probe
// timeout of 2 SRTT (here about 180 ms; the RTO would be about 320 ms) the
// last segment is sent again; its ACK SACKs it, which marks the hole
// before it lost (RACK's rule: sent a PTO earlier than a delivered
// segment), and SACK recovery resends the hole at once. No RTO.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
+0.1  < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    write(4, 3000) = 3000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0.02 < . 1:1(0) ack 1001 win 65535
+0.18 > . 2001:3001(1000) ack 1 win ...
+0    info(4) gi_timeouts == 0
+0    stat tlp_probes == 1
+0.02 < . 1:1(0) ack 1001 win 65535 sack 2001:3001
+0    > . 1001:2001(1000) ack 1 win ...
+0    stat tlp_recoveries == 1
+0.02 < . 1:1(0) ack 3001 win 65535
+0    info(4) gi_timeouts == 0
+0    info(4) gi_retransmits == 2
+0    info(4) gi_unacked == 0
