# SPDX-License-Identifier: MIT
# keel: a thin driver over CMake. Everything real lives in CMakeLists.txt; this file only picks the
# toolchain, makes sure the tools exist (installing them with scripts/install-deps.sh if not), and
# calls cmake/ctest. `make help` lists every target and variable.

TOOLCHAIN ?= gcc
SMP       ?= 1
MEM       ?= 128M
APPEND    ?=
INITRD    ?= build/initrd.cpio
BUILD     := build
DEBUG     := $(BUILD)/debug
# A per-user default, so that two people debugging on one machine do not collide (as xv6 does).
GDB_PORT  ?= $(shell echo $$(( $$(id -u) % 5000 + 25000 )))
GDB       := $(firstword $(foreach g,gdb-multiarch riscv64-unknown-elf-gdb,$(if $(shell command -v $(g) 2>/dev/null),$(g))) gdb-multiarch)
# cmake --build runs its own make; keep this make's flags and level from leaking into it.
CMAKE_BUILD = env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS cmake --build
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)

CROSS_gcc       := riscv64-unknown-elf-g++
CROSS_linux-gnu := riscv64-linux-gnu-g++
CROSS_clang     := clang ld.lld llvm-objcopy
CROSS := $(CROSS_$(TOOLCHAIN))
ifeq ($(CROSS),)
$(error TOOLCHAIN=$(TOOLCHAIN) is not one of: gcc linux-gnu clang)
endif

