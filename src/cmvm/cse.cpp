#include <fixvar/cmvm/csd.hpp>
#include <fixvar/cmvm/cse.hpp>
#include <fixvar/core/error.hpp>

#include <algorithm>
#include <climits>
#include <queue>
#include <tuple>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace fixvar::cmvm {
namespace {

std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct PairInfo {
    std::int32_t count = 0;
    std::int32_t width = 0;    ///< estimated bit cells of the pattern's adder
    std::int32_t overlap = 0;  ///< bits where both operands can be nonzero
    std::int32_t dirty = 0;    ///< count rose since the last heap push
    std::int64_t gain = 0;     ///< sum over occurrences of (output MSB - higher operand LSB)
};

// Allocator for the pair map's slot array: large arrays (tens of MB on 64x64 matrices) are
// 2 MB aligned and advised to use transparent huge pages, so filling one takes a page fault
// per 2 MB instead of per 4 KB (faults were ~10% of the run time). Small ones: plain new.
template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t kHuge = std::size_t(2) << 20;
    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) {}
    T* allocate(std::size_t n) {
        std::size_t bytes = n * sizeof(T);
        if (bytes < 2 * kHuge) return static_cast<T*>(::operator new(bytes));
        bytes = (bytes + kHuge - 1) / kHuge * kHuge;
        void* p = std::aligned_alloc(kHuge, bytes);
        if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        madvise(p, bytes, MADV_HUGEPAGE);
#endif
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) {
        if (n * sizeof(T) < 2 * kHuge) ::operator delete(p);
        else std::free(p);
    }
    friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

// Open addressing (linear probing) map from a nonzero 64-bit pattern key; entries are never
// erased (a count can drop to zero and rise again). Key and value share one 32-byte slot, so
// a probe touches one cache line (the map is the engine's main memory traffic).
class PairMap {
public:
    PairMap() { rehash(1 << 12); }
    /// Room for about `n` entries without rehashing.
    void reserve(std::size_t n) {
        std::size_t cap = slots_.size();
        while (2 * (n + 1) > cap) cap *= 2;
        if (cap > slots_.size()) rehash(cap);
    }
    /// Starts loading k's home slot (the caller looks k up shortly after).
    void prefetch(std::uint64_t k) const { __builtin_prefetch(&slots_[slot(k)]); }
    PairInfo* find(std::uint64_t k) {
        for (std::size_t i = slot(k);; i = (i + 1) & mask_) {
            if (slots_[i].key == k) return &slots_[i].info;
            if (slots_[i].key == 0) return nullptr;
        }
    }
    /// The entry for k; `fresh` tells whether it was just created (zeroed).
    PairInfo& get(std::uint64_t k, bool& fresh) {
        if (2 * (size_ + 1) > slots_.size()) grow();
        std::size_t i = slot(k);
        for (; slots_[i].key != 0; i = (i + 1) & mask_)
            if (slots_[i].key == k) {
                fresh = false;
                return slots_[i].info;
            }
        slots_[i].key = k;
        slots_[i].info = PairInfo{};
        ++size_;
        fresh = true;
        return slots_[i].info;
    }
    template <class F>
    void for_each(F f) const {
        for (const Slot& sl : slots_)
            if (sl.key) f(sl.key, sl.info);
    }

private:
    struct Slot {
        std::uint64_t key = 0;
        PairInfo info;
    };
    std::size_t slot(std::uint64_t k) const { return std::size_t((k * 0x9e3779b97f4a7c15ULL) >> shift_); }
    // Extraction keeps creating patterns of new nodes while old ones die out, so a full map is
    // first cleared of dead entries (count 0, no pending heap push: nothing refers to them, and
    // a pattern that reappears is re-created fresh); it doubles only when at least half the
    // capacity is live. Without this, large matrices reach gigabytes of dead patterns.
    static bool dead(const PairInfo& info) { return info.count == 0 && info.dirty == 0; }
    void grow() {
        std::size_t live = 0;
        for (const Slot& sl : slots_) live += sl.key && !dead(sl.info);
        std::size_t cap = slots_.size();
        while (4 * (live + 1) > cap) cap *= 2;
        rehash(cap, true);
    }
    void rehash(std::size_t cap, bool drop_dead = false) {
        std::vector<Slot, HugePageAllocator<Slot>> old(cap);
        old.swap(slots_);
        mask_ = cap - 1;
        shift_ = 64 - __builtin_ctzll(cap);
        size_ = 0;
        for (const Slot& sl : old) {
            if (!sl.key || (drop_dead && dead(sl.info))) continue;
            std::size_t j = slot(sl.key);
            while (slots_[j].key) j = (j + 1) & mask_;
            slots_[j] = sl;
            ++size_;
        }
    }
    std::vector<Slot, HugePageAllocator<Slot>> slots_;
    std::size_t mask_ = 0, size_ = 0;
    int shift_ = 64;
};

