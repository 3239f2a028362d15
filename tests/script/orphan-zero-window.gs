// An orphan facing a zero window does not live forever: the program closes
// while the peer keeps its window shut and answers every probe with a
// window-0 ACK. After net.glass.orphan_retries probes (3 here) the next
// persist expiry resets the connection (RST), however the probes were
// answered. Without that bound the orphan sits in FIN_WAIT1 for good,
// holding its queued data and its namespace.
0     `echo 400 > /proc/sys/net/glass/rto_max_ms`
+0    `echo 3 > /proc/sys/net/glass/orphan_retries`
+0    socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 2000 mss 1000
+0    > S. 0:0(0) ack 1 win ... mss 1468
+0    < . 1:1(0) ack 1 win 2000
+0    accept(3, ..., ...) = 4
+0    info(4) gi_rto_us == 200000
+0    write(4, 4000) = 4000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0.01 < . 1:1(0) ack 2001 win 0
+0    info(4) gi_snd_wnd == 0
// The program goes away with 2000 bytes and the FIN unsent.
+0    close(4) = 0
+0.2  > . 2000:2000(0) ack 1 win ...
+0    < . 1:1(0) ack 2001 win 0
+0.4  > . 2000:2000(0) ack 1 win ...
+0    < . 1:1(0) ack 2001 win 0
+0.4  > . 2000:2000(0) ack 1 win ...
+0    < . 1:1(0) ack 2001 win 0
// Three probes answered: the orphan gives up and tells the peer.
+0.4  > R. 2001:2001(0) ack 1
+0    stat zero_window_probes == 3
+0    stat connection_timeouts == 1
// Only the listener is left (header line + one row).
+0.1  `test $(wc -l < /proc/net/glass) -eq 2`
