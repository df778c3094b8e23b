# SPDX-License-Identifier: MIT
# How keel's kernel image is built: flags, sources, build/keel.elf and build/keel.bin, and `run`.

# Flags every kernel object gets. Freestanding C++20 with no exceptions/RTTI; medany so code and
# data may live anywhere (keel's link address, in the top 2 GiB, is out of medlow's reach: medany
# reaches everything pc-relative, which is also how boot.S runs before paging is on); frame pointers
# for backtraces.
add_library(keel_flags INTERFACE)
target_compile_options(keel_flags INTERFACE
    -march=rv64gc -mabi=lp64d -mcmodel=medany
    -ffreestanding -fno-stack-protector -fno-pie
    -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables
    -ffunction-sections -fdata-sections
    -fmacro-prefix-map=${CMAKE_SOURCE_DIR}/=
    -Wall -Wextra -Werror
    $<$<COMPILE_LANGUAGE:CXX>:-std=c++20 -fno-exceptions -fno-rtti -fno-threadsafe-statics
                              -fno-use-cxa-atexit -fsized-deallocation>
)
# Clang's integrated assembler emits R_RISCV_ALIGN relaxations that lld 14 cannot process.
if(KEEL_COMPILER_FAMILY STREQUAL "clang")
    target_compile_options(keel_flags INTERFACE -mno-relax)
endif()
target_include_directories(keel_flags INTERFACE ${CMAKE_SOURCE_DIR}/include ${CMAKE_BINARY_DIR}/generated)
# Files whose numbers come from memlayout.h, through the C preprocessor: the link map, and the
# layout the QEMU tests read (build/keel_layout.py).
function(keel_preprocess source output)
    add_custom_command(OUTPUT ${output}
        COMMAND ${CMAKE_C_COMPILER} -E -P -x c -D__ASSEMBLER__ -I ${CMAKE_SOURCE_DIR}/include
                ${source} -o ${output}
        DEPENDS ${source} ${CMAKE_SOURCE_DIR}/include/keel/arch/riscv/memlayout.h
                ${CMAKE_SOURCE_DIR}/include/keel/arch/riscv/image_header.h
        COMMENT "" VERBATIM)
endfunction()
set(keel_linker_script ${CMAKE_BINARY_DIR}/linker.ld)
keel_preprocess(${CMAKE_SOURCE_DIR}/linker.ld ${keel_linker_script})
keel_preprocess(${CMAKE_SOURCE_DIR}/cmake/layout.py.in ${CMAKE_BINARY_DIR}/keel_layout.py)
add_custom_target(keel_layout DEPENDS ${keel_linker_script} ${CMAKE_BINARY_DIR}/keel_layout.py)

target_link_options(keel_flags INTERFACE
    -nostdlib -static $<$<STREQUAL:${KEEL_COMPILER_FAMILY},gcc>:-no-pie> -Wl,-T,${keel_linker_script} -Wl,--gc-sections
    -Wl,-z,max-page-size=4096 -Wl,--build-id=none
    $<$<STREQUAL:${KEEL_COMPILER_FAMILY},clang>:-fuse-ld=lld>
)

# version.h: regenerated on every build (cheap), rewritten only when the git hash changes.
set(keel_version_header ${CMAKE_BINARY_DIR}/generated/keel/kernel/version.h)
add_custom_target(keel_version
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${keel_version_header}
            -DVERSION=${PROJECT_VERSION} "-DCOMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
            -DBUILD_TYPE=${CMAKE_BUILD_TYPE} -P ${CMAKE_SOURCE_DIR}/cmake/version.cmake
    BYPRODUCTS ${keel_version_header}
    COMMENT "" VERBATIM)

include(${CMAKE_SOURCE_DIR}/cmake/portable-sources.cmake)

