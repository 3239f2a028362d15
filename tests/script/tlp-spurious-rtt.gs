// A needless tail loss probe still lets the round trip be measured
// (Karn's rule with RACK's test, RFC 8985 6.2). Both round trips so far
// took 50 ms, so the probe timeout is 2 SRTT + 8 ms = 108 ms. The next
// write's ACK is late: the probe resends its last segment, and the ACK of
// the originals arrives 5 ms after it, sooner than any round trip seen
// (50 ms), so it cannot answer the probe: it times the write, 113 ms, and
// SRTT grows toward it (7/8 * 50 + 1/8 * 113 = 57.9 ms). Before, the
// probe voided the sample, SRTT stayed 50 ms, and a receiver that was
// slow to answer drew a needless probe for every write. An ACK that comes
// 60 ms after the next probe may answer it, and is not a sample (it would
// have made SRTT at least 73 ms). The bounds allow for the guest's timing.
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
+0.05 < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    write(4, 2000) = 2000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0.05 < . 1:1(0) ack 2001 win 65535
+0    info(4) gi_srtt_us >= 50000
+0    info(4) gi_srtt_us <= 55000
+0    write(4, 2000) = 2000
+0    > . 2001:3001(1000) ack 1 win ...
+0    > . 3001:4001(1000) ack 1 win ...
+0.108 > . 3001:4001(1000) ack 1 win ...
+0    stat tlp_probes == 1
+0.005 < . 1:1(0) ack 4001 win 65535
+0    info(4) gi_srtt_us >= 56000
+0    info(4) gi_srtt_us <= 70000
// The probe arrives too, and is reported as a duplicate.
+0.045 < . 1:1(0) ack 4001 win 65535 sack 3001:4001
+0    stat dsacks_received == 1
+0    write(4, 2000) = 2000
+0    > . 4001:5001(1000) ack 1 win ...
+0    > . 5001:6001(1000) ack 1 win ...
+0.124 > . 5001:6001(1000) ack 1 win ...
+0    stat tlp_probes == 2
+0.06 < . 1:1(0) ack 6001 win 65535
+0    info(4) gi_srtt_us >= 56000
+0    info(4) gi_srtt_us <= 70000
+0    info(4) gi_timeouts == 0
+0    info(4) gi_unacked == 0
