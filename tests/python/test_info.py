"""glass.socket.info(): GLASS_INFO as named fields, with the layout the
build generated from glass.h and checked with the C compiler, and the size
the running kernel reports (docs/python.md)."""
import ctypes
import select
import time

import pytest

import glass
from glass import _abi
from glass._info import SIZE


def wait_until(cond, secs=10.0):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def test_the_kernel_struct_is_the_generated_one(conn3):
    cli, _, _ = conn3
    info = cli.info()
    assert info.len == ctypes.sizeof(_abi.glass_info) == SIZE
    assert "pad0" not in info._fields


def test_states_and_names(conn3):
    cli, conn, srv = conn3
    assert cli.info().state == _abi.GLASS_ESTABLISHED == 1
    assert cli.info().state_name == "ESTABLISHED"
    assert conn.info().state_name == "ESTABLISHED"
    assert srv.info().state_name == "LISTEN"
    assert glass.GlassInfo.doc("snd_wnd") == "window the peer last advertised"


def test_buffers_and_counters_follow_the_data(conn3):
    cli, conn, _ = conn3
    before = cli.info()
    cli.sendall(b"x" * 3000)
    # Unread, the bytes wait in the server's receive buffer.
    assert wait_until(lambda: conn.info().unread == 3000)
    assert wait_until(lambda: cli.info().bytes_acked - before.bytes_acked == 3000)
    after = cli.info()
    # bytes_sent counts resends too (as tcpi_bytes_sent does): exact when
    # no timer resent anything, else at most one segment more per resend
    # (a slow kernel can fire a tail loss probe before the ACK arrives).
    resent = after.retransmits - before.retransmits
    if resent == 0:
        assert after.bytes_sent - before.bytes_sent == 3000
    else:
        assert 3000 < after.bytes_sent - before.bytes_sent <= 3000 + resent * after.mss
    assert after.unacked == 0 and after.unsent == 0
    assert after.snd_nxt - before.snd_nxt == 3000
    assert after.mss > 0 and after.snd_wnd > 0
    got = b""
    while len(got) < 3000:
        select.select([conn], [], [], 5)
        got += conn.recv(65536)
    assert conn.info().unread == 0
    assert conn.info().bytes_received >= 3000
    assert conn.info().rcv_nxt == cli.info().snd_nxt


def test_a_shorter_answer_leaves_newer_fields_none():
    raw = bytes(SIZE)
    info = glass.GlassInfo.from_bytes(raw[:8])
    assert info.len == 0 and info.state == 0 and info.cork == 0
    assert info.iss is None and info.writer_blocked is None
    full = glass.GlassInfo.from_bytes(raw + b"\xff" * 8)  # a newer kernel's longer struct
    assert full.writer_blocked == 0


def test_info_of_a_socket_that_is_not_connected_is_close():
    s = glass.socket()
    assert s.info().state_name == "CLOSE"
    s.close()


@pytest.mark.parametrize("name", ["AF_GLASS", "SOL_GLASS", "GLASS_INFO", "GLASS_NODELAY",
                                  "GLASS_CONGESTION", "GLASS_ZEROCOPY"])
def test_constants_come_from_the_header(name):
    assert getattr(glass, name) == getattr(_abi, name)
    assert glass.AF_GLASS == 19
