// Zero window: the peer closes its window; the stack stops sending, probes
// with bare ACKs at snd_una - 1 whose interval doubles (200, 400, 800 ms
// from rto_min), and resumes when the window opens.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 2000 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 2000
+0    accept(3, ..., ...) = 4
// The timings below assume the handshake's RTT sample left the RTO at
// rto_min (a host too slow to answer at once raises it).
+0    info(4) gi_rto_us == 200000
+0    write(4, 4000) = 4000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 2001 win 0
+0    info(4) gi_snd_wnd == 0
+0    info(4) gi_unsent == 2000
+0.2  > . 2000:2000(0) ack 1 win ...
+0    < . 1:1(0) ack 2001 win 0
+0.4  > . 2000:2000(0) ack 1 win ...
+0    < . 1:1(0) ack 2001 win 0
+0.8  > . 2000:2000(0) ack 1 win ...
+0    < . 1:1(0) ack 2001 win 0
+0    info(4) gi_probes == 3
+0    stat zero_window_probes == 3
// The window opens: the held data leaves at once.
+0.1  < . 1:1(0) ack 2001 win 65535
+0    > . 2001:3001(1000) ack 1 win ...
+0    > . 3001:4001(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 4001 win 65535
+0    info(4) gi_unacked == 0
