# SPDX-License-Identifier: MIT
# Toolchain: Debian's bare-metal GCC (package gcc-riscv64-unknown-elf), keel's default.
# Use: cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-elf-gcc.cmake
set(KEEL_CROSS_PREFIX riscv64-unknown-elf-)
set(KEEL_CROSS_PACKAGE "gcc-riscv64-unknown-elf (and binutils-riscv64-unknown-elf)")
include(${CMAKE_CURRENT_LIST_DIR}/gnu-cross.cmake)
set(KEEL_TOOLCHAIN_OF_FILE gcc)  # what KEEL_TOOLCHAIN becomes (CMakeLists.txt)
