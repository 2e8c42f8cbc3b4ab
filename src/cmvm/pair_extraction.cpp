// Pair extraction: greedy common-subexpression elimination of two-term patterns a ± (b << s)
// (pair_cse.hpp describes scores, lookahead and re-coding). Counts live in the pair map
// (pair_map.hpp) and a lazy max-heap; each step takes the best-scored pattern, plans its
// non-overlapping occurrences (digit_recoding.cpp adds re-coded ones), makes one adder for it
// and substitutes it everywhere; the final sums follow (final_sums.cpp).
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <deque>
#include <tuple>

#include "pair_cse_engine.hpp"
#include "two_sided.hpp"

namespace fixvar::cmvm {

bool PairCse::init() {
    const int m = p_.m;
    ex_.assign(m, {});
    users_.assign(p_.n, {});
    budget_.assign(m, INT_MAX);
    kraft_.assign(m, 0);
    for (int c = 0; c < m; ++c) {
        for (int r = 0; r < p_.n; ++r) {
            std::int64_t w = dec_.diff[std::size_t(r) * m + c];
            if (w == 0) continue;
            for (const SignedDigit& dg : csd(w)) ex_[c].push_back(Term{r, dg.pos, dg.sign});
        }
        for (const Term& t : ex_[c]) user_add(t.id, c);
        if (bounded()) {
            budget_[c] = std::min(60, v_.max_depth - (dec_.max_level - dec_.level[c]));
            bool has_parent = dec_.parent[c] >= 0;
            if (budget_[c] < (has_parent ? 1 : 0)) return false;
            std::int64_t k = kraft_of(ex_[c]);  // inputs may carry depth (in_depth)
            if (has_parent) k += std::int64_t(1) << (budget_[c] - 1);
            if (k > (std::int64_t(1) << budget_[c])) return false;
            kraft_[c] = k;
        }
    }
    return true;
}

// ---- pair statistics ---------------------------------------------------------------
void PairCse::estimate(std::uint64_t key, PairInfo& info) const {
    int a, b, d, r;
    unpack(key, a, b, d, r);
    const auto &A = b_.node(a), &B = b_.node(b);
    int lsb = std::max(A.lsb, B.lsb + d);
    int ov = std::min(A.msb, B.msb + d) - lsb + 1;
    info.overlap = std::int16_t(std::clamp(ov, 0, INT16_MAX));
    int ea = A.rexp, eb = B.rexp + d, e = std::min(ea, eb);
    int msb;
    if (std::max(ea, eb) - e <= 40 && std::max(A.msb - A.rexp, B.msb - B.rexp) <= 80) {
        i128 la = A.lo << (ea - e), ha = A.hi << (ea - e);
        i128 lb = B.lo << (eb - e), hb = B.hi << (eb - e);
        if (r < 0) std::swap(lb, hb), lb = -lb, hb = -hb;
        msb = e + std::min(signed_width(la + lb, ha + hb), signed_width(-(ha + hb), -(la + lb))) - 1;
    } else {
        msb = std::max(A.msb, B.msb + d) + 1;
    }
    info.width = std::int16_t(std::clamp(msb - lsb + 1, 1, INT16_MAX));
}

Entry PairCse::entry(std::uint64_t key, const PairInfo& info) const {
    std::int64_t s = 0;
    switch (v_.score) {
        case Score::Bits: s = std::int64_t(info.count - 1) * info.width; break;
        case Score::Overlap:
            s = std::int64_t(2 * info.count - v_.beta) *
                std::max<std::int64_t>(4 * std::int64_t(std::max(int(info.overlap), 0)) + v_.gamma, 4);
            break;
        case Score::Count: s = info.count; break;
        case Score::OverlapLess1: s = std::int64_t(info.count - 1) * std::max(int(info.overlap), 1); break;
    }
    return Entry{s, std::int32_t(info.count), -info.width, v_.seed ? mix64(key ^ v_.seed) : key};
}

// ---- extraction loop ---------------------------------------------------------------
void PairCse::extract() {
    count_initial_pairs();
    for (int sweep = 0; sweep < v_.msd_sweeps; ++sweep) choose_forms();
    for (std::uint64_t k : dirty_) map_.find(k)->dirty = 0;
    dirty_.clear();
    std::deque<Entry> init;
    map_.for_each([&](std::uint64_t k, const PairInfo& info) {
        if (info.count >= v_.min_count) init.push_back(entry(k, info));
    });
    pq_ = TieredQueue<Entry>(std::move(init));
    while (!pq_.empty()) {
        Entry top = pq_.top();
        pq_.pop();
        if (!is_current(top)) continue;
        if (v_.lookahead > 1) {
            substitute_best_of(tied_with(top));
        } else {
            substitute(key(top));
        }
        requeue_dirty();
    }
}

void PairCse::count_initial_pairs() {
    // Size the map once for the distinct initial patterns: at most the pair occurrences, and
    // at most every (A <= B, relative shift, relative sign) over the ids and shifts present.
    std::size_t pairs = 0;
    int max_id = 0, lo = INT_MAX, hi = INT_MIN;
    for (int c = 0; c < p_.m; ++c) {
        pairs += ex_[c].size() * (ex_[c].size() - (ex_[c].empty() ? 0 : 1)) / 2;
        for (const Term& t : ex_[c])
            max_id = std::max(max_id, t.id), lo = std::min(lo, t.shift), hi = std::max(hi, t.shift);
    }
    std::size_t ids = std::size_t(max_id) + 1;
    std::size_t keys = lo > hi ? 0 : ids * (ids + 1) / 2 * (2 * std::size_t(hi - lo) + 1) * 2;
    // Sized once for the starting patterns and the live peak the created nodes' patterns reach
    // (pair_map.hpp): the map then does not double under way (a doubling holds the old and the
    // new array at once, and two runs of one problem double in step).
    map_.reserve(pair_map_sizing(double(pairs), double(keys)));
    for (int c = 0; c < p_.m; ++c) {
        const auto& ts = ex_[c];
        for (std::size_t i = 0; i < ts.size(); ++i) {
            for (std::size_t j = i + 1; j < ts.size(); ++j) map_.prefetch(key_of(ts[i], ts[j]));
            for (std::size_t j = i + 1; j < ts.size(); ++j) inc(key_of(ts[i], ts[j]), false);
        }
    }
}

bool PairCse::is_current(const Entry& e) {
    PairInfo* info = map_.find(key(e));
    if (!info || info->count < v_.min_count) return false;  // stale: dropped or below the minimum
    Entry cur = entry(key(e), *info);
    if (!(cur == e)) {
        if (cur < e) pq_.push(cur);
        return false;
    }
    return true;
}

std::vector<Entry> PairCse::tied_with(const Entry& top) {
    std::vector<Entry> group{top};
    std::int64_t floor = top.score - (top.score > 0 ? top.score * v_.la_tol / 100 : 0);
    while (int(group.size()) < v_.lookahead && !pq_.empty() && pq_.top().score >= floor) {
        Entry e = pq_.top();
        pq_.pop();
        if (is_current(e)) group.push_back(e);
    }
    return group;
}

void PairCse::substitute_best_of(const std::vector<Entry>& group) {
    // The tie-breakers (common sums, conflicts) are scans of whole expressions:
    // computed only when two candidates tie on the score (-1: not yet computed).
    std::size_t best = 0, bcount = 0;
    std::int64_t bconf = -1;
    int bcommon = -1;
    Entry bentry{};
    std::vector<Plan> bplans;
    const bool ties = group.size() > 1;
    auto common_of = [&](const std::vector<Plan>& pl, std::size_t cnt) {
        return ties && v_.common && cnt == 2 ? common(pl) : 0;
    };
    for (std::size_t g = 0; g < group.size(); ++g) {
        std::size_t cnt;
        std::vector<Plan> pl = plan(key(group[g]), cnt);
        PairInfo tmp = *map_.find(key(group[g]));
        tmp.count = std::uint32_t(cnt);
        Entry te = entry(key(group[g]), tmp);
        te.order = 0;
        bool better = g == 0 || bentry < te;
        std::int64_t cf = -1;
        int cm = -1;
        if (!better && te == bentry) {
            if (bcommon < 0) bcommon = common_of(bplans, bcount);
            cm = common_of(pl, cnt);
            if (cm == bcommon) {
                if (bconf < 0) bconf = ties ? conflicts(bplans) : 0;
                cf = ties ? conflicts(pl) : 0;
            }
            better = cm > bcommon || (cm == bcommon && cf < bconf);
        }
        if (better) {
            best = g, bcount = cnt, bconf = cf, bentry = te, bcommon = cm;
            bplans = std::move(pl);
        }
    }
    for (std::size_t g = 0; g < group.size(); ++g)
        if (g != best) pq_.push(group[g]);
    apply(key(group[best]), bplans, bcount);
}

void PairCse::requeue_dirty() {
    for (std::uint64_t k : dirty_) {
        PairInfo* d = map_.find(k);
        d->dirty = 0;
        if (d->count >= v_.min_count) pq_.push(entry(k, *d));
    }
    dirty_.clear();
}

// The occurrences a substitution of `key` would replace (exact ones, then re-coded ones).
std::vector<PairCse::Plan> PairCse::plan(std::uint64_t key, std::size_t& count) {
    int a, b, d, r;
    unpack(key, a, b, d, r);
    int new_depth = 1 + std::max(b_.node(a).depth, b_.node(b).depth);
    std::vector<Plan> plans;
    count = 0;
    std::vector<int> exprs;
    for (auto& [e, k] : users_[a]) exprs.push_back(e);
    std::sort(exprs.begin(), exprs.end());
    std::vector<int> ia, ib;
    std::vector<char> used;
    for (int e : exprs) {
        const auto& ts = ex_[e];
        Plan plan{e, {}, {}, {}};
        ia.clear();
        ib.clear();
        for (int i = 0; i < int(ts.size()); ++i) {
            if (ts[i].id == a) ia.push_back(i);
            if (ts[i].id == b && a != b) ib.push_back(i);
        }
        if (a == b) ib = ia;
        if (ib.empty() && !(v_.recode && a < p_.n && b < p_.n)) continue;
        std::sort(ia.begin(), ia.end(), [&](int x, int y) { return ts[x].shift < ts[y].shift; });
        used.assign(ts.size(), 0);
        std::int64_t kraft = kraft_[e];
        bool full = false;
        for (int i : ia) {
            if (used[i]) continue;
            const Term& t = ts[i];
            for (int j : ib) {
                if (used[j] || j == i) continue;
                const Term& u = ts[j];
                if (u.shift != t.shift + d || u.sign != t.sign * r) continue;
                if (bounded()) {
                    std::int64_t k2 = kraft - (std::int64_t(1) << b_.depth(t)) - (std::int64_t(1) << b_.depth(u)) +
                                      (std::int64_t(1) << new_depth);
                    if (k2 > (std::int64_t(1) << budget_[e])) {
                        full = true;
                        break;
                    }
                    kraft = k2;
                }
                used[i] = used[j] = 1;
                plan.remove.push_back(t);
                plan.remove.push_back(u);
                plan.lower.push_back(t);
                break;
            }
            if (full) break;
        }
        if (v_.recode && !full) recode_occurrences(e, a, b, d, r, new_depth, used, kraft, plan);
        if (plan.lower.empty()) continue;
        count += plan.lower.size();
        plans.push_back(std::move(plan));
    }
    return plans;
}

// Pairs with other terms that the plan's consumed terms break, weighted towards patterns
// that would drop below two occurrences (a lost saving).
std::int64_t PairCse::conflicts(const std::vector<Plan>& plans) {
    std::int64_t c = 0;
    for (const Plan& pl : plans) {
        const auto& ts = ex_[pl.expr];
        for (const Term& t : pl.remove) {
            pair_keys(ts, t);  // keys prefetched: each lookup is a cache miss otherwise
            for (std::uint64_t k : keys_) {
                if (!k) continue;
                PairInfo* info = map_.find(k);
                if (info && int(info->count) == v_.min_count) ++c;
            }
        }
    }
    return c;
}

// For a pattern with exactly two occurrences (in expressions e1, e2): how many terms of e1
// reappear in e2 under the same shift and sign relation — the size of the common sub-sum
// the pattern starts (later count-2 extractions can grow it to all of them).
int PairCse::common(const std::vector<Plan>& plans) const {
    int e1 = -1, e2 = -1;
    Term o1{}, o2{};
    for (const Plan& pl : plans)
        for (const Term& t : pl.lower) {
            if (e1 < 0)
                e1 = pl.expr, o1 = t;
            else
                e2 = pl.expr, o2 = t;
        }
    if (e2 < 0 || e1 == e2) return 0;
    int delta = o2.shift - o1.shift, sigma = o1.sign * o2.sign;
    const auto &x = ex_[e1], &y = ex_[e2];
    int c = 0;
    for (const Term& t : x)
        for (const Term& u : y)
            if (u.id == t.id && u.shift == t.shift + delta && u.sign == t.sign * sigma) {
                ++c;
                break;
            }
    return c;
}

void PairCse::substitute(std::uint64_t key) {
    std::size_t count;
    std::vector<Plan> plans = plan(key, count);
    apply(key, plans, count);
}

void PairCse::apply(std::uint64_t key, const std::vector<Plan>& plans, std::size_t count) {
    int a, b, d, r;
    unpack(key, a, b, d, r);
    if (int(count) < v_.min_count) return;
    Term pa{a, 0, 1}, pb{b, d, r};
    Term made = b_.combine(pa, pb);  // == pa + pb; occurrence t1 + t2 == g·(pa + pb)<<s
    for (const Plan& pl : plans) {
        for (const Term& t : pl.remove) remove_term(pl.expr, t);
        for (auto& [id, res] : pl.recode) {
            std::vector<Term> old;
            for (const Term& t : ex_[pl.expr])
                if (t.id == id) old.push_back(t);
            for (const Term& t : old) remove_term(pl.expr, t);
            for (const SignedDigit& dg : csd(res)) add_term(pl.expr, Term{id, dg.pos, dg.sign});
        }
        for (const Term& t : pl.lower) add_term(pl.expr, scaled(made, t.shift, t.sign));
    }
}

std::optional<Solution> run_variant(const IntProblem& p, const Variant& v) {
    if (v.split_count > 0) return run_two_sided(p, v);
    Decomposition dec = v.decompose_level < 0 ? no_decomposition(p) : decompose(p, v.decompose_level, v.edge_penalty);
    return PairCse(p, v, dec).run();
}

std::optional<PartialCse> run_partial(const IntProblem& p, const Variant& v) {
    Decomposition dec = no_decomposition(p);
    return PairCse(p, v, dec).run_partial();
}

Solution run_naive(const IntProblem& p) {
    Variant v;
    v.min_count = INT_MAX;
    v.reduce = Reduce::DepthFirst;
    Decomposition dec = no_decomposition(p);
    auto s = PairCse(p, v, dec).run();
    FIXVAR_ASSERT(s.has_value());
    return *s;
}

}  // namespace fixvar::cmvm
