#pragma once
// One run of pair CSE (PairCse): the state shared by its three files — pair_extraction.cpp
// (pattern statistics and the greedy extraction loop), digit_recoding.cpp (minimal signed-digit
// forms and re-coded occurrences) and final_sums.cpp (each output's final sum tree). Internal to
// those files; everything else calls run_variant / run_partial / run_naive (pair_cse.hpp).
#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <vector>

#include <fixvar/core/error.hpp>

#include "core/mix.hpp"
#include <fixvar/core/csd.hpp>
#include "tiered_queue.hpp"
#include "pair_cse.hpp"
#include "pair_map.hpp"

namespace fixvar::cmvm {

// A queue entry (24 bytes: the queue reaches ~12 M of them per run on a 256 x 256 layer).
// Patterns rank by score, count, narrower width, then a seeded hash of the key (seeded runs)
// or the key itself; `order` stores that last field, mix64(key ^ seed) or the key, and the key
// is recovered from it (mix64 is a bijection, so no two keys tie).
struct Entry {
    std::int64_t score;
    std::int32_t count;
    std::int32_t negwidth;
    std::uint64_t order;
    friend bool operator==(const Entry&, const Entry&) = default;
    friend bool operator<(const Entry& a, const Entry& b) {
        if (a.score != b.score) return a.score < b.score;
        if (a.count != b.count) return a.count < b.count;
        if (a.negwidth != b.negwidth) return a.negwidth < b.negwidth;
        return a.order < b.order;
    }
};
static_assert(sizeof(Entry) == 24);

// Pattern key: (A, B, d, r) with (A, shift) <= (B, shift) in (id, shift) order, d = shift_B -
// shift_A, r = relative sign. Occurrence: A at s with sign g and B at s + d with sign g·r.
constexpr int max_id = 1 << 24;
constexpr int max_rel_shift = 500;

inline std::uint64_t pack(int a, int b, int d, int r) {
    return (std::uint64_t(a) << 35) | (std::uint64_t(b) << 11) | (std::uint64_t(d + 512) << 1) | std::uint64_t(r > 0);
}
inline void unpack(std::uint64_t k, int& a, int& b, int& d, int& r) {
    a = int(k >> 35);
    b = int((k >> 11) & (max_id - 1));
    d = int((k >> 1) & 1023) - 512;
    r = (k & 1) ? 1 : -1;
}
inline std::uint64_t key_of(const Term& x, const Term& y) {
    const Term *a = &x, *b = &y;
    if (y.id < x.id || (y.id == x.id && y.shift < x.shift)) std::swap(a, b);
    int d = b->shift - a->shift;
    // solve() admits only problems whose node ids fit (check_size) and whose weights span at
    // most 60 bits (to_integer), so shifts between terms stay far below max_rel_shift.
    if (d <= -max_rel_shift || d >= max_rel_shift || b->id >= max_id)
        fail("cmvm",
             "pattern of nodes {} and {} at relative shift {} is beyond the optimizer's key "
             "(node ids < 2^24, shifts within +-{}); split the problem",
             a->id, b->id, d, max_rel_shift);
    return pack(a->id, b->id, d, a->sign * b->sign);
}

class PairCse {
public:
    PairCse(const IntProblem& p, const Variant& v, const Decomposition& dec) : p_(p), v_(v), dec_(dec), b_(p) {}

    std::optional<Solution> run() {
        if (!init()) return std::nullopt;
        if (v_.min_count < INT_MAX) extract();
        // The pattern statistics are done with: the final sums' node forms need the memory.
        map_ = PairMap();
        pq_ = TieredQueue<Entry>();
        return reduce_all();
    }

    std::optional<PartialCse> run_partial() {
        if (!init()) return std::nullopt;
        extract();
        int most = 0;
        map_.for_each([&](std::uint64_t, const PairInfo& info) { most = std::max(most, int(info.count)); });
        return PartialCse{b_, ex_, most};
    }

private:
    bool bounded() const { return v_.max_depth >= 0; }

    bool init();

    // ---- pair statistics (pair_extraction.cpp) ---------------------------------------------
    void estimate(std::uint64_t key, PairInfo& info) const;

    Entry entry(std::uint64_t key, const PairInfo& info) const;
    std::uint64_t key(const Entry& e) const { return v_.seed ? unmix64(e.order) ^ v_.seed : e.order; }

