// Nagle (with Minshall's rule): the first small segment leaves at once;
// while it is unacknowledged, further small writes are held and coalesced;
// they leave when the ACK arrives.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    write(4, 10) = 10
+0    > . 1:11(10) ack 1 win ...
+0.01 write(4, 10) = 10
+0    write(4, 10) = 10
+0    info(4) gi_nagle_held == 20
+0.1  < . 1:1(0) ack 11 win 65535
+0    > . 11:31(20) ack 1 win ...
+0.01 < . 1:1(0) ack 31 win 65535
// A full-sized segment is never held, even with a small one in flight.
+0    write(4, 10) = 10
+0    > . 31:41(10) ack 1 win ...
+0    write(4, 1000) = 1000
+0    > . 41:1041(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 1041 win 65535
