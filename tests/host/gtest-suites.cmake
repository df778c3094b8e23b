# SPDX-License-Identifier: MIT
# One ctest test per GoogleTest *suite* (host.LineDisciplineTest runs keel_unit_tests
# --gtest_filter=LineDisciplineTest.*), not one per test case as gtest_discover_tests does: every
# process start under ASan/UBSan or TSan costs ~0.3 s, and ~720 of them were the largest cost of
# make test. A failing ctest test still names its suite; gtest's own output names the case.
#
# include()d by tests/host/CMakeLists.txt for keel_gtest_suites(); also run as a script (cmake -P):
#   -DKEEL_DISCOVER=<binary> -DKEEL_PREFIX=... -DKEEL_OUTPUT=<file> -DKEEL_WORKING_DIR=<dir>
#       -DKEEL_TIMEOUT=<s> -DKEEL_DISCOVERY_TIMEOUT=<s>
#     after each link: lists the binary's suites and writes KEEL_OUTPUT, the add_test()s for them,
#     or, when the listing fails, one failing test (<prefix>DISCOVERY_FAILED) that prints why.
#   -DKEEL_FAIL=<message> [-DKEEL_LOG=<file>]
#     the command of those failing tests: prints the message (and the log) and exits 1.

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED KEEL_FAIL)
    set(log "")
    if(KEEL_LOG AND EXISTS "${KEEL_LOG}")
        file(READ "${KEEL_LOG}" log)
    endif()
    message(FATAL_ERROR "${KEEL_FAIL}\n${log}")
endif()

if(CMAKE_SCRIPT_MODE_FILE AND DEFINED KEEL_DISCOVER)
    execute_process(COMMAND "${KEEL_DISCOVER}" --gtest_list_tests
                    WORKING_DIRECTORY "${KEEL_WORKING_DIR}"
                    TIMEOUT ${KEEL_DISCOVERY_TIMEOUT}
                    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)

    # Suite lines are the ones not indented: "Suite.", "Prefix/Suite." (value-parameterised) or
    # "Suite/0.  # TypeParam = T" (typed). gtest_main's "Running main() from ..." is not one.
    # [, ] and ; would upset CMake's lists; they can only be in the indented lines and comments.
    string(REGEX REPLACE "[][;]" "_" lines "${out}")
    string(REPLACE "\n" ";" lines "${lines}")
    set(suites "")
    foreach(line IN LISTS lines)
        if(line MATCHES "^([A-Za-z_][A-Za-z0-9_/]*)\\.( +#.*)?$")
            list(APPEND suites "${CMAKE_MATCH_1}")
        endif()
    endforeach()

    get_filename_component(binary_name "${KEEL_DISCOVER}" NAME)
    set(log_file "${KEEL_OUTPUT}.log")
    if(NOT result EQUAL 0 OR NOT suites)
        file(WRITE "${log_file}" "${KEEL_DISCOVER} --gtest_list_tests\nresult: ${result}\n"
                                 "stdout:\n${out}\nstderr:\n${err}\n")
        set(name "${KEEL_PREFIX}DISCOVERY_FAILED")
        set(why "listing the suites of ${binary_name} failed (or found none) after it was built")
        file(WRITE "${KEEL_OUTPUT}"
             "add_test([==[${name}]==] \"${CMAKE_COMMAND}\" [==[-DKEEL_FAIL=${why}]==]\n"
             "         \"-DKEEL_LOG=${log_file}\" -P \"${CMAKE_CURRENT_LIST_FILE}\")\n")
        message(WARNING "${why}: ctest will report ${name}; see ${log_file}")
        return()
    endif()
    file(REMOVE "${log_file}")

    set(content "# Written by ${CMAKE_CURRENT_LIST_FILE} from ${binary_name} --gtest_list_tests.\n")
    foreach(suite IN LISTS suites)
        set(name "${KEEL_PREFIX}${suite}")
        # A filter that runs no test passes in gtest: fail instead (a stale list, a renamed suite).
        string(APPEND content
               "add_test([==[${name}]==] \"${KEEL_DISCOVER}\" [==[--gtest_filter=${suite}.*]==])\n"
               "set_tests_properties([==[${name}]==] PROPERTIES\n"
               "    WORKING_DIRECTORY \"${KEEL_WORKING_DIR}\" TIMEOUT ${KEEL_TIMEOUT}\n"
               "    FAIL_REGULAR_EXPRESSION [==[Running 0 tests from]==])\n")
        if(suite MATCHES "^DISABLED_")
            string(APPEND content
                   "set_tests_properties([==[${name}]==] PROPERTIES DISABLED TRUE)\n")
        endif()
    endforeach()
    file(WRITE "${KEEL_OUTPUT}" "${content}")
    return()
endif()

# keel_gtest_suites(<target> PREFIX <prefix> [TIMEOUT <s>] [DISCOVERY_TIMEOUT <s>])
# Registers <target>'s suites as ctest tests named <prefix><Suite>, listed after each link.
function(keel_gtest_suites target)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "PREFIX;TIMEOUT;DISCOVERY_TIMEOUT" "")
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 120)
    endif()
    if(NOT arg_DISCOVERY_TIMEOUT)
        set(arg_DISCOVERY_TIMEOUT 60)
    endif()
    set(suites_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_suites.cmake)
    set(include_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_include.cmake)
    set(script ${CMAKE_CURRENT_FUNCTION_LIST_FILE})

    add_custom_command(TARGET ${target} POST_BUILD
        COMMAND ${CMAKE_COMMAND} -DKEEL_DISCOVER=$<TARGET_FILE:${target}>
                -DKEEL_PREFIX=${arg_PREFIX} -DKEEL_OUTPUT=${suites_file}
                -DKEEL_WORKING_DIR=${CMAKE_CURRENT_BINARY_DIR} -DKEEL_TIMEOUT=${arg_TIMEOUT}
                -DKEEL_DISCOVERY_TIMEOUT=${arg_DISCOVERY_TIMEOUT} -P ${script}
        BYPRODUCTS ${suites_file}
        VERBATIM)

    # ctest reads this one; the list is only used while it is newer than the binary (a link whose
    # listing never ran must not leave the old list standing), else a failing placeholder.
    string(CONCAT not_built "${target} is not built, or is newer than its list of suites: "
                            "build it (delete it first if need be)")
    file(GENERATE OUTPUT ${include_file} CONTENT
"if(EXISTS \"${suites_file}\" AND NOT \"$<TARGET_FILE:${target}>\" IS_NEWER_THAN \"${suites_file}\")
  include(\"${suites_file}\")
else()
  add_test([==[${arg_PREFIX}NOT_BUILT]==] \"${CMAKE_COMMAND}\" [==[-DKEEL_FAIL=${not_built}]==]
           -P \"${script}\")
endif()
")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
