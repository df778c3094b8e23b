# SPDX-License-Identifier: MIT
# Runs keel's fuzzers one after another, one summary line each, and fails if any of them crashed.
# cmake/fuzz.cmake uses it for the ctest smoke runs (fuzz.<name>) and for the fuzz target:
#   cmake -DFUZZ_DIR=<where fuzz_<name> are> -DNAMES=tokenizer,number -DSECONDS=60
#         -DCORPUS_DIR=<dir> [-DFRESH=ON] -P tests/fuzz/run.cmake
# Each fuzzer works in CORPUS_DIR/<name>: the seeds of corpus/<name>/ copied in (and the files
# -DSEEDS_<name>=file1,file2 names: seeds the build makes, such as its programs), and (unless FRESH)
# whatever earlier runs found there. Nothing is written into the source tree. A crash leaves its
# input beside that directory as <name>-crash-<sha1> (libFuzzer's artifact), and its report in
# <name>.log.
cmake_minimum_required(VERSION 3.20)

foreach(variable FUZZ_DIR NAMES SECONDS CORPUS_DIR)
    if(NOT DEFINED ${variable})
        message(FATAL_ERROR "run.cmake: -D${variable}=... is required")
    endif()
endforeach()
string(REPLACE "," ";" names "${NAMES}")

set(failed "")
foreach(name IN LISTS names)
    set(fuzzer ${FUZZ_DIR}/fuzz_${name})
    if(NOT EXISTS ${fuzzer})
        message(FATAL_ERROR "${fuzzer} is not built: cmake --build <build> --target keel_fuzzers")
    endif()
    set(corpus ${CORPUS_DIR}/${name})
    if(FRESH)
        file(REMOVE_RECURSE ${corpus})
    endif()
    file(GLOB seeds ${CMAKE_CURRENT_LIST_DIR}/corpus/${name}/*)
    if(DEFINED SEEDS_${name})
        string(REPLACE "," ";" built "${SEEDS_${name}}")
        foreach(seed IN LISTS built)
            if(NOT EXISTS ${seed})
                message(FATAL_ERROR "${seed} (a seed for fuzz_${name}) is not built: cmake --build <build>")
            endif()
        endforeach()
        list(APPEND seeds ${built})
    endif()
    file(MAKE_DIRECTORY ${corpus})
    if(seeds)
        file(COPY ${seeds} DESTINATION ${corpus})
    endif()
    # -timeout: one input running that long is a hang, reported as a crash. TIMEOUT is a backstop:
    # libFuzzer stops itself after -max_total_time.
    math(EXPR backstop "${SECONDS} * 2 + 60")
    execute_process(
        COMMAND ${fuzzer} -max_total_time=${SECONDS} -timeout=10 -print_final_stats=1
                -artifact_prefix=${CORPUS_DIR}/${name}- ${corpus}
        RESULT_VARIABLE status
        OUTPUT_VARIABLE output
        ERROR_VARIABLE output
        TIMEOUT ${backstop})
    file(WRITE ${CORPUS_DIR}/${name}.log "${output}")

    string(REGEX MATCH "Done ([0-9]+) runs in ([0-9]+) second" _ "${output}")
    set(runs "${CMAKE_MATCH_1}")
    set(seconds "${CMAKE_MATCH_2}")
    if(NOT runs)  # stopped by a crash: the last progress line counts
        string(REGEX MATCHALL "#([0-9]+)\t" counts "${output}")
        list(POP_BACK counts runs)
        string(STRIP "${runs}" runs)
        string(SUBSTRING "${runs}" 1 -1 runs)
        set(seconds "<${SECONDS}")
    endif()
    string(REGEX MATCHALL "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+" progress "${output}")
    list(POP_BACK progress last)
    string(REGEX MATCH "cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+)" _ "${last}")
    string(CONCAT line "fuzz_${name}: ${runs} runs in ${seconds} s, coverage ${CMAKE_MATCH_1} "
                       "edges ${CMAKE_MATCH_2} features, corpus ${CMAKE_MATCH_3} inputs")
    if(status EQUAL 0)
        string(APPEND line ": ok")
    else()
        string(REGEX MATCH "Test unit written to ([^\n]*)" _ "${output}")
        string(APPEND line ": FAILED (${status}); input ${CMAKE_MATCH_1}, report "
                           "${CORPUS_DIR}/${name}.log")
        list(APPEND failed ${name})
        # The sanitizer's or the invariant's own words, for a reader of ctest's output.
        string(REGEX MATCHALL "[^\n]*(ERROR: |invariant broken|runtime error|SUMMARY: )[^\n]*"
               report "${output}")
        foreach(report_line IN LISTS report)
            message("  ${report_line}")
        endforeach()
    endif()
    message("${line}")
endforeach()

if(failed)
    message(FATAL_ERROR "fuzzers that failed: ${failed}")
endif()
