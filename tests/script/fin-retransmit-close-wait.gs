// A FIN retransmitted because our ACK of it was lost is ACKed again in
// CLOSE_WAIT and LAST_ACK, as TCP does; unanswered, the peer would resend
// it until it timed out.
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
// Our ACK was lost: the peer sends its FIN again.
+0.05 < F. 1:1(0) ack 1 win 65535
+0    > . 1:1(0) ack 2 win ...
+0    stat drop_duplicate == 1
+0    stat drop_bad_state == 0
+0    info(4) gi_state == CLOSE_WAIT
// The same in LAST_ACK, before the peer has ACKed our FIN.
+0    shutdown(4, SHUT_WR) = 0
+0    > F. 1:1(0) ack 2 win ...
+0.05 < F. 1:1(0) ack 1 win 65535
+0    > . 2:2(0) ack 2 win ...
+0    stat drop_duplicate == 2
+0    info(4) gi_state == LAST_ACK
+0.01 < . 2:2(0) ack 2 win 65535
+0    info(4) gi_state == CLOSE
