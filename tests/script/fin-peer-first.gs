// Orderly close, the peer first: its FIN is ACKed at once (CLOSE_WAIT),
// read() returns 0, our close() sends FIN (LAST_ACK), the peer ACKs it.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < F. 1:1(0) ack 1 win 65535
+0    > . 1:1(0) ack 2 win ...
+0    info(4) gi_state == CLOSE_WAIT
+0    read(4, 100) = 0
// Still writable in CLOSE_WAIT.
+0.01 write(4, 10) = 10
+0    > . 1:11(10) ack 2 win ...
+0.01 < . 2:2(0) ack 11 win 65535
+0    shutdown(4, SHUT_WR) = 0
+0    > F. 11:11(0) ack 2 win ...
+0    info(4) gi_state == LAST_ACK
+0.01 < . 2:2(0) ack 12 win 65535
+0    info(4) gi_state == CLOSE
+0    close(4) = 0
