// A segment with a bad checksum is dropped before anything looks at it:
// no ACK, no data, drop_checksum counts it. The good copy is taken.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 1:11(10) ack 1 win 65535 bad_csum
+0.1  stat drop_checksum == 1
+0    info(4) gi_bytes_received == 0
+0    info(4) gi_segs_in == 1
+0    < . 1:11(10) ack 1 win 65535
+0.04 > . 1:1(0) ack 11 win ...
+0    read(4, 10) = 10
+0    stat drop_checksum == 1
