#pragma once
// The memory model behind cmvm/memory.hpp, on the optimizer's own view of a problem (its
// strategy traits say which runs are made), and the worker count solve() may use.
#include <fixvar/cmvm/memory.hpp>

#include "strategies.hpp"

namespace fixvar::cmvm {

MemoryEstimate estimate_memory(const IntProblem& p, const ProblemTraits& t);

/// Threads solve() runs at once: opt.threads, fewer when their runs would not fit the memory
/// budget (the result does not depend on it); Error when a single run does not fit.
int workers_within_budget(const Problem& p, const MemoryEstimate& e, std::int64_t digits, const Options& opt);

}  // namespace fixvar::cmvm
