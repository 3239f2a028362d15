# glass: the one entry point. `make help` lists the targets.
# The guest kernel release comes from the installed linux-image-amd64
# (scripts/kernel-release.sh); nothing here hard-codes it.

SHELL := /bin/bash
.DEFAULT_GOAL := build
.NOTPARALLEL:

BUILD_DIR ?= build
CMAKE_BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2

.PHONY: help deps kmod userspace build image run test test-debug soak bench shell check man install clean

help:
	@echo "make deps       install missing Debian packages (apt-get)"
	@echo "make build      kmod + userspace (the default)"
	@echo "make kmod       build kmod/glass.ko against the guest kernel's headers"
	@echo "make userspace  cmake build; every executable lands in build/bin"
	@echo "make run        boot the guest, load glass.ko, run vm/guest/demo.sh (logs in out/vm/demo)"
	@echo "make test       host unit tests + guest tests (one boot) + harness self-tests"
	@echo "make test-debug guest tests + fault-injection pass + debug harness self-tests in a"
	@echo "                debug kernel (KASAN, lockdep, kmemleak, ...; built once, cached)"
	@echo "make soak       the fault-injection soak, SOAK_SCALE (default 8) times the test's size"
	@echo "make bench      glass perf in a guest: 5 repetitions, -P sweep, 10k connections, netem;"
	@echo "                table + plot in out/bench/, the dated section of docs/perf.md"
	@echo "make shell      interactive guest shell with glass.ko loaded (Ctrl-A X quits)"
	@echo "make check      W=1 + sparse, checkpatch --strict, clang-format, clang-tidy, man pages"
	@echo "make man        regenerate docs/man/*.1 from the CLI's definitions"
	@echo "make install    glass, its man pages, libglass (headers, glass.pc), the Wireshark"
	@echo "                dissector; PREFIX (default /usr/local), DESTDIR, WIRESHARK_PLUGIN_DIR"
	@echo "make clean      remove build/, out/ and module objects"

deps:
	@scripts/deps.sh base

kmod:
	@kdir=$$(scripts/kernel-release.sh --headers) && \
		$(MAKE) --no-print-directory -j$(JOBS) -C "$$kdir" M=$(CURDIR)/kmod modules

userspace:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j$(JOBS)

build: kmod userspace

image: build
	@vm/mkimage >/dev/null

run: deps build
	@scripts/run-demo.sh

test: deps build
	@scripts/test.sh

# The debug kernel is built once into ~/.cache/glass/debug-kernel (docs/debug-kernel.md).
test-debug: deps build
	@scripts/deps.sh debug
	@scripts/debug-kernel.sh >/dev/null
	@scripts/debug-kernel.sh kmod >/dev/null
	@GLASS_TEST_DEBUG=1 scripts/test.sh

SOAK_SCALE ?= 8
soak: deps build
	@vm/run --name soak --timeout 3600 -- env GLASS_SOAK_SCALE=$(SOAK_SCALE) \
		vmtest_hostile --gtest_filter='Soak.*'

# Figures, never in make test (docs/perf.md).
bench: deps build
	@scripts/bench.sh

shell: deps build
	@vm/run --shell --name shell --share $(CURDIR)

check:
	@scripts/deps.sh base check
	@scripts/check.sh

# The man pages are generated from the CLI (userspace/man/) and checked in;
# make check fails when they differ from what the CLI says.
man: userspace
	@mkdir -p docs/man
	@rm -f docs/man/*.1
	@$(BUILD_DIR)/host/glass-mangen docs/man
	@echo "docs/man: $$(ls docs/man | wc -l) pages"

# Where the dissector goes: Wireshark's global Lua plugin folder (as tshark
# reports it), whatever PREFIX is; WIRESHARK_PLUGIN_DIR=DIR overrides it
# (~/.local/lib/wireshark/plugins: the personal folder).
PREFIX ?= /usr/local
install:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) \
		$(if $(WIRESHARK_PLUGIN_DIR),-DGLASS_WIRESHARK_PLUGIN_DIR=$(WIRESHARK_PLUGIN_DIR),-UGLASS_WIRESHARK_PLUGIN_DIR)
	cmake --build $(BUILD_DIR) -j$(JOBS)
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD_DIR)

clean:
	@kdir=$$(scripts/kernel-release.sh --headers 2>/dev/null) && \
		$(MAKE) --no-print-directory -C "$$kdir" M=$(CURDIR)/kmod clean >/dev/null || true
	rm -rf $(BUILD_DIR) out
