#pragma once
// One pipeline run under test: only a depth bound may reject it, and an accepted graph must
// be exact and within the bound.
#include <catch2/catch.hpp>

#include <optional>

#include "cmvm/pair_cse.hpp"
#include "cmvm/transpose.hpp"
#include <fixvar/cmvm/solution.hpp>

namespace fixvar::cmvm::test {

inline std::optional<Solution> checked_run(const Problem& p, const IntProblem& ip, const Variant& v,
                                           std::uint64_t seed) {
    std::optional<Solution> s = v.transposed ? run_transposed(ip, v) : run_variant(ip, v);
    if (!s) {
        REQUIRE(v.max_depth >= 0);
        return s;
    }
    s->name = p.name;
    REQUIRE(verify(*s, p, 24, seed));
    if (v.max_depth >= 0) REQUIRE(s->depth <= v.max_depth);
    return s;
}

}  // namespace fixvar::cmvm::test
