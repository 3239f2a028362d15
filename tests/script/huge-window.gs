// A peer window of 2^31 or more is believed up to 2^30 (TCP's largest
// scaled window): sequence arithmetic would otherwise read it as "no room
// left" and the connection would only ever probe.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 3000000000 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 3000000000
+0    accept(3, ..., ...) = 4
+0    info(4) gi_snd_wnd == 1073741824
+0    write(4, 1000) = 1000
+0    > . 1:1001(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 1001 win 4294967295
+0    info(4) gi_snd_wnd == 1073741824
+0    write(4, 1000) = 1000
+0    > . 1001:2001(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 2001 win 4294967295
+0    info(4) gi_unacked == 0
