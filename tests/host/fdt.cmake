# SPDX-License-Identifier: MIT
# The device-tree reader's host tests: compiles each tests/host/dts/*.dts with dtc into
# ${CMAKE_CURRENT_BINARY_DIR}/dtb at build time, for the tests to load at run time.
# include()d by tests/host/CMakeLists.txt, which adds the variables set here to its test binary
# (the reader's own sources, src/lib/fdt*.cpp, are in cmake/portable-sources.cmake).
#
#   KEEL_FDT_TEST_SOURCES         the GoogleTest files
#   KEEL_FDT_TEST_DEFINITIONS     KEEL_TEST_DTB_DIR="<dir>", where the tests find the blobs
#   KEEL_FDT_TEST_DEPENDS         the target that builds the blobs

find_program(KEEL_DTC dtc)
if(NOT KEEL_DTC)
    message(FATAL_ERROR "dtc (the device-tree compiler) not found: install device-tree-compiler "
                        "(scripts/install-deps.sh does it)")
endif()

set(keel_fdt_dtb_dir ${CMAKE_CURRENT_BINARY_DIR}/dtb)
file(GLOB keel_fdt_dts_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/dts/*.dts)

set(keel_fdt_dtbs)
foreach(dts IN LISTS keel_fdt_dts_files)
    get_filename_component(stem ${dts} NAME_WE)
    set(dtb ${keel_fdt_dtb_dir}/${stem}.dtb)
    add_custom_command(
        OUTPUT ${dtb}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${keel_fdt_dtb_dir}
        COMMAND ${KEEL_DTC} -I dts -O dtb -o ${dtb} ${dts}
        DEPENDS ${dts}
        COMMENT "dtc ${stem}.dts"
        VERBATIM)
    list(APPEND keel_fdt_dtbs ${dtb})
endforeach()
# Real blobs, as QEMU builds them for three machines (qemu-<machine>.dtb).
find_program(KEEL_QEMU qemu-system-riscv64)
if(NOT KEEL_QEMU)
    message(FATAL_ERROR "qemu-system-riscv64 not found: install qemu-system-misc "
                        "(scripts/install-deps.sh does it)")
endif()
foreach(machine virt "sifive_u -smp 2" spike)
    separate_arguments(args UNIX_COMMAND "${machine}")
    list(POP_FRONT args name)
    set(dtb ${keel_fdt_dtb_dir}/qemu-${name}.dtb)
    add_custom_command(
        OUTPUT ${dtb}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${keel_fdt_dtb_dir}
        COMMAND ${KEEL_QEMU} -machine ${name},dumpdtb=${dtb} ${args} -bios default -display none
        COMMENT "qemu ${name}: dump its device tree"
        VERBATIM)
    list(APPEND keel_fdt_dtbs ${dtb})
endforeach()

add_custom_target(keel_fdt_test_blobs DEPENDS ${keel_fdt_dtbs})

set(KEEL_FDT_TEST_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/fdt_chosen_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fdt_damage_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fdt_header_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fdt_property_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fdt_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/boot_info_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/boot_info_reserved_test.cpp
)
set(KEEL_FDT_TEST_DEFINITIONS "KEEL_TEST_DTB_DIR=\"${keel_fdt_dtb_dir}\"")
set(KEEL_FDT_TEST_DEPENDS keel_fdt_test_blobs)
