#pragma once
// Integer view of a problem and the node store the optimizer builds adder graphs in.
// W = w·2^exp with integer w; inputs keep their exact ranges. Each node has an exact integer
// linear form over the inputs, from which its exact range, LSB and MSB follow (no interval
// over-approximation: correlated operands such as (x0 + x1) - x1 get the range of x0).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solution.hpp>

namespace fixvar::cmvm {

struct IntProblem {
    int n = 0, m = 0;
    std::vector<std::int64_t> w;  ///< row-major n x m integers
    int exp = 0;                  ///< W = w·2^exp
    std::vector<ExactRange> in;   ///< input r: q·2^in[r].exp, in[r].lo <= q <= in[r].hi
    std::vector<int> in_depth;    ///< optional: adders already behind input r (sub-problems)
    std::int64_t at(int r, int c) const { return w[std::size_t(r) * m + c]; }
};

/// Scales W to integers; Error if the weights span more than 60 bits.
IntProblem to_integer(const Problem& p);
/// The Error of a node coefficient or residual entry past 64 bits (wide weights, deep sums).
[[noreturn]] void coefficient_overflow();

/// A signed, shifted reference to a node: sign·node·2^shift.
struct Term {
    int id = 0;
    int shift = 0;
    int sign = 1;
    friend bool operator==(const Term&, const Term&) = default;
};

/// t·sign·2^shift (shifts and negations are free).
inline Term scaled(Term t, int shift, int sign) { return Term{t.id, t.shift + shift, t.sign * sign}; }

class AdderGraph {
public:
    struct Node {
        // value = sa·a + sb·b·2^d (integer forms; not both signs negative). Unused for inputs.
        int a = 0, b = 0, d = 0, sa = 1, sb = 1;
        std::vector<std::pair<int, std::int64_t>> form;  ///< integer coefficients, sorted
        i128 lo = 0, hi = 0;                             ///< exact range at exponent rexp
        int rexp = 0;
        int lsb = 0, msb = 0, depth = 0, cost = 0;
    };

    explicit AdderGraph(const IntProblem& p);

    int n() const { return n_; }
    const Node& node(int id) const { return nodes_[id]; }
    int size() const { return int(nodes_.size()); }

    /// The graph as it stands; rollback(mark()) drops every node made since. Trial sums (the
    /// pairing rules sum_cheapest compares, reassociate's old and new shapes) are measured and
    /// rolled back, and only the one kept is built, so a run's graph holds its solution's
    /// adders rather than every trial's (no node refers to a later one, so dropping the newest
    /// nodes is safe).
    struct Mark {
        std::size_t nodes;
        std::int64_t cost;
    };
    Mark mark() const { return {nodes_.size(), cost_}; }
    void rollback(Mark m) {
        nodes_.resize(m.nodes);
        cost_ = m.cost;
    }
    std::int64_t total_cost() const { return cost_; }

    /// New adder node for t1 + t2; returns the term equal to t1 + t2 (a shifted, signed
    /// reference to the new node). Of the two orientations ±(t1 + t2) the node takes the one
    /// with the narrower exact range (e.g. 4x - x rather than x - 4x for unsigned x).
    Term combine(const Term& t1, const Term& t2);
    /// Exact cost (bit cells) of the adder t1 + t2 without building it.
    int combine_cost(const Term& t1, const Term& t2) const;

    int lsb(const Term& t) const { return nodes_[t.id].lsb + t.shift; }
    int msb(const Term& t) const { return nodes_[t.id].msb + t.shift; }
    int depth(const Term& t) const { return nodes_[t.id].depth; }

    /// The finished graph: out[c] is output c's term in units of 2^exp (nullopt: zero).
    Solution finish(const std::vector<std::optional<Term>>& out, int exp) const;

private:
    void set_range(Node& nd) const;
    std::vector<std::pair<int, std::int64_t>> sum_form(const Term& t1, const Term& t2, int& low_shift) const;

    int n_;
    const IntProblem* p_;
    std::vector<Node> nodes_;
    std::int64_t cost_ = 0;
};

/// Bits of the minimal format of [lo, hi] (0 for the constant 0): ExactRange::minimal_kif's
/// width, inline (the optimizer's inner loops call it millions of times).
inline int signed_width(i128 lo, i128 hi) {
    if (lo == 0 && hi == 0) return 0;
    int n = std::max(hi > 0 ? bit_length(u128(hi)) : 0, lo < 0 ? bit_length(u128(-(lo + 1))) : 0);
    return n + (lo < 0 ? 1 : 0);
}
/// Adds t to a term list, folding equal (id, shift) pairs: t + t = t<<1, t - t = nothing.
void fold_term(std::vector<Term>& ts, Term t);
/// Replaces terms i < j of a term list by their sum (a new adder of `b`), folded into the rest.
void combine_pair(AdderGraph& b, std::vector<Term>& ts, std::size_t i, std::size_t j);
/// The terms with equal (id, shift) pairs folded (see fold_term).
std::vector<Term> folded(const std::vector<Term>& ts);
/// MSB of t1 + t2 from the interval sum of their exact ranges (an upper bound when the two
/// share inputs; exact otherwise).
int sum_msb(const AdderGraph& b, const Term& t1, const Term& t2);

}  // namespace fixvar::cmvm
