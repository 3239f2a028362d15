// Abortive close: SO_LINGER {1, 0} makes close() send RST at once
// (no FIN), and the connection is gone.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 1:11(10) ack 1 win 65535
+0.04 > . 1:1(0) ack 11 win ...
+0    setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0
+0    close(4) = 0
+0    > R. 1:1(0) ack 11 win ...
+0    stat resets_sent == 1
// Anything the peer still sends is answered with RST: no socket.
+0.05 < . 11:21(10) ack 1 win 65535
+0    > R 1:1(0) win 0
