// Active open, blocking connect(): SYN out (no ACK, window 0, our MSS),
// SYN-ACK in 100 ms later, ACK out, and connect() returns then. The SYN
// offers SACK; this peer does not, so the connection goes without it.
0        socket(..., SOCK_STREAM, 0) = 3
+0...0.1 connect(3, ..., ...) = 0
+0       > S 0:0(0) win 0 mss 1468 sackOK
+0.1     < S. 0:0(0) ack 1 win 65535 mss 1200
+0       > . 1:1(0) ack 1 win ...
+0       info(3) gi_state == ESTABLISHED
+0       info(3) gi_mss == 1200
+0       stat active_opens == 1
// Non-blocking connect on a second socket: EINPROGRESS, and the SYN goes
// out. (It is never answered; the script ends before its retransmission.)
+0.05    socket(..., SOCK_STREAM|SOCK_NONBLOCK, 0) = 5
+0       connect(5, ..., ...) = -1 EINPROGRESS
+0       > S 0:0(0) win 0 mss 1468 sackOK
