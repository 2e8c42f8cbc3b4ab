#pragma once
// Constant x variable contractions. Every matmul / einsum / dense / conv with a constant operand
// ends in `linear_forms` — one function, so that the CMVM optimizer (cmvm/) can replace its
// body and optimize every layer at once.
#include <vector>

#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/dyadic.hpp>
#include <fixvar/trace/array.hpp>
#include <fixvar/trace/comb_logic.hpp>

namespace fixvar {

/// A rows x cols matrix of exact constants, row-major.
struct DyadicMatrix {
    std::size_t rows = 0, cols = 0;
    std::vector<Dyadic> data;

    DyadicMatrix() = default;
    DyadicMatrix(std::size_t r, std::size_t c) : rows(r), cols(c), data(r * c) {}
    const Dyadic& operator()(std::size_t r, std::size_t c) const { return data[r * cols + c]; }
    Dyadic& operator()(std::size_t r, std::size_t c) { return data[r * cols + c]; }
    friend bool operator==(const DyadicMatrix&, const DyadicMatrix&) = default;
};

/// How constant contractions are built (per thread).
struct LinearOptions {
    /// true: the CMVM optimizer (cmvm::solve, identical problems solved once);
    /// false: each term by canonical signed digits, each column a balanced adder tree.
    bool optimize = true;
    cmvm::Options cmvm;
};
LinearOptions& linear_options();

/// Records a verified CMVM solution in the trace of `x` (x[r] is the problem's input r): one
/// adder node per solution adder, each narrowed to the optimizer's exact range. Returns y
/// (atoms of later linear forms: the solution does not say which weights it computes).
std::vector<FixedVariable> apply_solution(const std::vector<FixedVariable>& x, const cmvm::Solution& s);

/// The circuit of a CMVM problem and its solution: inputs in problem order with their formats
/// (and exact ranges), outputs y[0..m-1]. Starts a new trace.
CombLogic solution_logic(const cmvm::Problem& p, const cmvm::Solution& s);

/// y[c] = sum_r x[r] * W(r, c), exactly: the variable inputs' exact formats and W form a CMVM
/// problem whose verified adder graph is recorded (with its exact ranges); constant inputs
/// add constant offsets. Each output carries its linear form sum_r W(r, c) * form(x[r]) over
/// atoms (core/linear_range.hpp) and is narrowed to its exact range, so later sums over the
/// outputs count a shared input once; a form over the term budget makes the output a new atom.
/// Error if x.size() != W.rows.
std::vector<FixedVariable> linear_forms(const std::vector<FixedVariable>& x, const DyadicMatrix& W);

}  // namespace fixvar
