# keel: a thin driver over CMake. Everything real lives in CMakeLists.txt; this file only picks the
# toolchain, makes sure the tools exist (installing them with scripts/install-deps.sh if not), and
# calls cmake/ctest.
#
#   make / make build   build build/keel.elf and build/keel.bin
#   make run            boot keel in QEMU virt (Ctrl-A X quits); SMP=4 MEM=256M to change the machine
#   make test           build everything and run every test through CTest
#   make TOOLCHAIN=clang ...   gcc (default, riscv64-unknown-elf), linux-gnu (riscv64-linux-gnu), clang

TOOLCHAIN ?= gcc
SMP       ?= 1
MEM       ?= 128M
BUILD     := build
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

# What each goal needs on PATH (or on disk). A missing one runs scripts/install-deps.sh once.
NEED_BUILD := cmake $(CROSS)
NEED_RUN   := $(NEED_BUILD) qemu-system-riscv64 python3
NEED_TEST  := $(NEED_RUN) c++ clang ld.lld llvm-objcopy riscv64-unknown-elf-g++ \
              /usr/include/gtest/gtest.h
missing = $(strip $(foreach t,$(1),$(if $(or $(wildcard $(t)),$(shell command -v $(t) 2>/dev/null)),,$(t))))
ensure  = $(if $(call missing,$(1)),@echo "keel: missing $(call missing,$(1)); running scripts/install-deps.sh" && scripts/install-deps.sh)

.PHONY: all build run test clean configure
all: build

# A build directory remembers its toolchain; switching toolchains starts it afresh.
configure:
	$(call ensure,$(NEED_BUILD))
	@if [ -f $(BUILD)/CMakeCache.txt ] && ! grep -qx 'KEEL_TOOLCHAIN:STRING=$(TOOLCHAIN)' $(BUILD)/CMakeCache.txt; then \
	    echo "keel: toolchain changed to $(TOOLCHAIN); reconfiguring $(BUILD)/"; rm -rf $(BUILD); fi
	@if [ ! -f $(BUILD)/CMakeCache.txt ]; then cmake -S . -B $(BUILD) -DKEEL_TOOLCHAIN=$(TOOLCHAIN); fi

build: configure
	@$(CMAKE_BUILD) $(BUILD) -j $(JOBS)

run:
	$(call ensure,$(NEED_RUN))
	@$(MAKE) --no-print-directory build
	@python3 scripts/run-qemu --kernel $(BUILD)/keel.elf --smp $(SMP) --mem $(MEM)

test:
	$(call ensure,$(NEED_TEST))
	@$(MAKE) --no-print-directory configure
	@$(CMAKE_BUILD) $(BUILD) -j $(JOBS) --target all keel_test_deps
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
