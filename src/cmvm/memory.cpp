// The CMVM memory model and budget (cmvm/memory.hpp), fitted on peak RSS (two threads) of the
// public problems and generated dense and skewed ones, 8x8 to 1024x8 and 8x2000
// (bench/cmvm_memory/run.sh; docs/errors.md). A run's peak has two parts: the patterns it
// counts at the start (at most the pair occurrences / 2, at most every (A <= B, relative shift,
// relative sign) over the ids and shifts present), and the patterns of the nodes it creates,
// which grow sublinearly with the pair occurrences (the greedy merges a column's terms long
// before every pair of them is paired with a new node).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include <fixvar/core/error.hpp>

#include "memory_model.hpp"

namespace fixvar::cmvm {
namespace {

constexpr double kBytesPerStartPattern = 52;     // map slot at 35-70% load, queue entry, key
constexpr double kBytesPerPairPower = 136;       // x pairs^kPairExponent: created nodes' patterns
constexpr double kPairExponent = 0.86;
constexpr std::uint64_t kRunOverhead = 512 << 10;  // a run's fixed buffers
constexpr std::uint64_t kBase = 5 << 20;           // the process's own share (code, allocator)
constexpr std::uint64_t kBytesPerWeight = 64;      // Dyadic + integer copy + traits
constexpr std::uint64_t kFallbackBudget = std::uint64_t(4) << 30;

std::uint64_t saturate(double bytes) {
    return bytes >= 1.8e19 ? std::uint64_t(1.8e19) : std::uint64_t(bytes);
}

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
    const double ids = transposed ? std::max(p.n, p.m) : p.n;
    const double start_patterns = std::min(e.pairs / 2, ids * (ids + 1) / 2 * (2 * t.digit_span + 1) * 2);
    e.per_run = saturate(double(kRunOverhead) + kBytesPerStartPattern * start_patterns +
                         kBytesPerPairPower * std::pow(e.pairs, kPairExponent));
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
    return avail ? avail / 2 : kFallbackBudget;  // room for the model's 1.5x underestimates
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
