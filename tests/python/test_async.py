"""glass.socket in event loops: selectors and asyncio streams."""
import asyncio
import errno
import selectors
import socket

import glass
from conftest import ADDR1


def test_selectors_echo(pair, port):
    srv = pair.server(port)
    srv.setblocking(False)
    with pair.h2():
        cli = glass.socket()
    cli.setblocking(False)
    assert cli.connect_ex((ADDR1, port)) in (0, errno.EINPROGRESS)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ, "listener")
    sel.register(cli, selectors.EVENT_WRITE, "client")
    echoed, conn, sent = b"", None, False
    for _ in range(200):
        for key, events in sel.select(timeout=5):
            if key.data == "listener":
                conn, _ = srv.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ, "server")
            elif key.data == "server":
                data = conn.recv(100)
                if data:
                    conn.send(data.upper())
            elif key.data == "client" and events & selectors.EVENT_WRITE and not sent:
                cli.send(b"hello glass")
                sent = True
                sel.modify(cli, selectors.EVENT_READ, "client")
            elif key.data == "client" and events & selectors.EVENT_READ:
                echoed += cli.recv(100)
        if echoed == b"HELLO GLASS":
            break
    assert echoed == b"HELLO GLASS"
    sel.close()
    for s in (cli, conn, srv):
        s.close()


def test_asyncio_streams_over_glass(pair, port):
    srv = pair.server(port)
    cli = pair.client(port, timeout=30)
    client_addr = cli.getsockname()
    seen = {}

    async def handle(reader, writer):
        seen["peer"] = writer.get_extra_info("peername")
        line = await reader.readline()
        writer.write(line.upper())
        await writer.drain()
        writer.close()

    async def main():
        server = await asyncio.start_server(handle, sock=srv)
        reader, writer = await asyncio.open_connection(sock=cli)
        seen["client_peer"] = writer.get_extra_info("peername")
        writer.write(b"request over glass\n")
        await writer.drain()
        answer = await asyncio.wait_for(reader.readline(), 30)
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return answer

    assert asyncio.run(main()) == b"REQUEST OVER GLASS\n"
    assert seen["client_peer"] == (ADDR1, port)
    assert seen["peer"] == client_addr


def test_asyncio_sock_connect_and_sock_calls(pair, port):
    srv = pair.server(port)
    with pair.h2():
        s = glass.socket()
    s.setblocking(False)

    async def main():
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.sock_connect(s, (ADDR1, port)), 30)
        conn, peer = await asyncio.wait_for(loop.sock_accept(srv), 30)
        await loop.sock_sendall(s, b"abc")
        got = await asyncio.wait_for(loop.sock_recv(conn, 10), 30)
        conn.close()
        return got, peer

    srv.setblocking(False)
    got, peer = asyncio.run(main())
    assert got == b"abc"
    assert peer == s.getsockname()
    assert isinstance(s, socket.socket)
    s.close()
    srv.close()
