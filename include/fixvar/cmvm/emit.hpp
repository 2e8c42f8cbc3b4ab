#pragma once
// Writing solutions out: a JSON dump of the adder graph, and a combinational Verilog module
// with the backend's port convention: `input wire [N-1:0] inp`, `output wire [M-1:0] out`,
// elements packed in order from bit 0, each the two's complement (k=1) or unsigned (k=0)
// mantissa of its own kif in exactly k+i+f bits. Inputs use the problem's formats; output c
// uses the minimal format of y[c]'s exact range (a constant-zero output: 1 unsigned bit).
#include <string>

#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solution.hpp>

namespace fixvar::cmvm {

/// {"name", "n", "m", "adders", "cost", "depth", "nodes": [...], "outputs": [...]}.
std::string solution_json(const Solution& s);
/// Output c's format (from the analyzed solution).
kif output_format(const Solution& s, int c);
/// The module text; `s` must be analyzed (verify or analyze).
std::string emit_verilog(const Solution& s, const Problem& p, const std::string& module);
/// The sidecar {"name", "inputs": [kif...], "outputs": [kif...], "latency": 0}.
std::string verilog_sidecar(const Solution& s, const Problem& p, const std::string& module);

}  // namespace fixvar::cmvm
