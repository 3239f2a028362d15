"""glass.socket behaves as socket.socket: addresses, data, timeouts, makefile,
dup, options, and the exceptions TCP's calls raise (docs/python.md)."""
import errno
import hashlib
import os
import select
import socket
import threading

import pytest

import glass
from conftest import ADDR1, ADDR2


def test_is_a_socket_with_inet_style_addresses(pair, port):
    srv = pair.server(port)
    with pair.h2():
        cli = glass.socket()
    assert isinstance(cli, socket.socket)
    assert cli.family == glass.AF_GLASS
    assert cli.type == socket.SOCK_STREAM
    assert cli.getsockname() == ("0.0.0.0", 0)
    cli.connect((ADDR1, port))
    conn, peer = srv.accept()
    assert isinstance(conn, glass.socket)
    assert peer == cli.getsockname()
    assert peer[0] == ADDR2 and peer[1] > 0
    assert cli.getpeername() == (ADDR1, port)
    assert conn.getsockname() == (ADDR1, port)
    assert conn.getpeername() == peer
    assert srv.getsockname() == (ADDR1, port)
    assert f"laddr=('{ADDR1}', {port})" in repr(conn)
    for s in (cli, conn, srv):
        s.close()


def test_bytes_go_over_glass(pair, conn3):
    cli, conn, _ = conn3
    before1, before2 = pair.stat(pair.ns1), pair.stat(pair.ns2)
    cli.sendall(b"ping" * 1000)
    got = b""
    while len(got) < 4000:
        got += conn.recv(65536)
    assert got == b"ping" * 1000
    conn.sendall(b"pong")
    assert cli.recv(10) == b"pong"
    after1, after2 = pair.stat(pair.ns1), pair.stat(pair.ns2)
    assert after2["bytes_out"] - before2["bytes_out"] >= 4000
    assert after1["bytes_in"] - before1["bytes_in"] >= 4000
    assert after1["bytes_out"] - before1["bytes_out"] >= 4


def test_makefile_carries_a_megabyte_intact(conn3):
    cli, conn, _ = conn3
    data = os.urandom(1 << 20)
    writer = threading.Thread(target=lambda: (cli.makefile("wb").write(data), cli.shutdown(
        socket.SHUT_WR)))
    writer.start()
    got = conn.makefile("rb").read()
    writer.join()
    assert hashlib.sha256(got).digest() == hashlib.sha256(data).digest()


def test_makefile_lines(conn3):
    cli, conn, _ = conn3
    wf = cli.makefile("w", encoding="ascii", newline="")
    rf = conn.makefile("r", encoding="ascii", newline="")
    wf.write("GET / HTTP/1.1\r\nHost: glass\r\n\r\n")
    wf.flush()
    assert rf.readline() == "GET / HTTP/1.1\r\n"
    assert rf.readline() == "Host: glass\r\n"


def test_eof_after_peer_shutdown(conn3):
    cli, conn, _ = conn3
    cli.sendall(b"last")
    cli.shutdown(socket.SHUT_WR)
    assert conn.recv(10) == b"last"
    assert conn.recv(10) == b""


def test_settimeout_recv_raises_timeout_error(conn3):
    _, conn, _ = conn3
    conn.settimeout(0.3)
    assert conn.gettimeout() == 0.3
    with pytest.raises(TimeoutError):
        conn.recv(10)


def test_nonblocking_recv_raises_blocking_io_error(conn3):
    _, conn, _ = conn3
    conn.setblocking(False)
    with pytest.raises(BlockingIOError):
        conn.recv(10)


def test_accept_with_timeout_times_out(pair, port):
    srv = pair.server(port)
    srv.settimeout(0.2)
    with pytest.raises(TimeoutError):
        srv.accept()
    srv.close()


def test_connect_to_closed_port_is_refused(pair, port):
    with pair.h2():
        s = glass.socket()
    with pytest.raises(ConnectionRefusedError) as exc:
        s.connect((ADDR1, port))
    assert exc.value.errno == errno.ECONNREFUSED
    s.close()
    with pair.h2():
        s = glass.socket()
    assert s.connect_ex((ADDR1, port)) == errno.ECONNREFUSED
    s.close()


def test_connect_timeout_raises_timeout_error(pair):
    # Nobody answers 10.7.0.3: the SYN goes out over gb and is never answered.
    with pair.h2():
        s = glass.socket()
    s.settimeout(0.5)
    with pytest.raises(TimeoutError):
        s.connect(("10.7.0.3", 7000))
    s.close()
    with pair.h2():
        s = glass.socket()
    s.settimeout(0.5)
    assert s.connect_ex(("10.7.0.3", 7000)) == errno.EWOULDBLOCK
    s.close()


