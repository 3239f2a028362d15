#!/usr/bin/env python3
"""Python socket client of GatewayServer.java (the shape of Py4J's
Python-to-JVM gateway). Plain `socket`: `glass run` puts it on glass.

    gateway_client.py ADDRESS PORT [ROUNDS]

Sends ROUNDS (default 200) add/upper commands and checks every answer,
asks the server who it is talking to, prints one summary line, exits 0 if
every answer was right."""
import socket
import sys


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    with socket.create_connection((host, port), timeout=60) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        f = s.makefile("rw", encoding="utf-8", newline="\n")

        def ask(line):
            f.write(line + "\n")
            f.flush()
            return f.readline().rstrip("\n")

        for i in range(rounds):
            got = ask(f"add {i} {i * 7}")
            if got != str(i * 8):
                print(f"FAIL add {i}: {got!r}")
                return 1
            got = ask(f"upper glass {i}")
            if got != f"GLASS {i}":
                print(f"FAIL upper {i}: {got!r}")
                return 1
        who = ask("whoami")
        me, peer = s.getsockname(), s.getpeername()
        if ask("bye") != "bye":
            print("FAIL bye")
            return 1
    print(f"ok rounds={rounds} client={me[0]}:{me[1]} server={peer[0]}:{peer[1]} java: {who}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
