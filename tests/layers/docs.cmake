# cmake -DEXPECTED=<layer_deps.txt> -DDOC=<docs/architecture.md> -P docs.cmake
# Fails unless the lines between <!-- layer-deps --> and <!-- /layer-deps --> in DOC equal
# EXPECTED (one "- layer: lower, layers" line per layer, written from the CMake targets).
file(READ ${EXPECTED} expected)
file(READ ${DOC} doc)
string(FIND "${doc}" "<!-- layer-deps -->\n" begin)
string(FIND "${doc}" "<!-- /layer-deps -->" end)
if(begin EQUAL -1 OR end EQUAL -1)
  message(FATAL_ERROR "${DOC}: no <!-- layer-deps --> ... <!-- /layer-deps --> block; add one with these lines:\n${expected}")
endif()
math(EXPR begin "${begin} + 20")
math(EXPR length "${end} - ${begin}")
string(SUBSTRING "${doc}" ${begin} ${length} listed)
if(NOT listed STREQUAL expected)
  message(FATAL_ERROR "${DOC}: the layer dependencies differ from the CMake targets (src/CMakeLists.txt).\n"
                      "docs say:\n${listed}\ntargets say:\n${expected}")
endif()
message(STATUS "docs/architecture.md matches the layer targets")
