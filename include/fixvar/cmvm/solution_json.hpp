#pragma once
// Writing solutions out as JSON. (Verilog goes through the backend: trace/linear.hpp's
// solution_logic, then backend::write_verilog — one emitter for every circuit.)
#include <string>

#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solution.hpp>

namespace fixvar::cmvm {

/// {"name", "n", "m", "adders", "cost", "depth", "nodes": [...], "outputs": [...]}.
std::string solution_json(const Solution& s);

}  // namespace fixvar::cmvm
