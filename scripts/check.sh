#!/usr/bin/env bash
# `make check`: static checks. Every step runs; the exit status is non-zero
# when any step failed.
#   1. kmod built with W=1 and sparse (C=2): no warning lines at all
#   2. kernel-doc on kmod/: every comment well-formed, every non-static
#      function documented (the global symbols of step 1's objects)
#   3. the floors of kmod/ (scripts/check-layers.py, docs/architecture.md)
#   4. checkpatch.pl --strict --no-tree on kmod/ files, and kmod_rules
#   5. clang-format --dry-run -Werror on userspace/ and tests/ C/C++ files
#   6. clang-tidy (.clang-tidy) on userspace/ and tests/ sources
#   7. man pages: docs/man/ equals what the CLI's definitions give
#      (glass-mangen), and groff renders each page without a warning
#   8. every `glass ...` command in README.md and docs/*.md exists with its
#      flags (scripts/check-doc-commands.py against build/bin/glass --help)
# Folders that do not exist are skipped. `scripts/check.sh kmod` runs steps
# 1-4 and the kmod rules only (a minute, for kernel work in progress).
set -euo pipefail
GLASS_PROG=check
. "$(dirname "$0")/lib.sh"

KMOD=${GLASS_CHECK_KMOD:-$GLASS_ROOT/kmod}
WORK=$GLASS_ROOT/build/check
CP_DIR=$GLASS_ROOT/build/checkpatch
FAILED_STEPS=()
CXX_DIRS=(userspace tests)

step_result() {
	local name=$1 rc=$2
	if [ "$rc" = 0 ]; then say "   -> $name: clean"; else
		say "   -> $name: FAILED"
		FAILED_STEPS+=("$name")
	fi
}

# The module is built in a copy (build/check) so W=1/C=2 never disturb the
# objects of the normal build; paths are mapped back in the messages.
kmod_warnings() {
	local kdir log=$WORK/kbuild.log rc=0
	say "== kmod: W=1 build + sparse (C=2)"
	[ -d "$KMOD" ] || { say "   (no kmod/, skipped)"; return 0; }
	kdir=$("$GLASS_ROOT/scripts/kernel-release.sh" --headers)
	rm -rf "$WORK"
	mkdir -p "$WORK"
	tar -C "$(dirname "$KMOD")" --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude=modules.order --exclude=Module.symvers \
		-cf - "$(basename "$KMOD")" | tar -C "$WORK" -xf -
	[ "$(basename "$KMOD")" = kmod ] || mv "$WORK/$(basename "$KMOD")" "$WORK/kmod"
	[ ! -d "$GLASS_ROOT/include" ] || cp -a "$GLASS_ROOT/include" "$WORK/include"
	make -C "$kdir" M="$WORK/kmod" W=1 C=2 modules >"$log" 2>&1 || rc=$?
	sed -i "s|$WORK/kmod|kmod|g; s|$WORK/include|include|g" "$log"
	if [ "$rc" != 0 ]; then
		cat "$log"
		say "   build failed (exit $rc)"
		return 1
	fi
	if grep -aiE 'warning|error:' "$log"; then
		return 1
	fi
	return 0
}

# kernel-doc comes with the guest kernel's headers (Debian's linux-kbuild-6.1
# ships scripts/kernel-doc there); else from the linux-source tarball, as
# checkpatch is.
kernel_doc_tool() {
	local kdir tarball=/usr/src/linux-source-6.1.tar.xz top
	kdir=$("$GLASS_ROOT/scripts/kernel-release.sh" --headers)
	if [ -f "$kdir/scripts/kernel-doc" ]; then
		KERNEL_DOC=$kdir/scripts/kernel-doc
		return 0
	fi
	KERNEL_DOC=$CP_DIR/kernel-doc
	[ -f "$KERNEL_DOC" ] && return 0
	[ -f "$tarball" ] || die "no scripts/kernel-doc in $kdir, and $tarball missing"
	say "   extracting kernel-doc from $tarball (once)"
	top=$(tar -tJf "$tarball" 2>/dev/null | head -n1 | cut -d/ -f1) || true
	mkdir -p "$CP_DIR"
	tar -xJf "$tarball" -C "$CP_DIR" --strip-components=2 "$top/scripts/kernel-doc"
}

