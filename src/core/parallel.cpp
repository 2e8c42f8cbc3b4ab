#include <fixvar/core/parallel.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace fixvar {

void parallel_for(std::size_t count, int threads, const std::function<void(std::size_t, int)>& body) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    auto worker = [&](int w) {
        for (std::size_t i; !stop.load(std::memory_order_relaxed) && (i = next++) < count;) {
            try {
                body(i, w);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!first_error) first_error = std::current_exception();
                stop = true;
            }
        }
    };
    int t = int(std::min<std::size_t>(std::size_t(std::max(threads, 1)), std::max<std::size_t>(count, 1)));
    std::vector<std::thread> pool;
    for (int w = 1; w < t; ++w) {
        try {
            pool.emplace_back(worker, w);
        } catch (const std::system_error&) {
            break;  // no more threads available: the ones started (and the caller) do the work
        }
    }
    worker(0);
    for (auto& th : pool) th.join();
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace fixvar