    void inc(std::uint64_t key, bool push) {
        bool fresh;
        PairInfo& info = map_.get(key, fresh);
        if (fresh) estimate(key, info);
        ++info.count;
        if (push && info.count >= v_.min_count && !info.dirty) {
            info.dirty = 1;
            dirty_.push_back(key);
        }
    }
    void dec(std::uint64_t key) {
        PairInfo* info = map_.find(key);
        FIXVAR_ASSERT(info && info->count > 0);
        --info->count;
    }

    void user_add(int id, int e) {
        if (id >= int(users_.size())) users_.resize(id + 1);
        for (auto& [x, k] : users_[id])
            if (x == e) return void(++k);
        users_[id].emplace_back(e, 1);
    }
    void user_remove(int id, int e) {
        auto& u = users_[id];
        for (std::size_t i = 0; i < u.size(); ++i)
            if (u[i].first == e) {
                if (--u[i].second == 0) u.erase(u.begin() + std::ptrdiff_t(i));
                return;
            }
        FIXVAR_ASSERT(false);
    }

    // The pair keys of t with every term of ts (t's own slot: 0), their map slots prefetched:
    // the map is far larger than the caches, so the updates that follow would stall otherwise.
    void pair_keys(const std::vector<Term>& ts, const Term& t) {
        keys_.resize(ts.size());
        for (std::size_t i = 0; i < ts.size(); ++i) {
            keys_[i] = ts[i].id == t.id && ts[i].shift == t.shift ? 0 : key_of(t, ts[i]);
            if (keys_[i]) map_.prefetch(keys_[i]);
        }
    }
    void remove_term(int e, const Term& t) {
        auto& ts = ex_[e];
        std::size_t at = ts.size();
        pair_keys(ts, t);
        for (std::size_t i = 0; i < ts.size(); ++i) {
            if (!keys_[i])
                at = i;
            else
                dec(keys_[i]);
        }
        FIXVAR_ASSERT(at < ts.size());
        ts[at] = ts.back();
        ts.pop_back();
        user_remove(t.id, e);
        if (bounded()) kraft_[e] -= std::int64_t(1) << b_.depth(t);
    }
    void add_term(int e, const Term& t) {
        auto& ts = ex_[e];
        pair_keys(ts, t);
        for (std::size_t i = 0; i < ts.size(); ++i) {
            FIXVAR_ASSERT(keys_[i] != 0);
            inc(keys_[i], true);
        }
        ts.push_back(t);
        user_add(t.id, e);
        if (bounded()) kraft_[e] += std::int64_t(1) << b_.depth(t);
    }

    // ---- digit re-coding (digit_recoding.cpp) ---------------------------------------------
    // Every minimal signed-digit form of v != 0 (CSD is one of them), lowest digit first.
    static void msd_forms(i128 v, int pos, std::vector<SignedDigit>& cur, std::vector<std::vector<SignedDigit>>& out);

    // What a form gains by joining a pattern with `count` other occurrences (FormWeight).
    std::int64_t form_value(int count) const;

    // Re-codes each raw coefficient into the minimal signed-digit form whose digits pair with
    // the most existing occurrences (patterns already frequent get more frequent).
    void choose_forms();

    // ---- extraction loop (pair_extraction.cpp) ---------------------------------------------
    void extract();
    // Every pair of terms of every expression counted (the map sized once for them).
    void count_initial_pairs();
    // Whether heap entry e still holds its pattern's score; a stale entry is dropped, or pushed
    // again at its lower current score.
    bool is_current(const Entry& e);
    // Lookahead: top and the current entries popped after it within la_tol percent of its
    // score (at most `lookahead` in all).
    std::vector<Entry> tied_with(const Entry& top);
    // Among the patterns tied with the best score, the one with the most occurrences
    // (re-coding included), then the largest common sum, then the fewest broken pairs is
    // substituted; the others go back on the heap.
    void substitute_best_of(const std::vector<Entry>& group);
    // One heap entry per pattern whose count rose during the step.
    void requeue_dirty();

