// Width-aware sum under a depth budget (see sum_tree.hpp).
#include <fixvar/cmvm/sum_tree.hpp>

#include <algorithm>
#include <climits>
#include <tuple>

namespace fixvar::cmvm {

// Sum (narrowest pair sums first, MSB order breaking ties) that keeps the Kraft sum of the term depths within 2^budget (so the result's
// depth stays <= budget whenever the terms allow it); nullopt if the terms cancel.
std::optional<Term> sum_narrowest(Builder& b, std::vector<Term> ts, int budget) {
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
                                            (std::int64_t(1) << dn) <= cap) {
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
            const std::size_t w = std::min<std::size_t>(ts.size(), 16);
            std::int64_t k = 0;
            for (const Term& t : ts) k += std::int64_t(1) << std::min(b.depth(t), 60);
            std::tuple<int, std::size_t, std::size_t> best{INT_MAX, j, i};
            for (std::size_t jj = 1; jj < w; ++jj)
                for (std::size_t ii = 0; ii < jj; ++ii) {
                    if (budget < 60) {
                        int dn = 1 + std::max(b.depth(ts[ii]), b.depth(ts[jj]));
                        if (dn > 60 || k - (std::int64_t(1) << b.depth(ts[ii])) - (std::int64_t(1) << b.depth(ts[jj])) +
                                               (std::int64_t(1) << dn) > (std::int64_t(1) << budget))
                            continue;
                    }
                    best = std::min(best, std::tuple(sum_msb(b, ts[ii], ts[jj]), jj, ii));
                }
            if (std::get<0>(best) < INT_MAX) j = std::get<1>(best), i = std::get<2>(best);
        }
        Term t = b.combine(ts[i], ts[j]);
        ts.erase(ts.begin() + std::ptrdiff_t(j));
        ts.erase(ts.begin() + std::ptrdiff_t(i));
        fold_term(ts, t);
    }
    if (ts.empty()) return std::nullopt;
    return ts[0];
}

}  // namespace fixvar::cmvm
