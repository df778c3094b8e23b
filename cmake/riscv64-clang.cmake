# SPDX-License-Identifier: MIT
# Toolchain: Clang + lld for a bare-metal RISC-V target (packages clang, lld, llvm).
# Use: cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=cmake/riscv64-clang.cmake
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

foreach(tool clang clang++ ld.lld llvm-objcopy llvm-nm)
    string(MAKE_C_IDENTIFIER ${tool} var)
    find_program(KEEL_${var} NAMES ${tool} ${tool}-14 ${tool}-15 ${tool}-16)
    if(NOT KEEL_${var})
        message(FATAL_ERROR "${tool} not found: install clang, lld and llvm (scripts/install-deps.sh does it)")
    endif()
endforeach()

set(triple riscv64-unknown-elf)
set(CMAKE_C_COMPILER ${KEEL_clang})
set(CMAKE_CXX_COMPILER ${KEEL_clang__})
set(CMAKE_ASM_COMPILER ${KEEL_clang})
set(CMAKE_C_COMPILER_TARGET ${triple})
set(CMAKE_CXX_COMPILER_TARGET ${triple})
set(CMAKE_ASM_COMPILER_TARGET ${triple})
set(CMAKE_OBJCOPY ${KEEL_llvm_objcopy} CACHE FILEPATH "objcopy for keel.bin")
set(KEEL_NM ${KEEL_llvm_nm} CACHE FILEPATH "nm for the run-time symbol table")
set(KEEL_COMPILER_FAMILY clang)
set(KEEL_TOOLCHAIN_OF_FILE clang)  # what KEEL_TOOLCHAIN becomes (CMakeLists.txt)
