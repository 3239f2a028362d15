// F-RTO's new data is lost too, and the loss is repaired in the same
// episode, not at the next RTO. Four segments fill the peer's window and
// they and the tail loss probe are lost. The RTO resends the head; its
// ACK opens the window and tells nothing yet, so F-RTO sends two new
// segments (step 2.b). Of the new pair only the second arrives: the loss
// was real (step 3.a) and the holes are resent; with nothing new to send,
// the first new segment goes with the last hole (RACK found it lost: it
// was sent before the SACKed one). The ACK that reaches the RTO's
// recovery point ends the episode (Linux's TCP_CA_Loss ends at high_seq
// too); the first new segment, lost and resent but not yet acknowledged,
// is a loss of data sent after the RTO: a new recovery (as Linux's
// tcp_time_to_recover() with lost_out), which the last ACK ends: one RTO
// in all, no undo.
0     `echo newreno > /proc/sys/net/glass/congestion_control`
0     socket(..., SOCK_STREAM, 0) = 3
+0    bind(3, 8080) = 0
+0    listen(3, 1) = 0
+0    < S 0:0(0) win 4000 mss 1000 sackOK
+0    > S. 0:0(0) ack 1 win ... mss 1468 sackOK
// A 100 ms handshake RTT: probe timeout about 200 ms, RTO about 300 ms.
+0.1  < . 1:1(0) ack 1 win 4000
+0    accept(3, ..., ...) = 4
+0    write(4, 6000) = 6000
+0    > . 1:1001(1000) ack 1 win ...
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0    > . 3001:4001(1000) ack 1 win ...
+0.2  > . 3001:4001(1000) ack 1 win ...
+0.3  > . 1:1001(1000) ack 1 win ...
+0    info(4) gi_timeouts == 1
// The resent head is acknowledged and the window opens: new data.
+0.02 < . 1:1(0) ack 1001 win 65535
+0    > . 4001:5001(1000) ack 1 win ...
+0    > . 5001:6001(1000) ack 1 win ...
// Only the second new segment arrives, 150 ms later
// (it SACKs new data, no original): the loss was real; the holes go again.
+0.15 < . 1:1(0) ack 1001 win 65535 sack 5001:6001
+0    > . 1001:2001(1000) ack 1 win ...
+0    > . 2001:3001(1000) ack 1 win ...
+0    stat spurious_rtos == 0
+0.005 < . 1:1(0) ack 3001 win 65535 sack 5001:6001
+0    > . 3001:4001(1000) ack 1 win ...
+0    > . 4001:5001(1000) ack 1 win ...
// Every hole the expiry marked is delivered: the episode is over, and
// 4001:5001's loss starts a recovery (recover 6001).
+0.005 < . 1:1(0) ack 4001 win 65535 sack 5001:6001
+0    info(4) gi_ca_state == 1
+0    info(4) gi_timeouts == 1
+0.02 < . 1:1(0) ack 6001 win 65535
+0    info(4) gi_unacked == 0
+0    info(4) gi_ca_state == 0
+0    stat undos == 0
+0    stat spurious_rtos == 0
