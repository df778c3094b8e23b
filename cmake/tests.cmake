# SPDX-License-Identifier: MIT
# keel's test suite, run by ctest (make test): host unit tests, QEMU boots of both compilers' kernels.
include(ExternalProject)
enable_testing()

find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(KEEL_QEMU_TESTS ${CMAKE_SOURCE_DIR}/tests/qemu)

# Host unit tests: built by the host's own compiler (not the cross toolchain) in build/host.
ExternalProject_Add(keel_host_tests
    SOURCE_DIR ${CMAKE_SOURCE_DIR}/tests/host
    BINARY_DIR ${CMAKE_BINARY_DIR}/host
    CMAKE_ARGS -DCMAKE_BUILD_TYPE=Debug -DKEEL_SOURCE_DIR=${CMAKE_SOURCE_DIR}
               -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    EXCLUDE_FROM_ALL ON)

# clangd: the host tests' compile commands join build/compile_commands.json once they are built.
ExternalProject_Add_Step(keel_host_tests compile_commands
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/merge-compile-commands
            ${CMAKE_BINARY_DIR}/compile_commands.json ${CMAKE_BINARY_DIR}/host/compile_commands.json
    DEPENDEES build ALWAYS ON)

# The same kernel from the other compiler family, in build/<toolchain>, so both always build and boot.
if(KEEL_COMPILER_FAMILY STREQUAL "clang")
    set(KEEL_OTHER_TOOLCHAIN gcc)
else()
    set(KEEL_OTHER_TOOLCHAIN clang)
endif()
ExternalProject_Add(keel_other_toolchain
    SOURCE_DIR ${CMAKE_SOURCE_DIR}
    BINARY_DIR ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN}
    CMAKE_ARGS -DKEEL_TOOLCHAIN=${KEEL_OTHER_TOOLCHAIN} -DKEEL_WITH_TESTS=OFF
               -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    EXCLUDE_FROM_ALL ON)

# The debug kernel (-Og -g3) that make debug also uses, for the gdb test.
ExternalProject_Add(keel_debug
    SOURCE_DIR ${CMAKE_SOURCE_DIR}
    BINARY_DIR ${CMAKE_BINARY_DIR}/debug
    CMAKE_ARGS -DKEEL_TOOLCHAIN=${KEEL_TOOLCHAIN} -DKEEL_WITH_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    EXCLUDE_FROM_ALL ON)

include(${CMAKE_SOURCE_DIR}/cmake/linux-tests.cmake)
add_custom_target(keel_test_deps DEPENDS keel keel-loaded-at-0x90200000 keel_host_tests
                                        keel_other_toolchain keel_debug keel_linux_tests)
include(${CMAKE_SOURCE_DIR}/cmake/fuzz.cmake)

add_custom_target(check
    COMMAND ${CMAKE_CTEST_COMMAND} --output-on-failure
    DEPENDS keel_test_deps USES_TERMINAL VERBATIM)

# ctest also reads the host project's tests (one ctest entry per GoogleTest suite: a process start
# under the sanitizers costs ~0.3 s, tests/host/gtest-suites.cmake).
set(host_include ${CMAKE_BINARY_DIR}/host-tests.cmake)
file(WRITE ${host_include}
"if(EXISTS \"${CMAKE_BINARY_DIR}/host/CTestTestfile.cmake\")
  include(\"${CMAKE_BINARY_DIR}/host/CTestTestfile.cmake\")
else()
  add_test(host.NOT_BUILT \"${CMAKE_COMMAND}\" -E false)
endif()
")
set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${host_include})

find_program(KEEL_DTC_PROGRAM dtc)

# QEMU tests: each script enforces its own deadlines; TIMEOUT is ctest's backstop.
function(keel_qemu_test name script)
    add_test(NAME qemu.${name} COMMAND ${Python3_EXECUTABLE} ${KEEL_QEMU_TESTS}/${script} ${ARGN}
             WORKING_DIRECTORY ${KEEL_QEMU_TESTS})
    set_tests_properties(qemu.${name} PROPERTIES TIMEOUT 120)
endfunction()

keel_qemu_test(boot.${KEEL_TOOLCHAIN} test_boot.py --kernel $<TARGET_FILE:keel>)
keel_qemu_test(boot.${KEEL_OTHER_TOOLCHAIN} test_boot.py
               --kernel ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN}/keel.elf)
keel_qemu_test(gdb test_gdb.py --kernel ${CMAKE_BINARY_DIR}/debug/keel.elf)
keel_qemu_test(shell test_shell.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_INITRD})
keel_qemu_test(shell-output test_shell_output.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_INITRD})
keel_qemu_test(smp test_smp.py --kernel $<TARGET_FILE:keel>)
keel_qemu_test(memory test_memory.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_INITRD})
keel_qemu_test(initramfs test_initramfs.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_INITRD})
keel_qemu_test(user.${KEEL_TOOLCHAIN} test_user.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_INITRD})
keel_qemu_test(user.${KEEL_OTHER_TOOLCHAIN} test_user.py
               --kernel ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN}/keel.elf
               --initrd ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN}/initrd.cpio)
