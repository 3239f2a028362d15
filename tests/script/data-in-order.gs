// In-order data both ways with cumulative ACKs. Three 1000-byte segments
// in: the second makes more than a full segment (1468 bytes)
// unacknowledged and one ACK covers both at once; the third waits for the
// delayed-ACK timer (40 ms).
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 1:1001(1000) ack 1 win 65535
+0    < . 1001:2001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 2001 win ...
+0    < . 2001:3001(1000) ack 1 win 65535
+0.04 > . 1:1(0) ack 3001 win ...
+0    info(4) gi_unread == 3000
+0.01 read(4, 3000) = 3000
// The read moved the right edge by 3000 bytes, but most of the window
// is still open: no update is sent for that (docs/protocol.md); the next
// segment out carries the new edge.
// Out: 2500 bytes to a peer with MSS 1000 leave as 1000 + 1000 + 500.
+0.05 write(4, 2500) = 2500
+0    > . 1:1001(1000) ack 3001 win ...
+0    > . 1001:2001(1000) ack 3001 win ...
+0    > . 2001:2501(500) ack 3001 win ...
// One cumulative ACK frees all of it. No segment answers it, so nothing
// marks when the receiving CPU's softirq has taken it: look 20 ms later
// (once, under load, the check ran before it and saw 2500).
+0.01 < . 3001:3001(0) ack 2501 win 65535
+0.02 info(4) gi_unacked == 0
+0    info(4) gi_bytes_acked == 2500
+0    info(4) gi_bytes_received == 3000
