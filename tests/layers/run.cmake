# A layering test: compiles SRC with the include directories a layer's own sources are built with
# (FLAGS, read from the layer's target). The snippet's first lines say what must happen:
#   // layer: NAME          the layer whose view it is compiled in (read by tests/CMakeLists.txt)
#   // missing: HEADER      the compile must fail, and its first error must be that HEADER is not
#                           found; compiled with the umbrella's view (ALL_FLAGS, every header)
#                           the same snippet must compile, so the header exists and only the
#                           layer's view hides it
# A snippet without "// missing:" must compile in the layer's view (what a layer may include).
# Usage: cmake -DCXX=... -DSRC=... "-DFLAGS=-I...;-I..." "-DALL_FLAGS=-I...;-I..." -P run.cmake
function(compile flags)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C ${CXX} -std=gnu++20 -fsyntax-only ${flags} ${SRC}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  set(rc ${rc} PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

file(STRINGS ${SRC} missing REGEX "^// missing: ")
compile("${FLAGS}")
if(NOT missing)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SRC} must compile in its layer's view, but:\n${err}")
  endif()
  message(STATUS "compiles in its layer's view")
  return()
endif()
string(REGEX REPLACE "^// missing: " "" header "${missing}")
if(rc EQUAL 0)
  message(FATAL_ERROR "${SRC} compiled, but its layer must not see ${header}")
endif()
string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${err}")
string(FIND "${first_error}" "${header}" at)
if(at LESS 0 OR NOT first_error MATCHES "No such file or directory|file not found")
  message(FATAL_ERROR "the first error must be '${header}' not found; it is:\n${err}")
endif()
compile("${ALL_FLAGS}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${SRC} does not compile with every header either (fix the snippet):\n${err}")
endif()
message(STATUS "not found in the layer's view, as required: ${first_error}")
