// layer: trace
// missing: fixvar/static/sarray.hpp
// An upward include: the compile-time layer (and Boost) sits on trace.
#include <fixvar/static/sarray.hpp>
