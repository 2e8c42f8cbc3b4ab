// Register placement (backend/pipeline.hpp): the optimizer against enumeration of every stage
// assignment on small random graphs, with an independent check of the constraints; latency and
// boundary options; bad input.
#include <catch2/catch.hpp>

#include <fixvar/backend/pipeline.hpp>
#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/core/error.hpp>

#include <array>
#include <limits>

#include "ir/random_program.hpp"

using namespace fixvar;
using ir::NodeId;

namespace {

CombLogic random_logic(std::uint64_t seed, int ops) {
    randprog::Program p = randprog::make(seed, 2, ops);
    std::vector<FixedVariable> in(p.values.begin(), p.values.begin() + long(p.inputs.size()));
    std::vector<FixedVariable> out;
    for (int o : p.outputs) out.push_back(p.values[std::size_t(o)]);
    return comb_trace(in, out);
}

/// The constraints, written again from their definition: operands in the same or an earlier
/// stage; inputs in stage 0; logic in [reg_in, L - reg_out]; inside one stage, no path of two
/// or more nodes longer than the cut-off, its length composed as Graph::estimate composes
/// ir::Delay (views too: they take no time, but a bit selection waits for its operand's last
/// bits). Views (plan.view) are stage-less: their operand's stage.
bool feasible(const ir::Graph& g, const Pipeline& plan, const PipelineOptions& o, const std::vector<int>& st) {
    const int L = plan.latency;
    std::vector<int> where(g.size(), -1);    // stage of the node whose value a node is
    std::vector<double> first(g.size(), 0);  // longest in-stage path to the node's first bits
    std::vector<double> tail(g.size(), 0);   // from its first bits to its last
    std::vector<char> chained(g.size(), 0);  // that path has two or more placed nodes
    for (std::size_t j = 0; j < g.size(); ++j) {
        const ir::Node& n = g[NodeId(j)];
        if (n.range.lo == n.range.hi) continue;
        const bool view = plan.view[j];
        if (view) {
            where[j] = where[std::size_t(n.a)];
        } else {
            where[j] = st[j];
            bool input = n.op == ir::Op::Input;
            if (input ? st[j] != 0 : (st[j] < int(o.register_inputs) || st[j] > L - int(o.register_outputs)))
                return false;
        }
        const ir::Delay d = ir::node_delay(g, n);
        double ready = 0;
        bool has_pred = false;
        for (NodeId a : {n.a, n.b, n.c}) {
            const auto k = std::size_t(a);
            if (a == ir::no_node || where[k] < 0) continue;
            if (where[k] > where[j]) return false;
            if (where[k] < where[j]) continue;  // registered: all its bits at the stage's start
            ready = std::max(ready, first[k] + (d.whole_operands ? tail[k] : 0));
            has_pred = has_pred || !view || chained[k];
        }
        first[j] = ready + d.first;
        tail[j] = d.tail;
        chained[j] = has_pred;
        if (!view && has_pred && first[j] + tail[j] > plan.cutoff * (1 + 1e-9)) return false;
    }
    return true;
}

struct Enumerated {
    long best = std::numeric_limits<long>::max();
    long assignments = 0, feasible = 0;
};

/// Every assignment of stages 0..L to the placed non-input nodes; place_stages must accept
/// exactly the feasible ones.
Enumerated enumerate(const ir::Graph& g, const Pipeline& plan, const PipelineOptions& o) {
    std::vector<std::size_t> free;
    for (std::size_t j = 0; j < g.size(); ++j)
        if (g[NodeId(j)].range.lo != g[NodeId(j)].range.hi && !plan.view[j] && g[NodeId(j)].op != ir::Op::Input)
            free.push_back(j);
    std::vector<int> st(g.size(), 0);
    Enumerated e;
    while (true) {
        ++e.assignments;
        bool ok = feasible(g, plan, o, st);
        if (ok) {
            ++e.feasible;
            Pipeline p = place_stages(g, o, st);
            e.best = std::min(e.best, p.register_bits);
        } else {
            CHECK_THROWS_AS(place_stages(g, o, st), Error);
        }
        std::size_t k = 0;
        while (k < free.size() && st[free[k]] == plan.latency) st[free[k++]] = 0;
        if (k == free.size()) break;
        ++st[free[k]];
    }
    return e;
}

}  // namespace

