#!/usr/bin/env bash
# `make install` into a temporary DESTDIR: every file lands where it should
# (PREFIX respected, the dissector where tshark loads Lua plugins), the man
# pages render, and tiny C and C++ programs build against the installed
# library with `pkg-config --cflags --libs glass` and run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d /tmp/glass-install-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
DEST=$TMP/dest
PREFIX=/opt/glass-test
FAILS=0

fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}
expect_file() {
	[ -f "$DEST$1" ] || fail "missing $1"
}

make -C "$ROOT" --no-print-directory install PREFIX="$PREFIX" DESTDIR="$DEST" >"$TMP/make.log" 2>&1 ||
	{ cat "$TMP/make.log"; fail "make install exited non-zero"; exit 1; }

PLUGINS=$(tshark -G folders 2>/dev/null | sed -n 's/^Global Lua Plugins:[[:space:]]*//p')
[ -n "$PLUGINS" ] || fail "tshark -G folders names no global Lua plugin folder"
expect_file "$PREFIX/bin/glass"
expect_file "$PREFIX/include/glass/glass.hpp"
expect_file "$PREFIX/include/glass/socket.hpp"
expect_file "$PREFIX/include/glass/uapi/linux/glass.h"
expect_file "$PREFIX/include/glass/uapi/linux/glass_wire.h"
expect_file "$PREFIX/lib/libglass.a"
expect_file "$PREFIX/lib/pkgconfig/glass.pc"
expect_file "$PREFIX/lib/glass/libglass_preload.so"
PYDIR=$(ls -d "$DEST$PREFIX"/lib/python3*/dist-packages 2>/dev/null | head -n1)
[ -n "$PYDIR" ] || fail "no Python package folder under $PREFIX/lib"
for f in __init__.py _abi.py _info.py _sockaddr.py _socket.py; do
	[ -f "$PYDIR/glass/$f" ] || fail "missing the Python module's glass/$f"
done
# The installed module imports and knows the header's numbers.
[ -z "$PYDIR" ] || [ "$(PYTHONPATH=$PYDIR /usr/bin/python3 -c 'import glass; print(glass.AF_GLASS, glass.SOL_GLASS)')" = "19 290" ] ||
	fail "the installed Python module does not import"
expect_file "$PLUGINS/glass.lua"
for sub in "" $("$DEST$PREFIX/bin/glass" --help | awk '/^Subcommands:/ { on = 1; next } on && !NF { exit } on { print $1 }'); do
	expect_file "$PREFIX/share/man/man1/glass${sub:+-$sub}.1"
done
# Nothing outside PREFIX but the dissector.
outside=$(cd "$DEST" && find . -type f | sed 's|^\.||' | grep -v "^$PREFIX/" | grep -vx "$PLUGINS/glass.lua" || true)
[ -z "$outside" ] || fail "installed outside PREFIX: $outside"

# The binary runs and knows its options; a man page shows one of them.
"$DEST$PREFIX/bin/glass" --version | grep -q '^glass ' || fail "glass --version"
# The installed glass run finds the installed preload library (docs/run.md).
preload=$("$DEST$PREFIX/bin/glass" run -- sh -c 'echo "$LD_PRELOAD"' 2>&1) || fail "glass run exited non-zero: $preload"
[ "$preload" = "$DEST$PREFIX/lib/glass/libglass_preload.so" ] ||
	fail "installed glass run preloads '$preload', not $DEST$PREFIX/lib/glass/libglass_preload.so"
MANWIDTH=120 man -l "$DEST$PREFIX/share/man/man1/glass-capture.1" 2>/dev/null | grep -q -- '--duration' ||
	fail "man glass-capture shows no --duration"

# The installed file is a plugin tshark loads from a plugin folder (the
# personal one of a scratch HOME: the global one is the real system's).
mkdir -p "$TMP/home/.local/lib/wireshark/plugins"
cp "$DEST$PLUGINS/glass.lua" "$TMP/home/.local/lib/wireshark/plugins/"
HOME=$TMP/home tshark -G fields 2>/dev/null | grep -qP '\tglass\.seq\t' ||
	fail "tshark does not load the installed glass.lua from a plugin folder"

# pkg-config, as a user of the installed tree would call it.
export PKG_CONFIG_PATH=$DEST$PREFIX/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$DEST
pkg-config --exists glass || fail "pkg-config does not find glass"
[ "$(pkg-config --modversion glass)" = "$(sed -n 's/^project(glass VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")" ] ||
	fail "glass.pc version differs from the project's"
cat >"$TMP/prog.cpp" <<'CPP'
#include <glass/glass.hpp>

#include <iostream>

int main() {
  const glass::Address a = glass::Address::parse("10.7.0.2:7000");
  std::cout << a.str() << " " << sizeof(sockaddr_glass) << "\n";
  return 0;
}
CPP
cat >"$TMP/prog.c" <<'C'
#include <netinet/in.h>
#include <linux/glass.h>
#include <stdio.h>

_Static_assert(sizeof(struct sockaddr_glass) == 16, "sockaddr_glass is 16 bytes");

int main(void)
{
	printf("%d\n", AF_GLASS);
	return 0;
}
C
# shellcheck disable=SC2046
if g++ -std=c++20 -o "$TMP/prog" "$TMP/prog.cpp" $(pkg-config --cflags --libs glass) 2>"$TMP/cxx.log"; then
	out=$("$TMP/prog")
	[ "$out" = "10.7.0.2:7000 16" ] || fail "C++ program printed '$out'"
else
	cat "$TMP/cxx.log"
	fail "C++ program does not build with pkg-config --cflags --libs glass"
fi
# shellcheck disable=SC2046
if gcc -o "$TMP/progc" "$TMP/prog.c" $(pkg-config --cflags glass) 2>"$TMP/cc.log"; then
	[ "$("$TMP/progc")" = 19 ] || fail "C program printed '$("$TMP/progc")'"
else
	cat "$TMP/cc.log"
	fail "C program does not build with pkg-config --cflags glass"
fi

if [ "$FAILS" -gt 0 ]; then
	echo "install: $FAILS checks failed"
	exit 1
fi
echo "install: all checks passed"
