#include <fixvar/cmvm/builder.hpp>
#include <fixvar/cmvm/csd.hpp>
#include <fixvar/cmvm/cse.hpp>
#include <fixvar/cmvm/local_search.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/parallel.hpp>

#include <cmath>
#include <cstdint>
#include <chrono>

namespace fixvar::cmvm {
namespace {

using Clock = std::chrono::steady_clock;

// Lexicographic quality: the objective first, then the other measure, then depth.
std::tuple<std::int64_t, std::int64_t, int> quality(const Solution& s, Objective o) {
    if (o == Objective::cost) return {s.cost, s.adder_count(), s.depth};
    return {s.adder_count(), s.cost, s.depth};
}

// Structural options of every improved run: raw residuals re-coded during substitution, final
// trees pairing the terms with the narrowest sums, and a lookahead among the best patterns
// (true occurrence counts, larger common sums, fewer conflicts; within 20% of the best score
// for cost, exact ties for the adder count); for the adder count also minimal-signed-digit
// forms chosen up front.
void structure(Variant& v, Objective o) {
    v.recode = true;
    v.pair_window = 16;
    v.lookahead = 8;
    v.la_tol = o == Objective::cost ? 20 : 0;
    v.common = true;
    if (o == Objective::adders) v.msd_sweeps = 1;
}

// Per-problem depth (cost objective, default bound; see cheap_deep in solve): the runs are repeated
// one level deeper and the deeper answer kept only when it saves at least kDeepGain / 10000 of
// the cost. On the public set 10 of 19 problems take the extra level: depth sum 133 -> 141,
// cost -0.30% for +55% time (all problems one level deeper: -0.53% at depth sum 151).
constexpr std::int64_t kDeepGain = 75;
// Large problems (n·m > 1024) repeat only the first kDeepLarge fixed pipelines, and none above
// kDeepTerms signed digits (where a second depth costs ~1 s and has bought < 0.4%).
constexpr std::size_t kDeepLarge = 2;
constexpr std::int64_t kDeepTerms = 10000;
// At default effort (no time budget) the deeper runs are made only where they are cheap or
// have paid: at most kDeepCheapTerms signed digits (runs of tens of milliseconds), or sparse
// matrices (at least a quarter of the weights zero, as in pruned and heterogeneously quantized
// layers), where a deeper level saved 0.8-1.9% on the public set.
constexpr std::int64_t kDeepCheapTerms = 2200;
// Up to this many signed digits one pipeline run takes ~0.1 s (restarts_for_budget's model):
// extra pipelines for diversity are run there only.
constexpr std::int64_t kCheapRunTerms = 3000;

// Adder-count objective: variant set by the problem's signed-digit count (see fixed_variants).
constexpr std::int64_t kOneSidedTerms = 800;
constexpr std::int64_t kTwoSidedTerms = 3000;
constexpr std::int64_t kLargeTerms = 6000;

std::vector<Variant> fixed_variants(const Options& opt, int md, std::int64_t size, std::int64_t terms) {
    std::vector<Variant> vs;
    if (opt.algorithm == Algorithm::baseline) {
        // The published method: count-weighted-by-overlap pair CSE, MST decomposition swept
        // over its depth bound, depth-ordered final trees.
        for (int level : {-1, 0, 2, 4}) {
            Variant v;
            v.score = opt.objective == Objective::adders ? Score::count : Score::overlap;
            v.gamma = 0;
            v.reduce = Reduce::depth_first;
            v.decompose_level = level;
            v.max_depth = md;
            vs.push_back(v);
        }
        return vs;
    }
    // Six pipelines, each a different trade-off; the best verified one wins. A decomposition
    // deeper than two tree levels rarely pays under the default depth bound (each level
    // costs one adder level), so level 2 is the one tried.
    struct S {
        Score score;
        int beta, gamma;
    };
    S scores_cost[] = {{Score::overlap, 1, 4}, {Score::overlap, 0, 0}, {Score::overlap_less1, 0, 0}};
    S scores_adders[] = {{Score::count, 0, 0}, {Score::bits, 0, 0}, {Score::overlap_less1, 0, 0}};
    for (int level : {-1, 2}) {
        for (S s : opt.objective == Objective::adders ? scores_adders : scores_cost) {
            Variant v;
            v.score = s.score;
            v.beta = s.beta;
            v.gamma = s.gamma;
            v.reduce = Reduce::width_first;
            v.decompose_level = level;
            v.edge_penalty = level >= 0 ? 1 : 0;
            v.max_depth = md;
            structure(v, opt.objective);
            vs.push_back(v);
        }
    }
    // Large problems (where the decomposed runs rarely win): one decomposed run, not three.
    // For the cost objective, none: it has not won on a large problem, and W^T's run (below)
    // takes its place.
    if (size > 1024) vs.resize(opt.objective == Objective::cost ? 3 : 4);
    if (opt.objective == Objective::cost && opt.algorithm == Algorithm::improved && terms <= kDeepTerms) {
        // The bit-scored pipeline on W^T (graph reversed), with minimal-signed-digit forms chosen
        // up front and exact-tie lookahead as for the adder count: W^T's pair CSE shares
        // across outputs what W's misses (-0.4% cost on the public set, up to -2% on 4-bit and
        // Gaussian matrices). Not above kDeepTerms digits, where it has not won and costs ~0.5 s.
        Variant v = vs[1];
        v.transposed = true;
        v.score = Score::bits;
        v.beta = v.gamma = 0;
        v.la_tol = 0;
        v.msd_sweeps = 1;
        v.alap_sums = true;
        vs.push_back(v);
        // Once more with W^T's inputs as wide as W's outputs and a wider lookahead within 20%
        // (-1.1% on the public set's 64x32 6-bit problem), and where runs are cheap also among
        // exact ties (-0.3% on the 48x24 Gaussian one, -0.2% on 32x32 4-bit).
        v.out_widths = true;
        v.lookahead = 16;
        v.la_tol = 20;
        vs.push_back(v);
        v.la_tol = 0;
        if (terms <= kCheapRunTerms) vs.push_back(v);
    }
    if (opt.objective == Objective::adders) {
        // The first two pipelines also on W^T, their graphs reversed (run_transposed): pair CSE
        // over outputs finds other sharing (-0.6% adders on the public set; no gain in cost).
        for (int i = 0; i < 2; ++i) {
            Variant v = vs[std::size_t(i)];
            v.transposed = true;
            vs.push_back(v);
        }
        // Two-sided extraction (hybrid.cpp), output side first, lookahead among 32 tied
        // patterns, from several starting counts: -0.9% adders on the public set. On large
        // problems the first two beat every one-sided pipeline, which are left out there.
        std::vector<Variant> two_sided;
        for (int k : {8, 12, 16, 5, 6, 4}) {
            Variant v = vs[std::size_t(1)];
            v.transposed = true;
            v.split_count = k;
            v.lookahead = 32;
            two_sided.push_back(v);
        }
        // Sized by signed digits (a hybrid run costs ~T^2.3): above kOneSidedTerms the one-sided
        // pipelines never won and are left out; up to kTwoSidedTerms three more two-sided runs
        // that order or rate choices differently (out_first, FormWeight) — the best run varies
        // by problem, so more kinds of runs beat more runs of one kind (extra start counts:
        // no gain); above it one more (square form weights) up to kLargeTerms.
        if (terms > kOneSidedTerms) vs.clear();
        if (terms > kTwoSidedTerms) two_sided.resize(2);
        std::vector<Variant> more;
        if (terms <= kTwoSidedTerms) {
            Variant v = two_sided[1];
            v.form_weight = FormWeight::threshold;
            more.push_back(v);
            v.form_weight = FormWeight::square;
            more.push_back(v);
            v = two_sided[0];
            v.out_first = true;
            more.push_back(v);
        } else if (terms <= kLargeTerms) {
            Variant v = two_sided[1];
            v.form_weight = FormWeight::square;
            more.push_back(v);
        }
        two_sided.insert(two_sided.end(), more.begin(), more.end());
        vs.insert(vs.begin(), two_sided.begin(), two_sided.end());
    }
    return vs;
}

constexpr double kDefaultEffort = 0.0525;

// Adder-count objective: destroy-and-repair moves per output and chain (local_search.hpp), by
// signed digits (up to kTwoSidedTerms, up to kLargeTerms, above).
constexpr int kMovesSmall = 24, kMovesMid = 18, kMovesLarge = 9;


// Restart k of a run: every choice comes from (seed, k) alone, never from the clock.
Variant random_variant(const Options& opt, std::uint64_t seed, std::uint64_t k, int md) {
    std::uint64_t x = seed * 0x9e3779b97f4a7c15ULL + k * 0xc2b2ae3d27d4eb4fULL + 12345;
    auto next = [&]() {
        x += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    };
    Variant v;
    if (opt.objective == Objective::adders) {
        static const Score sc[] = {Score::count, Score::count, Score::bits, Score::overlap_less1};
        v.score = sc[next() % 4];
    } else {
        v.score = next() % 4 ? Score::overlap : Score::overlap_less1;
        v.beta = int(next() % 3);
        v.gamma = int(next() % 9);
    }
    v.reduce = Reduce::width_first;
    static const int levels[] = {-1, -1, -1, 0, 1, 2, 3};
    v.decompose_level = levels[next() % 7];
    v.edge_penalty = int(next() % 2);
    v.seed = next() | 1;
    v.max_depth = md;
    structure(v, opt.objective);
    if (opt.objective == Objective::adders && next() % 2) {
        // Half the restarts two-sided (hybrid.cpp), output side first, from a random count.
        v.transposed = true;
        v.split_count = 4 + int(next() % 13);
        v.lookahead = 32;
        v.decompose_level = -1;
        // ... with either side first and any form weight (kinds of runs, not just seeds).
        v.out_first = next() % 2;
        v.form_weight = FormWeight(next() % 3);
    }
    return v;
}

// Deterministic stand-in for "seconds of work": restarts are counted, not timed. One restart
// of a problem with T signed-digit terms is modelled as 7e-5 s * T * sqrt(T / 12000) on one
// core (re-fitted after re-coding and lookahead: ~0.85 s per run at the 64x64 8-bit problem's
// 12k terms, ~0.09 s at 32x32 8-bit's 2.8k), at least 0.5 ms.
int restarts_for_budget(const IntProblem& p, double budget, int threads) {
    if (budget <= 0) return 0;
    std::int64_t terms = 0;
    for (std::int64_t w : p.w) terms += csd_weight(w);
    double per_run = std::max(5e-4, 7e-5 * double(terms) * std::sqrt(double(terms) / 12000.0));
    double n = budget * threads / per_run;
    return int(std::min(n, 4096.0));
}

int min_depth(const IntProblem& p) {
    int d = 0;
    for (int c = 0; c < p.m; ++c) {
        int s = 0;
        for (int r = 0; r < p.n; ++r) s += csd_weight(p.at(r, c));
        int k = 0;
        while ((1 << k) < s) ++k;
        d = std::max(d, k);
    }
    return d;
}

}  // namespace

std::string_view to_string(Objective o) { return o == Objective::cost ? "cost" : "adders"; }
std::string_view to_string(Algorithm a) {
    switch (a) {
        case Algorithm::naive: return "naive";
        case Algorithm::baseline: return "baseline";
        case Algorithm::improved: return "improved";
    }
    return "?";
}
Objective parse_objective(std::string_view name) {
    if (name == "cost") return Objective::cost;
    if (name == "adders") return Objective::adders;
    fail("cmvm", "unknown objective '{}' (use cost or adders)", name);
}
Algorithm parse_algorithm(std::string_view name) {
    if (name == "naive") return Algorithm::naive;
    if (name == "baseline") return Algorithm::baseline;
    if (name == "improved") return Algorithm::improved;
    fail("cmvm", "unknown algorithm '{}' (use naive, baseline or improved)", name);
}

Solution solve(const Problem& p, const Options& opt) {
    auto t0 = Clock::now();
    if (opt.threads < 1) fail("cmvm", "threads must be at least 1 (got {})", opt.threads);
    if (opt.time_budget < 0) fail("cmvm", "time budget must be >= 0 seconds (got {})", opt.time_budget);
    IntProblem ip = to_integer(p);
    if (opt.max_depth) {
        int need = min_depth(ip);
        if (*opt.max_depth < need)
            fail("cmvm", "problem '{}': max depth {} is impossible — some output has more signed "
                         "digits than 2^{} terms; use --max-depth {} or more",
                 p.name, *opt.max_depth, *opt.max_depth, need);
    }
    Solution best;
    bool have = false;
    if (opt.algorithm == Algorithm::naive) {
        best = run_naive(ip);
        have = true;
        if (opt.max_depth) FIXVAR_ASSERT(true);
    } else {
        int md = opt.max_depth ? *opt.max_depth : -1;
        if (!opt.max_depth && opt.algorithm == Algorithm::improved) {
            // Default depth bound: one level above the provable minimum (costs ~0.3% bits and
            // keeps depth at or below the published optimizers').
            md = min_depth(ip) + 1;
        }
        std::int64_t terms = 0;
        for (std::int64_t w : ip.w) terms += csd_weight(w);
        std::vector<Variant> vs = fixed_variants(opt, md, std::int64_t(p.n) * p.m, terms);
        // Extra randomized restarts: a fixed number derived from the budget and the problem
        // size (restarts_for_budget), so the answer depends on seed, threads and budget only.
        // Even at the default effort (budget 0), small problems get a few cheap restarts
        // (kDefaultEffort seconds of modelled work: none for the large ones); a budget adds to
        // that. Restart k depends on (seed, k) only, so a larger budget runs a superset.
        // The default share is counted as on two threads whatever opt.threads is, so the default
        // answer does not depend on the thread count; a budget scales with the threads.
        // Per-problem depth (kDeepGain, with a time budget only): under the default bound and the
        // cost objective, the runs
        // of the default effort (on large problems the first kDeepLarge fixed pipelines) are
        // repeated one level deeper; a deeper result is kept only where it saves at least
        // kDeepGain / 10000 of the cost, so depth is spent where it buys much. A time budget's
        // restarts then run at the chosen bound (so a budget never makes the answer worse).
        // The adder count gains < 0.1% from a deeper bound: not done for that objective.
        // At default effort only where cheap_deep holds (kDeepCheapTerms, sparse matrices): on
        // the public set that keeps the whole -0.30% cost of running it everywhere for +15% time
        // instead of +40%.
        std::int64_t zeros = 0;
        for (std::int64_t w : ip.w) zeros += w == 0;
        const bool cheap_deep = terms <= kDeepCheapTerms || (4 * zeros >= std::int64_t(ip.w.size()) && terms <= kDeepTerms);
        const bool deep_mode = !opt.max_depth && opt.algorithm == Algorithm::improved &&
                               opt.objective == Objective::cost && (opt.time_budget > 0 || cheap_deep);
        int extra_default = opt.algorithm == Algorithm::improved ? restarts_for_budget(ip, 2 * kDefaultEffort, 1) : 0;
        int extra_budget =
            opt.algorithm == Algorithm::improved ? restarts_for_budget(ip, opt.time_budget, opt.threads) : 0;
        int first = deep_mode ? extra_default : extra_default + extra_budget;
        for (int k = 0; k < first; ++k) vs.push_back(random_variant(opt, opt.seed, std::uint64_t(k), md));
        if (!deep_mode && opt.algorithm == Algorithm::improved && opt.objective == Objective::cost &&
            std::int64_t(p.n) * p.m > 1024 && terms <= kDeepTerms) {
            // Large dense problems without the deeper runs: W^T's bit-scored pipeline once more
            // with a wider lookahead (-0.5% on 64x64 4-bit, where W^T's pipeline wins).
            for (const Variant& t : std::vector<Variant>(vs)) {
                if (!t.transposed) continue;
                Variant v = t;
                v.lookahead = 16;
                vs.push_back(v);
                break;
            }
        }
        // The first pipeline once more with a wider lookahead (16 patterns): where runs are
        // cheap (-0.9% on 32x32 8-bit, -0.1% on 32x32 Gaussian), and with the deeper runs at the
        // deeper bound only (-0.2% on 128x64 HGQ; at the default bound it has not won there).
        const bool wide = opt.algorithm == Algorithm::improved && opt.objective == Objective::cost &&
                          terms <= (deep_mode ? kDeepTerms : kCheapRunTerms);
        Variant wide_v = vs[0];
        wide_v.lookahead = 16;
        if (wide && !deep_mode) vs.push_back(wide_v);
        std::size_t shallow = vs.size();
        if (deep_mode) {
            std::size_t ndeep = std::int64_t(p.n) * p.m <= 1024 ? shallow : terms <= kDeepTerms ? kDeepLarge : 0;
            for (std::size_t i = 0; i < ndeep && i < shallow; ++i) {
                Variant v = vs[i];
                v.max_depth = md + 1;
                vs.push_back(v);
            }
            if (wide) {
                wide_v.max_depth = md + 1;
                vs.push_back(wide_v);
            }
        }
        auto run_all = [&](const std::vector<Variant>& set) {
            std::vector<std::optional<Solution>> results(set.size());
            parallel_for(set.size(), opt.threads, [&](std::size_t i, int) {
                results[i] = set[i].transposed ? run_transposed(ip, set[i]) : run_variant(ip, set[i]);
                // Single-use sums re-associated MSB-first where cheaper (cost -0.15%; -1% cost
                // at the adders objective). The baseline stays the published method.
                if (results[i] && opt.algorithm == Algorithm::improved)
                    results[i] = reassociate(ip, *results[i]);
            });
            return results;
        };
        auto pick = [&](std::vector<std::optional<Solution>>& results, std::size_t from, std::size_t to,
                        Solution& out, bool got) {
            for (std::size_t i = from; i < to; ++i) {
                if (!results[i]) continue;
                if (!got || quality(*results[i], opt.objective) < quality(out, opt.objective)) {
                    out = std::move(*results[i]);
                    got = true;
                }
            }
            return got;
        };
        std::vector<std::optional<Solution>> results = run_all(vs);
        have = pick(results, 0, shallow, best, false);
        Solution deep;
        int chosen = md;
        if (pick(results, shallow, vs.size(), deep, false) &&
            (!have || deep.cost * 10000 <= best.cost * (10000 - kDeepGain))) {
            best = std::move(deep);
            have = true;
            chosen = md + 1;
        }
        if (deep_mode && extra_budget > 0) {
            std::vector<Variant> more;
            for (int k = 0; k < extra_budget; ++k)
                more.push_back(random_variant(opt, opt.seed, std::uint64_t(extra_default + k), chosen));
            std::vector<std::optional<Solution>> r2 = run_all(more);
            have = pick(r2, 0, more.size(), best, have);
        }
        if (!have) {
            // Every variant missed the depth bound: the naive tree meets any feasible bound.
            best = run_naive(ip);
        }
        if (opt.objective == Objective::adders && opt.algorithm == Algorithm::improved) {
            // Destroy-and-repair on the best graph (local_search.hpp), then MSB-first sums again.
            LocalSearchOptions lo;
            // Moves per output by size: a move on the largest problems re-solves wider sums, is
            // slower and pays less often.
            const int per_output = terms <= kTwoSidedTerms ? kMovesSmall : terms <= kLargeTerms ? kMovesMid : kMovesLarge;
            lo.moves = per_output * p.m;
            lo.threads = opt.threads;
            lo.max_depth = md;
            lo.seed = opt.seed;
            best = reassociate(ip, local_search(ip, best, lo));
        }
    }
    best.name = p.name;
    std::int64_t builder_cost = best.cost;
    bool ok = verify(best, p);
    FIXVAR_ASSERT(ok);
    FIXVAR_ASSERT(best.cost == builder_cost);
    if (opt.max_depth) FIXVAR_ASSERT(best.depth <= *opt.max_depth);
    best.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return best;
}

Solution SolveCache::solve(const Problem& p, const Options& opt) {
    std::string key = fmt::format("{}|{}|{}|{}|{}|{}|", to_string(opt.objective), to_string(opt.algorithm),
                                  opt.threads, opt.seed, opt.time_budget, opt.max_depth ? *opt.max_depth : -1);
    Problem q = p;
    q.name = "";
    q.ranges.clear();
    key += format_problem(q);
    for (const ExactRange& r : p.input_ranges()) key += to_string(r) + ";";
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = cache_.find(key);
        if (it != cache_.end()) {
            ++hits_;
            Solution s = it->second;
            s.name = p.name;
            s.seconds = 0;
            return s;
        }
    }
    Solution s = cmvm::solve(p, opt);
    std::lock_guard<std::mutex> lock(mutex_);
    cache_.emplace(key, s);
    return s;
}

}  // namespace fixvar::cmvm