TEST_CASE("plan_pipeline: the fewest register bits of all stage assignments (enumerated)", "[pipeline]") {
    const std::uint64_t first_seed = 1000;
    int graphs = 0, exact = 0, plans = 0;
    long checked = 0;
    for (std::uint64_t seed = first_seed; graphs < 40; ++seed) {
        CombLogic logic = random_logic(seed, 6);
        const ir::Graph& g = logic.graph();
        Pipeline any = plan_pipeline(g, {.latency_cutoff = 2.5});
        int free = 0;
        for (std::size_t j = 0; j < g.size(); ++j)
            free += g[NodeId(j)].range.lo != g[NodeId(j)].range.hi && !any.view[j] && g[NodeId(j)].op != ir::Op::Input;
        if (free < 2 || free > 6) continue;
        ++graphs;
        for (int variant = 0; variant < 4; ++variant) {
            PipelineOptions o{
                .latency_cutoff = 2.5 + variant % 2, .register_inputs = variant == 2, .register_outputs = variant >= 2};
            Pipeline first = plan_pipeline(g, o);
            o.latency = first.min_latency + variant % 2;
            INFO("seed " << seed << ", variant " << variant << ", latency " << *o.latency);
            Pipeline plan = plan_pipeline(g, o);
            CHECK(plan.latency == *o.latency);
            Enumerated e = enumerate(g, plan, o);
            REQUIRE(e.feasible > 0);
            checked += e.assignments;
            // The LP optimizes a model whose widths are the union of the readers' bits; what is
            // emitted shrinks rank by rank, so the enumerated optimum lies between its bound and
            // its count, and equals the count whenever the model is tight (bound == count).
            CHECK(plan.register_bits_lower_bound <= e.best);
            CHECK(e.best <= plan.register_bits);
            if (plan.register_bits_lower_bound == plan.register_bits) CHECK(e.best == plan.register_bits);
            exact += e.best == plan.register_bits;
            ++plans;
        }
    }
    CHECK(plans == 4 * graphs);  // every graph under every convention
    WARN("seeds from " << first_seed << ": " << graphs << " graphs, " << checked << " assignments enumerated, " << exact
                       << " placements at the enumerated optimum");
}

TEST_CASE("plan_pipeline: latency, cut-off and boundaries as asked; bad input is an Error", "[pipeline]") {
    CombLogic logic = random_logic(7, 30);
    const ir::Graph& g = logic.graph();
    Pipeline min = plan_pipeline(g, {.latency_cutoff = 3});
    CHECK(min.latency == min.min_latency);
    CHECK(min.cutoff == 3);
    double slowest = 0;  // a node slower than the cut-off stands alone in its stage
    for (std::size_t j = 0; j < g.size(); ++j) {
        const ir::Delay d = ir::node_delay(g, g[NodeId(j)]);
        slowest = std::max(slowest, double(d.first + d.tail));
    }
    for (const backend::StageSummary& s : min.stages) CHECK(s.levels <= std::max(3.0, slowest) + 1e-9);
    Pipeline more = plan_pipeline(g, {.latency_cutoff = 3, .latency = min.min_latency + 2});
    CHECK(more.latency == min.min_latency + 2);
    CHECK(more.register_bits_lower_bound <= more.register_bits);
    // Latency alone: the smallest cut-off that allows it.
    Pipeline by_latency = plan_pipeline(g, {.latency = 3});
    CHECK(by_latency.latency == 3);
    CHECK(by_latency.min_latency <= 3);
    REQUIRE(min.min_latency >= 1);
    CHECK_THROWS_WITH(plan_pipeline(g, {.latency_cutoff = 3, .latency = min.min_latency - 1}),
                      Catch::Contains("below the minimum of " + std::to_string(min.min_latency)));
    // Registered boundaries: nothing computed in stage 0 or stage L.
    Pipeline both = plan_pipeline(g, {.latency = 4, .register_inputs = true, .register_outputs = true});
    CHECK(both.stages.front().nodes == 0);
    CHECK(both.stages.back().nodes == 0);
    CHECK(both.stages.front().register_bits > 0);
    CHECK_THROWS_WITH(plan_pipeline(g, {.latency = -1}), Catch::Contains("latency must be a number of cycles >= 0"));
    CHECK_THROWS_WITH(plan_pipeline(g, {.latency_cutoff = 1, .latency = 0}), Catch::Contains("below the minimum"));
    CHECK_THROWS_WITH(plan_pipeline(g, {.latency = 0, .register_inputs = true}), Catch::Contains("below the minimum"));
    CHECK_THROWS_WITH(plan_pipeline(g, {.latency = 1, .register_inputs = true, .register_outputs = true}),
                      Catch::Contains("below the minimum"));
    CHECK_THROWS_WITH(plan_pipeline(g, {.latency_cutoff = std::numeric_limits<double>::infinity()}),
                      Catch::Contains("finite"));
    CHECK_THROWS_WITH(place_stages(g, {.latency_cutoff = 3}, {0, 1}), Catch::Contains("give one per node"));
    // Longer stages at the same latency: the cut-off times 1.1, 1.25, 1.5, each the optimum
    // there, never more register bits than a shorter cut-off needs.
    REQUIRE(more.longer_stages.size() == 3);
    long previous = more.register_bits;
    for (std::size_t k = 0; k < 3; ++k) {
        const backend::LongerStages& l = more.longer_stages[k];
        CHECK(l.cutoff == Approx(3 * std::array{1.1, 1.25, 1.5}[k]));
        CHECK(l.register_bits == plan_pipeline(g, {.latency_cutoff = l.cutoff, .latency = more.latency}).register_bits);
        CHECK(l.register_bits <= previous);
        previous = l.register_bits;
    }
    // The floor: no cut-off at all (one longer than the whole circuit's critical path).
    CHECK(more.register_bits_floor >= 0);
    CHECK(more.register_bits_floor <= previous);
    CHECK(more.register_bits_floor == plan_pipeline(g, {.latency_cutoff = 1e6, .latency = more.latency}).register_bits);
    // Combinational: no registers, one stage.
    Pipeline comb = plan_pipeline(g, {});
    CHECK(comb.longer_stages.empty());
    CHECK(comb.register_bits_floor == -1);
    CHECK_FALSE(comb.clocked);
    CHECK(comb.register_bits == 0);
    CHECK(comb.stages.size() == 1);
}
