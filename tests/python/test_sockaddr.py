"""Address translation without a kernel: ("A.B.C.D", port) and struct
sockaddr_glass (the layout of sockaddr_in)."""
import socket
import struct

import pytest

from glass import _sockaddr


def test_pack_is_sockaddr_in_with_family_19():
    raw = _sockaddr.pack(("10.7.0.1", 7000))
    assert len(raw) == 16
    sin = struct.pack("=H", 19) + struct.pack("!H", 7000) + socket.inet_aton("10.7.0.1") + bytes(8)
    assert raw == sin
    assert _sockaddr.unpack(raw) == ("10.7.0.1", 7000)


def test_empty_host_is_any_address():
    assert _sockaddr.unpack(_sockaddr.pack(("", 0))) == ("0.0.0.0", 0)


def test_what_socket_socket_returns_for_family_19_is_read():
    # CPython gives (family, sa_data): 14 bytes, port first.
    sa_data = struct.pack("!H", 41234) + socket.inet_aton("10.7.0.2") + bytes(8)
    assert _sockaddr.from_raw((19, sa_data)) == ("10.7.0.2", 41234)
    assert _sockaddr.from_raw(None) is None
    assert _sockaddr.from_raw(("1.2.3.4", 5)) == ("1.2.3.4", 5)


@pytest.mark.parametrize("bad,exc", [
    ("10.7.0.1:7000", TypeError),
    (("10.7.0.1",), TypeError),
    (("10.7.0.1", "7000"), TypeError),
    (("10.7.0.1", -1), OverflowError),
    (("10.7.0.1", 65536), OverflowError),
    ((7, 7000), TypeError),
])
def test_bad_addresses(bad, exc):
    with pytest.raises(exc):
        _sockaddr.pack(bad)


def test_unpack_refuses_another_family():
    with pytest.raises(ValueError):
        _sockaddr.unpack(struct.pack("=H", 2) + bytes(14))
