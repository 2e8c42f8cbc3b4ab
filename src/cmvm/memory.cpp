// The CMVM memory model and budget (cmvm/memory.hpp). A run's peak is counted from what it
// allocates, not fitted to peak RSS as a whole: the pair map's slots (16 bytes each, the
// capacity pair_map_sizing gives the run itself: a power of two, so a smooth fit was off by up
// to 2x on either side of a step), its queue entries (about one 24-byte entry per live
// pattern at the peak, plus the deque and refill buffers), and the adder graph with its nodes'
// forms and the final sums' trial nodes (per signed digit). Checked against peak RSS (two
// threads) on the public problems, the generated dense and skewed ones and fresh shapes
// (bench/cmvm_memory/run.sh; docs/errors.md).
#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <fixvar/core/csd.hpp>
#include <fixvar/core/error.hpp>

#include "memory_model.hpp"
#include "pair_map.hpp"

namespace fixvar::cmvm {
namespace {

constexpr double kBytesPerSlot = 16;         // PairMap's slot: key and PairInfo
constexpr double kBytesPerLivePattern = 36;  // a 24-byte queue entry, deque chunks and refill copies
// The adder graph: a 112-byte node (and its form) per adder, about 0.25-0.45 adders per signed
// digit of the distinct outputs (outputs equal up to shift and sign share one sum), in a vector
// that grows by doubling. Trial sums are rolled back (AdderGraph::mark), so only the solution's
// adders are held.
constexpr double kBytesPerDigit = 64;
constexpr double kBytesPerOutput = 200;            // the output's term list, budgets, final-sum buffers
constexpr std::uint64_t kRunOverhead = 512 << 10;  // a run's fixed buffers
constexpr std::uint64_t kBase = 5 << 20;           // the process's own share (code, allocator)
constexpr std::uint64_t kBytesPerWeight = 64;      // Dyadic + integer copy + traits
constexpr std::uint64_t kFallbackBudget = std::uint64_t(4) << 30;

std::uint64_t saturate(double bytes) { return bytes >= 1.8e19 ? std::uint64_t(1.8e19) : std::uint64_t(bytes); }

// A "Key: N kB" line of /proc/meminfo, in bytes (0 if absent).
std::uint64_t meminfo(const std::string& key) {
    std::ifstream f("/proc/meminfo");
    std::string k, unit;
    std::uint64_t v = 0;
    while (f >> k >> v >> unit)
        if (k == key + ":") return v * 1024;
    return 0;
}

// Headroom under a cgroup v2 memory limit (0: no limit or not readable).
std::uint64_t cgroup_headroom() {
    std::ifstream max_f("/sys/fs/cgroup/memory.max"), cur_f("/sys/fs/cgroup/memory.current");
    std::uint64_t limit = 0, cur = 0;
    if (!(max_f >> limit) || !(cur_f >> cur)) return 0;  // "max" (no limit) does not parse
    return limit > cur ? limit - cur : 1;
}

}  // namespace

std::uint64_t MemoryEstimate::total(int workers) const {
    int w = std::max(1, std::min(workers, std::max(runs, 1)));
    return saturate(double(base) + double(per_run) * w);
}

namespace {

// One run's pair map inputs as extract() computes them (pair_extraction.cpp), on W's columns
// or, for W^T runs, on its rows: the pattern occurrences and the distinct keys the ids and the
// signed-digit positions allow.
struct RunShape {
    double pairs = 0, keys = 0;
    double distinct_digits = 0;  ///< signed digits of the distinct outputs (up to shift and sign)
    double outputs = 0;
};

// Output j's weights (W's column j, or row j for W^T) with the sign of its first nonzero and
// its common power of two divided out: equal keys, one sum.
std::vector<std::int64_t> normalized_output(const IntProblem& p, bool transposed, int j) {
    const int len = transposed ? p.m : p.n;
    std::vector<std::int64_t> v(std::size_t(len), 0);
    int tz = 64;
    std::int64_t sign = 0;
    for (int i = 0; i < len; ++i) {
        const std::int64_t w = transposed ? p.at(j, i) : p.at(i, j);
        v[std::size_t(i)] = w;
        if (w == 0) continue;
        if (sign == 0) sign = w < 0 ? -1 : 1;
        tz = std::min(tz, std::countr_zero(std::uint64_t(w)));
    }
    if (sign != 0)
        for (std::int64_t& w : v) w = sign * (w >> tz);  // arithmetic shift: w is a multiple of 2^tz
    return v;
}

RunShape run_shape(const IntProblem& p, const ProblemTraits& t, bool transposed) {
    int lo = INT_MAX, hi = INT_MIN, max_id = -1;
    for (int r = 0; r < p.n; ++r)
        for (int c = 0; c < p.m; ++c) {
            const std::int64_t w = p.at(r, c);
            if (w == 0) continue;
            const std::vector<SignedDigit> ds = csd(w);
            lo = std::min(lo, ds.front().pos);
            hi = std::max(hi, ds.back().pos);
            max_id = std::max(max_id, transposed ? c : r);
        }
    RunShape s;
    s.outputs = transposed ? p.n : p.m;
    if (max_id < 0) return s;
    // Sum over expressions of t(t-1)/2 from the traits' sum of t^2 and the digit count.
    s.pairs = std::max(0.0, ((transposed ? t.row_pairs : t.column_pairs) - double(t.digits)) / 2);
    const double ids = max_id + 1;
    s.keys = ids * (ids + 1) / 2 * (2 * double(hi - lo) + 1) * 2;
    std::set<std::vector<std::int64_t>> seen;
    for (int j = 0; j < int(s.outputs); ++j) {
        std::vector<std::int64_t> v = normalized_output(p, transposed, j);
        std::int64_t digits = 0;
        for (std::int64_t w : v) digits += csd_weight(w);
        if (digits > 0 && seen.insert(std::move(v)).second) s.distinct_digits += double(digits);
    }
    return s;
}

double run_bytes(const RunShape& s) {
    const PairMapSizing m = pair_map_sizing(s.pairs, s.keys);
    return double(kRunOverhead) + kBytesPerSlot * double(m.capacity) + kBytesPerLivePattern * m.live +
           kBytesPerDigit * s.distinct_digits + kBytesPerOutput * s.outputs;
}

}  // namespace

MemoryEstimate estimate_memory(const IntProblem& p, const ProblemTraits& t) {
    MemoryEstimate e;
    e.base = kBase + std::uint64_t(p.n) * std::uint64_t(p.m) * kBytesPerWeight;
    if (t.algorithm == Algorithm::Naive) return e;
    Portfolio f = choose_strategies(t);
    std::vector<Variant> runs = f.at_bound;
    runs.insert(runs.end(), f.deeper.begin(), f.deeper.end());
    std::vector<Variant> more = budget_runs(t, t.bound);
    runs.insert(runs.end(), more.begin(), more.end());
    bool transposed = std::any_of(runs.begin(), runs.end(), [](const Variant& v) { return v.transposed; });
    e.runs = int(runs.size());
    // The pattern occurrences one pair-CSE run counts: on W's columns, or on its rows for W^T.
    e.pairs = transposed ? std::max(t.column_pairs, t.row_pairs) : t.column_pairs;
    // Every worker is counted at the largest run (the portfolio's runs overlap in any order).
    double bytes = run_bytes(run_shape(p, t, false));
    if (transposed) bytes = std::max(bytes, run_bytes(run_shape(p, t, true)));
    e.per_run = saturate(bytes);
    return e;
}

MemoryEstimate estimate_memory(const Problem& p, const Options& options) {
    p.validate();
    IntProblem ip = to_integer(p);
    return estimate_memory(ip, problem_traits(ip, options));
}

std::uint64_t default_memory_budget() {
    std::uint64_t avail = meminfo("MemAvailable");
    std::uint64_t cgroup = cgroup_headroom();
    if (cgroup && (!avail || cgroup < avail)) avail = cgroup;
    return avail ? avail / 2 : kFallbackBudget;  // room for the model's underestimates (<= 1.3x measured)
}

std::string format_bytes(std::uint64_t bytes) {
    if (bytes >= (std::uint64_t(1) << 30)) return fmt::format("{:.1f} GB", double(bytes) / double(1 << 30));
    return fmt::format("{:.0f} MB", double(bytes) / double(1 << 20));
}

int workers_within_budget(const Problem& p, const MemoryEstimate& e, std::int64_t digits, const Options& opt) {
    const std::uint64_t budget = opt.max_memory_bytes ? opt.max_memory_bytes : default_memory_budget();
    int workers = std::max(1, std::min(opt.threads, e.runs));
    while (workers > 1 && e.total(workers) > budget) --workers;
    if (e.total(workers) > budget)
        fail("cmvm",
             "problem '{}' ({} x {}, {} signed digits) needs about {} (one optimizer run: {:.3g} digit "
             "pairs), over the memory budget of {}{}; split the layer into blocks of fewer inputs (a "
             "run's memory grows with the square of each output's digit count), raise the budget "
             "(Options::max_memory_bytes, fixvar cmvm --max-memory) or use the naive algorithm (no "
             "sharing, little memory: --algorithm naive, or linear_options().optimize = false in a trace)",
             p.name, p.n, p.m, digits, format_bytes(e.total(1)), e.pairs, format_bytes(budget),
             opt.max_memory_bytes ? "" : " (half of the memory available)");
    return workers;
}

}  // namespace fixvar::cmvm