    // Raw (input) terms of one expression may be re-coded: the terms of input x_r in output e
    // sum to an integer residual R, and any signed-digit form of R computes the same output.
    // A substitution may therefore re-write R as g·2^s + (CSD of R - g·2^s) whenever that keeps
    // the digit count (weight(R - g·2^s) = weight(R) - 1): the re-coded form contains the
    // pattern's digit, so the pattern gets an occurrence CSD alone would not show
    // (e.g. 6 = 8 - 2 re-coded as 4 + 2 when 4·x_r + ... is the pattern).
    struct Plan {
        int expr;
        std::vector<Term> remove;                  // existing terms consumed by occurrences
        std::vector<std::pair<int, i128>> recode;  // raw id -> residual after the new digits
        std::vector<Term> lower;                   // per occurrence: the A-side term (shift, sign)
    };

    static int weight(i128 v) { return v == 0 ? 0 : csd_weight(v); }

    i128 residual(const std::vector<Term>& ts, const std::vector<char>& used, int id) const;

    // Extra occurrences of pattern (a, b, d, r) in expression e by re-coding raw residuals.
    void recode_occurrences(int e, int a, int b, int d, int r, int new_depth, std::vector<char>& used,
                            std::int64_t& kraft, Plan& plan);
    // Whether replacing terms t and u of expression e by one node at depth new_depth keeps e
    // within its Kraft budget; if so, `kraft` becomes e's sum after the replacement.
    bool kraft_fits(int e, const Term& t, const Term& u, int new_depth, std::int64_t& kraft) const;
    // recode_occurrences' three cases, ra = R_a: B a node (digits of R_a matched to B-terms);
    // A = B (two digits of R_a); A and B distinct inputs (one digit of each of R_a, R_b).
    void recode_against_node(int e, int a, int b, int d, int r, int new_depth, std::vector<char>& used,
                             std::int64_t& kraft, Plan& plan, i128 ra);
    void recode_within_input(int e, int a, int d, int r, int new_depth, std::int64_t& kraft, Plan& plan, i128 ra);
    void recode_two_inputs(int e, int a, int b, int d, int r, int new_depth, std::vector<char>& used,
                           std::int64_t& kraft, Plan& plan, i128 ra);

    // The occurrences a substitution of `key` would replace (exact ones, then re-coded ones).
    std::vector<Plan> plan(std::uint64_t key, std::size_t& count);

    // Pairs with other terms that the plan's consumed terms break, weighted towards patterns
    // that would drop below two occurrences (a lost saving).
    std::int64_t conflicts(const std::vector<Plan>& plans);

    // For a pattern with exactly two occurrences (in expressions e1, e2): how many terms of e1
    // reappear in e2 under the same shift and sign relation — the size of the common sub-sum
    // the pattern starts (later count-2 extractions can grow it to all of them).
    int common(const std::vector<Plan>& plans) const;

    void substitute(std::uint64_t key);

    void apply(std::uint64_t key, const std::vector<Plan>& plans, std::size_t count);

    // ---- final reduction (final_sums.cpp) ------------------------------------------------
    std::int64_t kraft_of(const std::vector<Term>& ts) const {
        std::int64_t k = 0;
        for (const Term& t : ts) k += std::int64_t(1) << b_.depth(t);
        return k;
    }

    long double magnitude(const Term& t) const;

    int sum_msb(const Term& t1, const Term& t2) const { return cmvm::sum_msb(b_, t1, t2); }

    // Among the first pair_window terms (MSB order), the pair whose sum has the smallest MSB
    // (Huffman on the results, not the operands: two terms of one sign make an unsigned sum, a
    // sign bit narrower than a mixed pair), within the depth budget. Ranked by the interval
    // estimate; the best four are evaluated exactly. Keeps (i, j) when no pair fits.
    void pick_by_result(const std::vector<Term>& ts, int budget, std::size_t& i, std::size_t& j) const;

    std::optional<Term> reduce(std::vector<Term> ts, int budget);

    std::optional<Solution> reduce_all();

    const IntProblem& p_;
    Variant v_;
    const Decomposition& dec_;
    AdderGraph b_;
    std::vector<std::vector<Term>> ex_;
    std::vector<std::vector<std::pair<int, int>>> users_;
    std::vector<int> budget_;
    std::vector<std::int64_t> kraft_;
    PairMap map_;
    TieredQueue<Entry> pq_;
    std::vector<std::uint64_t> dirty_;
    std::vector<std::uint64_t> keys_;  // pair_keys' buffer
};

}  // namespace fixvar::cmvm
