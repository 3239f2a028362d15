// Delayed ACK: a lone small segment is ACKed after net.glass.delack_ms
// (40 ms by default), and after 300 ms once net.glass.delack_ms=300; two
// full segments unacknowledged are ACKed at once, and so is more than one.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 1:11(10) ack 1 win 65535
+0.04 > . 1:1(0) ack 11 win ...
// A longer delack_ms makes the "at once" below unmistakable.
+0.05 `echo 300 > /proc/sys/net/glass/delack_ms`
+0    < . 11:1479(1468) ack 1 win 65535
+0    < . 1479:2947(1468) ack 1 win 65535
+0    > . 1:1(0) ack 2947 win ...
+0.1  < . 2947:2957(10) ack 1 win 65535
+0.3  > . 1:1(0) ack 2957 win ...
+0    stat delayed_acks == 2
+0    read(4, 3000) = 2956
// The read moved the right edge, but far less than the window left open:
// no window update (window-update.gs has one).
+0.1  stat window_updates == 0
// More than a full segment owed, here a full one and a write's short tail,
// is ACKed at once (Linux TCP's "more than one full frame"): the tail
// does not wait for the timer, and no timer fires after.
+0    < . 2957:4425(1468) ack 1 win 65535
+0    < . 4425:4661(236) ack 1 win 65535
+0    > . 1:1(0) ack 4661 win ...
+0.4  stat delayed_acks == 2
