// What the stack advertises it must accept. With SO_RCVBUF 3000 (sk_rcvbuf
// 6000) the window is 3000 bytes; the peer sends 2500 bytes inside it in
// 500-byte segments, and every byte must be taken and acknowledged: an
// advertised window is a promise (RFC 793 3.7, RFC 1122 4.2.2.16).
0     socket(..., SOCK_STREAM, 0) = 3
+0    setsockopt(3, SOL_SOCKET, SO_RCVBUF, [3000], 4) = 0
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win 3000 mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    info(4) gi_rcvbuf == 6000
+0    < . 1:501(500) ack 1 win 65535
+0    < . 501:1001(500) ack 1 win 65535
+0    < . 1001:1501(500) ack 1 win 65535
// More than one of the peer's MSS (1000) unacknowledged: ACKed at once.
*     > . 1:1(0) ack 1501 win 1500
+0    < . 1501:2001(500) ack 1 win 65535
+0.01 < . 2001:2501(500) ack 1 win 65535
*     > . 1:1(0) ack 2501 win 500
+0    stat drop_rcvbuf == 0
+0    read(4, 3000) = 2500
+0    > . 1:1(0) ack 2501 win 3000