# Every kernel-doc comment in kmod/ is well-formed (-v adds the check that
# a function returning a value says what, in a Return: section), and every
# non-static function of the module has one: the global functions of the
# objects the W=1 step built, against the functions kernel-doc finds
# documented (at the definition, or at the prototype: core/ documents its
# API in its headers).
kmod_kdoc() {
	local -a files objs
	local out missing rc=0
	say "== kmod: kernel-doc"
	[ -d "$KMOD" ] || { say "   (no kmod/, skipped)"; return 0; }
	kernel_doc_tool
	mapfile -t files < <(cd "$(dirname "$KMOD")" && find "$(basename "$KMOD")" -name '*.[ch]' \
		! -name '*.mod.c' | sort)
	out=$(cd "$(dirname "$KMOD")" && perl "$KERNEL_DOC" -v -none "${files[@]}" 2>&1 |
		grep -v ': info: ' || true)
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		rc=1
	fi
	mapfile -t objs < <(find "$WORK/kmod" -name '*.o' ! -name glass.o ! -name '*.mod.o' 2>/dev/null | sort)
	if [ ${#objs[@]} -eq 0 ]; then
		say "   no objects from the W=1 step: cannot list the non-static functions"
		return 1
	fi
	missing=$(comm -23 \
		<(nm --defined-only "${objs[@]}" | awk '$2 == "T" && $3 ~ /^glass_/ { print $3 }' | sort -u) \
		<(cd "$(dirname "$KMOD")" && perl "$KERNEL_DOC" -rst "${files[@]}" 2>/dev/null |
			sed -n 's/^\.\. c:function:: [^(]*[ *]\([A-Za-z_0-9]*\) (.*/\1/p' | sort -u))
	if [ -n "$missing" ]; then
		say "   non-static functions without kernel-doc:"
		printf '     %s\n' $missing
		rc=1
	fi
	return $rc
}

kmod_layers() {
	say "== kmod: floors (scripts/check-layers.py)"
	[ -d "$KMOD" ] || { say "   (no kmod/, skipped)"; return 0; }
	python3 "$GLASS_ROOT/scripts/check-layers.py" "$(dirname "$KMOD")"
}

checkpatch_tool() {
	local tarball=/usr/src/linux-source-6.1.tar.xz top
	[ -x "$CP_DIR/checkpatch.pl" ] && return 0
	[ -f "$tarball" ] || die "$tarball missing (install linux-source-6.1)"
	say "   extracting checkpatch.pl from $tarball (once)"
	top=$(tar -tJf "$tarball" 2>/dev/null | head -n1 | cut -d/ -f1) || true
	mkdir -p "$CP_DIR"
	tar -xJf "$tarball" -C "$CP_DIR" --strip-components=2 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" "$top/scripts/const_structs.checkpatch"
}

checkpatch() {
	local -a files
	say "== checkpatch.pl --strict on kmod/"
	[ -d "$KMOD" ] || { say "   (no kmod/, skipped)"; return 0; }
	checkpatch_tool
	mapfile -t files < <(cd "$KMOD" && find . -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
		! -name '*.mod.c' | sed 's|^\./||' | sort)
	[ ${#files[@]} -gt 0 ] || return 0
	local -a plain=() trace=() pins=()
	local f rc=0
	for f in "${files[@]}"; do
		case "$f" in
		*_trace.h) trace+=("$f") ;;
		glass_trace.c) pins+=("$f") ;;
		*) plain+=("$f") ;;
		esac
	done
	(cd "$KMOD" && perl "$CP_DIR/checkpatch.pl" --strict --no-tree --quiet --show-types \
		-f "${plain[@]}") || rc=1
	# glass_trace.c pins the tracepoint records to the uapi structs with
	# macros that name a struct member twice (offsetof and sizeof_field),
	# which MACRO_ARG_REUSE cannot tell from an argument with side effects.
	[ ${#pins[@]} -eq 0 ] || (cd "$KMOD" && perl "$CP_DIR/checkpatch.pl" --strict --no-tree \
		--quiet --show-types --ignore MACRO_ARG_REUSE -f "${pins[@]}") || rc=1
	# TRACE_EVENT headers are a macro language, not C: the layout checks
	# below misread TP_STRUCT__entry() and friends (the kernel's own
	# include/trace/events/ headers trip them too). Every other check
	# still applies to them.
	[ ${#trace[@]} -eq 0 ] || (cd "$KMOD" && perl "$CP_DIR/checkpatch.pl" --strict --no-tree \
		--quiet --show-types \
		--ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT,COMPLEX_MACRO,MACRO_ARG_REUSE \
		-f "${trace[@]}") || rc=1
	return $rc
}

cxx_files() {
	local d
	for d in "${CXX_DIRS[@]}"; do
		[ -d "$GLASS_ROOT/$d" ] || continue
		find "$GLASS_ROOT/$d" -type f \( -name '*.c' -o -name '*.cc' -o -name '*.cpp' \
			-o -name '*.h' -o -name '*.hh' -o -name '*.hpp' \) ! -path '*/bpf/*.bpf.c'
	done | sort
}

clang_format() {
	local -a files
	say "== clang-format (.clang-format) on ${CXX_DIRS[*]}"
	mapfile -t files < <(cxx_files)
	[ ${#files[@]} -gt 0 ] || { say "   (no files, skipped)"; return 0; }
	clang-format --dry-run -Werror "${files[@]}"
}

# A file that passed is remembered (build/check-tidy/) under a key made of
# the file, .clang-tidy and every project header, so a second run only
# re-checks what changed.
tidy_key() {
	local f=$1
	{
		cat "$f" "$GLASS_ROOT/.clang-tidy"
		printf '%s\n' "$HEADERS_SUM"
		grep -F "\"file\": \"$f\"" "$GLASS_ROOT/build/tidy/compile_commands.json" || true
	} | sha256sum | cut -c1-32
}

clang_tidy() {
	local db=$GLASS_ROOT/build/tidy/compile_commands.json cache=$GLASS_ROOT/build/check-tidy f
	local -a files todo=()
	say "== clang-tidy (.clang-tidy) on ${CXX_DIRS[*]}"
	[ -f "$GLASS_ROOT/build/compile_commands.json" ] || cmake -S "$GLASS_ROOT" -B "$GLASS_ROOT/build" >/dev/null
	# One entry per source, not per unity batch (scripts/compile-db-split.py).
	mkdir -p "${db%/*}"
	"$GLASS_ROOT/scripts/compile-db-split.py" "$GLASS_ROOT/build/compile_commands.json" "$db"
	# Only translation units the build knows about (headers come in through them).
	mapfile -t files < <(cxx_files | grep -E '\.(c|cc|cpp)$' | while IFS= read -r f; do
		grep -qF "\"file\": \"$f\"" "$db" && printf '%s\n' "$f"
	done || true)
	[ ${#files[@]} -gt 0 ] || { say "   (no files in compile_commands.json, skipped)"; return 0; }
	HEADERS_SUM=$(find "$GLASS_ROOT"/{userspace,tests,include,kmod/core} -type f \
		\( -name '*.h' -o -name '*.hpp' -o -name '*.hh' \) -print0 2>/dev/null |
		sort -z | xargs -0 cat 2>/dev/null | sha256sum | cut -c1-32)
	mkdir -p "$cache"
	for f in "${files[@]}"; do
		[ -f "$cache/$(tidy_key "$f")" ] || todo+=("$f")
	done
	say "   ${#files[@]} files, ${#todo[@]} changed since they last passed; 2 at a time"
	[ ${#todo[@]} -gt 0 ] || return 0
	export GLASS_ROOT HEADERS_SUM
	printf '%s\n' "${todo[@]}" | xargs -P 2 -I{} bash -c '
		clang-tidy -p "$GLASS_ROOT/build/tidy" --quiet --warnings-as-errors="*" "$1" 2>/dev/null &&
			touch "$2/$(tidy_key "$1")"' _ {} "$cache"
}

export -f tidy_key

# Rules no compiler checks: GFP_ATOMIC with __GFP_NOFAIL cannot keep its
# promise (the allocator WARNs and returns NULL when it cannot reclaim).
kmod_rules() {
	say "== kmod: forbidden patterns"
	[ -d "$KMOD" ] || return 0
	if grep -nE 'GFP_ATOMIC[^;]*__GFP_NOFAIL|__GFP_NOFAIL[^;]*GFP_ATOMIC' "$KMOD"/*.c; then
		say "   GFP_ATOMIC | __GFP_NOFAIL: use a sleeping allocation or handle failure"
		return 1
	fi
	return 0
}

# The checked-in man pages must be what the CLI says today: regenerate them
# into a temporary folder and compare; then lint them with groff.
man_pages() {
	local tmp rc=0 f out
	say "== man pages: docs/man/ against the CLI's definitions (make man regenerates)"
	[ -f "$GLASS_ROOT/build/CMakeCache.txt" ] || cmake -S "$GLASS_ROOT" -B "$GLASS_ROOT/build" >/dev/null
	cmake --build "$GLASS_ROOT/build" --target glass_mangen -j2 >/dev/null
	tmp=$(mktemp -d)
	"$GLASS_ROOT/build/host/glass-mangen" "$tmp"
	if ! diff -ru "$GLASS_ROOT/docs/man" "$tmp" >"$tmp.diff"; then
		head -n 40 "$tmp.diff"
		say "   docs/man/ differs from the CLI: run 'make man' and commit docs/man/"
		rc=1
	fi
	for f in "$GLASS_ROOT"/docs/man/*.1; do
		[ -f "$f" ] || continue
		out=$(groff -man -ww -z "$f" 2>&1) || true
		if [ -n "$out" ]; then
			printf '%s: %s\n' "${f#"$GLASS_ROOT"/}" "$out"
			rc=1
		fi
	done
	rm -rf "$tmp" "$tmp.diff"
	return $rc
}

# The docs' glass commands and flags, checked against the tool's --help.
# The checker must first refuse tests/docs/doc-commands-bad.md (one problem
# per command there) and accept doc-commands-good.md, so a checker that
# stopped checking fails here too.
doc_commands() {
	local glass=$GLASS_ROOT/build/bin/glass fixtures=$GLASS_ROOT/tests/docs out want got
	local checker=$GLASS_ROOT/scripts/check-doc-commands.py
	say "== docs: glass commands and flags in README.md and docs/*.md exist"
	if [ ! -x "$glass" ]; then
		say "   building build/bin/glass"
		[ -f "$GLASS_ROOT/build/CMakeCache.txt" ] || cmake -S "$GLASS_ROOT" -B "$GLASS_ROOT/build" >/dev/null
		cmake --build "$GLASS_ROOT/build" --target glass_tool -j2 >/dev/null
	fi
	want=$(grep -c '^glass\|^vm/run -- glass\|^sudo glass\|^Inline' "$fixtures/doc-commands-bad.md")
	out=$(python3 "$checker" --glass "$glass" "$fixtures/doc-commands-bad.md") && {
		say "   the checker accepted $fixtures/doc-commands-bad.md"
		return 1
	}
	got=$(grep -c ': no ' <<<"$out" || true)
	if [ "$got" != "$want" ]; then
		printf '%s\n' "$out"
		say "   the checker found $got problems in doc-commands-bad.md, expected $want"
		return 1
	fi
	python3 "$checker" --glass "$glass" "$fixtures/doc-commands-good.md" >/dev/null || {
		python3 "$checker" --glass "$glass" "$fixtures/doc-commands-good.md"
		return 1
	}
	(cd "$GLASS_ROOT" && python3 "$checker" --glass "$glass" README.md docs/*.md)
}

run_step() {
	local name=$1 rc=0
	shift
	"$@" || rc=$?
	step_result "$name" "$rc"
}

main() {
	local t0
	t0=$(now)
	run_step "kmod W=1 + sparse" kmod_warnings
	run_step "kernel-doc" kmod_kdoc
	run_step "floors" kmod_layers
	run_step "checkpatch" checkpatch
	run_step "kmod rules" kmod_rules
	if [ "${1:-}" != kmod ]; then
		run_step "clang-format" clang_format
		run_step "clang-tidy" clang_tidy
		run_step "man pages" man_pages
		run_step "doc commands" doc_commands
	fi
	if [ ${#FAILED_STEPS[@]} -gt 0 ]; then
		say "make check: FAILED: ${FAILED_STEPS[*]} ($(elapsed "$t0")s)"
		exit 1
	fi
	say "make check: all clean ($(elapsed "$t0")s)"
}

main "$@"
