# SPDX-License-Identifier: MIT
# The differential tests' programs (tests/linux/*.c): ordinary C programs built with Debian's
# riscv64-linux-gnu-gcc -static (glibc), each printing what it observed, as build/linux/NAME; and
# scripts for Debian's busybox sh (tests/linux/*.sh).
# qemu.linux runs them on keel and compares their output with Linux's (tests/linux/README.md).
# build/linux/initrd.cpio: the initramfs they run from (build/initrd.cpio's files and them, in /bin).
find_program(KEEL_LINUX_GCC riscv64-linux-gnu-gcc)
if(NOT KEEL_LINUX_GCC)
    message(FATAL_ERROR "riscv64-linux-gnu-gcc not found: the differential tests need it "
                        "(apt-get install gcc-riscv64-linux-gnu; scripts/install-deps.sh does it)")
endif()
# With them, the benchmark's glibc programs (bench/linux/*.c: exec-true and the glibc-true it
# runs): bench/run runs them from the same initramfs.
file(GLOB keel_linux_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/linux/*.c
     ${CMAKE_SOURCE_DIR}/bench/linux/*.c)
set(keel_linux_programs)
set(keel_linux_files)
foreach(source ${keel_linux_sources})
    get_filename_component(name ${source} NAME_WE)
    set(program ${CMAKE_BINARY_DIR}/linux/${name})
    add_custom_command(OUTPUT ${program}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/linux
        COMMAND ${KEEL_LINUX_GCC} -static -O2 -Wall -Wextra -Werror -o ${program} ${source}
        DEPENDS ${source} ${CMAKE_SOURCE_DIR}/tests/linux/report.h
        COMMENT "Building the glibc program build/linux/${name}" VERBATIM)
    list(APPEND keel_linux_programs ${program})
    list(APPEND keel_linux_files --file bin/${name}=${program})
endforeach()
# Shell scripts (tests/linux/NAME.sh, run by busybox's sh through their #! line) go in as they are,
# as build/linux/NAME.
file(GLOB keel_linux_scripts CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/linux/*.sh)
foreach(script ${keel_linux_scripts})
    get_filename_component(name ${script} NAME_WE)
    set(program ${CMAKE_BINARY_DIR}/linux/${name})
    add_custom_command(OUTPUT ${program}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/linux
        COMMAND ${CMAKE_COMMAND} -E copy ${script} ${program}
        DEPENDS ${script}
        COMMENT "Copying the Linux test script build/linux/${name}" VERBATIM)
    list(APPEND keel_linux_programs ${program})
    list(APPEND keel_linux_files --file bin/${name}=${program})
endforeach()
set(KEEL_LINUX_INITRD ${CMAKE_BINARY_DIR}/linux/initrd.cpio)
add_custom_command(
    OUTPUT ${KEEL_LINUX_INITRD}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/mkcpio ${KEEL_LINUX_INITRD}
            --dir ${CMAKE_SOURCE_DIR}/rootfs ${KEEL_USER_FILES} ${keel_initrd_extra_files}
            --mkdir tmp --mkdir root
            ${keel_linux_files}
    DEPENDS ${keel_rootfs_files} ${CMAKE_SOURCE_DIR}/scripts/mkcpio ${KEEL_USER_PROGRAMS_TARGETS}
            ${keel_busybox_found} ${CMAKE_BINARY_DIR}/initrd-extra-files.txt ${keel_linux_programs}
    COMMENT "Writing build/linux/initrd.cpio: the initramfs with the Linux test programs" VERBATIM)
add_custom_target(keel_linux_tests DEPENDS ${KEEL_LINUX_INITRD})
