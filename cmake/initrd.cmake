# SPDX-License-Identifier: MIT
# The initramfs `make run` passes to QEMU (-initrd): build/initrd.cpio, a cpio newc archive of
# rootfs/ and the user programs as /bin/NAME (scripts/mkcpio: reproducible, every parent
# directory listed, "." first).
include(${CMAKE_CURRENT_LIST_DIR}/user.cmake)
file(GLOB_RECURSE keel_rootfs_files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/rootfs/*)
set(KEEL_INITRD ${CMAKE_BINARY_DIR}/initrd.cpio)
add_custom_command(
    OUTPUT ${KEEL_INITRD}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/mkcpio ${KEEL_INITRD}
            --dir ${CMAKE_SOURCE_DIR}/rootfs ${KEEL_USER_FILES}
    DEPENDS ${keel_rootfs_files} ${CMAKE_SOURCE_DIR}/scripts/mkcpio
            ${KEEL_USER_PROGRAMS_TARGETS}
    COMMENT "Writing the initramfs build/initrd.cpio from rootfs/"
    VERBATIM)
add_custom_target(initrd ALL DEPENDS ${KEEL_INITRD})
