# SPDX-License-Identifier: MIT
# The fuzzers (tests/fuzz): built by the host's clang++ with libFuzzer in build/fuzz, run briefly by
# ctest (fuzz.<name>: a few seconds over a fresh copy of the seeds, in build/fuzz/smoke), and at
# length by the fuzz target (make fuzz: KEEL_FUZZ_SECONDS each, growing build/fuzz/corpus). A crash
# input lands beside the corpus (build/fuzz/{smoke,corpus}/<name>-crash-*), never in the sources.
# include()d by cmake/tests.cmake once keel_test_deps exists.

set(KEEL_FUZZ_SECONDS 60 CACHE STRING "How long the fuzz target runs each fuzzer, in seconds")
set(KEEL_FUZZ_SMOKE_SECONDS 2)  # each fuzz.<name> test (make fuzz runs them at length)

find_program(KEEL_FUZZ_CLANGXX NAMES clang++ clang++-16 clang++-15 clang++-14)
if(NOT KEEL_FUZZ_CLANGXX)
    message(FATAL_ERROR "clang++ not found: the fuzzers need clang and its libFuzzer runtime, "
                        "packages clang and libclang-rt-dev (scripts/install-deps.sh does it)")
endif()
include(${CMAKE_SOURCE_DIR}/tests/fuzz/targets.cmake)

set(keel_fuzz_dir ${CMAKE_BINARY_DIR}/fuzz)
ExternalProject_Add(keel_fuzzers
    SOURCE_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz
    BINARY_DIR ${keel_fuzz_dir}
    CMAKE_ARGS -DCMAKE_CXX_COMPILER=${KEEL_FUZZ_CLANGXX} -DKEEL_SOURCE_DIR=${CMAKE_SOURCE_DIR}
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    EXCLUDE_FROM_ALL ON)
add_dependencies(keel_test_deps keel_fuzzers)

# Seeds the build makes rather than the source tree holds: its initramfs, and its user programs
# (static RISC-V executables: what the ELF checker exists to accept).
set(keel_fuzz_seeds -DSEEDS_cpio=${KEEL_INITRD}
                    -DSEEDS_elf=${CMAKE_BINARY_DIR}/user/hello,${CMAKE_BINARY_DIR}/user/exit3)
foreach(name IN LISTS KEEL_FUZZ_TARGETS)
    add_test(NAME fuzz.${name}
             COMMAND ${CMAKE_COMMAND} -DFUZZ_DIR=${keel_fuzz_dir} -DNAMES=${name} ${keel_fuzz_seeds}
                     -DSECONDS=${KEEL_FUZZ_SMOKE_SECONDS} -DCORPUS_DIR=${keel_fuzz_dir}/smoke
                     -DFRESH=ON -P ${CMAKE_SOURCE_DIR}/tests/fuzz/run.cmake)
    set_tests_properties(fuzz.${name} PROPERTIES TIMEOUT 60)
endforeach()

# run.cmake takes the names comma-separated: a ';' would split the command's argument.
string(REPLACE ";" "," keel_fuzz_names "${KEEL_FUZZ_TARGETS}")
add_custom_target(fuzz
    COMMAND ${CMAKE_COMMAND} -DFUZZ_DIR=${keel_fuzz_dir} -DNAMES=${keel_fuzz_names}
            ${keel_fuzz_seeds} -DSECONDS=${KEEL_FUZZ_SECONDS} -DCORPUS_DIR=${keel_fuzz_dir}/corpus
            -P ${CMAKE_SOURCE_DIR}/tests/fuzz/run.cmake
    DEPENDS keel_fuzzers initrd
    COMMENT "Fuzzing ${keel_fuzz_names} for ${KEEL_FUZZ_SECONDS} s each"
    USES_TERMINAL VERBATIM)
