#pragma once
// How much memory a CMVM solve needs, and how much it may use.
//
//   MemoryEstimate e = estimate_memory(p, options);   // before anything large is allocated
//   e.total(2) <= default_memory_budget()             // what solve() checks
//
// The optimizer's memory is its pair map and queue: each run counts every two-term pattern of
// every output's signed-digit terms, about sum over outputs of (digits of that output)^2
// occurrences (for W^T pipelines: over inputs), and holds the map the run sizes itself for them
// and for the patterns of the nodes it creates. Runs on different threads each hold their own.
// The model counts those allocations (docs/errors.md, "CMVM memory"): measured peaks are 0.74 to
// 1.27 of the estimate on the benchmark problems (bench/cmvm_memory) and 0.63 to 1.20 on fresh ones; the default
// budget's half of the available memory covers the underestimates.
#include <cstdint>
#include <string>

#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solve.hpp>

namespace fixvar::cmvm {

struct MemoryEstimate {
    std::uint64_t base = 0;     ///< the problem, its integer copy and the solution (bytes)
    std::uint64_t per_run = 0;  ///< one optimizer run (pair CSE), held once per worker thread
    double pairs = 0;           ///< the size measure: sum over outputs (or inputs) of digits^2
    int runs = 0;               ///< optimizer runs of the portfolio (workers beyond it are idle)
    /// Peak with `workers` threads: base + per_run x min(workers, runs).
    std::uint64_t total(int workers) const;
};

/// The memory solve(p, options) needs (Algorithm::Naive: base only). Validates p.
MemoryEstimate estimate_memory(const Problem& p, const Options& options = {});

/// The budget of Options::max_memory_bytes == 0: half of the memory available now
/// (MemAvailable in /proc/meminfo, lowered to the cgroup's memory.max headroom when set);
/// 4 GiB where neither can be read.
std::uint64_t default_memory_budget();

/// "1.9 GB", "512 MB": a byte count for messages.
std::string format_bytes(std::uint64_t bytes);

}  // namespace fixvar::cmvm