struct Entry {
    std::int64_t score;
    std::int32_t count;
    std::int32_t negwidth;
    std::uint64_t tie;
    std::uint64_t key;
    friend bool operator==(const Entry&, const Entry&) = default;
    friend bool operator<(const Entry& a, const Entry& b) {
        if (a.score != b.score) return a.score < b.score;
        if (a.count != b.count) return a.count < b.count;
        if (a.negwidth != b.negwidth) return a.negwidth < b.negwidth;
        if (a.tie != b.tie) return a.tie < b.tie;
        return a.key < b.key;
    }
};

// Pattern key: (A, B, d, r) with (A, shift) <= (B, shift) in (id, shift) order, d = shift_B -
// shift_A, r = relative sign. Occurrence: A at s with sign g and B at s + d with sign g·r.
constexpr int max_id = 1 << 24;
constexpr int max_rel_shift = 500;

std::uint64_t pack(int a, int b, int d, int r) {
    return (std::uint64_t(a) << 35) | (std::uint64_t(b) << 11) | (std::uint64_t(d + 512) << 1) |
           std::uint64_t(r > 0);
}
void unpack(std::uint64_t k, int& a, int& b, int& d, int& r) {
    a = int(k >> 35);
    b = int((k >> 11) & (max_id - 1));
    d = int((k >> 1) & 1023) - 512;
    r = (k & 1) ? 1 : -1;
}
std::uint64_t key_of(const Term& x, const Term& y) {
    const Term *a = &x, *b = &y;
    if (y.id < x.id || (y.id == x.id && y.shift < x.shift)) std::swap(a, b);
    int d = b->shift - a->shift;
    FIXVAR_ASSERT(d > -max_rel_shift && d < max_rel_shift && b->id < max_id);
    return pack(a->id, b->id, d, a->sign * b->sign);
}

class Engine {
public:
    Engine(const IntProblem& p, const Variant& v, const Decomposition& dec)
        : p_(p), v_(v), dec_(dec), b_(p) {}

