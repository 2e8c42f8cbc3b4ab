#pragma once
// Large-neighbourhood search on a finished adder graph (adder-count objective).
//
// Destroy: a seeded subset S of outputs (one output and the outputs sharing most of its
// adders, 4 to 16 in all) loses every adder that only S's outputs reach. Each output of S is
// then a sum of shifted kept nodes and inputs (the leaves). Repair: that small CMVM — rows are
// the leaves, columns the outputs of S — is solved again by a seeded one- or two-sided
// pipeline, its final sums re-summed shallowest first over the leaves' true depths, and
// spliced into the graph. A move is kept when the graph has no more adders than before and
// meets the depth bound (equal counts: a walk on the plateau); each chain returns the fewest
// adders it saw. Every choice comes from the seed and a counted number of moves, never from
// the clock, and the thread count only changes which thread runs a chain.
#include <cstdint>

#include "adder_graph.hpp"
#include <fixvar/cmvm/solution.hpp>

namespace fixvar::cmvm {

struct LocalSearchOptions {
    int moves = 0;       ///< destroy-and-repair attempts per chain
    int chains = 2;      ///< independent chains from the start solution (best one kept)
    int threads = 1;     ///< chains run on up to this many threads (result independent of it)
    int max_depth = -1;  ///< -1: unbounded
    std::uint64_t seed = 1;
};

/// The best graph found (never worse than s in (adders, cost)); s must compute p's outputs.
Solution local_search(const IntProblem& p, const Solution& s, const LocalSearchOptions& o);

}  // namespace fixvar::cmvm
