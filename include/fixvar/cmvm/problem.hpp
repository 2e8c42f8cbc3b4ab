#pragma once
// A CMVM problem: y[c] = sum_r x[r] * W[r][c] with exact dyadic W (n inputs x m outputs),
// each input's fixed-point format, and an optional bound on the adder depth.
// The `.cmvm` text format (bench/data/README.md; the public problems are bench/data/cmvm):
//   cmvm 1 / name NAME / shape n m / n lines `in k i f` / n lines `row w_0 ... w_{m-1}`.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/range.hpp>

namespace fixvar::cmvm {

struct Problem {
    std::string name;
    int n = 0;                    ///< inputs (rows of W)
    int m = 0;                    ///< outputs (columns of W)
    std::vector<kif> inputs;      ///< n formats (ports, .cmvm files, Verilog)
    std::vector<Dyadic> weights;  ///< row-major n x m: weights[r * m + c] = W[r][c]
    /// Optional exact input ranges, tighter than the formats (e.g. [0, 5] at exp 0 for a traced
    /// signal in a 4-bit format). Empty: input r takes every value of ExactRange::of(inputs[r]).
    /// Otherwise n entries, each contained in its format's range; they drive every width, cost
    /// and verification. `.cmvm` files carry formats only (a file never sets them).
    std::vector<ExactRange> ranges;

    const Dyadic& w(int r, int c) const { return weights[std::size_t(r) * m + c]; }
    /// Throws Error naming the problem if sizes disagree or a format is invalid.
    void validate() const;
    /// Input r's exact range on its format's grid (exp = -inputs[r].f): ranges[r] when given,
    /// else the format's full range.
    ExactRange input_range(int r) const;
    std::vector<ExactRange> input_ranges() const;
    /// Same W, input formats and input ranges (names ignored): such problems share one solution.
    bool same_matrix(const Problem& o) const {
        return n == o.n && m == o.m && inputs == o.inputs && weights == o.weights && input_ranges() == o.input_ranges();
    }
};

/// Parses `.cmvm` text; `file` names the source in errors ("FILE:LINE: what is wrong").
Problem parse_problem(std::string_view text, std::string_view file = "<text>");
/// Reads a `.cmvm` file; errors name the file and line.
Problem read_problem(const std::string& path);
/// The `.cmvm` text of a problem (weights printed exactly).
std::string format_problem(const Problem& p);

}  // namespace fixvar::cmvm
