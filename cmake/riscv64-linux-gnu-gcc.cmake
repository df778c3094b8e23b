# SPDX-License-Identifier: MIT
# Toolchain: the Linux-ABI cross GCC (package g++-riscv64-linux-gnu), used freestanding.
# Use: cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-linux-gnu-gcc.cmake
set(KEEL_CROSS_PREFIX riscv64-linux-gnu-)
set(KEEL_CROSS_PACKAGE "g++-riscv64-linux-gnu")
include(${CMAKE_CURRENT_LIST_DIR}/gnu-cross.cmake)
set(KEEL_TOOLCHAIN_OF_FILE linux-gnu)  # what KEEL_TOOLCHAIN becomes (CMakeLists.txt)
