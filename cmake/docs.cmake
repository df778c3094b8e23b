# SPDX-License-Identifier: MIT
# The docs target (make docs): every docs/pictures/NAME.dot rendered by Graphviz's dot to
# build/docs/NAME.svg. Not part of `all`: dot is a tool for the pictures, not for keel.
# include()d by CMakeLists.txt, this file defines the target; the target runs this same file as a
# script (cmake -P), which looks for dot when it runs, so that dot installed after the configure
# step is found. Without dot it fails, saying how to install it. (The docs.pictures test checks
# that each picture renders without a warning and says what the source says.)

if(CMAKE_SCRIPT_MODE_FILE)
    # cmake -DPICTURES=<dir of .dot> -DOUTPUT=<dir for .svg> -P docs.cmake
    find_program(dot_program dot)
    if(NOT dot_program)
        message(FATAL_ERROR "keel: rendering the pictures needs Graphviz's dot: "
                            "scripts/install-deps.sh installs it (Debian: apt-get install graphviz)")
    endif()
    file(GLOB pictures ${PICTURES}/*.dot)
    if(NOT pictures)
        message(FATAL_ERROR "keel: no pictures in ${PICTURES}")
    endif()
    file(MAKE_DIRECTORY ${OUTPUT})
    foreach(picture IN LISTS pictures)
        get_filename_component(name ${picture} NAME_WE)
        execute_process(COMMAND ${dot_program} -Tsvg -o ${OUTPUT}/${name}.svg ${picture}
                        RESULT_VARIABLE failed)
        if(failed)
            message(FATAL_ERROR "keel: dot could not render ${picture}")
        endif()
        message(STATUS "${OUTPUT}/${name}.svg")
    endforeach()
    return()
endif()

add_custom_target(docs
    COMMAND ${CMAKE_COMMAND} -DPICTURES=${CMAKE_SOURCE_DIR}/docs/pictures -DOUTPUT=${CMAKE_BINARY_DIR}/docs
            -P ${CMAKE_CURRENT_LIST_FILE}
    COMMENT "Rendering docs/pictures/*.dot into ${CMAKE_BINARY_DIR}/docs"
    VERBATIM)
