// Final sum trees: after extraction each output is a list of shifted, signed terms; it is summed
// into one term per output within its depth budget (Kraft sum of the term depths). Reduce
// orders: depth_first (two shallowest terms: minimal depth), width_first (the narrowest sums
// among pair_window candidates: cheaper carry chains), magnitude (Huffman on exact maximum
// magnitudes). Decomposed columns add their parent's output here (tree order).
#include <algorithm>
#include <climits>
#include <cmath>
#include <tuple>

#include "pair_cse_engine.hpp"

namespace fixvar::cmvm {

long double PairCse::magnitude(const Term& t) const {
    const auto& nd = b_.node(t.id);
    i128 a = nd.lo < 0 ? -nd.lo : nd.lo, b = nd.hi < 0 ? -nd.hi : nd.hi;
    i128 span = nd.hi - nd.lo;
    (void)span;
    return std::ldexp((long double)(a > b ? a : b), nd.rexp + t.shift);
}

// Among the first pair_window terms (MSB order), the pair whose sum has the smallest MSB
// (Huffman on the results, not the operands: two terms of one sign make an unsigned sum, a
// sign bit narrower than a mixed pair), within the depth budget. Ranked by the interval
// estimate; the best four are evaluated exactly. Keeps (i, j) when no pair fits.
void PairCse::pick_by_result(const std::vector<Term>& ts, int budget, std::size_t& i, std::size_t& j) const {
    const std::size_t w = std::min<std::size_t>(ts.size(), std::size_t(v_.pair_window));
    std::int64_t k = kraft_of(ts);
    std::vector<std::tuple<int, std::size_t, std::size_t>> cand;
    for (std::size_t jj = 1; jj < w; ++jj)
        for (std::size_t ii = 0; ii < jj; ++ii) {
            if (budget < INT_MAX) {
                int dn = 1 + std::max(b_.depth(ts[ii]), b_.depth(ts[jj]));
                if (k - (std::int64_t(1) << b_.depth(ts[ii])) - (std::int64_t(1) << b_.depth(ts[jj])) +
                        (std::int64_t(1) << dn) >
                    (std::int64_t(1) << budget))
                    continue;
            }
            cand.emplace_back(sum_msb(ts[ii], ts[jj]), jj, ii);
        }
    if (cand.empty()) return;
    std::size_t top = std::min<std::size_t>(cand.size(), 4);
    std::partial_sort(cand.begin(), cand.begin() + std::ptrdiff_t(top), cand.end());
    std::tuple<int, int, std::size_t, std::size_t> best{INT_MAX, INT_MAX, 0, 0};
    for (std::size_t q = 0; q < top; ++q) {
        auto [est, jj, ii] = cand[q];
        int exact = b_.combine_cost(ts[ii], ts[jj]) + std::max(b_.lsb(ts[ii]), b_.lsb(ts[jj]));
        best = std::min(best, std::tuple(exact, est, jj, ii));
    }
    j = std::get<2>(best);
    i = std::get<3>(best);
}

std::optional<Term> PairCse::reduce(std::vector<Term> ts, int budget) {
    const bool width = v_.reduce != Reduce::DepthFirst;
    auto depth_key = [&](const Term& t) { return std::tuple(b_.depth(t), b_.msb(t), b_.lsb(t), t.id, t.shift); };
    auto width_key = [&](const Term& t) { return std::tuple(b_.msb(t), b_.depth(t), b_.lsb(t), t.id, t.shift); };
    while (ts.size() > 1) {
        std::size_t i = 0, j = 1;
        if (v_.reduce == Reduce::Magnitude) {
            std::vector<std::pair<long double, std::size_t>> mk(ts.size());
            for (std::size_t q = 0; q < ts.size(); ++q) mk[q] = {magnitude(ts[q]), q};
            std::vector<Term> sorted;
            std::sort(mk.begin(), mk.end(), [&](auto& x, auto& y) {
                if (x.first != y.first) return x.first < y.first;
                return width_key(ts[x.second]) < width_key(ts[y.second]);
            });
            for (auto& [k, q] : mk) sorted.push_back(ts[q]);
            ts.swap(sorted);
        } else if (width)
            std::sort(ts.begin(), ts.end(), [&](auto& x, auto& y) { return width_key(x) < width_key(y); });
        else
            std::sort(ts.begin(), ts.end(), [&](auto& x, auto& y) { return depth_key(x) < depth_key(y); });
        if (width && budget < INT_MAX) {
            // Cheapest pair (in MSB order) that keeps the Kraft sum within the budget.
            std::int64_t k = kraft_of(ts), cap = std::int64_t(1) << budget;
            bool found = false;
            for (j = 1; j < ts.size() && !found; ++j)
                for (i = 0; i < j; ++i) {
                    int dn = 1 + std::max(b_.depth(ts[i]), b_.depth(ts[j]));
                    if (k - (std::int64_t(1) << b_.depth(ts[i])) - (std::int64_t(1) << b_.depth(ts[j])) +
                            (std::int64_t(1) << dn) <=
                        cap) {
                        found = true;
                        break;
                    }
                }
            --j;
            if (!found) {
                std::sort(ts.begin(), ts.end(), [&](auto& x, auto& y) { return depth_key(x) < depth_key(y); });
                i = 0, j = 1;
            }
        }
        if (width && v_.pair_window > 1) pick_by_result(ts, budget, i, j);
        combine_pair(b_, ts, i, j);
    }
    if (ts.empty()) return std::nullopt;
    return ts[0];
}

std::optional<Solution> PairCse::reduce_all() {
    std::vector<std::optional<Term>> out(p_.m);
    for (int c : dec_.order) {
        std::vector<Term> ts;
        for (const Term& t : ex_[c]) fold_term(ts, t);
        int par = dec_.parent[c];
        if (par >= 0 && out[par]) {
            Term t = *out[par];
            t.sign *= dec_.parent_sign[c];
            fold_term(ts, t);
        }
        out[c] = reduce(std::move(ts), budget_[c]);
        if (bounded() && out[c] && b_.depth(*out[c]) > budget_[c]) return std::nullopt;
    }
    return b_.finish(out, p_.exp);
}

}  // namespace fixvar::cmvm
