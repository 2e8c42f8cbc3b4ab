#pragma once
// Internal to fixvar (not installed; used by the library, its tools and tests).
// One thread pool for every parallel loop (CMVM restarts, local-search chains, interpreter
// chunks): errors thrown in a worker reach the caller instead of ending in std::terminate.
#include <cstddef>
#include <functional>

namespace fixvar {

/// Calls body(i, worker) for every i in [0, count) on up to `threads` threads (the caller is
/// worker 0; worker < threads indexes per-thread scratch), each thread taking the next index in
/// turn. The first exception a body throws, on any thread, is re-thrown on the caller once every
/// thread has stopped; indices not started by then are skipped. threads < 1 counts as 1; if the
/// system cannot start a thread, the loop runs on the threads it has.
void parallel_for(std::size_t count, int threads, const std::function<void(std::size_t index, int worker)>& body);

}  // namespace fixvar
