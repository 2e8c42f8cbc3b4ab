// fit_level_budget: candidates synthesized one after the other (see the header).
#include <fixvar/backend/level_budget.hpp>

#include <fmt/format.h>

#include <algorithm>

#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/trace/comb_logic.hpp>

namespace fixvar::backend {

namespace {

struct Search {
    const CombLogic& logic;
    const std::string& name;
    std::filesystem::path dir;
    PipelineOptions options;
    SynthOptions synth;
    LevelBudget result;
    // The placement of each tried candidate, and its regrouped graph (null: the logic's).
    std::vector<std::pair<std::vector<int>, std::shared_ptr<const ir::Graph>>> placements;

    // Cut-offs between two path lengths of the model place alike: a placement already tried is
    // the same RTL (but for the cut-off in its header comment) and is not synthesized again.
    LevelBudgetPoint& measure(const VerilogModel& model) {
        const VerilogModule& m = model.module();
        auto same = std::find_if(placements.begin(), placements.end(), [&](const auto& t) {
            const auto& [stage, graph] = t;
            return stage == m.pipeline.stage &&
                   (graph && m.regrouped ? *graph == *m.regrouped : !graph && !m.regrouped);
        });
        if (same != placements.end()) {
            LevelBudgetPoint p = result.tried[std::size_t(same - placements.begin())];
            p.cutoff = m.latency_cutoff;
            p.repeats = int(same - placements.begin());
            result.tried.push_back(p);
        } else {
            result.tried.push_back({m.latency_cutoff, m.pipeline.register_bits, synthesize(model, synth)});
        }
        placements.emplace_back(m.pipeline.stage, m.regrouped);
        return result.tried.back();
    }

    LevelBudgetPoint& measure(double cutoff) {
        PipelineOptions o = options;
        o.latency_cutoff = cutoff;
        return measure(VerilogModel(logic, name, dir / "level_budget" / fmt::format("c{:.4g}", cutoff), o));
    }
};

// Flip-flops plus the shift-register LUTs Yosys maps register chains to (an SRL16E holds up to 16
// bits of one chain): at long stages, FFs alone would reward chains that became LUTs.
long storage_cells(const SynthReport& r) {
    long srl = 0;
    for (const auto& [type, count] : r.cells_by_type)
        if (type.rfind("SRL", 0) == 0) srl += count;
    return r.ff + srl;
}

}  // namespace

LevelBudget fit_level_budget(const CombLogic& logic, const std::string& name, const std::filesystem::path& dir,
                             PipelineOptions options, int max_levels, const SynthOptions& synth) {
    if (!options.latency || *options.latency < 1)
        fail("fit_level_budget", "needs a latency of at least 1 cycle (options.latency)");
    if (max_levels < 1) fail("fit_level_budget", "max_levels is {}: give at least 1 logic level", max_levels);
    options.latency_cutoff = 0;
    Search s{logic, name, dir, options, synth, {}, {}};
    // The shortest stages are measured as planned; their placement also holds the trade-off points.
    VerilogModel shortest(logic, name, dir / "level_budget" / "shortest", options);
    const double c0 = shortest.module().latency_cutoff;
    if (s.measure(shortest).synth.logic_levels > max_levels)
        fail("fit_level_budget",
             "even the shortest stages for {} cycles (cut-off {:.2f}) give {} logic levels, over the budget of {}: "
             "raise the latency or the budget",
             *options.latency, c0, s.result.tried.back().synth.logic_levels, max_levels);
    double within = c0, over = 0;
    for (const LongerStages& l : shortest.module().pipeline.longer_stages) {
        if (s.measure(l.cutoff).synth.logic_levels > max_levels) {
            over = l.cutoff;
            break;
        }
        within = l.cutoff;
    }
    for (int grow = 0; over == 0 && grow < 2; ++grow) {  // every reported point fits: longer still
        double longer = within * 1.5;
        (s.measure(longer).synth.logic_levels > max_levels ? over : within) = longer;
    }
    for (int step = 0; over > 0 && step < 2; ++step) {  // two halvings of the gap
        double mid = 0.5 * (within + over);
        (s.measure(mid).synth.logic_levels > max_levels ? over : within) = mid;
    }
    const LevelBudgetPoint* best = nullptr;  // the first of equals: a repeat is never chosen over its original
    for (const LevelBudgetPoint& p : s.result.tried)
        if (p.synth.logic_levels <= max_levels && (!best || storage_cells(p.synth) < storage_cells(best->synth)))
            best = &p;
    s.result.chosen = *best;
    options.latency_cutoff = best->cutoff;
    VerilogModel(logic, name, dir, options).write();
    return s.result;
}

}  // namespace fixvar::backend
