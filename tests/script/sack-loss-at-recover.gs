// A loss just after a SACK recovery ends starts the next recovery at once
// (RFC 6675; Linux keeps RFC 6582's "ACK must pass recover" rule for Reno
// only). The first of four segments is lost: recovery (recover 4001). New
// data written meanwhile starts at recover: 4001:5001, the first segment
// sent after the episode began, and it is lost too. The retransmission's
// ACK (4001) ends the episode with the ACK point at recover; 5001:6001,
// sent 100 ms after 4001:5001, is SACKed: RACK finds 4001:5001 lost, and a
// new recovery resends it at that ACK. Before, the ACK point had to pass
// recover first, which a lost 4001:5001 never lets it do: the probe
// timeout, then the RTO, resent it.
// NewReno's arithmetic (cwnd halved); CUBIC is the default.
0     `echo newreno > /proc/sys/net/glass/congestion_control`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 65535 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
// A 100 ms handshake RTT: the probe timeout (2 SRTT) stays out of the way.
+0.1  < . 1:1(0) ack 1 win 65535
+0    accept(3, ..., ...) = 4
+0    write(4, 4000) = 4000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0    > . 3001:4001(1000) ack 1 win ...
// Three segments SACKed: the first is lost; recovery, cwnd 2000.
+0.1  < . 1:1(0) ack 1 win 65535 sack 1001:4001
+0    > . 1:1001(1000) ack 1 win ...
+0    info(4) gi_cwnd == 2000
// pipe is the retransmission alone: one new segment goes, at recover.
+0    write(4, 4000) = 4000
+0    > . 4001:5001(1000) ack 1 win ...
// The retransmission arrives: the episode is over, the ACK point at recover.
+0.1  < . 1:1(0) ack 4001 win 65535
+0    > . 5001:6001(1000) ack 1 win ...
+0    stat sack_recoveries == 1
// 5001:6001 arrives, 4001:5001 never did: lost, a new recovery, resent now.
+0.1  < . 1:1(0) ack 4001 win 65535 sack 5001:6001
+0    > . 4001:5001(1000) ack 1 win ...
+0    > . 6001:7001(1000) ack 1 win ...
+0    stat sack_recoveries == 2
+0.02 < . 1:1(0) ack 7001 win 65535
+0    > . 7001:8001(1000) ack 1 win ...
+0.02 < . 1:1(0) ack 8001 win 65535
+0    info(4) gi_unacked == 0
+0    info(4) gi_retransmits == 2
+0    info(4) gi_timeouts == 0
+0    stat timeouts == 0
+0    stat tlp_probes == 0
