// Passive open: a SYN to a listener is answered with SYN-ACK (our MSS is
// the device's 1500 - 32), the third segment establishes the connection and
// accept() returns it. The peer's MSS bounds ours.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    info(4) gi_state == ESTABLISHED
+0    info(4) gi_peer_mss == 1000
+0    info(4) gi_mss == 1000
+0    info(4) gi_snd_wnd == 65535
+0    stat passive_opens == 1
// A retransmitted SYN is not a new connection: nothing happens on the
// established one except a challenge ACK (RFC 5961 4).
+0.05 < S 0:0(0) win 65535 mss 1000
+0    > . 1:1(0) ack 1 win ...
+0    stat challenge_acks == 1
