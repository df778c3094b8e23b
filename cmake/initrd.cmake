# SPDX-License-Identifier: MIT
# The initramfs `make run` passes to QEMU (-initrd): build/initrd.cpio, a cpio newc archive of
# rootfs/ (scripts/mkcpio: reproducible, every parent directory listed, "." first).
file(GLOB_RECURSE keel_rootfs_files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/rootfs/*)
set(KEEL_INITRD ${CMAKE_BINARY_DIR}/initrd.cpio)
add_custom_command(
    OUTPUT ${KEEL_INITRD}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/mkcpio ${KEEL_INITRD}
            --dir ${CMAKE_SOURCE_DIR}/rootfs
    DEPENDS ${keel_rootfs_files} ${CMAKE_SOURCE_DIR}/scripts/mkcpio
    COMMENT "Writing the initramfs build/initrd.cpio from rootfs/"
    VERBATIM)
add_custom_target(initrd ALL DEPENDS ${KEEL_INITRD})
