// The strategy table (strategies.hpp). Each entry's comment says why it is in the portfolio
// now; the measurements that put it there are in docs/cmvm.md.
#include <algorithm>
#include <bit>
#include <array>
#include <cmath>
#include <span>

#include <fixvar/core/error.hpp>

#include "core/mix.hpp"
#include <fixvar/core/csd.hpp>
#include "strategies.hpp"

namespace fixvar::cmvm {
namespace {

// Problem sizes in signed digits (CSD weight of W), the measure a run's time follows.
// The deeper stage at default effort: only where runs are cheap or have paid (sparse matrices).
constexpr std::int64_t kDeeperCheapDigits = 2200;
// Above this the deeper stage and the W^T pipelines of the cost objective are not run (a run
// costs ~1 s there and they have not won).
constexpr std::int64_t kDeepDigits = 10000;
// Up to this a run takes ~0.1 s: extra pipelines for diversity are run only here.
constexpr std::int64_t kCheapRunDigits = 3000;
// Adder-count objective: one-sided pipelines only up to kOneSidedDigits (above, the two-sided
// ones always won); all two-sided kinds up to kTwoSidedDigits, one extra up to kLargeDigits.
constexpr std::int64_t kOneSidedDigits = 800;
constexpr std::int64_t kTwoSidedDigits = 3000;
constexpr std::int64_t kLargeDigits = 6000;
// Cost objective past this many digits (about a 100 x 100 8-bit layer): the one-sided runs
// take seconds to minutes each, and the third score (overlap - 1) won none of 9 generated
// problems from 96 x 96 to 256 x 256 (uniform, Gaussian, sparse; within 0.1-0.3% of the
// best): two runs, one round on two threads.
constexpr std::int64_t kHugeDigits = 20000;
// Large problems (n·m above this) repeat only the first kDeeperLarge runs one level deeper.
constexpr std::int64_t kLargeSize = 1024;
constexpr std::size_t kDeeperLarge = 2;
// Randomized restarts of the default effort: this many seconds of modelled work (on two
// threads, whatever Options::threads is, so the default answer does not depend on it).
constexpr double kDefaultEffort = 0.0525;
// A W^T run pairs every two digits of each input's row. Past this many pairs (~0.6 GB by the
// memory model) the rows are long — a layer with very many outputs — and one such run costs
// gigabytes and minutes while the W runs pair short columns; the W^T runs are then dropped
// (kept only where nothing else is left). Every public problem is far below.
constexpr double kMaxRowPairs = 1e7;
// Weights of at most ~5 bits: their signed digits span at most this many positions.
constexpr int kNarrowSpan = 5;
// Adder-count objective: local-search moves per output and chain, by size.
constexpr int kMovesSmall = 24, kMovesMid = 18, kMovesLarge = 9;

bool improved(const ProblemTraits& t) { return t.algorithm == Algorithm::Improved; }
bool cost(const ProblemTraits& t) { return improved(t) && t.objective == Objective::Cost; }
bool adders(const ProblemTraits& t) { return improved(t) && t.objective == Objective::Adders; }

// Structural options of every improved run: re-coded residuals, final sums pairing the terms
// with the narrowest sums, lookahead among the best patterns (within 20% of the best score for
// cost, exact ties for the adder count); for the adder count also minimal-signed-digit forms
// chosen up front.
void structure(Variant& v, Objective o) {
    v.recode = true;
    v.pair_window = 16;
    v.lookahead = 8;
    v.la_tol = o == Objective::Cost ? 20 : 0;
    v.common = true;
    if (o == Objective::Adders) v.msd_sweeps = 1;
}

// The k-th one-sided pipeline (k = 0, 1, 2: three scores per objective), on W itself (level
// -1) or after a level-2 column decomposition (deeper decompositions cost one adder level each
// and rarely pay under the default bound).
Variant one_sided(const ProblemTraits& t, int k, int level) {
    struct S {
        Score score;
        int beta, gamma;
    };
    static constexpr S for_cost[] = {{Score::Overlap, 1, 4}, {Score::Overlap, 0, 0}, {Score::OverlapLess1, 0, 0}};
    static constexpr S for_adders[] = {{Score::Count, 0, 0}, {Score::Bits, 0, 0}, {Score::OverlapLess1, 0, 0}};
    const S s = (t.objective == Objective::Adders ? for_adders : for_cost)[k];
    Variant v;
    v.score = s.score;
    v.beta = s.beta;
    v.gamma = s.gamma;
    v.reduce = Reduce::WidthFirst;
    v.decompose_level = level;
    v.edge_penalty = level >= 0 ? 1 : 0;
    v.max_depth = t.bound;
    structure(v, t.objective);
    return v;
}

// Cost objective: the bit-scored pipeline on W^T, graph reversed, with minimal-signed-digit
// forms and exact-tie lookahead (W^T's pair CSE shares across outputs what W's misses).
Variant transposed_bits(const ProblemTraits& t) {
    Variant v = one_sided(t, 1, -1);
    v.transposed = true;
    v.score = Score::Bits;
    v.beta = v.gamma = 0;
    v.la_tol = 0;
    v.msd_sweeps = 1;
    v.alap_sums = true;
    return v;
}
// ... with W^T's inputs as wide as W's outputs (the reversed sums end in them) and lookahead 16.
Variant transposed_wide_outputs(const ProblemTraits& t, int la_tol) {
    Variant v = transposed_bits(t);
    v.out_widths = true;
    v.lookahead = 16;
    v.la_tol = la_tol;
    return v;
}

// Two-sided extraction from start count k, output side first, lookahead among 32 tied
// patterns; the adder count's run whichever the objective (bit score, minimal-signed-digit
// forms, exact-tie lookahead): it serves the cost objective on few-bit layers, whose adders are
// all about as wide, so the fewest adders are the cheapest.
Variant two_sided(const ProblemTraits& t, int k) {
    ProblemTraits as_adders = t;
    as_adders.objective = Objective::Adders;
    Variant v = one_sided(as_adders, 1, -1);
    v.transposed = true;
    v.split_count = k;
    v.lookahead = 32;
    return v;
}

// ... from count 12, its minimal-signed-digit forms rated by `w` rather than linearly.
Variant two_sided_rated(const ProblemTraits& t, FormWeight w) {
    Variant v = two_sided(t, 12);
    v.form_weight = w;
    return v;
}

// Restart k: every choice comes from (seed, k) alone, never from the clock, so a larger budget
// runs a superset of a smaller one's restarts.
Variant restart(const ProblemTraits& t, std::uint64_t k, int bound) {
    SplitMix64 rng{t.seed * 0x9e3779b97f4a7c15ULL + k * 0xc2b2ae3d27d4eb4fULL + 12345};
    Variant v;
    if (t.objective == Objective::Adders) {
        static constexpr Score sc[] = {Score::Count, Score::Count, Score::Bits, Score::OverlapLess1};
        v.score = sc[rng.next() % 4];
    } else {
        v.score = rng.next() % 4 ? Score::Overlap : Score::OverlapLess1;
        v.beta = int(rng.next() % 3);
        v.gamma = int(rng.next() % 9);
    }
    v.reduce = Reduce::WidthFirst;
    static constexpr int levels[] = {-1, -1, -1, 0, 1, 2, 3};
    v.decompose_level = levels[rng.next() % 7];
    v.edge_penalty = int(rng.next() % 2);
    v.seed = rng.next() | 1;
    v.max_depth = bound;
    structure(v, t.objective);
    if (t.objective == Objective::Adders && rng.next() % 2) {
        // Half the adder-count restarts two-sided, from a random count, either side first, any
        // form weight (kinds of runs, not just seeds).
        v.transposed = true;
        v.split_count = 4 + int(rng.next() % 13);
        v.lookahead = 32;
        v.decompose_level = -1;
        v.out_first = rng.next() % 2;
        v.form_weight = FormWeight(rng.next() % 3);
    }
    return v;
}

// Deterministic stand-in for "seconds of work": restarts are counted, not timed. One restart
// with T signed digits is modelled as 7e-5 s · T · sqrt(T / 12000) on one core, at least 0.5 ms.
int restarts_for_budget(std::int64_t digits, double budget, int threads) {
    if (budget <= 0) return 0;
    double per_run = std::max(5e-4, 7e-5 * double(digits) * std::sqrt(double(digits) / 12000.0));
    return int(std::min(budget * threads / per_run, 4096.0));
}

// Cost objective: on layers of few-bit weights (signed digits spanning at most kNarrowSpan
// positions) the input-side runs, and past kDeepDigits also the W^T runs being off, miss the
// output-side sharing that two-sided extraction finds.
bool two_sided_for_cost(const ProblemTraits& t) { return cost(t) && t.digit_span <= kNarrowSpan; }

// Start counts of the plain two-sided runs: six up to kTwoSidedDigits. Past it the adder count
// keeps the first two (its local search does more there than further starts); the cost
// objective, on few-bit layers, the low ones: there 4, 5 or 6 gave the cheapest graph on 8 of
// 9 generated layers of 4,000-25,000 digits (8 on the ninth; 12 and 16 never), 0.1-0.7% below
// 8 and 12.
std::span<const int> two_sided_counts(const ProblemTraits& t) {
    static constexpr int all[] = {8, 12, 16, 5, 6, 4}, low[] = {8, 5, 6, 4};
    if (t.digits <= kTwoSidedDigits) return all;
    return cost(t) ? std::span<const int>(low) : std::span<const int>(all, 2);
}

bool wide_lookahead(const ProblemTraits& t) {
    return cost(t) && t.digits <= (t.deeper ? kDeepDigits : kCheapRunDigits);
}

void drop_long_row_runs(const ProblemTraits& t, std::vector<Variant>& runs) {
    if (t.row_pairs <= kMaxRowPairs) return;
    auto transposed = [](const Variant& v) { return v.transposed; };
    if (std::all_of(runs.begin(), runs.end(), transposed)) return;
    runs.erase(std::remove_if(runs.begin(), runs.end(), transposed), runs.end());
}

void add_restarts(const ProblemTraits& t, std::vector<Variant>& runs, int from, int count, int bound) {
    for (int k = from; k < from + count; ++k) runs.push_back(restart(t, std::uint64_t(k), bound));
}

constexpr auto no_runs = [](const ProblemTraits&, Portfolio&) {};

const std::array kTable = {
    Strategy{"baseline",
             "the published two-stage method: overlap-weighted (adders: plain) pair counts, MST "
             "column decomposition at tree levels unlimited/2/4 and none, depth-first sums",
             "--algorithm baseline", Stage::AtBound,
             [](const ProblemTraits& t) { return t.algorithm == Algorithm::Baseline; },
             [](const ProblemTraits& t, Portfolio& f) {
                 for (int level : {-1, 0, 2, 4}) {
                     Variant v;
                     v.score = t.objective == Objective::Adders ? Score::Count : Score::Overlap;
                     v.gamma = 0;
                     v.reduce = Reduce::DepthFirst;
                     v.decompose_level = level;
                     v.max_depth = t.bound;
                     f.at_bound.push_back(v);
                 }
             }},
    Strategy{"two-sided",
             "input- and output-side pair CSE alternating on one residual, from start counts 8, 12, "
             "16, 5, 6, 4 (past 3000 digits adders: 8, 12; cost: 8, 5, 6, 4; bit score, minimal "
             "signed digits, exact-tie lookahead)",
             "objective adders; objective cost on weights spanning <= 5 signed-digit positions", Stage::AtBound,
             [](const ProblemTraits& t) { return adders(t) || two_sided_for_cost(t); },
             [](const ProblemTraits& t, Portfolio& f) {
                 for (int k : two_sided_counts(t)) f.at_bound.push_back(two_sided(t, k));
             }},
    Strategy{
        "two-sided-threshold", "two-sided from count 12, forms rated only by the patterns the run extracts",
        "objective adders, <= 3000 digits", Stage::AtBound,
        [](const ProblemTraits& t) { return adders(t) && t.digits <= kTwoSidedDigits; },
        [](const ProblemTraits& t, Portfolio& f) { f.at_bound.push_back(two_sided_rated(t, FormWeight::Threshold)); }},
    Strategy{"two-sided-output-first", "two-sided from count 8, each round starting on the output side",
             "objective adders, <= 3000 digits", Stage::AtBound,
             [](const ProblemTraits& t) { return adders(t) && t.digits <= kTwoSidedDigits; },
             [](const ProblemTraits& t, Portfolio& f) {
                 Variant v = two_sided(t, 8);
                 v.out_first = true;
                 f.at_bound.push_back(v);
             }},
    Strategy{"one-sided",
             "input-side pair CSE with three pattern scores (cost: overlap 1/4, overlap, overlap-1; "
             "adders: count, bits, overlap-1)",
             "objective cost (first two scores past 20000 digits); objective adders <= 800 digits, and at the "
             "minimal depth bound the first score past it (the two-sided runs rarely meet that bound)",
             Stage::AtBound,
             [](const ProblemTraits& t) {
                 return cost(t) || (adders(t) && (t.digits <= kOneSidedDigits || t.minimal_bound));
             },
             [](const ProblemTraits& t, Portfolio& f) {
                 const int scores = cost(t) && t.digits > kHugeDigits         ? 2
                                    : adders(t) && t.digits > kOneSidedDigits ? 1
                                                                              : 3;
                 for (int k = 0; k < scores; ++k) f.at_bound.push_back(one_sided(t, k, -1));
             }},
    Strategy{"decomposed",
             "the one-sided scores after a level-2 MST column decomposition (columns as sums of "
             "other columns)",
             "n·m <= 1024 (objective adders: first score also above, <= 800 digits)", Stage::AtBound,
             [](const ProblemTraits& t) {
                 return cost(t) ? t.size <= kLargeSize : adders(t) && t.digits <= kOneSidedDigits;
             },
             [](const ProblemTraits& t, Portfolio& f) {
                 for (int k = 0; k < (t.size <= kLargeSize ? 3 : 1); ++k) f.at_bound.push_back(one_sided(t, k, 2));
             }},
    Strategy{"transposed-bits",
             "bit-scored pair CSE on W^T, graph reversed (transposition principle), with "
             "width-aware reversed sums",
             "objective cost, <= 10000 digits", Stage::AtBound,
             [](const ProblemTraits& t) { return cost(t) && t.digits <= kDeepDigits; },
             [](const ProblemTraits& t, Portfolio& f) { f.at_bound.push_back(transposed_bits(t)); }},
    Strategy{"transposed-wide-outputs",
             "transposed-bits scoring W^T's inputs as wide as W's outputs, lookahead 16 "
             "within 20% (and among exact ties up to 3000 digits)",
             "objective cost, <= 10000 digits", Stage::AtBound,
             [](const ProblemTraits& t) { return cost(t) && t.digits <= kDeepDigits; },
             [](const ProblemTraits& t, Portfolio& f) {
                 f.at_bound.push_back(transposed_wide_outputs(t, 20));
                 if (t.digits <= kCheapRunDigits) f.at_bound.push_back(transposed_wide_outputs(t, 0));
             }},
    Strategy{"transposed-one-sided", "the first two one-sided pipelines on W^T, graphs reversed",
             "objective adders, <= 800 digits", Stage::AtBound,
             [](const ProblemTraits& t) { return adders(t) && t.digits <= kOneSidedDigits; },
             [](const ProblemTraits& t, Portfolio& f) {
                 for (int k = 0; k < 2; ++k) {
                     Variant v = one_sided(t, k, -1);
                     v.transposed = true;
                     f.at_bound.push_back(v);
                 }
             }},
    Strategy{"restarts",
             "seeded randomized pipelines (scores, decomposition level, seeded ties; adders: half "
             "two-sided), counted by a work model, never timed",
             "--algorithm improved: ~0.1 s of modelled work (none on large problems) plus --time-budget",
             Stage::AtBound, improved,
             [](const ProblemTraits& t, Portfolio& f) {
                 add_restarts(t, f.at_bound, 0, t.default_restarts + (t.deeper ? 0 : t.budget_restarts), t.bound);
             }},
    Strategy{
        "transposed-wide-lookahead", "transposed-bits with lookahead 16",
        "objective cost, n·m > 1024, "
        "<= 10000 digits, no deeper stage",
        Stage::AtBound,
        [](const ProblemTraits& t) { return cost(t) && !t.deeper && t.size > kLargeSize && t.digits <= kDeepDigits; },
        [](const ProblemTraits& t, Portfolio& f) {
            Variant v = transposed_bits(t);
            v.lookahead = 16;
            f.at_bound.push_back(v);
        }},
    Strategy{"wide-lookahead", "the first one-sided pipeline with lookahead 16",
             "objective cost, <= 3000 digits, "
             "no deeper stage",
             Stage::AtBound, [](const ProblemTraits& t) { return wide_lookahead(t) && !t.deeper; },
             [](const ProblemTraits& t, Portfolio& f) {
                 Variant v = one_sided(t, 0, -1);
                 v.lookahead = 16;
                 f.at_bound.push_back(v);
             }},
    // For cost it also won on layers of 4-6-bit weights (0.4-2%). Placed after the runs the
    // deeper stage repeats on large problems (the first two), so it does not change those.
    Strategy{
        "two-sided-square", "two-sided from count 12, forms rated by squared pattern counts",
        "<= 6000 digits, both objectives", Stage::AtBound,
        [](const ProblemTraits& t) { return improved(t) && t.digits <= kLargeDigits; },
        [](const ProblemTraits& t, Portfolio& f) { f.at_bound.push_back(two_sided_rated(t, FormWeight::Square)); }},
    Strategy{"deeper",
             "the at-bound runs (large problems: the first two) one level deeper, kept when >= 0.75% "
             "cheaper",
             "objective cost, default bound, and a time budget or <= 2200 digits or sparse (<= 10000 digits)",
             Stage::Deeper, [](const ProblemTraits& t) { return t.deeper; },
             [](const ProblemTraits& t, Portfolio& f) {
                 const std::size_t n = t.size <= kLargeSize      ? f.at_bound.size()
                                       : t.digits <= kDeepDigits ? kDeeperLarge
                                                                 : 0;
                 for (std::size_t i = 0; i < n && i < f.at_bound.size(); ++i) {
                     Variant v = f.at_bound[i];
                     v.max_depth = t.bound + 1;
                     f.deeper.push_back(v);
                 }
             }},
    Strategy{"deeper-wide-lookahead", "the first one-sided pipeline with lookahead 16, one level deeper",
             "the deeper stage, <= 10000 digits", Stage::Deeper,
             [](const ProblemTraits& t) { return wide_lookahead(t) && t.deeper; },
             [](const ProblemTraits& t, Portfolio& f) {
                 Variant v = one_sided(t, 0, -1);
                 v.lookahead = 16;
                 v.max_depth = t.bound + 1;
                 f.deeper.push_back(v);
             }},
    Strategy{"budget-restarts", "the time budget's restarts at the depth the deeper stage chose",
             "the deeper stage and --time-budget > 0", Stage::Budget,
             [](const ProblemTraits& t) { return t.deeper && t.budget_restarts > 0; }, no_runs},
    Strategy{"reassociate", "every run's single-use sums summed again, cheapest pairing rule, never deeper",
             "--algorithm improved", Stage::Polish, improved, no_runs},
    Strategy{"blocked",
             "W in row blocks (inputs) balanced by digits, column blocks only when single rows are too "
             "large; each block solved alone, each output sums its blocks' results pairwise",
             "one run of W over the memory budget or past 3e8 digit pairs (512 x 512 8-bit: 9.8e8), unless "
             "--no-split",
             Stage::Split,
             [](const ProblemTraits& t) { return t.algorithm != Algorithm::Naive && t.column_pairs > kMaxRunPairs; },
             no_runs},
    Strategy{"local-search",
             "destroy-and-repair on the best graph: output subsets lose their own adders and are "
             "re-solved two-sided",
             "objective adders", Stage::Polish, adders, no_runs},
};

}  // namespace

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

ProblemTraits problem_traits(const IntProblem& p, const Options& opt) {
    ProblemTraits t;
    t.objective = opt.objective;
    t.algorithm = opt.algorithm;
    t.seed = opt.seed;
    t.user_bound = opt.max_depth.has_value();
    // Default bound (improved): one level above the provable minimum.
    const int least = min_depth(p);
    t.bound = opt.max_depth ? *opt.max_depth : improved(t) ? least + 1 : -1;
    t.minimal_bound = t.bound >= 0 && t.bound <= least;
    t.size = std::int64_t(p.n) * p.m;
    std::int64_t zeros = 0;
    std::vector<double> column(std::size_t(p.m), 0.0);
    int lowest = 64, highest = 0;
    for (int r = 0; r < p.n; ++r) {
        double row = 0;
        for (int c = 0; c < p.m; ++c) {
            const std::int64_t w = p.at(r, c);
            const int d = csd_weight(w);
            t.digits += d;
            if (w) {  // signed digits sit between the lowest set bit and one above the highest
                const auto u = std::uint64_t(w < 0 ? -w : w);
                lowest = std::min(lowest, std::countr_zero(u));
                highest = std::max(highest, int(std::bit_width(u)));
            }
            zeros += d == 0;
            row += d;
            column[std::size_t(c)] += d;
        }
        t.row_pairs += row * row;
    }
    for (double d : column) t.column_pairs += d * d;
    t.digit_span = std::max(0, highest - lowest);
    t.sparse = 4 * zeros >= std::int64_t(p.w.size());
    // The deeper stage at default effort only where it is cheap or has paid (sparse matrices,
    // as in pruned and heterogeneously quantized layers); with a time budget always.
    const bool cheap_deeper = t.digits <= kDeeperCheapDigits || (t.sparse && t.digits <= kDeepDigits);
    t.deeper = !t.user_bound && cost(t) && (opt.time_budget > 0 || cheap_deeper);
    if (improved(t)) {
        t.default_restarts = restarts_for_budget(t.digits, 2 * kDefaultEffort, 1);
        t.budget_restarts = restarts_for_budget(t.digits, opt.time_budget, opt.threads);
    }
    return t;
}

std::span<const Strategy> strategy_table() { return kTable; }

Portfolio choose_strategies(const ProblemTraits& t) {
    Portfolio f;
    for (const Strategy& s : kTable)
        if (s.enabled(t)) s.add(t, f);
    for (std::vector<Variant>* runs : {&f.at_bound, &f.deeper, &f.budget}) drop_long_row_runs(t, *runs);
    return f;
}

std::vector<Variant> budget_runs(ProblemTraits t, int bound) {
    std::vector<Variant> runs;
    if (enabled("budget-restarts", t)) add_restarts(t, runs, t.default_restarts, t.budget_restarts, bound);
    drop_long_row_runs(t, runs);
    return runs;
}

bool enabled(std::string_view name, const ProblemTraits& t) {
    for (const Strategy& s : kTable)
        if (s.name == name) return s.enabled(t);
    FIXVAR_ASSERT(false);
    return false;
}

int local_search_moves_per_output(const ProblemTraits& t) {
    // A move on the largest problems re-solves wider sums, is slower and pays less often.
    return t.digits <= kTwoSidedDigits ? kMovesSmall : t.digits <= kLargeDigits ? kMovesMid : kMovesLarge;
}

std::vector<StrategyInfo> list_strategies() {
    static constexpr std::string_view stages[] = {"at bound", "deeper", "budget", "polish", "split"};
    std::vector<StrategyInfo> out;
    for (const Strategy& s : kTable) out.push_back({s.name, stages[int(s.stage)], s.when, s.description});
    return out;
}

}  // namespace fixvar::cmvm
