// fit_level_budget: the fewest flip-flops at a latency within a budget of Yosys logic levels;
// every candidate is synthesized, the chosen one is written, impossible budgets are Errors.
#include <algorithm>

#include <fixvar/backend/level_budget.hpp>
#include <fixvar/core/file.hpp>

#include "common.hpp"

using namespace fixvar;
using namespace fixvar::backend;

namespace {

CombLogic two_layers() {
    new_trace();
    std::vector<FixedVariable> xs;
    for (int j = 0; j < 8; ++j) xs.push_back(input(kif{1, 4, 2}));
    FixedVariableArray x(xs);
    FixedVariableArray h =
        quantize(relu(matmul(x, constant(synth_test::small_matrix()))), kif{0, 6, 0}, Round::TRN, Overflow::SAT);
    FixedVariableArray w2 = constant({{1.5, -2.0, 3}, {0.25, 3.0, -5}, {-1.0, 0.75, 7}, {2.0, 1.0, -3}});
    return comb_trace({x}, {matmul(h, w2)});
}

void check_fit(const LevelBudget& fit, int budget, const std::filesystem::path& dir) {
    REQUIRE(fit.tried.size() >= 2);
    const LevelBudgetPoint& shortest = fit.tried.front();
    CHECK(fit.chosen.synth.logic_levels <= budget);
    CHECK(fit.chosen.synth.ff <= shortest.synth.ff);  // (generic: no shift registers)
    for (std::size_t k = 0; k < fit.tried.size(); ++k) {
        const LevelBudgetPoint& p = fit.tried[k];
        INFO("cut-off " << p.cutoff << ": " << p.synth.ff << " FFs, " << p.synth.logic_levels << " levels");
        CHECK(p.cutoff >= shortest.cutoff);
        if (p.repeats >= 0) {  // an earlier candidate's placement, not synthesized again
            CHECK(std::size_t(p.repeats) < k);
            CHECK(p.register_bits == fit.tried[std::size_t(p.repeats)].register_bits);
        }
        if (p.synth.logic_levels <= budget) CHECK(fit.chosen.synth.ff <= p.synth.ff);
    }
    // The chosen design is the one in dir, and its registers are what was synthesized.
    std::string v = read_file((dir / "net.v").string(), "test");
    CHECK(v.find(fmt::format("{} register bits", fit.chosen.register_bits)) != std::string::npos);
}

}  // namespace

TEST_CASE("level budget: the fewest flip-flops within the logic levels, each candidate synthesized",
          "[yosys][pipeline]") {
    CombLogic logic = two_layers();
    SynthOptions so;
    so.family = "generic";
    const PipelineOptions at3{.latency = 3};
    std::filesystem::path loose = synth_test::scratch("level_budget_loose");
    LevelBudget fit = fit_level_budget(logic, "net", loose, at3, 1000, so);
    check_fit(fit, 1000, loose);
    // Everything fits a loose budget: the search went past the reported trade-off points.
    CHECK(fit.tried.size() >= 5);
    CHECK(fit.chosen.register_bits < fit.tried.front().register_bits);

    const int levels = fit.tried.front().synth.logic_levels;  // the shortest stages' levels
    std::filesystem::path tight = synth_test::scratch("level_budget_tight");
    check_fit(fit_level_budget(logic, "net", tight, at3, levels, so), levels, tight);

    std::filesystem::path bad = synth_test::scratch("level_budget_bad");
    CHECK_THROWS_WITH(fit_level_budget(logic, "net", bad, at3, levels - 1, so),
                      Catch::Contains("even the shortest stages for 3 cycles") && Catch::Contains("raise the latency"));
    CHECK_THROWS_WITH(fit_level_budget(logic, "net", bad, PipelineOptions{}, 10, so),
                      Catch::Contains("needs a latency"));
    CHECK_THROWS_WITH(fit_level_budget(logic, "net", bad, at3, 0, so), Catch::Contains("max_levels is 0"));
}
