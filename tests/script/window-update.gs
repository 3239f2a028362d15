// Window updates (docs/protocol.md): a read that moves the right edge by
// the SWS threshold (here 1468, the MSS) sends an update only once the
// window would at least double what is left of the one last advertised
// (TCP's tcp_cleanup_rbuf() rule); smaller moves ride on the next ACK.
// With SO_RCVBUF 6000 (sk_rcvbuf 12000) the window is 6000 bytes; more
// than a full segment (1468 bytes) unacknowledged is ACKed at once.
// delack_ms=300 tells "at once" from "delayed".
0     `echo 300 > /proc/sys/net/glass/delack_ms`
+0    socket(..., SOCK_STREAM, 0) = 3
+0    setsockopt(3, SOL_SOCKET, SO_RCVBUF, [6000], 4) = 0
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win 6000 mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 1:1001(1000) ack 1 win 65535
+0    < . 1001:2001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 2001 win 4000
+0    < . 2001:3001(1000) ack 1 win 65535
+0.3  > . 1:1(0) ack 3001 win 3000
// Reading 2000 bytes would open 5000: less than twice the 3000 left.
+0.05 read(4, 2000) = 2000
+0.1  stat window_updates == 0
// Reading the rest opens 6000, twice what is left: the update leaves.
+0    read(4, 1000) = 1000
+0    > . 1:1(0) ack 3001 win 6000
+0    stat window_updates == 1
// Filled to 1000 bytes of window (the last segment's ACK delayed).
+0.05 < . 3001:4001(1000) ack 1 win 65535
+0    < . 4001:5001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 5001 win 4000
+0    < . 5001:6001(1000) ack 1 win 65535
+0    < . 6001:7001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 7001 win 2000
+0    < . 7001:8001(1000) ack 1 win 65535
+0.3  > . 1:1(0) ack 8001 win 1000
// 1000 bytes read would double the window but move the edge by less than
// the SWS threshold; 1000 more move it by 2000 to a window of 3000.
+0    read(4, 1000) = 1000
+0.1  stat window_updates == 1
+0    read(4, 1000) = 1000
+0    > . 1:1(0) ack 8001 win 3000
+0    stat window_updates == 2
