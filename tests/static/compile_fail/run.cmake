# A compile-fail test: compiles SRC (which must NOT compile) and checks the diagnostic
# (the first ": error: " line and the instantiation context printed before it).
#   // expect-first: TEXT   the first "error:" line contains TEXT
#   // expect: TEXT         the diagnostic before that error line (its instantiation context,
#                           which names the operation and both shapes/formats) contains TEXT
# Usage: cmake -DCXX=... -DSRC=... "-DFLAGS=-I...;-I..." -P run.cmake
execute_process(COMMAND ${CMAKE_COMMAND} -E env LC_ALL=C ${CXX} -std=gnu++20 -fsyntax-only ${FLAGS} ${SRC}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "${SRC} compiled, but it must fail to compile")
endif()
string(FIND "${err}" ": error: " first_error)
if(first_error LESS 0)
  message(FATAL_ERROR "no error line in the diagnostic:\n${err}")
endif()
string(SUBSTRING "${err}" 0 ${first_error} context)
string(SUBSTRING "${err}" ${first_error} -1 rest)
string(FIND "${rest}" "\n" eol)
string(SUBSTRING "${rest}" 0 ${eol} error_line)
file(STRINGS ${SRC} expectations REGEX "^// expect(-first)?: ")
if(NOT expectations)
  message(FATAL_ERROR "${SRC} has no // expect lines")
endif()
foreach(line IN LISTS expectations)
  if(line MATCHES "^// expect-first: (.*)$")
    string(FIND "${error_line}" "${CMAKE_MATCH_1}" at)
    set(where "the first error line")
  else()
    string(REGEX REPLACE "^// expect: " "" text "${line}")
    string(FIND "${context}" "${text}" at)
    set(where "the context of the first error")
  endif()
  if(at LESS 0)
    message(FATAL_ERROR "expected in ${where}: '${line}'\nfirst error line: ${error_line}\nfull diagnostic:\n${err}")
  endif()
endforeach()
message(STATUS "failed to compile as expected: ${error_line}")