    std::optional<Solution> run() {
        if (!init()) return std::nullopt;
        if (v_.min_count < INT_MAX) extract();
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

    bool init() {
        const int m = p_.m;
        ex_.assign(m, {});
        users_.assign(p_.n, {});
        budget_.assign(m, INT_MAX);
        kraft_.assign(m, 0);
        top_.assign(m, 0);
        for (int c = 0; c < m; ++c) {
            {
                // MSB of the column's exact range (the output's width before its free shift).
                i128 lo = 0, hi = 0;
                int e0 = INT_MAX;
                for (int r = 0; r < p_.n; ++r)
                    if (dec_.diff[std::size_t(r) * m + c]) e0 = std::min(e0, p_.in[r].exp);
                for (int r = 0; r < p_.n && e0 != INT_MAX; ++r) {
                    std::int64_t w = dec_.diff[std::size_t(r) * m + c];
                    if (!w || p_.in[r].exp - e0 > 60) continue;
                    i128 k2 = i128(w) << (p_.in[r].exp - e0);
                    i128 a = k2 * p_.in[r].lo, bb = k2 * p_.in[r].hi;
                    lo += std::min(a, bb);
                    hi += std::max(a, bb);
                }
                top_[c] = e0 == INT_MAX ? 0 : e0 + signed_width(lo, hi) - 1;
            }
            for (int r = 0; r < p_.n; ++r) {
                std::int64_t w = dec_.diff[std::size_t(r) * m + c];
                if (w == 0) continue;
                for (const Digit& dg : csd(w)) ex_[c].push_back(Term{r, dg.pos, dg.sign});
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
    void estimate(std::uint64_t key, PairInfo& info) const {
        int a, b, d, r;
        unpack(key, a, b, d, r);
        const auto &A = b_.node(a), &B = b_.node(b);
        int lsb = std::max(A.lsb, B.lsb + d);
        int ov = std::min(A.msb, B.msb + d) - lsb + 1;
        info.overlap = std::max(ov, 0);
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
        info.width = std::max(1, msb - lsb + 1);
    }

    Entry entry(std::uint64_t key, const PairInfo& info) const {
        std::int64_t s = 0;
        switch (v_.score) {
            case Score::bits: s = std::int64_t(info.count - 1) * info.width; break;
            case Score::overlap:
                s = std::int64_t(2 * info.count - v_.beta) * std::max<std::int64_t>(4 * std::int64_t(std::max(info.overlap, 0)) + v_.gamma, 4);
                break;
            case Score::count: s = info.count; break;
            case Score::overlap_less1: s = std::int64_t(info.count - 1) * std::max(info.overlap, 1); break;
            case Score::width_count: s = std::int64_t(info.count) * info.width; break;
            case Score::saving: s = info.gain - std::int64_t(info.count) * v_.delta - info.width; break;
        }
        return Entry{s, info.count, -info.width, v_.seed ? mix(key ^ v_.seed) : 0, key};
    }

    // Tree-saving estimate of one occurrence t + u in output e (see Score::saving).
    int occ_gain(int e, const Term& t, const Term& u) const { return top_[e] - std::max(b_.lsb(t), b_.lsb(u)); }

    void inc(std::uint64_t key, bool push, int gain) {
        bool fresh;
        PairInfo& info = map_.get(key, fresh);
        if (fresh) estimate(key, info);
        ++info.count;
        info.gain += gain;
        if (push && info.count >= v_.min_count && !info.dirty) {
            info.dirty = 1;
            dirty_.push_back(key);
        }
    }
    void dec(std::uint64_t key, int gain) {
        PairInfo* info = map_.find(key);
        FIXVAR_ASSERT(info && info->count > 0);
        --info->count;
        info->gain -= gain;
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
            if (!keys_[i]) at = i;
            else dec(keys_[i], occ_gain(e, t, ts[i]));
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
            inc(keys_[i], true, occ_gain(e, t, ts[i]));
        }
        ts.push_back(t);
        user_add(t.id, e);
        if (bounded()) kraft_[e] += std::int64_t(1) << b_.depth(t);
    }

    // Every minimal signed-digit form of v != 0 (CSD is one of them), lowest digit first.
    static void msd_forms(i128 v, int pos, std::vector<Digit>& cur, std::vector<std::vector<Digit>>& out) {
        if (v == 0) return out.push_back(cur);
        if (out.size() >= 16) return;
        if ((v & 1) == 0) return msd_forms(v >> 1, pos + 1, cur, out);
        int w = csd_weight(v);
        for (int g : {1, -1}) {
            i128 rest = (v - g) >> 1;
            if ((rest == 0 ? 0 : csd_weight(rest)) != w - 1) continue;
            cur.push_back({pos, g});
            msd_forms(rest, pos + 1, cur, out);
            cur.pop_back();
        }
    }

    // What a form gains by joining a pattern with `count` other occurrences (FormWeight).
    std::int64_t form_value(int count) const {
        switch (v_.form_weight) {
            case FormWeight::linear: break;
            case FormWeight::threshold: return count + 1 >= v_.min_count ? count : 0;
            case FormWeight::square: return std::int64_t(count) * count;
        }
        return count;
    }

    // Re-codes each raw coefficient into the minimal signed-digit form whose digits pair with
    // the most existing occurrences (patterns already frequent get more frequent).
    void choose_forms() {
        std::vector<std::vector<Digit>> forms;
        std::vector<Digit> cur;
        std::vector<Term> old;
        for (int c = 0; c < p_.m; ++c) {
            for (int rr = 0; rr < p_.n; ++rr) {
                std::int64_t w = dec_.diff[std::size_t(rr) * p_.m + c];
                if (w == 0 || csd_weight(w) < 2) continue;
                forms.clear();
                msd_forms(w, 0, cur, forms);
                if (forms.size() < 2) continue;
                old.clear();
                for (const Term& t : ex_[c])
                    if (t.id == rr) old.push_back(t);
                i128 sum = 0;
                for (const Term& t : old) sum += (t.sign > 0 ? i128(1) : i128(-1)) << t.shift;
                if (sum != w) continue;  // already changed by something else
                for (const Term& t : old) remove_term(c, t);
                std::int64_t best = -1;
                std::size_t bi = 0;
                for (std::size_t f = 0; f < forms.size(); ++f) {
                    std::int64_t sc = 0;
                    for (std::size_t i = 0; i < forms[f].size(); ++i) {
                        Term t{rr, forms[f][i].pos, forms[f][i].sign};
                        for (const Term& u : ex_[c]) {
                            PairInfo* info = map_.find(key_of(t, u));
                            if (info) sc += form_value(info->count);
                        }
                        for (std::size_t j = i + 1; j < forms[f].size(); ++j) {
                            PairInfo* info = map_.find(key_of(t, Term{rr, forms[f][j].pos, forms[f][j].sign}));
                            if (info) sc += form_value(info->count);
                        }
                    }
                    if (sc > best) best = sc, bi = f;
                }
                for (const Digit& dg : forms[bi]) add_term(c, Term{rr, dg.pos, dg.sign});
            }
        }
    }

    // ---- extraction loop ---------------------------------------------------------------
    void extract() {
        // Size the map once for the distinct initial patterns: at most the pair occurrences, and
        // at most every (A <= B, relative shift, relative sign) over the ids and shifts present.
        std::size_t pairs = 0;
        int max_id = 0, lo = INT_MAX, hi = INT_MIN;
        for (int c = 0; c < p_.m; ++c) {
            pairs += ex_[c].size() * (ex_[c].size() - (ex_[c].empty() ? 0 : 1)) / 2;
            for (const Term& t : ex_[c]) max_id = std::max(max_id, t.id), lo = std::min(lo, t.shift), hi = std::max(hi, t.shift);
        }
        std::size_t ids = std::size_t(max_id) + 1;
        std::size_t keys = lo > hi ? 0 : ids * (ids + 1) / 2 * (2 * std::size_t(hi - lo) + 1) * 2;
        map_.reserve(std::min(pairs / 2, keys));
        for (int c = 0; c < p_.m; ++c) {
            const auto& ts = ex_[c];
            for (std::size_t i = 0; i < ts.size(); ++i) {
                for (std::size_t j = i + 1; j < ts.size(); ++j) map_.prefetch(key_of(ts[i], ts[j]));
                for (std::size_t j = i + 1; j < ts.size(); ++j) inc(key_of(ts[i], ts[j]), false, occ_gain(c, ts[i], ts[j]));
            }
        }
        for (int sweep = 0; sweep < v_.msd_sweeps; ++sweep) choose_forms();
        for (std::uint64_t k : dirty_) map_.find(k)->dirty = 0;
        dirty_.clear();
        std::vector<Entry> init;
        map_.for_each([&](std::uint64_t k, const PairInfo& info) {
            if (info.count >= v_.min_count) init.push_back(entry(k, info));
        });
        pq_ = std::priority_queue<Entry>(std::less<Entry>(), std::move(init));
        while (!pq_.empty()) {
            Entry top = pq_.top();
            pq_.pop();
            PairInfo* info = map_.find(top.key);
            if (!info || info->count < v_.min_count) continue;  // stale: dropped or below the minimum
            if (v_.score == Score::saving && top.score <= 0) break;
            Entry cur = entry(top.key, *info);
            if (!(cur == top)) {
                if (cur < top) pq_.push(cur);
                continue;
            }
            if (v_.lookahead > 1) {
                // Among the patterns tied with the best score, the one with the most occurrences
                // (re-coding included), then the fewest broken pairs.
                std::vector<Entry> group{top};
                std::int64_t floor = top.score - (top.score > 0 ? top.score * v_.la_tol / 100 : 0);
                while (int(group.size()) < v_.lookahead && !pq_.empty() && pq_.top().score >= floor) {
                    Entry e = pq_.top();
                    pq_.pop();
                    PairInfo* in2 = map_.find(e.key);
                    if (!in2 || in2->count < v_.min_count) continue;
                    Entry c2 = entry(e.key, *in2);
                    if (!(c2 == e)) {
                        if (c2 < e) pq_.push(c2);
                        continue;
                    }
                    group.push_back(e);
                }
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
                    std::vector<Plan> pl = plan(group[g].key, cnt);
                    PairInfo tmp = *map_.find(group[g].key);
                    tmp.count = std::int32_t(cnt);
                    Entry te = entry(group[g].key, tmp);
                    te.tie = te.key = 0;
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
                apply(group[best].key, bplans, bcount);
            } else {
                substitute(top.key);
            }
            // One heap entry per pattern whose count rose during the step.
            for (std::uint64_t k : dirty_) {
                PairInfo* d = map_.find(k);
                d->dirty = 0;
                if (d->count >= v_.min_count) pq_.push(entry(k, *d));
            }
            dirty_.clear();
        }
    }


    // Raw (input) terms of one expression may be re-coded: the terms of input x_r in output e
    // sum to an integer residual R, and any signed-digit form of R computes the same output.
    // A substitution may therefore re-write R as g·2^s + (CSD of R - g·2^s) whenever that keeps
    // the digit count (weight(R - g·2^s) = weight(R) - 1): the re-coded form contains the
    // pattern's digit, so the pattern gets an occurrence CSD alone would not show
    // (e.g. 6 = 8 - 2 re-coded as 4 + 2 when 4·x_r + ... is the pattern).
    struct Plan {
        int expr;
        std::vector<Term> remove;                // existing terms consumed by occurrences
        std::vector<std::pair<int, i128>> recode;  // raw id -> residual after the new digits
        std::vector<Term> lower;                 // per occurrence: the A-side term (shift, sign)
    };

    static int weight(i128 v) { return v == 0 ? 0 : csd_weight(v); }

    i128 residual(const std::vector<Term>& ts, const std::vector<char>& used, int id) const {
        i128 r = 0;
        for (std::size_t i = 0; i < ts.size(); ++i)
            if (ts[i].id == id && !used[i]) r += (ts[i].sign > 0 ? i128(1) : i128(-1)) << ts[i].shift;
        return r;
    }

    // Extra occurrences of pattern (a, b, d, r) in expression e by re-coding raw residuals.
    void recode_occurrences(int e, int a, int b, int d, int r, int new_depth, std::vector<char>& used,
                            std::int64_t& kraft, Plan& plan) {
        const auto& ts = ex_[e];
        const int n = p_.n;
        if (a >= n) return;
        auto fits = [&](const Term& t, const Term& u) {
            if (!bounded()) return true;
            std::int64_t k2 = kraft - (std::int64_t(1) << b_.depth(t)) - (std::int64_t(1) << b_.depth(u)) +
                              (std::int64_t(1) << new_depth);
            if (k2 > (std::int64_t(1) << budget_[e])) return false;
            kraft = k2;
            return true;
        };
        auto one = [](int g, int s) { return (g > 0 ? i128(1) : i128(-1)) << s; };
        i128 ra = residual(ts, used, a);
        if (ra == 0) return;
        int wa = weight(ra);
        if (b >= n) {
            // A raw, B a node: a B-term u at shift s_u needs the digit g·2^(s_u - d) in R_a.
            bool any = false;
            for (std::size_t j = 0; j < ts.size() && ra != 0; ++j) {
                if (used[j] || ts[j].id != b) continue;
                const Term& u = ts[j];
                int s = u.shift - d, g = u.sign * r;
                if (s < 0 || s > 62) continue;
                i128 nr = ra - one(g, s);
                if (weight(nr) != wa - 1) continue;
                Term t{a, s, g};
                if (!fits(t, u)) break;
                used[j] = 1;
                plan.remove.push_back(u);
                plan.lower.push_back(t);
                ra = nr, --wa, any = true;
            }
            if (any) plan.recode.emplace_back(a, ra);
            return;
        }
        if (a == b) {
            bool any = false;
            for (bool found = true; found && ra != 0;) {
                found = false;
                int top = bit_length(u128(ra < 0 ? -ra : ra)) + 1;
                for (int s = 0; s + d <= std::min(top, 62) && !found; ++s)
                    for (int g : {1, -1}) {
                        i128 nr = ra - one(g, s) - one(g * r, s + d);
                        if (weight(nr) != wa - 2) continue;
                        Term t{a, s, g}, u{a, s + d, g * r};
                        if (!fits(t, u)) {
                            if (any) plan.recode.emplace_back(a, ra);
                            return;
                        }
                        plan.lower.push_back(t);
                        ra = nr, wa -= 2, found = any = true;
                        break;
                    }
            }
            if (any) plan.recode.emplace_back(a, ra);
            return;
        }
        i128 rb = residual(ts, used, b);
        if (rb == 0) return;
        int wb = weight(rb);
        bool any = false;
        for (bool found = true; found && ra != 0 && rb != 0;) {
            found = false;
            int top = bit_length(u128(ra < 0 ? -ra : ra)) + 1;
            for (int s = 0; s <= std::min(top, 62) && !found; ++s) {
                if (s + d < 0 || s + d > 62) continue;
                for (int g : {1, -1}) {
                    i128 na = ra - one(g, s);
                    if (weight(na) != wa - 1) continue;
                    i128 nb = rb - one(g * r, s + d);
                    if (weight(nb) != wb - 1) continue;
                    Term t{a, s, g}, u{b, s + d, g * r};
                    if (!fits(t, u)) {
                        found = false;
                        s = 1 << 20;
                        break;
                    }
                    plan.lower.push_back(t);
                    ra = na, rb = nb, --wa, --wb, found = any = true;
                    break;
                }
            }
        }
        if (any) {
            plan.recode.emplace_back(a, ra);
            plan.recode.emplace_back(b, rb);
        }
    }

    // The occurrences a substitution of `key` would replace (exact ones, then re-coded ones).
    std::vector<Plan> plan(std::uint64_t key, std::size_t& count) {
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
                        std::int64_t k2 = kraft - (std::int64_t(1) << b_.depth(t)) -
                                          (std::int64_t(1) << b_.depth(u)) + (std::int64_t(1) << new_depth);
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
    std::int64_t conflicts(const std::vector<Plan>& plans) {
        std::int64_t c = 0;
        for (const Plan& pl : plans) {
            const auto& ts = ex_[pl.expr];
            for (const Term& t : pl.remove)
                for (const Term& u : ts) {
                    if (u.id == t.id && u.shift == t.shift) continue;
                    PairInfo* info = map_.find(key_of(t, u));
                    if (info && info->count == v_.min_count) ++c;
                }
        }
        return c;
    }

    // For a pattern with exactly two occurrences (in expressions e1, e2): how many terms of e1
    // reappear in e2 under the same shift and sign relation — the size of the common sub-sum
    // the pattern starts (later count-2 extractions can grow it to all of them).
    int common(const std::vector<Plan>& plans) const {
        int e1 = -1, e2 = -1;
        Term o1{}, o2{};
        for (const Plan& pl : plans)
            for (const Term& t : pl.lower) {
                if (e1 < 0) e1 = pl.expr, o1 = t;
                else e2 = pl.expr, o2 = t;
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

    void substitute(std::uint64_t key) {
        std::size_t count;
        std::vector<Plan> plans = plan(key, count);
        apply(key, plans, count);
    }

    void apply(std::uint64_t key, const std::vector<Plan>& plans, std::size_t count) {
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
                for (const Digit& dg : csd(res)) add_term(pl.expr, Term{id, dg.pos, dg.sign});
            }
            for (const Term& t : pl.lower) add_term(pl.expr, scaled(made, t.shift, t.sign));
        }
    }

    // ---- final reduction -----------------------------------------------------------------
    // Adds t to a term list, folding equal (id, shift) pairs: t + t = t<<1, t - t = nothing.
    static void merge_into(std::vector<Term>& ts, Term t) {
        for (;;) {
            auto it = std::find_if(ts.begin(), ts.end(),
                                   [&](const Term& u) { return u.id == t.id && u.shift == t.shift; });
            if (it == ts.end()) return ts.push_back(t);
            bool same = it->sign == t.sign;
            ts.erase(it);
            if (!same) return;
            t.shift += 1;
        }
    }

    std::int64_t kraft_of(const std::vector<Term>& ts) const {
        std::int64_t k = 0;
        for (const Term& t : ts) k += std::int64_t(1) << b_.depth(t);
        return k;
    }

    long double magnitude(const Term& t) const {
        const auto& nd = b_.node(t.id);
        i128 a = nd.lo < 0 ? -nd.lo : nd.lo, b = nd.hi < 0 ? -nd.hi : nd.hi;
        i128 span = nd.hi - nd.lo;
        (void)span;
        return std::ldexp((long double)(a > b ? a : b), nd.rexp + t.shift);
    }

    int sum_msb(const Term& t1, const Term& t2) const { return cmvm::sum_msb(b_, t1, t2); }

    // Among the first pair_window terms (MSB order), the pair whose sum has the smallest MSB
    // (Huffman on the results, not the operands: two terms of one sign make an unsigned sum, a
    // sign bit narrower than a mixed pair), within the depth budget. Ranked by the interval
    // estimate; the best four are evaluated exactly. Keeps (i, j) when no pair fits.
    void pick_by_result(const std::vector<Term>& ts, int budget, std::size_t& i, std::size_t& j) const {
        const std::size_t w = std::min<std::size_t>(ts.size(), std::size_t(v_.pair_window));
        std::int64_t k = kraft_of(ts);
        std::vector<std::tuple<int, std::size_t, std::size_t>> cand;
        for (std::size_t jj = 1; jj < w; ++jj)
            for (std::size_t ii = 0; ii < jj; ++ii) {
                if (budget < INT_MAX) {
                    int dn = 1 + std::max(b_.depth(ts[ii]), b_.depth(ts[jj]));
                    if (k - (std::int64_t(1) << b_.depth(ts[ii])) - (std::int64_t(1) << b_.depth(ts[jj])) +
                            (std::int64_t(1) << dn) > (std::int64_t(1) << budget))
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

    std::optional<Term> reduce(std::vector<Term> ts, int budget) {
        const bool width = v_.reduce != Reduce::depth_first;
        auto depth_key = [&](const Term& t) {
            return std::tuple(b_.depth(t), b_.msb(t), b_.lsb(t), t.id, t.shift);
        };
        auto width_key = [&](const Term& t) {
            return std::tuple(b_.msb(t), b_.depth(t), b_.lsb(t), t.id, t.shift);
        };
        while (ts.size() > 1) {
            std::size_t i = 0, j = 1;
            if (v_.reduce == Reduce::magnitude) {
                std::vector<std::pair<long double, std::size_t>> mk(ts.size());
                for (std::size_t q = 0; q < ts.size(); ++q) mk[q] = {magnitude(ts[q]), q};
                std::vector<Term> sorted;
                std::sort(mk.begin(), mk.end(), [&](auto& x, auto& y) {
                    if (x.first != y.first) return x.first < y.first;
                    return width_key(ts[x.second]) < width_key(ts[y.second]);
                });
                for (auto& [k, q] : mk) sorted.push_back(ts[q]);
                ts.swap(sorted);
            } else if (width) std::sort(ts.begin(), ts.end(), [&](auto& x, auto& y) { return width_key(x) < width_key(y); });
            else std::sort(ts.begin(), ts.end(), [&](auto& x, auto& y) { return depth_key(x) < depth_key(y); });
            if (width && budget < INT_MAX) {
                // Cheapest pair (in MSB order) that keeps the Kraft sum within the budget.
                std::int64_t k = kraft_of(ts), cap = std::int64_t(1) << budget;
                bool found = false;
                for (j = 1; j < ts.size() && !found; ++j)
                    for (i = 0; i < j; ++i) {
                        int dn = 1 + std::max(b_.depth(ts[i]), b_.depth(ts[j]));
                        if (k - (std::int64_t(1) << b_.depth(ts[i])) - (std::int64_t(1) << b_.depth(ts[j])) +
                                (std::int64_t(1) << dn) <= cap) {
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
            Term t = b_.combine(ts[i], ts[j]);
            ts.erase(ts.begin() + std::ptrdiff_t(j));
            ts.erase(ts.begin() + std::ptrdiff_t(i));
            merge_into(ts, t);
        }
        if (ts.empty()) return std::nullopt;
        return ts[0];
    }

    std::optional<Solution> reduce_all() {
        std::vector<std::optional<Term>> out(p_.m);
        for (int c : dec_.order) {
            std::vector<Term> ts;
            for (const Term& t : ex_[c]) merge_into(ts, t);
            int par = dec_.parent[c];
            if (par >= 0 && out[par]) {
                Term t = *out[par];
                t.sign *= dec_.parent_sign[c];
                merge_into(ts, t);
            }
            out[c] = reduce(std::move(ts), budget_[c]);
            if (bounded() && out[c] && b_.depth(*out[c]) > budget_[c]) return std::nullopt;
        }
        return b_.finish(out, p_.exp);
    }

    const IntProblem& p_;
    Variant v_;
    const Decomposition& dec_;
    Builder b_;
    std::vector<std::vector<Term>> ex_;
    std::vector<std::vector<std::pair<int, int>>> users_;
    std::vector<int> budget_;
    std::vector<std::int64_t> kraft_;
    std::vector<int> top_;
    PairMap map_;
    std::priority_queue<Entry> pq_;
    std::vector<std::uint64_t> dirty_;
    std::vector<std::uint64_t> keys_;  // pair_keys' buffer
};

}  // namespace

std::optional<Solution> run_variant(const IntProblem& p, const Variant& v) {
    if (v.split_count > 0) return run_hybrid(p, v);
    Decomposition dec = v.decompose_level < 0 ? no_decomposition(p)
                                              : decompose(p, v.decompose_level, v.edge_penalty);
    return Engine(p, v, dec).run();
}

std::optional<PartialCse> run_partial(const IntProblem& p, const Variant& v) {
    Decomposition dec = no_decomposition(p);
    return Engine(p, v, dec).run_partial();
}

Solution run_naive(const IntProblem& p) {
    Variant v;
    v.min_count = INT_MAX;
    v.reduce = Reduce::depth_first;
    Decomposition dec = no_decomposition(p);
    auto s = Engine(p, v, dec).run();
    FIXVAR_ASSERT(s.has_value());
    return *s;
}

}  // namespace fixvar::cmvm
