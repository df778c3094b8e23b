# SPDX-License-Identifier: MIT
# keel's own user programs (user/): static RISC-V executables for the initramfs, built by the
# kernel's cross compiler with keel's tiny runtime (crt0.S, lib.c), no libc, and the ABI headers of
# include/keel/abi. RV64GC, LP64D: floating point in hardware (the kernel keeps each task's F and D
# registers), so double arithmetic needs no helper library. build/user/NAME each.
set(KEEL_USER_PROGRAMS cat crash echo exit3 forkbomb forktest hello hog ls nbwrite primes procrace repeat sigfuzz sysbench sysfuzz sysspin
                        usertests waitspin)
# G is IMAFD with Zicsr and Zifencei (rdinstret needs Zicsr), for GCC and Clang alike.
set(keel_user_march -march=rv64gc -mabi=lp64d)
set(keel_user_flags ${keel_user_march} -mcmodel=medany -O2 -g -ffreestanding
                    -fno-builtin -fno-stack-protector -fno-pic -Wall -Wextra -Werror
                    # The same bytes wherever the tree is cloned: debug info names paths
                    # relative to the source and build directories, not absolute ones.
                    -fdebug-prefix-map=${CMAKE_SOURCE_DIR}=. -fdebug-prefix-map=${CMAKE_BINARY_DIR}=build)
add_library(keel_user_runtime OBJECT user/crt0.S user/lib.c)
target_compile_options(keel_user_runtime PRIVATE ${keel_user_flags})
target_include_directories(keel_user_runtime PRIVATE ${CMAKE_SOURCE_DIR}/include)
if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
    # Clang 14's integrated assembler ignores -fdebug-prefix-map and would write the absolute
    # path of crt0.S into every program: _start goes without line information there.
    set_source_files_properties(user/crt0.S TARGET_DIRECTORY keel_user_runtime
                                PROPERTIES COMPILE_OPTIONS -g0)
endif()
set(KEEL_USER_FILES)
set(KEEL_USER_PROGRAMS_TARGETS)
foreach(program ${KEEL_USER_PROGRAMS})
    add_executable(user_${program} user/${program}.c $<TARGET_OBJECTS:keel_user_runtime>)
    target_compile_options(user_${program} PRIVATE ${keel_user_flags})
    target_include_directories(user_${program} PRIVATE ${CMAKE_SOURCE_DIR}/include)
    target_link_options(user_${program} PRIVATE -nostdlib -static ${keel_user_march}
                        -T ${CMAKE_SOURCE_DIR}/user/user.ld -Wl,-z,max-page-size=4096)
    set_target_properties(user_${program} PROPERTIES OUTPUT_NAME ${program}
                          RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/user
                          LINK_DEPENDS ${CMAKE_SOURCE_DIR}/user/user.ld)
    list(APPEND KEEL_USER_FILES --file bin/${program}=$<TARGET_FILE:user_${program}>)
    list(APPEND KEEL_USER_PROGRAMS_TARGETS user_${program})
endforeach()
