// Trains arriving: a frame carrying two 600-byte segments (mss 600 in a
// data frame; an injected frame must fit the MTU) after a hole is held and answered with one duplicate ACK per
// segment it carries, up to the three fast retransmit needs (two here);
// it counts as two segments; the segment that fills the hole releases it.
// A data frame whose mss is not exceeded by its length is no train: it is
// dropped as malformed and not answered. delack_ms=300 tells "at once"
// from "delayed".
0     `echo 300 > /proc/sys/net/glass/delack_ms`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    < . 601:1801(1200) ack 1 win 65535 mss 600
+0    > . 1:1(0) ack 1 win ...
+0    > . 1:1(0) ack 1 win ...
+0    info(4) gi_ooo == 1200
+0    info(4) gi_data_segs_in == 2
+0    < . 1801:1901(100) ack 1 win 65535 mss 100
+0    stat drop_malformed == 1
+0.05 < . 1:601(600) ack 1 win 65535
+0    > . 1:1(0) ack 1801 win ...
+0    info(4) gi_ooo == 0
+0    info(4) gi_data_segs_in == 3
+0    read(4, 4000) = 1800
// The read moved the right edge by 1800 bytes of a window 104696 bytes
// open: no window update for so little (window-update.gs).
+0    stat out_of_order_segments == 1
