#!/usr/bin/env python3
"""The floors of kmod/, checked from the #include lines (`make check`).

docs/architecture.md draws the floors; this is their one machine-readable
copy. A file may include the module's headers of its own floor and of the
floors below, never above, so a file's includes say what it may use (a call
without the header fails the W=1 build). On top of that:

  - core/ includes nothing outside core/; only core_types.h names a
    system header, and only the ones that give it its types;
  - the frame and device floors include no socket header of the kernel;
  - the tables know no engine (glass_table.c does not include
    glass_engine.h);
  - no .c file declares an extern of its own: crossing files goes through
    the headers;
  - userspace/, include/ and tests/ include nothing from kmod/, except the
    host tests of kmod/core, which compile core/ as it is.

Every kmod file must have a floor: a new file fails until it is placed.
Usage: check-layers.py [ROOT]; exit 1 and one line per violation if any.
"""

import os
import re
import sys

FLOORS = [
    ("core", ["core/*"]),
    ("frame", ["glass_frame.h", "glass_ext.h", "glass_ext.c"]),
    ("device", ["glass_dev.h", "glass_dev.c", "glass_fault.h", "glass_fault.c",
                "glass_lower.h", "glass_lower.c", "glass_neigh.h", "glass_neigh.c",
                "glass_gro.c"]),
    ("socket state", ["glass_sock.h", "glass_mem.h", "glass_mem.c", "glass_txspare.h", "glass_txspare.c",
                      "glass_memwait.h", "glass_memwait.c",
                      "glass_trace.h", "glass_trace.c", "glass_sysctl.c"]),
    ("protocol", ["glass_table.h", "glass_table.c", "glass_engine.h",
                  "glass_input.c", "glass_output.c", "glass_route.c", "glass_timer.c", "glass_rcvbuf.c", "glass_sndbuf.c",
                  "glass_conn.h", "glass_conn.c", "glass_zerocopy.h",
                  "glass_zerocopy.c", "glass_txpage.h", "glass_txpage.c"]),
    ("socket calls", ["glass_socket.h", "af_glass.c", "glass_io.c",
                      "glass_proc.c", "glass_main.c"]),
]

# Kernel headers that mean "sockets": below the socket-state floor, none.
SOCKET_HEADERS = {
    "net/sock.h", "net/tcp_states.h", "net/inet_sock.h", "net/tcp.h",
    "linux/tcp.h", "net/inet_connection_sock.h", "net/request_sock.h",
    "net/inet_hashtables.h", "net/sock_reuseport.h", "linux/net.h",
}
NO_SOCKETS_BELOW = 3  # floors 0-2: core, frame, device

CORE_TYPES_ALLOWED = {"linux/types.h", "stdbool.h", "stdint.h", "stddef.h"}

# (file, header it must not include) inside a floor.
BANNED = [
    ("glass_table.c", "glass_engine.h"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def floor_of(rel):
    for i, (_, patterns) in enumerate(FLOORS):
        for p in patterns:
            if p == rel or (p.endswith("/*") and rel.startswith(p[:-1])):
                return i
    return None


def includes(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield n, m.group(1), m.group(2)


def kmod_files(kmod):
    for d, _, names in os.walk(kmod):
        for name in sorted(names):
            if not name.endswith((".c", ".h")) or name.endswith(".mod.c"):
                continue
            yield os.path.relpath(os.path.join(d, name), kmod)


def check_kmod(kmod, errors):
    for rel in sorted(kmod_files(kmod)):
        fl = floor_of(rel)
        if fl is None:
            errors.append(f"kmod/{rel}: on no floor (add it to FLOORS in "
                          f"scripts/check-layers.py and to docs/architecture.md)")
            continue
        name = FLOORS[fl][0]
        for n, kind, inc in includes(os.path.join(kmod, rel)):
            where = f"kmod/{rel}:{n}"
            if kind == '"':
                target = os.path.normpath(os.path.join(os.path.dirname(rel), inc))
                if target.startswith(".."):
                    errors.append(f"{where}: includes {inc}, outside kmod/")
                    continue
                tf = floor_of(target)
                if tf is None:
                    errors.append(f"{where}: includes {inc}, on no floor")
                elif tf > fl:
                    errors.append(f"{where}: {name} floor includes {inc} "
                                  f"({FLOORS[tf][0]} floor, above it)")
                if (rel, target) in BANNED:
                    errors.append(f"{where}: {rel} must not include {target}")
            elif fl == 0:
                if rel != "core/core_types.h" or inc not in CORE_TYPES_ALLOWED:
                    errors.append(f"{where}: core/ includes <{inc}> "
                                  f"(only core/core_types.h picks the types)")
            elif fl < NO_SOCKETS_BELOW and inc in SOCKET_HEADERS:
                errors.append(f"{where}: {name} floor includes the socket "
                              f"header <{inc}>")
        if rel.endswith(".c"):
            with open(os.path.join(kmod, rel), encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if re.match(r"^extern\b", line):
                        errors.append(f"kmod/{rel}:{n}: extern in a .c file "
                                      f"(declare it in its floor's header)")


KMOD_HEADERS = re.compile(r"(^|/)(glass_[a-z_]+\.h|kmod/)")


def check_outside(root, kmod, errors):
    headers = {os.path.basename(r) for r in kmod_files(kmod) if r.endswith(".h")}
    core = {os.path.basename(r) for r in kmod_files(kmod) if r.startswith("core/")}
    for top in ("userspace", "include", "tests"):
        base = os.path.join(root, top)
        for d, _, names in os.walk(base):
            for name in names:
                if not name.endswith((".c", ".cc", ".cpp", ".h", ".hpp")):
                    continue
                path = os.path.join(d, name)
                rel = os.path.relpath(path, root)
                for n, kind, inc in includes(path):
                    b = os.path.basename(inc)
                    if "kmod/" in inc:
                        errors.append(f"{rel}:{n}: includes {inc} from kmod/")
                    elif kind == '"' and b in headers and \
                            not os.path.exists(os.path.join(d, inc)):
                        if rel.startswith("tests/unit/core/") and b in core:
                            continue
                        errors.append(f"{rel}:{n}: includes the kmod header {inc}")


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    kmod = os.path.join(root, "kmod")
    errors = []
    check_kmod(kmod, errors)
    check_outside(root, kmod, errors)
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
