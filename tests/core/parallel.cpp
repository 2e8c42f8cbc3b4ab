// parallel_for: every index runs exactly once, workers index their own scratch, and the first
// exception thrown in any worker reaches the caller (instead of std::terminate).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <fixvar/core/error.hpp>
#include <fixvar/core/parallel.hpp>

using namespace fixvar;

TEST_CASE("parallel_for runs every index once", "[core][parallel]") {
    for (int threads : {0, 1, 2, 4, 9}) {
        for (std::size_t count : {0u, 1u, 3u, 100u}) {
            INFO("threads " << threads << ", count " << count);
            std::vector<std::atomic<int>> hits(count);
            std::atomic<int> bad_worker{0};
            parallel_for(count, threads, [&](std::size_t i, int w) {
                hits[i]++;
                if (w < 0 || w >= std::max(threads, 1)) bad_worker++;
            });
            for (auto& h : hits) CHECK(h == 1);
            CHECK(bad_worker == 0);
        }
    }
}

TEST_CASE("parallel_for re-throws a worker's error on the caller", "[core][parallel]") {
    for (int threads : {1, 2, 4}) {
        INFO("threads " << threads);
        std::atomic<int> started{0};
        // Each other body takes 0.5 ms: the other threads could only run all 1000 if the failing
        // thread stalled for about 0.25 s between its throw and the loop's stop (with instant
        // bodies, a second thread could race through the rest in microseconds: a flaky check).
        auto body = [&](std::size_t i, int) {
            started++;
            if (i == 7) fail("worker", "index {} failed", i);
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        };
        REQUIRE_THROWS_AS(parallel_for(1000, threads, body), Error);
        started = 0;
        REQUIRE_THROWS_WITH(parallel_for(1000, threads, body), "worker: index 7 failed");
        CHECK(started < 1000);  // the rest is skipped once a worker failed
    }
    // Other exception types cross too.
    REQUIRE_THROWS_AS(parallel_for(10, 2,
                                   [](std::size_t i, int) {
                                       if (i == 3) throw std::bad_alloc();
                                   }),
                      std::bad_alloc);
}
