# SPDX-License-Identifier: MIT
# The vDSO (src/kernel/vdso, include/keel/kernel/vdso.h): assembled with the kernel's compiler,
# linked into a shared object with Linux's flags (arch/riscv/kernel/vdso/Makefile), stripped to
# build/vdso.so (vdso.so.dbg keeps the symbols for gdb), embedded in the kernel by
# src/kernel/vdso_image.S, and the offset of __vdso_rt_sigreturn written to
# generated/keel/kernel/vdso_symbols.h. Included by kernel.cmake once keel_objects exists.

# riscv64-unknown-elf-ld makes no shared objects ("-shared not supported"): GCC builds link with
# the Linux-ABI binutils' ld (there with g++-riscv64-linux-gnu) or ld.lld, Clang builds with lld.
if(KEEL_COMPILER_FAMILY STREQUAL "clang")
    set(KEEL_VDSO_LINKER ${KEEL_ld_lld})
else()
    find_program(KEEL_VDSO_LINKER NAMES riscv64-linux-gnu-ld ld.lld ld.lld-14 ld.lld-15 ld.lld-16)
    if(NOT KEEL_VDSO_LINKER)
        message(FATAL_ERROR "no linker for the vDSO (riscv64-unknown-elf-ld makes no shared "
                            "objects): install binutils-riscv64-linux-gnu or lld "
                            "(scripts/install-deps.sh does it)")
    endif()
endif()

add_library(keel_vdso_object OBJECT src/kernel/vdso/rt_sigreturn.S src/kernel/vdso/clock.cpp)
target_link_libraries(keel_vdso_object PRIVATE keel_flags)
# Position-independent code that a process runs wherever the kernel maps it, with nothing to
# relocate (vdso.ld checks: no .rela.dyn, no .data); the kernel's -pg, sanitizers and the like are
# not in keel_flags, so these are all it needs (Linux: arch/riscv/kernel/vdso/Makefile).
target_compile_options(keel_vdso_object PRIVATE -fPIC -fno-plt -fno-builtin)

set(keel_vdso ${CMAKE_BINARY_DIR}/vdso.so)
set(keel_vdso_script ${CMAKE_SOURCE_DIR}/src/kernel/vdso/vdso.ld)
set(keel_vdso_header ${CMAKE_BINARY_DIR}/generated/keel/kernel/vdso_symbols.h)
add_custom_command(OUTPUT ${keel_vdso} ${keel_vdso}.dbg ${keel_vdso_header}
    COMMAND ${KEEL_VDSO_LINKER} -shared -nostdlib -T ${keel_vdso_script} -soname=linux-vdso.so.1
            --hash-style=both --build-id=sha1 --eh-frame-hdr -z max-page-size=4096
            $<TARGET_OBJECTS:keel_vdso_object> -o ${keel_vdso}.dbg
    COMMAND ${CMAKE_OBJCOPY} --strip-all ${keel_vdso}.dbg ${keel_vdso}
    COMMAND ${CMAKE_COMMAND} -DNM=${KEEL_NM} -DVDSO=${keel_vdso} -DOUTPUT=${keel_vdso_header}
            -P ${CMAKE_SOURCE_DIR}/cmake/vdso-symbols.cmake
    DEPENDS keel_vdso_object $<TARGET_OBJECTS:keel_vdso_object> ${keel_vdso_script}
            ${CMAKE_SOURCE_DIR}/cmake/vdso-symbols.cmake
    COMMENT "vdso.so (the vDSO) and its symbols' offsets" VERBATIM COMMAND_EXPAND_LISTS)
add_custom_target(keel_vdso DEPENDS ${keel_vdso} ${keel_vdso_header})

target_sources(keel_objects PRIVATE src/kernel/vdso_image.S src/kernel/vdso.cpp)
set_source_files_properties(src/kernel/vdso_image.S PROPERTIES
    COMPILE_DEFINITIONS KEEL_VDSO_IMAGE="${keel_vdso}" OBJECT_DEPENDS ${keel_vdso})
add_dependencies(keel_objects keel_vdso)
