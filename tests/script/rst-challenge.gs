// RFC 5961: an RST inside the window but not at rcv_nxt, and a SYN on an
// established connection, get a challenge ACK and change nothing; an RST
// exactly at rcv_nxt resets the connection.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < R. 500:500(0) ack 1 win 0
+0    > . 1:1(0) ack 1 win ...
+0    info(4) gi_state == ESTABLISHED
+0.01 < S 0:0(0) win 65535 mss 1000
+0    > . 1:1(0) ack 1 win ...
+0    stat challenge_acks == 2
+0.01 < R. 1:1(0) ack 1 win 0
+0    read(4, 10) = -1 ECONNRESET
+0    stat resets_received == 1
