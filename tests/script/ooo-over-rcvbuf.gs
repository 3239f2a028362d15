// What is held out of order must never keep out the bytes that fill its
// hole. The reader's queue is empty and everything held is out of order;
// then SO_RCVBUF shrinks below what is held (as memory pressure or a copy
// that failed for memory leaves it). The segment at rcv_nxt is still taken
// (TCP forces the charge when its queue is empty), releases the rest, and
// the reader gets every byte in order. Before, it was dropped as
// drop_rcvbuf at every retransmission until the sender timed out.
0     `echo 300 > /proc/sys/net/glass/delack_ms`
0     socket(..., SOCK_STREAM, 0) = 3
+0    setsockopt(3, SOL_SOCKET, SO_RCVBUF, [3000], 4) = 0
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win 3000 mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 501:1001(500) ack 1 win 65535
+0    > . 1:1(0) ack 1 win ...
+0    < . 1001:1501(500) ack 1 win 65535
+0    > . 1:1(0) ack 1 win ...
+0    < . 1501:2001(500) ack 1 win 65535
+0    > . 1:1(0) ack 1 win ...
+0    < . 2001:2501(500) ack 1 win 65535
+0    > . 1:1(0) ack 1 win ...
+0    info(4) gi_ooo == 2000
+0    info(4) gi_unread == 0
// sk_rcvbuf 2304 (SOCK_MIN_RCVBUF): less than the four held segments pin.
+0    setsockopt(4, SOL_SOCKET, SO_RCVBUF, [1000], 4) = 0
+0    info(4) gi_rcvbuf == 2304
+0    < . 1:501(500) ack 1 win 65535
+0    > . 1:1(0) ack 2501 win ...
+0    stat drop_rcvbuf == 0
+0    info(4) gi_ooo == 0
+0    read(4, 3000) = 2500
// The reader made room: the window opens again.
+0    > . 1:1(0) ack 2501 win ...
