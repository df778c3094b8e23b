# SPDX-License-Identifier: MIT
# Shared part of the two GCC toolchain files: find PREFIXgcc/g++/objcopy or fail naming the package.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

foreach(tool gcc g++ objcopy nm)
    find_program(KEEL_CROSS_${tool} ${KEEL_CROSS_PREFIX}${tool})
    if(NOT KEEL_CROSS_${tool})
        message(FATAL_ERROR "${KEEL_CROSS_PREFIX}${tool} not found: install ${KEEL_CROSS_PACKAGE} "
                            "(scripts/install-deps.sh does it)")
    endif()
endforeach()

set(CMAKE_C_COMPILER ${KEEL_CROSS_gcc})
set(CMAKE_CXX_COMPILER ${KEEL_CROSS_g++})
set(CMAKE_ASM_COMPILER ${KEEL_CROSS_gcc})
set(CMAKE_OBJCOPY ${KEEL_CROSS_objcopy} CACHE FILEPATH "objcopy for keel.bin")
set(KEEL_NM ${KEEL_CROSS_nm} CACHE FILEPATH "nm for the run-time symbol table")
set(KEEL_COMPILER_FAMILY gcc)
