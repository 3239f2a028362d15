#!/usr/bin/env python3
"""Split a unity build's compile database back into one entry per source.

With GLASS_UNITY_BUILD (CMakeLists.txt) CMake compiles the large targets
through generated unity_N_cxx.cxx files that #include 8 sources each, and
build/compile_commands.json names only those. clang-tidy must see every
source alone (a missing #include hidden by an earlier file of its batch is
a defect), so make check reads this script's output instead: each unity
entry becomes one entry per included source, with the same command (a
target's sources share their flags).

usage: compile-db-split.py IN.json OUT.json
"""
import json
import re
import sys

INCLUDE = re.compile(r'^#include "(.+)"$')


def split(entry):
    """The entries a unity entry stands for (the entry itself otherwise)."""
    unity = entry["file"]
    if not re.search(r"/unity_\d+_cxx\.cxx$", unity):
        return [entry]
    with open(unity, encoding="utf-8") as f:
        sources = [m.group(1) for m in map(INCLUDE.match, f.read().splitlines()) if m]
    return [
        {"directory": entry["directory"], "command": entry["command"].replace(unity, src), "file": src}
        for src in sources
    ]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    with open(sys.argv[1], encoding="utf-8") as f:
        entries = json.load(f)
    out = [e for entry in entries for e in split(entry)]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
