#pragma once
// A directory of `.cmvm` problems solved as one benchmark: what `fixvar bench cmvm DIR` prints
// and what bench/cmvm_compare.cpp sets against the published optimizers. The public set is
// bench/data/cmvm (format: bench/data/README.md).
#include <functional>
#include <string>
#include <vector>

#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solution.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/core/error.hpp>

namespace fixvar::cmvm {

/// Sums over the problems of one benchmark run (depth: the deepest problem's).
struct BenchmarkTotals {
    long long n = 0, m = 0, adders = 0, cost = 0;
    int depth = 0;
    double seconds = 0;
    bool all_exact = true;
    int errors = 0;  ///< files that could not be read or solved
};

/// The `*.cmvm` files of dir, sorted by file name; Error if dir is not a directory.
std::vector<std::string> benchmark_files(const std::string& dir);

/// Solves every `*.cmvm` file of dir in file-name order (identical matrices once, SolveCache).
/// Each solved problem goes to on_solved as soon as it is done; a file whose reading or solving
/// throws Error goes to on_error and the run goes on.
BenchmarkTotals run_benchmark(const std::string& dir, const Options& options,
                              const std::function<void(const Problem&, const Solution&)>& on_solved,
                              const std::function<void(const std::string& file, const Error&)>& on_error);

}  // namespace fixvar::cmvm
