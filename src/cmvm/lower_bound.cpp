// Lower bounds reported next to every result (see solve.hpp):
//  - adders >= the number of distinct non-trivial outputs (up to sign and power-of-two scale;
//    an output that is 0 or ±2^k·x_r is free): each needs its own final adder. Also
//    adders >= depth bound below.
//  - depth >= max_c ceil(log2 S_c), S_c = minimal signed digits of column c: a node at depth d
//    has at most 2^d signed-digit terms (weight(a ± b<<s) <= weight(a) + weight(b)).
//  - cost: each distinct non-trivial output's final adder spans at least from the highest LSB
//    of any of its signed-digit terms to the output's MSB (its coarser operand is a sum of
//    some of those terms, so its LSB is at most that). This holds for graphs built from the
//    outputs' signed-digit terms (the model of every optimizer compared here).
#include "adder_graph.hpp"
#include <fixvar/core/csd.hpp>
#include <fixvar/cmvm/solve.hpp>

#include <algorithm>
#include <climits>
#include <set>

namespace fixvar::cmvm {

LowerBound lower_bound(const Problem& p) {
    IntProblem ip = to_integer(p);
    LowerBound lb;
    std::set<std::vector<std::int64_t>> distinct;
    for (int c = 0; c < ip.m; ++c) {
        std::vector<std::int64_t> col(ip.n);
        int tz = 64, nonzero = 0, s = 0;
        for (int r = 0; r < ip.n; ++r) {
            col[r] = ip.at(r, c);
            if (col[r]) {
                ++nonzero;
                tz = std::min(tz, __builtin_ctzll(std::uint64_t(col[r])));
                s += csd_weight(col[r]);
            }
        }
        int k = 0;
        while ((1 << k) < s) ++k;
        lb.depth = std::max(lb.depth, k);
        if (s <= 1) continue;  // zero or a single shifted input: free
        std::int64_t first = 0;
        for (auto& v : col) {
            v >>= tz;
            if (!first && v) first = v;
        }
        if (first < 0)
            for (auto& v : col) v = -v;
        if (!distinct.insert(col).second) continue;
        // Output range and the highest LSB of a single signed-digit term.
        int top_lsb = INT_MIN;
        i128 lo = 0, hi = 0;
        int e0 = INT_MAX;
        for (int r = 0; r < ip.n; ++r)
            if (ip.at(r, c)) e0 = std::min(e0, ip.in[r].exp);
        for (int r = 0; r < ip.n; ++r) {
            std::int64_t w = ip.at(r, c);
            if (!w) continue;
            for (const SignedDigit& d : csd(w)) top_lsb = std::max(top_lsb, ip.in[r].exp + d.pos);
            i128 k2 = checked_shl(w, ip.in[r].exp - e0, "cmvm bound");
            i128 a = k2 * ip.in[r].lo, bb = k2 * ip.in[r].hi;
            lo += std::min(a, bb);
            hi += std::max(a, bb);
        }
        int msb = e0 + ExactRange{lo, hi, e0}.minimal_kif().width() - 1;
        lb.cost += std::max(1, msb - top_lsb + 1);
    }
    lb.adders = std::max(int(distinct.size()), lb.depth);
    return lb;
}

}  // namespace fixvar::cmvm
