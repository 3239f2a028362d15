// GLASS_NODELAY: small writes leave at once even with data unacknowledged.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    setsockopt(4, SOL_GLASS, GLASS_NODELAY, [1], 4) = 0
+0    info(4) gi_nodelay == 1
+0    write(4, 10) = 10
+0    > . 1:11(10) ack 1 win ...
+0.01 write(4, 10) = 10
+0    > . 11:21(10) ack 1 win ...
+0    write(4, 10) = 10
+0    > . 21:31(10) ack 1 win ...
+0.1  < . 1:1(0) ack 31 win 65535
+0    info(4) gi_unacked == 0