keel_qemu_test(user-control.${KEEL_TOOLCHAIN} test_user_control.py --kernel $<TARGET_FILE:keel>
               --initrd ${KEEL_INITRD})
# The other toolchain's kernel runs every check but the four longest, which load the kernel rather
# than its code generation (the suite stays under ten minutes on two cores).
keel_qemu_test(user-control.${KEEL_OTHER_TOOLCHAIN} test_user_control.py
               --kernel ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN}/keel.elf
               --initrd ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN}/initrd.cpio
               --skip a_fork_bomb_is_capped_and_killed_whole
               --skip running_out_of_memory_kills_only_the_program_that_wanted_more
               --skip a_thousand_runs_leak_no_page
               --skip proc_reads_of_a_changing_address_space_hurt_nothing)
keel_qemu_test(files test_files.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_INITRD})
keel_qemu_test(linux test_linux.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_LINUX_INITRD}
               --programs ${CMAKE_BINARY_DIR}/linux)
set_tests_properties(qemu.linux PROPERTIES TIMEOUT 300)
keel_qemu_test(busybox-pipeline test_busybox_pipeline.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_INITRD})
set_tests_properties(qemu.busybox-pipeline PROPERTIES TIMEOUT 540)
keel_qemu_test(terminal test_terminal.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_INITRD})
keel_qemu_test(console test_console.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_INITRD})
keel_qemu_test(signal-storm test_signal_storm.py --kernel $<TARGET_FILE:keel> --initrd ${KEEL_LINUX_INITRD})
keel_qemu_test(tasks.${KEEL_TOOLCHAIN} test_tasks.py --kernel $<TARGET_FILE:keel>)
keel_qemu_test(tasks.${KEEL_OTHER_TOOLCHAIN} test_tasks.py
               --kernel ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN}/keel.elf)
keel_qemu_test(boards test_boards.py --kernel $<TARGET_FILE:keel>
               --relocated ${CMAKE_BINARY_DIR}/keel-loaded-at-0x90200000.elf)
keel_qemu_test(spike-input test_spike_input.py --kernel $<TARGET_FILE:keel>)
set_tests_properties(qemu.spike-input PROPERTIES RUN_SERIAL ON)  # it measures responsiveness
keel_qemu_test(hostile test_hostile.py --kernel $<TARGET_FILE:keel> --dtc ${KEEL_DTC_PROGRAM})
# The README's transcripts are what the default (GCC) build prints; other toolchains' kernels lay
# out code differently (backtraces, gdb's stepping), so the check runs in the GCC build.
if(KEEL_TOOLCHAIN STREQUAL "gcc")
    add_test(NAME docs.readme COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/update-docs --check
             --kernel $<TARGET_FILE:keel> --debug-kernel ${CMAKE_BINARY_DIR}/debug/keel.elf)
    set_tests_properties(docs.readme PROPERTIES TIMEOUT 180)
endif()
keel_qemu_test(make test_make.py --build ${CMAKE_BINARY_DIR} --toolchain ${KEEL_TOOLCHAIN})
keel_qemu_test(bench.${KEEL_TOOLCHAIN} test_bench.py --kernel $<TARGET_FILE:keel>)
keel_qemu_test(bench.${KEEL_OTHER_TOOLCHAIN} test_bench.py
               --kernel ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN}/keel.elf)
