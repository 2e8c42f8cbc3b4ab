#pragma once
// The register-stage check of formal equivalence (equiv.cpp): how many registers every path
// from the input bits to the output bits of a Yosys JSON netlist crosses.
#include <filesystem>
#include <string>

namespace fixvar::backend::detail {

/// Registers crossed on the way from the input bits to the output bits of a Yosys JSON netlist
/// (after proc and flatten, before any opt), or why that is not one number. Registers are
/// followed bit by bit (a register may hold only some bits of a value); constant bits carry no
/// register and are skipped. Other cells count as "every input bit reaches every output bit",
/// a superset of the real dependences: one count on the superset holds for every real path.
struct Stages {
    int latency = -1;     ///< -1: paths cross different counts (see problem)
    std::string problem;  ///< why there is no single count
    long state_bits = 0;  ///< bits of registers, latches or memories in the netlist
};
Stages register_stages(const std::filesystem::path& netlist_json, const std::string& module);

}  // namespace fixvar::backend::detail
