#pragma once
// Helpers for the backend tests: exhaustive/random vectors and batched Verilator checks.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/trace/comb_logic.hpp>

namespace fixvar::backend::test {

/// Scratch directory for Verilator builds (under the working directory: the build tree).
inline std::filesystem::path scratch(const std::string& name) {
    auto dir = std::filesystem::current_path() / "backend_scratch" / name;
    std::filesystem::create_directories(dir);
    return dir;
}

/// Every input combination when there are at most 2^max_bits of them, else corners + random.
inline Vectors sweep(const CombLogic& logic, int max_bits = 12, std::size_t random = 300, std::uint64_t seed = 1) {
    std::size_t n = logic.input_count();
    int total = 0;
    for (std::size_t p = 0; p < n; ++p) {
        const ExactRange& r = logic.graph()[logic.graph().inputs[p]].range;
        total += bit_length(u128(r.hi - r.lo));
    }
    if (total > max_bits) {
        Vectors v = corner_vectors(logic, seed);
        Vectors r = random_vectors(logic, random, seed + 1);
        v.mantissas.insert(v.mantissas.end(), r.mantissas.begin(), r.mantissas.end());
        v.batch += r.batch;
        return v;
    }
    Vectors v;
    std::vector<i128> cur(n);
    for (std::size_t p = 0; p < n; ++p) cur[p] = logic.graph()[logic.graph().inputs[p]].range.lo;
    while (true) {
        v.mantissas.insert(v.mantissas.end(), cur.begin(), cur.end());
        ++v.batch;
        std::size_t p = 0;
        for (; p < n; ++p) {
            const ExactRange& r = logic.graph()[logic.graph().inputs[p]].range;
            if (cur[p] < r.hi) {
                ++cur[p];
                break;
            }
            cur[p] = r.lo;
        }
        if (p == n) break;
    }
    return v;
}

/// Builds all designs in one Verilator build and requires each to be bit-exact.
inline void require_all_exact(const std::vector<BatchDesign>& designs, const std::string& dir) {
    auto results = verify_batch(designs, scratch(dir));
    REQUIRE(results.size() == designs.size());
    std::size_t checked = 0;
    for (const VerifyResult& r : results) {
        INFO(r.message);
        CHECK(r.ok);
        CHECK(r.samples > 0);  // a design that ran no vectors proves nothing
        checked += r.samples;
    }
    // WARN only reports (Catch prints it even on success); the checks above decide.
    WARN(designs.size() << " designs, " << checked << " samples checked against the interpreter");
}

}  // namespace fixvar::backend::test
