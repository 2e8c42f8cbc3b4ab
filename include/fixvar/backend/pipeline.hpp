#pragma once
// Register placement: which stage computes each node of a pipelined module, chosen to need the
// fewest register bits.
//
//   auto p = fixvar::plan_pipeline(logic.graph(), {.latency = 5, .register_outputs = true});
//   fmt::print("{} register bits (lower bound {}; all as early as possible: {})\n",
//              p.register_bits, p.register_bits_lower_bound, p.register_bits_asap);
//
// A pipeline of latency L has L register ranks; stage t (0..L) is the logic between ranks t and
// t + 1. Constraints: a node's stage is at least its operands'; no path of two or more nodes
// whose delays (Node::latency's model, in levels) sum past the cut-off lies inside one stage;
// inputs are in stage 0 and outputs are read in stage L; with registered inputs no logic is in
// stage 0, with registered outputs none in stage L. Cost: the bits of a value computed in stage
// s are carried by one register chain shared by its readers, each bit until the last stage that
// needs it. Only bits that vary over the value's exact range and that an output depends on are
// carried, so constant prefixes, sign copies and bits dropped by a truncating quantizer are never
// registered, and narrow points of the graph become the cheap places to cut.
//
// This is min-area retiming (Leiserson & Saxe) with fan-out sharing: an LP over difference
// constraints whose dual is a min-cost flow, solved exactly by LEMON's network simplex. Its cost
// is the emitted count rank by rank; bits copied from another node (an adder's low bits, a
// view's selection) then ride on their source's chain, so `register_bits` can be lower than the
// LP's optimum, never below `register_bits_lower_bound`. docs/pipeline.md has the details.
#include <optional>
#include <vector>

#include <fixvar/ir/graph.hpp>

namespace fixvar::backend {

struct PipelineOptions {
    /// > 0: at most this many levels of estimated delay per stage (a single slower node is
    /// allowed alone). <= 0 with no `latency`: combinational.
    double latency_cutoff = 0;
    /// Cycles from inputs to outputs. Unset: the fewest the cut-off allows. Set without a
    /// cut-off: the smallest cut-off that allows it (logic spread evenly over the stages).
    std::optional<int> latency = std::nullopt;
    /// Registers at the module boundary: no logic before the first rank (inputs) or after the
    /// last one (outputs), what timing closure inside a larger design wants.
    bool register_inputs = false;
    bool register_outputs = false;
    /// Emission only (emit_verilog; plan_pipeline places the graph it is given): a single-use
    /// sum tree that a register rank cuts through is summed again, one partial sum per stage,
    /// when the module then needs fewer register bits at the same latency and cut-off. The
    /// module computes the same values with other adders (VerilogModule::regrouped): fewer
    /// flip-flops for a few more LUTs, and a proof against a combinational module needs the
    /// combinational module of that graph (docs/pipeline.md, "Sums regrouped by stage").
    bool regroup_sums = false;

    bool clocked() const {
        return latency_cutoff > 0 || (latency && *latency > 0) || register_inputs || register_outputs;
    }
};

/// One stage of a placement.
struct StageSummary {
    int nodes = 0;           ///< nodes computed in it (views and constants excluded)
    double levels = 0;       ///< its longest path, in levels of estimated delay
    long register_bits = 0;  ///< bits of the register rank that ends it (0 for stage L)
};

/// The same latency with longer stages: what a slower clock would save in registers.
struct LongerStages {
    double cutoff = 0;       ///< levels per stage (the placement's cut-off times a factor)
    long register_bits = 0;  ///< fewest register bits at that cut-off and the same latency
};

/// A placement's numbers (what report.json keeps of it).
struct PipelineSummary {
    bool clocked = false;
    int latency = 0;      ///< L, register ranks
    int min_latency = 0;  ///< the fewest ranks the cut-off (and boundary) allows
    double cutoff = 0;    ///< levels per stage used
    bool register_inputs = false, register_outputs = false;
    long register_bits = 0;              ///< flip-flops of the emitted module
    long register_bits_lower_bound = 0;  ///< no placement at this latency and cut-off needs fewer
                                         ///< (-1: not computed, past 30,000 placed nodes)
    long register_bits_asap = 0;         ///< every node as early as possible, for comparison
    /// The cut-off raised by 10%, 25% and 50% at the same latency: the register/clock trade-off
    /// a user picks from (`--latency-cutoff`). Empty when not computed (combinational, no
    /// cut-off, or past 30,000 placed nodes, where each point is a full solve).
    std::vector<LongerStages> longer_stages;
    /// The fewest register bits of any placement at this latency, stages of any length (a
    /// cut-off as long as the whole circuit): the end of that trade-off. -1: not computed.
    long register_bits_floor = -1;
    /// With regroup_sums, when it paid: the register bits of the given graph's placement (then
    /// `register_bits` is the regrouped graph's). -1 otherwise.
    long register_bits_before_regrouping = -1;
    int regrouped_sums = 0;            ///< sum trees regrouped (0: none)
    std::vector<StageSummary> stages;  ///< L + 1 stages
};

/// A placement: its numbers and, per node, where it is computed and what its registers hold.
struct Pipeline : PipelineSummary {
    // Per node (indexed by NodeId):
    std::vector<int> stage;      ///< stage computing it; -1 for constants; views: their first reader's
    std::vector<int> last_read;  ///< latest stage reading it (== stage when never registered)
    /// Bits held by each rank of its register chain: rank_bits[id][t - stage - 1] for ranks
    /// stage + 1 .. last_read, bit j = bit j of the node's wire (empty for views).
    std::vector<std::vector<unsigned __int128>> rank_bits;
    std::vector<char> view;  ///< 1: rebuilt in each stage that reads it, never registered
    /// Where a bit comes from when it is a copy: `node`'s bit `bit` (node -1: the constant
    /// `bit`). Such bits are carried by their source's chain, as synthesis would share them.
    struct BitSource {
        int node = -1, bit = 0;
    };
    /// Per node: the sources of its low bits that are copies (often none).
    std::vector<std::vector<BitSource>> alias;
};

/// The placement of `g` under `options` (combinational: everything in stage 0). Error when the
/// latency is negative, below the minimum for the cut-off, or the cut-off is not finite.
Pipeline plan_pipeline(const ir::Graph& g, const PipelineOptions& options);

/// A given placement (`stages[id]` for every node; constants' and views' entries are ignored)
/// under the same options, its registers counted as plan_pipeline counts them: for comparing a
/// hand placement, and for checking the optimizer by enumeration. Error naming the first
/// constraint it breaks. Its register_bits_lower_bound is -1 (not computed).
Pipeline place_stages(const ir::Graph& g, const PipelineOptions& options, const std::vector<int>& stages);

}  // namespace fixvar::backend

namespace fixvar {
using backend::Pipeline;
using backend::PipelineOptions;
using backend::place_stages;
using backend::plan_pipeline;
}  // namespace fixvar
