"""glass: Python speaks glass natively.

    import glass
    srv = glass.create_server(("10.7.0.1", 7000))
    cli = glass.create_connection(("10.7.0.1", 7000))
    conn, peer = srv.accept()          # peer == ("10.7.0.2", 41234)
    cli.info().snd_wnd                 # GLASS_INFO as named fields

glass.socket() is an AF_GLASS stream socket that behaves as socket.socket:
settimeout, makefile, selectors and asyncio (open_connection(sock=...),
start_server(sock=...), loop.sock_connect) work on it, and errors are the
exceptions TCP's would raise. Every number comes from
include/uapi/linux/glass.h through the generated _abi module. docs/python.md
says more.
"""
from ._abi import (AF_GLASS, GLASS_CONGESTION, GLASS_CORK, GLASS_DELACK_PENDING,
                   GLASS_DELACK_QUICK, GLASS_INFO, GLASS_MAXSEG, GLASS_NODELAY, GLASS_QUICKACK,
                   GLASS_ZEROCOPY, PF_GLASS, SOL_GLASS, STATE_NAMES)
from ._info import GlassInfo
from ._socket import create_connection, create_server, socket

__all__ = [
    "AF_GLASS", "PF_GLASS", "SOL_GLASS", "GLASS_NODELAY", "GLASS_MAXSEG", "GLASS_CORK",
    "GLASS_INFO", "GLASS_QUICKACK", "GLASS_DELACK_PENDING", "GLASS_DELACK_QUICK",
    "GLASS_CONGESTION", "GLASS_ZEROCOPY",
    "STATE_NAMES", "GlassInfo", "socket", "create_connection", "create_server",
]
