# SPDX-License-Identifier: MIT
# The initramfs `make run` passes to QEMU (-initrd): build/initrd.cpio, a cpio newc archive of
# rootfs/ and the user programs as /bin/NAME (scripts/mkcpio: reproducible, every parent
# directory listed, "." first), and Debian's riscv64 busybox as /bin/busybox when it was fetched.
include(${CMAKE_CURRENT_LIST_DIR}/user.cmake)
file(GLOB_RECURSE keel_rootfs_files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/rootfs/*)

# Debian trixie's busybox-static, unpacked by scripts/fetch-debian-packages into a cache outside
# the tree (scripts/install-deps.sh and make test fetch it); the same default path as that script.
if(NOT "$ENV{KEEL_CACHE}" STREQUAL "")
    set(keel_cache_default "$ENV{KEEL_CACHE}")
elseif(NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
    set(keel_cache_default "$ENV{XDG_CACHE_HOME}/keel")
else()
    set(keel_cache_default "$ENV{HOME}/.cache/keel")
endif()
set(KEEL_DEBIAN_CACHE "${keel_cache_default}/debian-riscv64" CACHE PATH
    "Debian riscv64 packages unpacked by scripts/fetch-debian-packages (busybox-static/usr/bin/busybox)")
set(keel_busybox ${KEEL_DEBIAN_CACHE}/busybox-static/usr/bin/busybox)
# A glob, not if(EXISTS): CONFIGURE_DEPENDS re-checks it at every build, so CMake reconfigures
# when busybox appears (or goes) and the initramfs is rebuilt with (or without) it.
file(GLOB keel_busybox_found CONFIGURE_DEPENDS ${keel_busybox})
set(keel_initrd_extra_files)
if(keel_busybox_found)
    # and its shell as /bin/sh, which system(), popen() and #!/bin/sh scripts run
    list(APPEND keel_initrd_extra_files --file bin/busybox=${keel_busybox} --symlink bin/sh=busybox)
    # and a link for each of its applets where Debian's busybox would put it (busybox
    # --list-full, asked of the binary itself under qemu-user), as a busybox system has them.
    find_program(KEEL_QEMU_USER qemu-riscv64)
    set(keel_applets ${CMAKE_BINARY_DIR}/busybox-applets.txt)
    if(KEEL_QEMU_USER)
        execute_process(COMMAND ${KEEL_QEMU_USER} ${keel_busybox} --list-full
                        OUTPUT_FILE ${keel_applets} RESULT_VARIABLE keel_applets_failed)
    endif()
    if(KEEL_QEMU_USER AND NOT keel_applets_failed)
        list(APPEND keel_initrd_extra_files --links ${keel_applets}=/bin/busybox)
        # Where a program of keel's has an applet's name (cat, echo, ls), the applet takes the
        # name, as on a busybox system; keel's stays, as /bin/keel-NAME.
        # (names only: "[" and "[[" would upset CMake's lists)
        file(STRINGS ${keel_applets} keel_applet_paths REGEX "^[a-z/]+/[A-Za-z0-9_.-]+$")
        foreach(program ${KEEL_USER_PROGRAMS})
            foreach(dir bin sbin usr/bin usr/sbin)
                if("${dir}/${program}" IN_LIST keel_applet_paths)
                    list(TRANSFORM KEEL_USER_FILES REPLACE "^bin/${program}=" "bin/keel-${program}=")
                endif()
            endforeach()
        endforeach()
    else()
        message(STATUS "keel: no busybox applet links in the initramfs (qemu-riscv64 could not "
                       "list them: scripts/install-deps.sh installs qemu-user)")
    endif()
    # Debian's busybox is stripped: a copy with a symbol for each applet's main (read from its
    # own tables), for gdb's add-symbol-file (keel-user busybox, scripts/gdb/keel.py).
    set(keel_busybox_symbols ${CMAKE_BINARY_DIR}/busybox-symbols.elf)
    add_custom_command(
        OUTPUT ${keel_busybox_symbols}
        COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/busybox-symbols ${keel_busybox}
                ${keel_busybox_symbols}
        DEPENDS ${keel_busybox} ${CMAKE_SOURCE_DIR}/scripts/busybox-symbols
        COMMENT "Writing busybox's applet symbols for gdb (build/busybox-symbols.elf)"
        VERBATIM)
    add_custom_target(busybox_symbols ALL DEPENDS ${keel_busybox_symbols})
else()
    message(STATUS "keel: busybox is not in the initramfs (no ${keel_busybox}); "
                   "scripts/fetch-debian-packages busybox-static fetches it")
endif()
# Rewritten only when the list changes: the initramfs depends on it, so a file that joins (or
# leaves) it rebuilds the archive even when that file is older than the archive (a .deb keeps
# its files' dates).
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/initrd-extra-files.txt CONTENT "${keel_initrd_extra_files}\n")

set(KEEL_INITRD ${CMAKE_BINARY_DIR}/initrd.cpio)
add_custom_command(
    OUTPUT ${KEEL_INITRD}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/mkcpio ${KEEL_INITRD}
            --dir ${CMAKE_SOURCE_DIR}/rootfs ${KEEL_USER_FILES} ${keel_initrd_extra_files}
            --mkdir tmp --mkdir root
    DEPENDS ${keel_rootfs_files} ${CMAKE_SOURCE_DIR}/scripts/mkcpio
            ${KEEL_USER_PROGRAMS_TARGETS} ${keel_busybox_found}
            ${CMAKE_BINARY_DIR}/initrd-extra-files.txt
    COMMENT "Writing the initramfs build/initrd.cpio from rootfs/"
    VERBATIM)
add_custom_target(initrd ALL DEPENDS ${KEEL_INITRD})
