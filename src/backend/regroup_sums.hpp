#pragma once
// Sums regrouped by stage: a single-use sum tree that a register rank cuts through is summed
// again so that each stage adds what it has into one partial sum, and one partial sum crosses
// each rank instead of every partial sum the tree's shape left alive there.
#include <fixvar/backend/pipeline.hpp>
#include <fixvar/ir/graph.hpp>

#include <memory>

namespace fixvar::backend::detail {

struct Regrouped {
    ir::Graph graph;
    int trees = 0;  ///< sum trees summed again
};

/// `g` with every single-use sum tree that `plan` spreads over two or more stages rebuilt as one
/// partial sum per stage: the terms computed in a stage (and the partial sum carried into it)
/// are added earliest-arriving first, and a term that would make the stage's partial sum finish
/// past `cutoff` is carried raw into the next stage instead. The same value at every output;
/// the roots keep their ranges. Other nodes are copied unchanged.
Regrouped regroup_sums(const ir::Graph& g, const Pipeline& plan, double cutoff);

/// Rounds of regrouping and placing again (each changes the stages the next one sees).
inline constexpr int kRegroupRounds = 3;
/// Past this many nodes no regrouping (each round is a full placement).
inline constexpr std::size_t kMaxRegroupNodes = 30000;

struct RegroupedPipeline {
    Pipeline pipeline;                       ///< the placement of `graph` (or of g)
    std::shared_ptr<const ir::Graph> graph;  ///< null: g itself was placed
};

/// plan_pipeline(g, options), then, with options.regroup_sums, up to kRegroupRounds rounds of
/// regroup_sums, each placed again at the first placement's latency and cut-off and kept only
/// when it needs fewer register bits.
RegroupedPipeline plan_regrouped(const ir::Graph& g, const PipelineOptions& options);

}  // namespace fixvar::backend::detail
