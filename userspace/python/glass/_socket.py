"""glass.socket: an AF_GLASS stream socket that behaves as socket.socket.

Implementation notes:
- It is a subclass of socket.socket wrapping a socket(AF_GLASS,
  SOCK_STREAM) descriptor: send, recv, sendall, makefile, settimeout,
  setblocking, shutdown, fileno, close, dup, selectors and asyncio all work
  on it unchanged, with CPython's own timeout, EINTR and error handling.
- CPython cannot build an address for a family it does not know, sizes
  address buffers by the family it was given (and refuses family 19 there:
  "getsockaddrlen: bad family"), and returns an address of a family it does
  not know as (19, b"..."). So the C object is told AF_INET, whose
  sockaddr_in has sockaddr_glass's size, and .family says AF_GLASS; bind
  and connect are made here with libc (ctypes, which releases the GIL), with
  CPython's semantics for blocking, timeout and nonblocking sockets
  (internal_connect in socketmodule.c); getsockname, getpeername, accept and
  recvfrom translate what CPython returns into ("A.B.C.D", port)
  (_sockaddr.py).
- Errors are OSError(errno), which Python turns into the same subclass TCP
  would raise: ConnectionRefusedError, ConnectionResetError,
  BrokenPipeError, TimeoutError, BlockingIOError, ...
- TCP_NODELAY, TCP_CORK and TCP_MAXSEG at IPPROTO_TCP are answered by their
  SOL_GLASS options, as glass run does, so code written for TCP sockets
  that sets them keeps working.
"""
import ctypes
import errno as _errno
import os
import select
import socket as _socket
import time

from . import _abi
from . import _sockaddr
from ._info import SIZE as _INFO_SIZE
from ._info import GlassInfo

_libc = ctypes.CDLL(None, use_errno=True)
_libc.bind.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
_libc.connect.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]

_TCP_TO_GLASS = {
    _socket.TCP_NODELAY: _abi.GLASS_NODELAY,
    _socket.TCP_CORK: _abi.GLASS_CORK,
    _socket.TCP_MAXSEG: _abi.GLASS_MAXSEG,
    _socket.TCP_CONGESTION: _abi.GLASS_CONGESTION,
}


def _raise(err):
    """OSError(err): Python picks the subclass (ConnectionRefusedError, ...)."""
    raise OSError(err, os.strerror(err))


