// Bytes past the peer's FIN are not part of the stream. A hostile peer
// sends data beyond where it later says the stream ends: when the FIN
// arrives in order, what the ooo queue holds past it is discarded, never
// delivered after the end of file, and the ACK covers the FIN only.
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
// The FIN at 11 says the stream is bytes 1..10; 11:21 lies past it.
+0.01 < F. 1:11(10) ack 1 win 65535
+0    > . 1:1(0) ack 12 win ...
+0    info(4) gi_ooo == 0
+0    info(4) gi_state == CLOSE_WAIT
+0    read(4, 100) = 10
+0    read(4, 100) = 0
