// Width-aware sum under a depth budget (see term_sums.hpp).
#include "term_sums.hpp"

#include <algorithm>
#include <climits>
#include <tuple>

namespace fixvar::cmvm {

std::optional<Term> sum_ordered(AdderGraph& b, std::vector<Term> ts, bool by_depth) {
    ts = folded(ts);
    auto key = [&](const Term& t) {
        return by_depth ? std::tuple(b.depth(t), b.msb(t), b.lsb(t), t.id, t.shift)
                        : std::tuple(b.msb(t), b.depth(t), b.lsb(t), t.id, t.shift);
    };
    while (ts.size() > 1) {
        std::sort(ts.begin(), ts.end(), [&](const Term& x, const Term& y) { return key(x) < key(y); });
        Term t = b.combine(ts[0], ts[1]);
        ts.erase(ts.begin(), ts.begin() + 2);
        fold_term(ts, t);
    }
    if (ts.empty()) return std::nullopt;
    return ts[0];
}

std::optional<Term> sum_narrowest(AdderGraph& b, std::vector<Term> ts, int budget, int lsb_weight, int window) {
    ts = folded(ts);
    auto wkey = [&](const Term& t) { return std::tuple(b.msb(t), b.depth(t), b.lsb(t), t.id, t.shift); };
    auto dkey = [&](const Term& t) { return std::tuple(b.depth(t), b.msb(t), b.lsb(t), t.id, t.shift); };
    while (ts.size() > 1) {
        std::sort(ts.begin(), ts.end(), [&](const Term& x, const Term& y) { return wkey(x) < wkey(y); });
        std::size_t i = 0, j = 1;
        if (budget < 60) {
            std::int64_t k = 0, cap = std::int64_t(1) << budget;
            for (const Term& t : ts) k += std::int64_t(1) << std::min(b.depth(t), 60);
            bool found = false;
            for (j = 1; j < ts.size() && !found; ++j)
                for (i = 0; i < j; ++i) {
                    int dn = 1 + std::max(b.depth(ts[i]), b.depth(ts[j]));
                    if (dn <= 60 && k - (std::int64_t(1) << b.depth(ts[i])) - (std::int64_t(1) << b.depth(ts[j])) +
                                            (std::int64_t(1) << dn) <=
                                        cap) {
                        found = true;
                        break;
                    }
                }
            --j;
            if (!found) {
                std::sort(ts.begin(), ts.end(), [&](const Term& x, const Term& y) { return dkey(x) < dkey(y); });
                i = 0, j = 1;
            }
        }
        // Among the first 16 (MSB order), the pair with the narrowest sum within the budget.
        {
            const std::size_t w = std::min<std::size_t>(ts.size(), std::size_t(window));
            std::int64_t k = 0;
            for (const Term& t : ts) k += std::int64_t(1) << std::min(b.depth(t), 60);
            std::tuple<std::int64_t, std::size_t, std::size_t> best{INT64_MAX, j, i};
            const std::int64_t a = lsb_weight > 0 ? 4 : 1, c = lsb_weight > 0 ? lsb_weight : lsb_weight < 0 ? 1 : 0;
            for (std::size_t jj = 1; jj < w; ++jj)
                for (std::size_t ii = 0; ii < jj; ++ii) {
                    if (budget < 60) {
                        int dn = 1 + std::max(b.depth(ts[ii]), b.depth(ts[jj]));
                        if (dn > 60 || k - (std::int64_t(1) << b.depth(ts[ii])) - (std::int64_t(1) << b.depth(ts[jj])) +
                                               (std::int64_t(1) << dn) >
                                           (std::int64_t(1) << budget))
                            continue;
                    }
                    std::int64_t key = a * sum_msb(b, ts[ii], ts[jj]) - c * std::max(b.lsb(ts[ii]), b.lsb(ts[jj]));
                    best = std::min(best, std::tuple(key, jj, ii));
                }
            if (std::get<0>(best) < INT64_MAX) j = std::get<1>(best), i = std::get<2>(best);
        }
        combine_pair(b, ts, i, j);
    }
    if (ts.empty()) return std::nullopt;
    return ts[0];
}

std::optional<Term> sum_cheapest(AdderGraph& b, const std::vector<Term>& ts, int budget, std::int64_t* cost) {
    // The pairing rules tried: narrowest sum; sum MSB traded against the pair's higher LSB (a
    // high LSB makes the carry chain short) at weights 1/4 and 1/2; the adder's own width.
    // Each rule is built, measured and rolled back; the first cheapest is built again.
    static const int lsb_weights[] = {0, 1, 2, -1};
    const AdderGraph::Mark before = b.mark();
    int best = lsb_weights[0];
    std::int64_t best_cost = 0;
    bool first = true;
    for (int w : lsb_weights) {
        sum_narrowest(b, ts, budget, w);
        const std::int64_t c = b.total_cost() - before.cost;
        b.rollback(before);
        if (first || c < best_cost) best = w, best_cost = c;
        first = false;
    }
    if (cost) *cost = best_cost;
    return sum_narrowest(b, ts, budget, best);
}

}  // namespace fixvar::cmvm