class socket(_socket.socket):  # noqa: N801 (the name of what it stands for)
    """An AF_GLASS stream socket with socket.socket's interface.

    Addresses are ("10.7.0.1", 7000) pairs, as for AF_INET. info() returns
    GLASS_INFO as a GlassInfo of named fields.
    """

    __slots__ = ()

    def __init__(self, family=_abi.AF_GLASS, type=_socket.SOCK_STREAM, proto=0,
                 fileno=None):  # noqa: A002 (socket.socket's parameter names)
        if family != _abi.AF_GLASS:
            raise ValueError(f"glass.socket: family must be AF_GLASS ({_abi.AF_GLASS})")
        if type & 0xF != _socket.SOCK_STREAM:
            raise ValueError("glass.socket: glass has stream sockets only")
        if fileno is None:
            fileno = _socket.socket(_abi.AF_GLASS, type, proto).detach()
        # The C object sizes address buffers by its family: AF_INET's is
        # sockaddr_glass's (16 bytes), family 19's would be refused.
        super().__init__(_socket.AF_INET, type, proto, fileno)

    @property
    def family(self):
        """AF_GLASS (19)."""
        return _abi.AF_GLASS

    # --- addresses in --------------------------------------------------------

    def bind(self, address):
        """Binds to ("A.B.C.D", port); "" is any address, port 0 any port."""
        sa = _sockaddr.pack(address, "bind")
        if _libc.bind(self.fileno(), sa, len(sa)) != 0:
            _raise(ctypes.get_errno())

    def connect(self, address):
        """Connects to ("A.B.C.D", port), honouring settimeout() as TCP does."""
        err = self._connect(address)
        if err == "timeout":
            raise TimeoutError("timed out")
        if err:
            _raise(err)

    def connect_ex(self, address):
        """As connect(), but returns the errno (0 on success; EAGAIN on timeout)."""
        err = self._connect(address)
        return _errno.EWOULDBLOCK if err == "timeout" else err

    def _connect(self, address):
        """0, an errno, or "timeout": CPython's internal_connect, in Python."""
        sa = _sockaddr.pack(address, "connect")
        if _libc.connect(self.fileno(), sa, len(sa)) == 0:
            return 0
        err = ctypes.get_errno()
        timeout = self.gettimeout()
        if err == _errno.EINTR:
            # A signal handler that raises ends the call here (PEP 475);
            # otherwise the connection goes on in the background.
            _run_signal_handlers()
            wait = timeout != 0.0
        else:
            wait = err == _errno.EINPROGRESS and timeout is not None and timeout > 0
        if not wait:
            return err
        return self._wait_connected(timeout)

    def _wait_connected(self, timeout):
        """Waits until the connection completes: 0, its errno, or "timeout"."""
        deadline = None if timeout is None else time.monotonic() + timeout
        poller = select.poll()
        poller.register(self.fileno(), select.POLLOUT | select.POLLERR | select.POLLHUP)
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if poller.poll(None if left is None else left * 1000):
                break
            if left is not None and left <= 0:
                return "timeout"
        err = super().getsockopt(_socket.SOL_SOCKET, _socket.SO_ERROR)
        return 0 if err == _errno.EISCONN else err

    # --- addresses out -------------------------------------------------------

    def getsockname(self):
        """The local ("A.B.C.D", port)."""
        return _sockaddr.from_raw(super().getsockname())

    def getpeername(self):
        """The peer's ("A.B.C.D", port); OSError(ENOTCONN) if none."""
        return _sockaddr.from_raw(super().getpeername())

    def accept(self):
        """(glass.socket, ("A.B.C.D", port)) of the next connection."""
        fd, raw = self._accept()
        sock = socket(_abi.AF_GLASS, self.type, self.proto, fileno=fd)
        # socket.socket.accept's rule: an accepted socket of a listener with
        # a timeout is blocking unless a default timeout is set.
        if _socket.getdefaulttimeout() is None and self.gettimeout():
            sock.setblocking(True)
        return sock, _sockaddr.from_raw(raw)

    def recvfrom(self, *args):
        data, raw = super().recvfrom(*args)
        return data, _sockaddr.from_raw(raw)

    def recvfrom_into(self, *args):
        n, raw = super().recvfrom_into(*args)
        return n, _sockaddr.from_raw(raw)

    def sendto(self, data, *args):
        """A stream socket sends to its peer: the address is ignored, as TCP's."""
        flags = args[0] if len(args) == 2 else 0
        return self.send(data, flags)

    # --- options ---------------------------------------------------------------

    def setsockopt(self, level, optname, value, optlen=None):
        level, optname = _map_option(level, optname)
        if optlen is None:
            return super().setsockopt(level, optname, value)
        return super().setsockopt(level, optname, value, optlen)

    def getsockopt(self, level, optname, buflen=None):
        level, optname = _map_option(level, optname)
        if buflen is None:
            return super().getsockopt(level, optname)
        return super().getsockopt(level, optname, buflen)

    def info(self):
        """getsockopt(SOL_GLASS, GLASS_INFO) as a GlassInfo of named fields."""
        return GlassInfo.from_bytes(
            super().getsockopt(_abi.SOL_GLASS, _abi.GLASS_INFO, _INFO_SIZE))


def _map_option(level, optname):
    """TCP_NODELAY, TCP_CORK, TCP_MAXSEG, TCP_CONGESTION become their SOL_GLASS options."""
    if level == _socket.IPPROTO_TCP and optname in _TCP_TO_GLASS:
        return _abi.SOL_GLASS, _TCP_TO_GLASS[optname]
    return level, optname


def _run_signal_handlers():
    """Runs pending signal handlers now; one that raises ends the call."""
    ctypes.pythonapi.PyErr_CheckSignals()


_GLOBAL_DEFAULT_TIMEOUT = _socket._GLOBAL_DEFAULT_TIMEOUT  # noqa: SLF001 (the stdlib's marker)


def create_connection(address, timeout=_GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """socket.create_connection for glass: a connected glass.socket."""
    sock = socket()
    try:
        if timeout is not _GLOBAL_DEFAULT_TIMEOUT:
            sock.settimeout(timeout)
        if source_address:
            sock.bind(source_address)
        sock.connect(address)
        return sock
    except BaseException:
        sock.close()
        raise


def create_server(address, *, backlog=None, reuse_address=True):
    """socket.create_server for glass: a listening glass.socket."""
    sock = socket()
    try:
        if reuse_address:
            sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
        sock.bind(address)
        if backlog is None:
            sock.listen()
        else:
            sock.listen(backlog)
        return sock
    except BaseException:
        sock.close()
        raise
