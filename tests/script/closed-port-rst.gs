// Segments for a port nobody listens on are answered with RST (RFC 793
// p. 36): a SYN gets RST|ACK acknowledging it (seq 0), an ACK gets an RST
// whose seq is that ack. Sequence numbers are absolute here: the stack has
// no ISN to be relative to.
0     < S 0:0(0) win 65535 mss 1000
+0    > R. 0:0(0) ack 1 win 0
+0.05 < . 1:1(0) ack 5000 win 65535
+0    > R 5000:5000(0) win 0
// An RST is never answered.
+0.05 < R. 1:1(0) ack 5000 win 0
+0.1  stat drop_no_socket == 3
+0    stat resets_sent == 2
