// Segments outside the window (default buffers: a 106496-byte window, so
// the right edge is at 106497). A segment that starts inside the window
// but crosses the edge is trimmed to it (here it is also out of order, so
// gi_ooo shows what was kept); one that starts at the edge or far beyond
// it is dropped and answered with an ACK that does not cover it.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000
+0    > S. 0:0(0) ack 1 win 106496 mss 1468
+0    < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    info(4) gi_rcv_wnd == 106496
// Crosses the edge: 106001..106497 is kept (496 bytes), the rest cut.
+0    < . 106001:107001(1000) ack 1 win 65535
+0    > . 1:1(0) ack 1 win 106496
+0    info(4) gi_ooo == 496
+0    stat drop_out_of_window == 1
// At the edge: nothing of it fits.
+0.01 < . 106497:106597(100) ack 1 win 65535
+0    > . 1:1(0) ack 1 win 106496
// Far beyond it.
+0.01 < . 200001:200101(100) ack 1 win 65535
+0    > . 1:1(0) ack 1 win 106496
+0    info(4) gi_ooo == 496
+0    stat drop_out_of_window == 3
// Data in the window is still taken.
+0.01 < . 1:11(10) ack 1 win 65535
+0    > . 1:1(0) ack 11 win ...
+0    read(4, 100) = 10