# Debian's riscv64 busybox for the initramfs, where scripts/fetch-debian-packages unpacks it (the
# same default path as that script and cmake/initrd.cmake).
DEBIAN_CACHE := $(or $(KEEL_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/keel)/debian-riscv64
BUSYBOX      := $(DEBIAN_CACHE)/busybox-static/usr/bin/busybox

# What each goal needs on PATH (or on disk). A missing one runs scripts/install-deps.sh once.
NEED_BUILD := cmake python3 $(CROSS)
NEED_RUN   := $(NEED_BUILD) qemu-system-riscv64 python3
NEED_GDB   := $(NEED_RUN) $(GDB)
NEED_TEST  := $(NEED_GDB) c++ clang ld.lld llvm-objcopy riscv64-unknown-elf-g++ clang-format-14 dot \
              /usr/include/gtest/gtest.h /usr/include/benchmark/benchmark.h dtc /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin \
              /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a $(BUSYBOX)
missing = $(strip $(foreach t,$(1),$(if $(or $(wildcard $(t)),$(shell command -v $(t) 2>/dev/null)),,$(t))))
ensure  = $(if $(call missing,$(1)),@echo "keel: missing $(call missing,$(1)); running scripts/install-deps.sh" && scripts/install-deps.sh)

.PHONY: all help build run test bench fuzz format tidy clean configure debug debug-build gdb debug-tmux docs grade
all: build

# One line per target and per variable; tests/lint checks that none is missing.
help:
	@echo "keel: make [TARGET] [VARIABLE=value ...]"
	@echo "Targets:"
	@echo "  build (default)  build build/keel.elf (symbols) and build/keel.bin (flat image)"
	@echo "  run              boot keel in QEMU virt on this terminal (Ctrl-] then x quits QEMU)"
	@echo "  test             build everything and run every test through CTest"
	@echo "  bench            run every benchmark and print one table (docs/performance.md)"
	@echo "  grade            grade every lab, or one: make grade LAB=pipe (docs/labs/README.md)"
	@echo "  fuzz             run every libFuzzer target FUZZ_SECONDS s (corpus kept in build/fuzz/corpus)"
	@echo "  debug            build build/debug/keel.elf (-Og -g3), start QEMU halted for gdb"
	@echo "  gdb              attach gdb to a running 'make debug' (second terminal), stop at kmain"
	@echo "  debug-tmux       debug and gdb side by side in tmux"
	@echo "  debug-build      only build the debug kernel"
	@echo "  configure        only run CMake's configure step for build/"
	@echo "  docs             render docs/pictures/*.dot into build/docs/*.svg (Graphviz's dot)"
	@echo "  format           rewrite the C and C++ files that differ from .clang-format (clang-format 14)"
	@echo "  tidy             clang-tidy 14 over every source (.clang-tidy; a clang build in build/tidy)"
	@echo "  clean            remove build/"
	@echo "  help             this list"
	@echo "Variables:"
	@echo "  TOOLCHAIN=gcc    gcc (riscv64-unknown-elf), linux-gnu (riscv64-linux-gnu) or clang"
	@echo "  SMP=1            harts for run, debug"
	@echo "  MEM=128M         RAM for run, debug"
	@echo "  APPEND=          kernel command line for run (e.g. APPEND=selftest=fault:load)"
	@echo "  INITRD=          the initramfs run passes (default build/initrd.cpio; INITRD= for none)"
	@echo "  ICOUNT=          ICOUNT=1: run under QEMU -icount shift=0 (bench's instruction counts exact)"
	@echo "  GDB_PORT=$(GDB_PORT)   gdb port for debug and gdb (default: 25000 + your uid % 5000)"
	@echo "  JOBS=$(JOBS)           parallel build jobs"
	@echo "  FUZZ_SECONDS=$(FUZZ_SECONDS)  how long make fuzz runs each fuzzer"
	@echo "  LAB=             the lab make grade grades (default: every lab; scripts/lab list)"

# configure_dir DIR, CMAKE-ARGS: a build directory remembers its toolchain; switching toolchains
# starts it afresh.
define configure_dir
	@if [ -f $(1)/CMakeCache.txt ] && ! grep -qx 'KEEL_TOOLCHAIN:STRING=$(TOOLCHAIN)' $(1)/CMakeCache.txt; then \
	    echo "keel: toolchain changed to $(TOOLCHAIN); reconfiguring $(1)/"; rm -rf $(1); fi
	@if [ ! -f $(1)/CMakeCache.txt ]; then cmake -S . -B $(1) -DKEEL_TOOLCHAIN=$(TOOLCHAIN) $(2); fi
endef

configure:
	$(call ensure,$(NEED_BUILD))
	$(call configure_dir,$(BUILD))

build: configure
	@$(CMAKE_BUILD) $(BUILD) -j $(JOBS)

run:
	$(call ensure,$(NEED_RUN))
	@$(MAKE) --no-print-directory build
	@python3 scripts/run-qemu --kernel $(BUILD)/keel.elf --smp $(SMP) --mem $(MEM) $(if $(APPEND),--append "$(APPEND)") $(if $(INITRD),--initrd "$(INITRD)") $(if $(ICOUNT),-- -icount shift=0)

bench:
	$(call ensure,$(NEED_TEST))
	@$(MAKE) --no-print-directory configure
	@$(CMAKE_BUILD) $(BUILD) -j $(JOBS) --target all keel_test_deps
	@python3 bench/run --build $(BUILD)

FUZZ_SECONDS ?= 60
fuzz:
	$(call ensure,$(NEED_TEST))
	@$(MAKE) --no-print-directory configure
	@cmake -DKEEL_FUZZ_SECONDS=$(FUZZ_SECONDS) $(BUILD) >/dev/null
	@$(CMAKE_BUILD) $(BUILD) --target fuzz

test:
	$(call ensure,$(NEED_TEST))
	@$(MAKE) --no-print-directory configure
	@$(CMAKE_BUILD) $(BUILD) -j $(JOBS) --target all keel_test_deps
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

docs:
	$(call ensure,dot)
	@$(MAKE) --no-print-directory configure
	@$(CMAKE_BUILD) $(BUILD) --target docs

# The labs (docs/labs): scripts/grade builds what their checks need and runs them.
LAB ?=
grade:
	$(call ensure,$(NEED_RUN) c++ /usr/include/gtest/gtest.h $(BUSYBOX))
	@$(MAKE) --no-print-directory configure
	@python3 scripts/grade --build $(BUILD) --jobs $(JOBS) $(if $(LAB),--lab $(LAB))

format:
	$(call ensure,clang-format-14 python3)
	@python3 scripts/check-format --fix

# clang-tidy reads a clang build's compile commands, whatever TOOLCHAIN is.
tidy:
	$(call ensure,clang-tidy-14 clang ld.lld llvm-objcopy cmake python3)
	@test -f $(BUILD)/tidy/CMakeCache.txt || cmake -S . -B $(BUILD)/tidy -DKEEL_TOOLCHAIN=clang -DKEEL_WITH_TESTS=OFF >/dev/null
	@$(CMAKE_BUILD) $(BUILD)/tidy -j $(JOBS) >/dev/null
	@python3 scripts/run-tidy --build $(BUILD)/tidy --jobs $(JOBS)

# The debug kernel (-Og -g3) lives in its own build directory: switching costs nothing.
debug-build:
	$(call ensure,$(NEED_GDB))
	$(call configure_dir,$(DEBUG),-DCMAKE_BUILD_TYPE=Debug -DKEEL_WITH_TESTS=OFF)
	@$(CMAKE_BUILD) $(DEBUG) -j $(JOBS)

# The debug build's own initramfs (its programs), unless INITRD names another (or none: INITRD=).
DEBUG_INITRD = $(if $(filter command line environment,$(origin INITRD)),$(INITRD),$(DEBUG)/initrd.cpio)
QEMU_DEBUG = python3 scripts/run-qemu --kernel $(DEBUG)/keel.elf --smp $(SMP) --mem $(MEM) --gdb $(GDB_PORT) \
             $(if $(DEBUG_INITRD),--initrd "$(DEBUG_INITRD)")

debug: debug-build
	@echo "keel: QEMU starts halted, waiting for gdb on localhost:$(GDB_PORT). In another terminal:"
	@echo "        make gdb$(if $(filter command line environment,$(origin GDB_PORT)), GDB_PORT=$(GDB_PORT))"
	@echo "      or: GDB_PORT=$(GDB_PORT) $(GDB) $(DEBUG)/keel.elf -x scripts/gdbinit"
	@$(QEMU_DEBUG)

gdb:
	$(call ensure,$(NEED_GDB))
	@test -f $(DEBUG)/keel.elf || { echo "keel: no $(DEBUG)/keel.elf yet: run make debug first"; exit 1; }
	@GDB_PORT=$(GDB_PORT) exec scripts/foreground $(GDB) -q $(DEBUG)/keel.elf -x scripts/gdbinit

# QEMU on the left, gdb on the right; in a new tmux session, or a new window of the current one.
debug-tmux: debug-build
	@command -v tmux >/dev/null || { echo "keel: debug-tmux needs tmux (apt-get install tmux)"; exit 1; }
	@tmux $(if $(TMUX),new-window -n keel-debug,new-session -s keel-debug) "$(QEMU_DEBUG)" \; \
	    split-window -h "sleep 1; $(MAKE) --no-print-directory gdb GDB_PORT=$(GDB_PORT)"

clean:
	rm -rf $(BUILD)
