#pragma once
// An adder graph computing y = x·W exactly, its metrics and its verification.
//
// Node ids: 0..n-1 are the inputs x[0..n-1]; id n+k is adders[k]. Every adder computes
//     value = a + b·2^shift   (sub == false)      value = a - b·2^shift   (sub == true)
// where `shift` may be negative (a right shift: dyadic values, so still exact wiring).
// Output c is y[c] = (negate ? -1 : 1) · node·2^shift, or the constant 0 when node == -1;
// shifts and negations of outputs are free (wires, or folded into the consumer).
//
// Metrics (the definitions every report uses):
//   adders: number of two-input add/sub nodes (adders.size()).
//   cost:   sum over adders of the adder's bit cells: from the coarser operand's LSB (after
//           the shift) up to the MSB of the result, sign included — the length of its carry
//           chain. LSB/MSB come from the exact range of the node's linear form (not interval
//           arithmetic): cost = msb(result) - max(lsb(a), lsb(b) + shift) + 1.
//   depth:  adders on the longest input -> output path.
#include <cstdint>
#include <string>
#include <vector>

#include <fixvar/cmvm/problem.hpp>
#include <fixvar/core/range.hpp>

namespace fixvar::cmvm {

struct Adder {
    int a = 0;
    int b = 0;
    int shift = 0;
    bool sub = false;
    friend bool operator==(const Adder&, const Adder&) = default;
};

struct OutputRef {
    int node = -1;  ///< -1: the output is the constant 0
    int shift = 0;
    bool negate = false;
    friend bool operator==(const OutputRef&, const OutputRef&) = default;
};

/// Exact facts about one node: its linear form over the inputs and its exact range.
struct NodeInfo {
    /// value = sum_r coef[r].mant·2^coef[r].exp · x[r], as (input, coefficient) pairs, sorted.
    std::vector<std::pair<int, Dyadic>> form;
    ExactRange range;  ///< exact: every value is lo..hi times 2^exp, exp = the exact LSB
    int lsb = 0;       ///< lowest bit that can be set (== range.exp; meaningless for constant 0)
    int msb = 0;       ///< highest bit, sign included (two's complement when range.lo < 0)
    int depth = 0;     ///< adders on the longest path from an input
    int cost = 0;      ///< bit cells of this adder (0 for inputs)
};

struct Solution {
    std::string name;
    int n = 0;  ///< inputs
    int m = 0;  ///< outputs
    std::vector<Adder> adders;
    std::vector<OutputRef> outputs;
    /// Filled by `analyze`: one entry per node id (inputs first, then adders).
    std::vector<NodeInfo> nodes;

    int adder_count() const { return int(adders.size()); }
    std::int64_t cost = 0;
    int depth = 0;
    bool exact = false;  ///< set by `verify`
    double seconds = 0;  ///< solve time (wall clock), set by `solve`
    /// How `solve` split W into blocks (Options::split), with the cost; empty when solved whole.
    std::string blocking;
};

/// Fills `s.nodes`, `s.cost` and `s.depth` from the inputs' exact ranges (exact forms and
/// ranges). Throws Error if an id is out of order or a value exceeds the supported width.
void analyze(Solution& s, const std::vector<ExactRange>& inputs);
/// The same with every input taking its format's full range.
void analyze(Solution& s, const std::vector<kif>& inputs);
/// The same with p's input ranges (Problem::input_ranges()).
void analyze(Solution& s, const Problem& p);

/// Checks that `s` computes p's y = x·W exactly: symbolically (every output's linear form
/// equals its column of W) and by exact evaluation on range corners and `random_points`
/// random inputs (within p's input ranges). Calls `analyze` first; sets `s.exact`. Returns s.exact.
bool verify(Solution& s, const Problem& p, int random_points = 16, std::uint64_t seed = 1);

/// Adders on the longest path from an input to any adder (structure only: needs no `analyze`).
int adder_depth(const Solution& s);

/// Readers of each node (inputs first, then adders): adder operand slots and outputs, so a node
/// read by both operands of one adder counts twice (structure only: needs no `analyze`).
std::vector<int> reader_counts(const Solution& s);

/// Exact evaluation: x given as mantissas (x[r] = q[r]·2^-f_r); returns y[c] as Dyadic.
std::vector<Dyadic> evaluate(const Solution& s, const std::vector<kif>& inputs, const std::vector<i128>& q);

/// One line per adder and output, e.g. "n5 = n0 - n3<<2  [-12, 7]*2^-1 cost=6 depth=2".
std::string dump(const Solution& s);

}  // namespace fixvar::cmvm