def test_nonblocking_connect_completes_like_tcp(pair, port):
    srv = pair.server(port)
    with pair.h2():
        s = glass.socket()
    s.setblocking(False)
    with pytest.raises(BlockingIOError) as exc:
        s.connect((ADDR1, port))
    assert exc.value.errno == errno.EINPROGRESS
    _, writable, _ = select.select([], [s], [], 10)
    assert writable == [s]
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
    assert s.getpeername() == (ADDR1, port)
    conn, _ = srv.accept()
    for x in (s, conn, srv):
        x.close()


def test_reset_by_peer_raises_connection_reset_error(conn3):
    cli, conn, _ = conn3
    cli.sendall(b"never read")
    select.select([conn], [], [], 10)
    conn.close()  # unread data: an abortive close, RST as TCP sends
    cli.settimeout(10)
    with pytest.raises(ConnectionResetError):
        while cli.recv(10):
            pass


def test_send_after_shutdown_raises_broken_pipe_error(conn3):
    cli, _, _ = conn3
    cli.shutdown(socket.SHUT_WR)
    with pytest.raises(BrokenPipeError):
        cli.send(b"x")


def test_send_after_reset_ends_in_broken_pipe_error(conn3):
    cli, conn, _ = conn3
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
    conn.close()  # SO_LINGER {1, 0}: RST at once
    errors = []
    for _ in range(50):
        try:
            cli.send(b"x" * 100)
        except (ConnectionResetError, BrokenPipeError) as e:
            errors.append(type(e))
            if isinstance(e, BrokenPipeError):
                break
        select.select([cli], [], [], 0.1)
    assert errors and errors[-1] is BrokenPipeError, errors


def test_bind_to_a_used_port_raises_eaddrinuse(pair, port):
    srv = pair.server(port)
    with pair.h1():
        s = glass.socket()
    with pytest.raises(OSError) as exc:
        s.bind((ADDR1, port))
    assert exc.value.errno == errno.EADDRINUSE
    s.close()
    srv.close()


def test_bad_addresses_raise_like_socket_socket():
    s = glass.socket()
    with pytest.raises(TypeError):
        s.connect("10.7.0.1:7000")
    with pytest.raises(TypeError):
        s.bind(("10.7.0.1",))
    with pytest.raises(OverflowError):
        s.bind(("10.7.0.1", 70000))
    with pytest.raises(OSError):
        s.connect(("::1", 7000))
    s.close()


def test_wrong_family_or_type_is_refused():
    with pytest.raises(ValueError):
        glass.socket(socket.AF_INET)
    with pytest.raises(ValueError):
        glass.socket(type=socket.SOCK_DGRAM)


def test_dup_is_a_glass_socket_on_the_same_connection(conn3):
    cli, conn, _ = conn3
    twin = cli.dup()
    assert isinstance(twin, glass.socket)
    assert twin.getpeername() == cli.getpeername()
    twin.sendall(b"from the dup")
    assert conn.recv(100) == b"from the dup"
    twin.close()


def test_congestion_control_by_tcp_name_and_zerocopy_switch(conn3):
    cli, _, _ = conn3
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"newreno")
    assert cli.getsockopt(glass.SOL_GLASS, glass.GLASS_CONGESTION, 16).rstrip(b"\0") == b"newreno"
    with pytest.raises(OSError) as exc:
        cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"vegas")
    assert exc.value.errno == errno.ENOENT
    # SO_ZEROCOPY's switch lives at glass's level; SOL_SOCKET reads it back.
    so_zerocopy = getattr(socket, "SO_ZEROCOPY", 60)
    assert cli.getsockopt(socket.SOL_SOCKET, so_zerocopy) == 0
    cli.setsockopt(glass.SOL_GLASS, glass.GLASS_ZEROCOPY, 1)
    assert cli.getsockopt(socket.SOL_SOCKET, so_zerocopy) == 1


def test_tcp_options_map_to_glass_options(conn3):
    cli, _, _ = conn3
    assert cli.info().nodelay == 0
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    assert cli.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    assert cli.getsockopt(glass.SOL_GLASS, glass.GLASS_NODELAY) == 1
    assert cli.info().nodelay == 1
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
    assert cli.info().cork == 1
    with pytest.raises(OSError) as exc:
        cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 5)
    assert exc.value.errno == errno.ENOPROTOOPT


def test_sendto_on_a_connected_socket_ignores_the_address(conn3):
    cli, conn, _ = conn3
    assert cli.sendto(b"abc", ("10.9.9.9", 1)) == 3
    data, addr = conn.recvfrom(10)
    assert data == b"abc"
    assert addr is None or addr == cli.getsockname()
