#include <fixvar/core/csd.hpp>
#include "decompose.hpp"
#include <fixvar/core/error.hpp>

#include <climits>

namespace fixvar::cmvm {

Decomposition no_decomposition(const IntProblem& p) {
    Decomposition d;
    d.parent.assign(p.m, -1);
    d.parent_sign.assign(p.m, 1);
    d.level.assign(p.m, 1);
    d.diff = p.w;
    for (int c = 0; c < p.m; ++c) d.order.push_back(c);
    d.max_level = p.m ? 1 : 0;
    return d;
}

Decomposition decompose(const IntProblem& p, int max_level, int edge_penalty) {
    const int n = p.n, m = p.m;
    Decomposition d = no_decomposition(p);
    // Prim's tree compares every pair of columns over all n rows. Past kMaxDecomposeWork such
    // row comparisons (a layer with very many outputs) the stage is skipped, so a run stays
    // near-linear in the matrix instead of quadratic in m; every public problem is far below.
    if (m == 0 || std::int64_t(m) * m * std::max(n, 1) > kMaxDecomposeWork) return d;
    std::vector<int> key(m), from(m, -1), from_sign(m, 1);
    std::vector<char> done(m, 0);
    for (int c = 0; c < m; ++c) {
        int w = 0;
        for (int r = 0; r < n; ++r) w += csd_weight(p.at(r, c));
        key[c] = w;
    }
    d.order.clear();
    d.max_level = 0;
    for (int step = 0; step < m; ++step) {
        int j = -1;
        for (int c = 0; c < m; ++c)
            if (!done[c] && (j < 0 || key[c] < key[j])) j = c;
        done[j] = 1;
        d.order.push_back(j);
        d.parent[j] = from[j];
        d.parent_sign[j] = from_sign[j];
        d.level[j] = from[j] < 0 ? 1 : d.level[from[j]] + 1;
        d.max_level = std::max(d.max_level, d.level[j]);
        if (max_level > 0 && d.level[j] >= max_level) continue;
        for (int c = 0; c < m; ++c) {
            if (done[c]) continue;
            int wm = 0, wp = 0;
            for (int r = 0; r < n && std::min(wm, wp) + edge_penalty < key[c]; ++r) {
                wm += csd_weight(i128(p.at(r, c)) - p.at(r, j));
                wp += csd_weight(i128(p.at(r, c)) + p.at(r, j));
            }
            int w = std::min(wm, wp) + edge_penalty;
            if (w < key[c]) {
                key[c] = w;
                from[c] = j;
                from_sign[c] = wm <= wp ? 1 : -1;
            }
        }
    }
    for (int c = 0; c < m; ++c) {
        if (d.parent[c] < 0) continue;
        for (int r = 0; r < n; ++r)
            d.diff[std::size_t(r) * m + c] = p.at(r, c) - d.parent_sign[c] * p.at(r, d.parent[c]);
    }
    return d;
}

}  // namespace fixvar::cmvm
