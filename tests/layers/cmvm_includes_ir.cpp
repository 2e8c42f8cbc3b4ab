// layer: cmvm
// missing: fixvar/ir/graph.hpp
// A sideways include: cmvm builds adder graphs of its own and stands on core only.
#include <fixvar/ir/graph.hpp>
