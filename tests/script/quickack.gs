// GLASS_QUICKACK: while it is set every data segment is ACKed as it
// arrives (no delayed ACK); setting it sends at once the ACK the timer
// still owes; clearing it brings the delayed ACK back. gi_delack shows
// both bits (PENDING 1, QUICK 2). delack_ms = 300 makes "at once" plain.
0     `echo 300 > /proc/sys/net/glass/delack_ms`
+0    socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
// Without it, a lone small segment's ACK is owed to the timer.
+0    < . 1:11(10) ack 1 win 65535
+0.05 info(4) gi_delack == 1
+0    setsockopt(4, SOL_GLASS, GLASS_QUICKACK, [1], 4) = 0
+0    > . 1:1(0) ack 11 win ...
+0    info(4) gi_delack == 2
// Every segment, however small, is ACKed as it arrives.
+0.05 < . 11:21(10) ack 1 win 65535
+0    > . 1:1(0) ack 21 win ...
+0.05 < . 21:31(10) ack 1 win 65535
+0    > . 1:1(0) ack 31 win ...
+0    stat delayed_acks == 0
+0    read(4, 100) = 30
// Cleared: the timer is back.
+0    setsockopt(4, SOL_GLASS, GLASS_QUICKACK, [0], 4) = 0
+0    info(4) gi_delack == 0
+0    < . 31:41(10) ack 1 win 65535
+0.3  > . 1:1(0) ack 41 win ...
+0    stat delayed_acks == 1
