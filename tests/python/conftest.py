"""Fixtures of the glass Python module's tests (docs/python.md).

The tests run in the guest (make test: the suite pytest_glass), over a
glass pair between two network namespaces, like the C++ suites' gt::Pair:
h1 holds ga (10.7.0.1/24), h2 holds gb (10.7.0.2/24). A socket belongs to
the namespace its creating thread was in, so `with pair.h1():` around the
server's socket() and `with pair.h2():` around the client's is all it takes.
"""
import contextlib
import ctypes
import itertools
import os
import subprocess

import pytest

import glass

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)
_ports = itertools.count(7400)

ADDR1 = "10.7.0.1"
ADDR2 = "10.7.0.2"


def sh(cmd):
    """Runs a shell command; fails the test with its output if it fails."""
    done = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"{cmd}: exit {done.returncode}\n{done.stdout}{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def netns(name):
    """The calling thread in namespace name for the block (setns)."""
    saved = os.open("/proc/thread-self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    target = os.open(f"/run/netns/{name}", os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _libc.setns(target, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns {name}: {os.strerror(err)}")
        yield
    finally:
        _libc.setns(saved, CLONE_NEWNET)
        os.close(target)
        os.close(saved)


class Pair:
    """Two namespaces joined by a glass pair (ga 10.7.0.1, gb 10.7.0.2)."""

    def __init__(self):
        self.ns1 = f"py{os.getpid()}a"
        self.ns2 = f"py{os.getpid()}b"
        ip = "/usr/sbin/ip"
        sh(f"{ip} netns add {self.ns1} && {ip} netns add {self.ns2}")
        sh(f"{ip} netns exec {self.ns1} glass link add ga peer gb netns {self.ns2}")
        sh(f"{ip} -n {self.ns1} addr add {ADDR1}/24 dev ga && {ip} -n {self.ns1} link set ga up")
        sh(f"{ip} -n {self.ns2} addr add {ADDR2}/24 dev gb && {ip} -n {self.ns2} link set gb up")

    def h1(self):
        return netns(self.ns1)

    def h2(self):
        return netns(self.ns2)

    def server(self, port, **kwargs):
        """A glass listener on 10.7.0.1:port in h1."""
        with self.h1():
            return glass.create_server((ADDR1, port), **kwargs)

    def client(self, port, **kwargs):
        """A glass connection from h2 to 10.7.0.1:port."""
        with self.h2():
            return glass.create_connection((ADDR1, port), **kwargs)

    def connected(self, port):
        """(client, server side, listener) of one connection."""
        srv = self.server(port)
        cli = self.client(port, timeout=30)
        conn, _ = srv.accept()
        return cli, conn, srv

    def stat(self, ns):
        """/proc/net/glass_stat of a namespace, as {name: value}."""
        with netns(ns), open("/proc/net/glass_stat", encoding="ascii") as f:
            words = f.read().split()
        return {words[i]: int(words[i + 1]) for i in range(0, len(words) - 1, 2)}

    def close(self):
        subprocess.run(["sh", "-c", f"/usr/sbin/ip netns del {self.ns1}; "
                        f"/usr/sbin/ip netns del {self.ns2}"], check=False)


@pytest.fixture(scope="session")
def pair():
    p = Pair()
    yield p
    p.close()


@pytest.fixture
def port():
    """A port no other test uses."""
    return next(_ports)


@pytest.fixture
def conn3(pair, port):
    """(client, server side, listener) of a fresh connection; closed after."""
    socks = pair.connected(port)
    yield socks
    for s in socks:
        s.close()