keel_qemu_test(traps.${KEEL_TOOLCHAIN} test_traps.py --kernel $<TARGET_FILE:keel>)
keel_qemu_test(traps.${KEEL_OTHER_TOOLCHAIN} test_traps.py
               --kernel ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN}/keel.elf)

# Every benchmark once with tiny counts, so that none rots (make bench runs them in full).
add_test(NAME bench.smoke COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/bench/run --smoke
         --build ${CMAKE_BINARY_DIR})
set_tests_properties(bench.smoke PROPERTIES TIMEOUT 180)

# Checks on the tree itself, and on the build.
add_test(NAME lint.spdx COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/check-spdx
         --root ${CMAKE_SOURCE_DIR})
add_test(NAME lint.layers COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/check-layers)
# clang-tidy reads the compile commands of a clang build: this one, or the other toolchain's.
if(KEEL_COMPILER_FAMILY STREQUAL "clang")
    set(keel_clang_build ${CMAKE_BINARY_DIR})
else()
    set(keel_clang_build ${CMAKE_BINARY_DIR}/clang)
endif()
add_test(NAME lint.tidy COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/run-tidy
         --build ${keel_clang_build} --jobs 1)
add_test(NAME lint.format COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/check-format)
add_test(NAME lint.dts COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/build/check_dts.py
         ${KEEL_DTC_PROGRAM})
# The ABI headers against the host's riscv64 Linux headers (skipped where they are missing).
add_test(NAME abi.linux-headers COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/build/check_abi.py)
set_tests_properties(abi.linux-headers PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
# docs/syscalls.md has a row for every call of KEEL_IMPLEMENTED_SYSCALLS, with its number.
add_test(NAME docs.syscalls COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/build/check_syscalls_doc.py)
# docs/tour.md names files and functions with their line counts: they must exist and be within 10 %.
add_test(NAME docs.tour COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/build/check_tour.py)
# docs/pictures: each renders without a warning from dot, is listed, and its numbers (and the memory
# map's order) are the source's and the kernel's.
add_test(NAME docs.pictures COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/build/check_pictures.py
         --nm ${CMAKE_NM} --kernel $<TARGET_FILE:keel> --scratch ${CMAKE_BINARY_DIR}/check-pictures)
# The labs' table (scripts/labs.py) against the tree and docs/labs; it grades nothing (make grade does).
add_test(NAME docs.labs COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/build/check_labs.py)
# The vDSO of both toolchains' builds: what glibc accepts, and embedded in the kernel as it is.
add_test(NAME build.vdso COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/build/check_vdso.py
         ${CMAKE_BINARY_DIR} ${CMAKE_BINARY_DIR}/${KEEL_OTHER_TOOLCHAIN})
add_test(NAME build.configure COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/build/test_configure.py
         --cmake ${CMAKE_COMMAND})
set_tests_properties(build.configure PROPERTIES TIMEOUT 300)

# How long the longest tests take (seconds, on a 2-core machine): ctest starts the costliest first
# when it has no timings of its own yet (a fresh clone), so that `make test`'s two jobs end close
# together instead of one long test running alone at the end.
foreach(entry busybox-pipeline:40 linux:140 user-control.${KEEL_TOOLCHAIN}:54
              user-control.${KEEL_OTHER_TOOLCHAIN}:21 user.${KEEL_OTHER_TOOLCHAIN}:14
              smp:50 boards:40 files:25 signal-storm:22 shell:18 tasks.${KEEL_TOOLCHAIN}:16
              tasks.${KEEL_OTHER_TOOLCHAIN}:16)
    string(REPLACE ":" ";" pair ${entry})
    list(GET pair 0 name)
    list(GET pair 1 cost)
    if(TEST qemu.${name})
        set_tests_properties(qemu.${name} PROPERTIES COST ${cost})
    endif()
endforeach()
set_tests_properties(lint.tidy PROPERTIES COST 25)
set_tests_properties(build.configure PROPERTIES COST 18)