# One file per shell command; a new command is a new file there plus its line in commands.cpp.
file(GLOB keel_command_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/shell/commands/*.cpp)

add_library(keel_objects OBJECT
    # arch: registers, SBI, trap entry and frame, PLIC, timer hardware
    src/arch/riscv/boot.S
    src/arch/riscv/hart_start.cpp
    src/arch/riscv/irq.cpp
    src/arch/riscv/plic.cpp
    src/arch/riscv/sbi.cpp
    src/arch/riscv/timer.cpp
    src/arch/riscv/switch.S
    src/arch/riscv/fp.S
    src/arch/riscv/trap.S
    src/arch/riscv/trap.cpp
    # drivers
    src/drivers/console_uart.cpp
    src/drivers/goldfish_rtc.cpp
    src/drivers/ns16550.cpp
    src/drivers/sbi_console.cpp
    src/drivers/sifive_uart.cpp
    # core: hart identity, locks, console, panic, power, backtrace
    src/core/backtrace.cpp
    src/core/console.cpp
    src/core/console_input.cpp
    src/core/hart.cpp
    src/core/lock.cpp
    src/core/log.cpp
    src/core/panic.cpp
    src/core/power.cpp
    src/lib/memory.cpp
    # mm
    src/mm/heap.cpp
    src/mm/new.cpp
    src/mm/object_cache.cpp
    src/mm/pages.cpp
    # kernel: trap policy, boot info, smp, scheduler, self tests, kmain, benchmarks
    src/kernel/address_space.cpp
    src/kernel/address_space_fork.cpp
    src/kernel/address_space_files.cpp
    src/kernel/bench.cpp
    src/kernel/boot_stages.cpp
    src/kernel/clock.cpp
    src/kernel/cpus.cpp
    src/kernel/cpu_time.cpp
    src/kernel/faults.cpp
    src/kernel/image_tables.S
    src/kernel/initramfs.cpp
    src/kernel/kmain.cpp
    src/kernel/load.cpp
    src/kernel/process.cpp
    src/kernel/random.cpp
    src/kernel/rtc.cpp
    src/kernel/process_control.cpp
    src/kernel/process_groups.cpp
    src/kernel/process_tree.cpp
    src/kernel/itimer.cpp
    src/kernel/signals.cpp
    src/kernel/signal_frames.cpp
    src/kernel/sched.cpp
    src/kernel/sched_figures.cpp
    src/kernel/sched_waits.cpp
    src/kernel/selftest.cpp
    src/kernel/smp.cpp
    src/kernel/sync.cpp
    src/kernel/fs/attributes.cpp
    src/kernel/fs/devices.cpp
    src/kernel/fs/file.cpp
    src/kernel/fs/inode.cpp
    src/kernel/fs/io.cpp
    src/kernel/fs/mounts.cpp
    src/kernel/fs/namei.cpp
    src/kernel/fs/pipe.cpp
    src/kernel/fs/procfs.cpp
    src/kernel/fs/procfs_maps.cpp
    src/kernel/fs/procfs_process.cpp
    src/kernel/fs/procfs_system.cpp
    src/kernel/fs/rtc_device.cpp
    src/kernel/fs/regular.cpp
    src/kernel/fs/tmpfs.cpp
    src/kernel/fs/tmpfs_data.cpp
    src/kernel/fs/tty.cpp
    src/kernel/fs/tty_io.cpp
    src/kernel/fs/unpack.cpp
    src/kernel/fs/vfs.cpp
    src/kernel/exec_args.cpp
    src/kernel/loader.cpp
    src/kernel/loader_segments.cpp
    src/kernel/syscalls.cpp
    src/kernel/syscalls_fd.cpp
    src/kernel/syscalls_fs.cpp
    src/kernel/syscalls_hwprobe.cpp
    src/kernel/syscalls_io.cpp
    src/kernel/syscalls_jobs.cpp
    src/kernel/syscalls_memory.cpp
    src/kernel/syscalls_ids.cpp
    src/kernel/syscalls_misc.cpp
    src/kernel/syscalls_signal.cpp
    src/kernel/syscalls_system.cpp
    src/kernel/system_info.cpp
    src/kernel/syscalls_time.cpp
    src/kernel/syscalls_usage.cpp
    src/kernel/tasks.cpp
    src/kernel/traps.cpp
    src/kernel/user_trap.cpp
    src/kernel/vm.cpp
    # shell
    src/shell/commands.cpp
    ${keel_command_sources}
    src/shell/file_names.cpp
    src/shell/shell.cpp
    # the portable core (host-tested), from every layer
    ${KEEL_PORTABLE_SOURCES}
)
target_link_libraries(keel_objects PUBLIC keel_flags)
add_dependencies(keel_objects keel_version)
include(${CMAKE_SOURCE_DIR}/cmake/vdso.cmake)  # the vDSO, embedded: after keel_objects

# keel_image(NAME [LOAD_BASE address]): build/NAME.elf and build/NAME.bin from the kernel objects.
# After linking: fill .keel_symtab with the function names (same size, so nothing moves), drop the
# assembler's .L labels (addr2line and gdb would name them), then write the flat image. LOAD_BASE moves the ELF's physical load address (where QEMU
# puts it); the link address stays.
function(keel_image name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "LOAD_BASE" "")
    add_executable(${name} $<TARGET_OBJECTS:keel_objects>)
    target_link_libraries(${name} PRIVATE keel_flags)
    if(arg_LOAD_BASE)
        target_link_options(${name} PRIVATE -Wl,--defsym=__load_base=${arg_LOAD_BASE})
    endif()
    if(KEEL_COMPILER_FAMILY STREQUAL "gcc")
        target_link_libraries(${name} PRIVATE gcc)  # the compiler's helper routines, if any are used
    endif()
    set_target_properties(${name} PROPERTIES SUFFIX .elf RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}
                          LINK_DEPENDS ${keel_linker_script})
    add_dependencies(${name} keel_layout)
    set(out ${CMAKE_BINARY_DIR}/${name})
    add_custom_command(TARGET ${name} POST_BUILD
        COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/gen-symbols --nm ${KEEL_NM}
                --elf $<TARGET_FILE:${name}> --output ${out}.symtab
        COMMAND ${CMAKE_OBJCOPY} --discard-locals --update-section .keel_symtab=${out}.symtab
                $<TARGET_FILE:${name}>
        COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${name}> ${out}.bin
        BYPRODUCTS ${out}.bin ${out}.symtab
        COMMENT "${name}.elf symbol table, ${name}.bin (flat image)" VERBATIM)
endfunction()

find_package(Python3 REQUIRED COMPONENTS Interpreter)
keel_image(keel)
# The same kernel loaded elsewhere in RAM (QEMU puts an ELF at its load addresses), for the test
# that it maps itself wherever it runs.
keel_image(keel-loaded-at-0x90200000 LOAD_BASE 0x90200000)
set_target_properties(keel-loaded-at-0x90200000 PROPERTIES EXCLUDE_FROM_ALL ON)

add_custom_target(run
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/run-qemu --kernel $<TARGET_FILE:keel>
            --smp ${KEEL_SMP} --mem ${KEEL_MEM}
    DEPENDS keel USES_TERMINAL VERBATIM)

# operator new's fast path is a leaf: no frame to build (see the top of src/mm/new.cpp).
set_source_files_properties(src/mm/new.cpp PROPERTIES COMPILE_OPTIONS -fomit-frame-pointer)
