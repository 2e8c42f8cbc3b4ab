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
# The expectations are written in g++'s spelling; clang's is brought to it: templates closed as
# ">>" instead of "> >", and `static_assert failed due to requirement '...' "MESSAGE"` (clang 14)
# or `static assertion failed due to requirement '...': MESSAGE` (clang 16+) as
# `static assertion failed: MESSAGE`.
string(REPLACE "> >" ">>" context "${context}")
string(REGEX REPLACE "static_assert failed due to requirement '.*' \"" "static assertion failed: " error_line
                     "${error_line}")
string(REGEX REPLACE "static assertion failed due to requirement '.*': " "static assertion failed: " error_line
                     "${error_line}")
# clang prints the instantiation context as notes after the error line, up to the next error.
execute_process(COMMAND ${CXX} --version OUTPUT_VARIABLE version ERROR_QUIET)
if(version MATCHES "clang")
  string(SUBSTRING "${rest}" ${eol} -1 notes)
  string(FIND "${notes}" ": error: " next_error)
  string(SUBSTRING "${notes}" 0 ${next_error} notes)
  string(REPLACE "> >" ">>" notes "${notes}")
  string(APPEND context "${notes}")
endif()
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
    string(REPLACE "> >" ">>" text "${text}")
    if(version MATCHES "clang")
      # clang prints a class-type template argument without its type ("{-2032, 2048, -6}" for
      # "fixvar::rules::srange{-2032, 2048, -6}"): compare up to the first such argument.
      string(REGEX REPLACE "[A-Za-z_:0-9]+(<[0-9, ]*>)?{.*$" "" text "${text}")
    endif()
    string(FIND "${context}" "${text}" at)
    set(where "the context of the first error")
  endif()
  if(at LESS 0)
    message(FATAL_ERROR "expected in ${where}: '${line}'\nfirst error line: ${error_line}\nfull diagnostic:\n${err}")
  endif()
endforeach()
message(STATUS "failed to compile as expected: ${error_line}")
