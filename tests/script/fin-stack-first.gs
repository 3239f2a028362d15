// Orderly close, the stack first: FIN out (FIN_WAIT1), ACKed (FIN_WAIT2),
// the peer's FIN in, ACKed at once (TIME_WAIT).
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    shutdown(4, SHUT_WR) = 0
+0    > F. 1:1(0) ack 1 win ...
+0    info(4) gi_state == FIN_WAIT1
+0.01 < . 1:1(0) ack 2 win 65535
+0    info(4) gi_state == FIN_WAIT2
+0.05 < F. 1:1(0) ack 2 win 65535
+0    > . 2:2(0) ack 2 win ...
+0    info(4) gi_state == TIME_WAIT
+0    read(4, 10) = 0
+0    close(4) = 0
