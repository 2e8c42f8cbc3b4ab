#pragma once
// Helpers for the Yosys tests: scratch directories and small traced designs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <vector>

#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/fixvar.hpp>

namespace fixvar::synth_test {

/// Scratch directory (under the working directory: the build tree), emptied first.
inline std::filesystem::path scratch(const std::string& name) {
    auto dir = std::filesystem::current_path() / "synth_scratch" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

/// y = x @ W for integer x (kif{1,7,0} by default) through the CMVM optimizer.
inline CombLogic cmvm_layer(const std::vector<std::vector<double>>& W, kif format = kif{1, 7, 0}) {
    new_trace();
    std::vector<FixedVariable> xs;
    for (std::size_t r = 0; r < W.size(); ++r) xs.push_back(input(format));
    FixedVariableArray x(xs);
    return comb_trace({x}, {matmul(x, constant(W))});
}

/// An 8x4 matrix of small odd/even integers (fixed, so the expected widths are stable).
inline std::vector<std::vector<double>> small_matrix() {
    return {{3, -5, 7, 1},  {-2, 6, 1, -7}, {5, 3, -3, 2},  {1, -1, 4, 5},
            {7, 2, -6, -3}, {-4, 5, 3, 6},  {6, -7, 2, -1}, {-3, 4, -5, 7}};
}

}  // namespace fixvar::synth_test
