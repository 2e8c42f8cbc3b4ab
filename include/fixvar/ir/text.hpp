#pragma once
// Text form of a graph: one node per line, round-trip exact. Golden tests of passes and bug
// reports use it. Example:
//
//   fixvar-graph 1
//   %0 = input 0 : [-32, 31]*2^-2
//   %1 = input 1 : [0, 15]*2^0
//   %2 = sub %0, %1 << 2 : [-512, 31]*2^-2
//   %3 = quantize %2 kif{0,5,1} RND SAT : [0, 62]*2^-1
//   inputs %0 %1
//   outputs %3
//
// Every node line ends with its exact range. For inputs and constants the range is the
// definition; for other ops it is checked against the op rule (a tighter range that lies
// within the rule's is kept, anything else is an error). Lines starting with '#' are comments.
#include <string>
#include <string_view>

#include <fixvar/ir/graph.hpp>

namespace fixvar::ir {

std::string dump(const Graph& g);
/// Parses dump()'s format; errors name the line and what is wrong.
Graph parse_graph(std::string_view text);

}  // namespace fixvar::ir
