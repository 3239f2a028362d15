// Out-of-order arrival: a segment after a hole is held and answered with an
// immediate duplicate ACK; the segment that fills the hole releases both
// and read() returns the bytes in order. delack_ms=300 tells "at once" from
// "delayed" beyond doubt.
0     `echo 300 > /proc/sys/net/glass/delack_ms`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 11:21(10) ack 1 win 65535
+0    > . 1:1(0) ack 1 win ...
+0    info(4) gi_ooo == 10
+0    info(4) gi_unread == 0
+0    < . 21:31(10) ack 1 win 65535
+0    > . 1:1(0) ack 1 win ...
+0.05 < . 1:11(10) ack 1 win 65535
// RFC 5681 4.2: a segment that fills a hole SHOULD be ACKed at once.
+0    > . 1:1(0) ack 31 win ...
+0    info(4) gi_ooo == 0
+0    read(4, 100) = 30
+0    stat out_of_order_segments == 2
