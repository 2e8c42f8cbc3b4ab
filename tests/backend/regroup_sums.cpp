// Sums regrouped by stage (VerilogOptions::regroup_sums, src/backend/regroup_sums.cpp): a sum
// tree cut by a register rank is summed again with one partial sum per stage. Checked on random
// two-layer MLPs: the regrouped graph computes the same outputs as the logic (interpreter, every
// output of random and corner vectors), keeps every node within its range, needs no more
// register bits than the plain placement (fewer on most), keeps the latency and the cut-off, and
// its pipelined RTL is bit-exact under Verilator (the proof against its combinational RTL:
// tests/synth/equiv.cpp).
#include "common.hpp"

#include <fmt/format.h>

#include <random>

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/trace/elementwise.hpp>
#include <fixvar/trace/layers.hpp>

#include "backend/regroup_sums.hpp"

using namespace fixvar;

namespace {

// n -> h (relu, 4-bit saturating quantizer) -> m, integer weights of up to 6 bits, 40% zero.
CombLogic random_mlp(std::mt19937_64& rng, std::int64_t n, std::int64_t h, std::int64_t m) {
    std::uniform_int_distribution<int> weight(-31, 31), zero(0, 9);
    auto weights = [&](std::int64_t rows, std::int64_t cols) {
        std::vector<double> w(std::size_t(rows * cols));
        for (double& v : w) v = zero(rng) < 4 ? 0 : weight(rng);
        return constant(w, {rows, cols});
    };
    new_trace();
    std::vector<FixedVariable> in;
    for (std::int64_t i = 0; i < n; ++i) in.push_back(input(kif{1, 2, 2}));
    FixedVariableArray a =
        quantize(relu(dense(FixedVariableArray(in, {n}), weights(n, h))), kif{0, 4, 0}, Round::TRN, Overflow::SAT);
    FixedVariableArray y = dense(a, weights(h, m));
    return comb_trace(in, y.values());
}

}  // namespace

TEST_CASE("regroup_sums: the same outputs with fewer register bits at the same latency and cut-off",
          "[verilator][regroup]") {
    const std::uint64_t seed = 20261208;
    WARN("seed " << seed);
    std::mt19937_64 rng(seed);
    long before = 0, after = 0;
    int regrouped = 0;
    std::vector<backend::BatchDesign> designs;
    for (int trial = 0; trial < 6; ++trial) {
        CombLogic logic = random_mlp(rng, 12, 8, 4);
        for (int latency : {2, 3, 5}) {
            INFO("trial " << trial << ", latency " << latency);
            const PipelineOptions options{.latency = latency, .register_outputs = trial % 2 == 1, .regroup_sums = true};
            Pipeline plain = plan_pipeline(logic.graph(), options);  // plan_pipeline never regroups
            backend::detail::RegroupedPipeline r = backend::detail::plan_regrouped(logic.graph(), options);
            CHECK(r.pipeline.latency == latency);
            CHECK(r.pipeline.cutoff == plain.cutoff);
            CHECK(r.pipeline.register_bits <= plain.register_bits);
            before += plain.register_bits;
            after += r.pipeline.register_bits;
            if (!r.graph) {
                CHECK(r.pipeline.register_bits_before_regrouping == -1);
                continue;
            }
            ++regrouped;
            CHECK(r.pipeline.register_bits < plain.register_bits);
            CHECK(r.pipeline.register_bits_before_regrouping == plain.register_bits);
            CHECK(r.pipeline.regrouped_sums > 0);
            CombLogic same(*r.graph);
            REQUIRE(same.input_count() == logic.input_count());
            REQUIRE(same.output_count() == logic.output_count());
            backend::Vectors v = backend::test::sweep(logic, 12, 400, seed + std::uint64_t(trial));
            // Every node of the regrouped graph within its range, every output the logic's.
            CHECK(same.predict_mantissas(v.mantissas, v.batch, 1, ir::RangeCheck::every_node) ==
                  logic.predict_mantissas(v.mantissas, v.batch));
            // The emitted module is that placement, its RTL checked against the logic.
            backend::VerilogModule m = backend::emit_verilog(logic, "mlp", options);
            REQUIRE(m.regrouped);
            CHECK(*m.regrouped == *r.graph);
            CHECK(m.pipeline.register_bits == r.pipeline.register_bits);
            if (designs.size() < 6)
                designs.push_back({logic, fmt::format("rg{}_{}", trial, latency), options, std::move(v)});
        }
    }
    WARN(regrouped << " of 18 placements regrouped; register bits " << before << " -> " << after);
    CHECK(regrouped >= 6);
    CHECK(after < before);
    backend::test::require_all_exact(designs, "regroup_sums");
    // Off by default: the module computes the logic's own graph.
    CombLogic logic = random_mlp(rng, 12, 8, 4);
    CHECK_FALSE(backend::emit_verilog(logic, "mlp", {.latency = 3}).regrouped);
}
