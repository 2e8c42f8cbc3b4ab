// layer: ir
// missing: fixvar/trace/array.hpp
// An upward include: ir is below trace.
#include <fixvar/trace/array.hpp>
