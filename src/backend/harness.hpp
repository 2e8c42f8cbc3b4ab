#pragma once
// The generated Verilator harness: a top wrapper instantiating every module, and a C++ main
// that streams vectors.
//
// Protocol (stdin -> stdout, hex, most significant digit first, ceil(bits/4) digits):
//   stdin:  the sample count N, then N lines of D tokens (module d's inp bus);
//   stdout: N + Lmax lines of D tokens (module d's out bus after step t), where Lmax is the
//           largest latency. Step t: set every inp, clk=0, eval, print outputs, clk=1, eval.
//           Module d's output for sample j is on line j + latency(d).
#include <string>
#include <string_view>
#include <vector>

#include <fixvar/backend/verilog_module.hpp>

namespace fixvar::backend {

inline constexpr const char* sim_top_name = "fixvar_sim_top";
inline constexpr const char* sim_main_file = "fixvar_sim_main.cpp";
inline constexpr const char* sim_ports_file = "fixvar_sim_ports.h";

/// Verilog of `fixvar_sim_top`: ports clk (if any module is clocked), inp_<d>, out_<d>.
std::string harness_top(const std::vector<VerilogModule>& modules);
/// C++ main driving `V<fixvar_sim_top>` with the protocol above, the same for every build: the
/// text of src/backend/harness/fixvar_sim_main.cpp, compiled in (src/CMakeLists.txt).
std::string_view harness_main();
/// fixvar_sim_ports.h, which the main includes: the top class, the bus words, the steps after
/// the last sample, whether there is a clock, and each module's input and output port.
std::string harness_ports(const std::vector<VerilogModule>& modules);

}  // namespace fixvar::backend
