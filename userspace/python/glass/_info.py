"""GLASS_INFO as named fields: glass.socket.info() returns a GlassInfo.

The fields are struct glass_info's (generated from glass.h into _abi.py),
without their gi_ prefix and without padding: info.state, info.snd_wnd,
info.unread, info.srtt_us, ... The structure is versioned by size (glass.h):
the kernel fills what both sides know; a field an older kernel does not
have is None.
"""
import collections
import ctypes

from . import _abi

_FIELDS = [(name, ctype) for name, ctype in _abi.glass_info._fields_
           if not name.startswith("gi_pad")]
_NAMES = [name[len("gi_"):] for name, _ in _FIELDS]

SIZE = ctypes.sizeof(_abi.glass_info)


class GlassInfo(collections.namedtuple("GlassInfo", _NAMES)):
    """A connection's state, as getsockopt(SOL_GLASS, GLASS_INFO) sees it.

    Times are microseconds, sizes bytes, sequence numbers absolute. Each
    field's meaning: GlassInfo.doc("snd_wnd") (the comment in glass.h).
    """

    __slots__ = ()

    @property
    def state_name(self):
        """The state as a word: "ESTABLISHED", "LISTEN", ..."""
        return _abi.STATE_NAMES.get(self.state, str(self.state))

    @staticmethod
    def doc(field):
        """The header's comment for a field ("window the peer last advertised")."""
        return _abi.FIELD_DOCS["gi_" + field]

    @classmethod
    def from_bytes(cls, raw):
        """Decodes what getsockopt(GLASS_INFO) returned (a prefix may be missing)."""
        full = _abi.glass_info.from_buffer_copy(bytes(raw[:SIZE]).ljust(SIZE, b"\0"))
        values = []
        for name, ctype in _FIELDS:
            end = getattr(_abi.glass_info, name).offset + ctypes.sizeof(ctype)
            values.append(getattr(full, name) if end <= len(raw) else None)
        return cls(*values)
