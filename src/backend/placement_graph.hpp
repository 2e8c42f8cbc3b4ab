#pragma once
// The graph as register placement sees it (pipeline.cpp): placed nodes, their readers and the
// bits each reads, and the bits that copy another node's (carried by the source's chain).
#include <fixvar/backend/pipeline.hpp>
#include <fixvar/ir/graph.hpp>

#include "backend/read_bits.hpp"

#include <cstdint>
#include <vector>

namespace fixvar::backend::detail {

/// The graph as the placement sees it: placed nodes (dense indices, topological) and, for every
/// node, who reads it and which bits.
struct PlacementGraph {
    const ir::Graph& g;
    std::vector<int> index;                      // node id -> placed index, -1 for constants and views
    std::vector<ir::NodeId> placed;              // placed index -> node id
    std::vector<int> root;                       // node id -> placed index whose register chain serves it (-1: const)
    std::vector<std::vector<int>> succ;          // placed index -> placed readers (through views), sorted
    std::vector<std::vector<int>> pred;          // placed index -> placed operands (through views)
    std::vector<double> delay;                   // placed index -> levels to its first bits (ir::Delay)
    std::vector<double> tail;                    // placed index -> further levels to its top bit
    std::vector<std::vector<double>> succ_wait;  // parallel to succ: the operand's tail the reader waits for
    std::vector<std::vector<double>> pred_wait;  // parallel to pred
    std::vector<char> is_input;
    struct Reader {
        ir::NodeId id;  // a placed node or a view
        BitMask bits;   // bits of the read node's wire it reads
    };
    std::vector<std::vector<Reader>> readers;             // node id -> direct readers (placed or views)
    std::vector<char> is_output;                          // node id -> some output port reads it
    std::vector<BitMask> varying;                         // node id -> bits that vary
    std::vector<std::vector<Pipeline::BitSource>> alias;  // node id -> sources of its low bits

    explicit PlacementGraph(const ir::Graph& graph);
    bool is_const(ir::NodeId id) const { return g[id].range.lo == g[id].range.hi; }
    std::vector<std::vector<int>> finals;  // node id -> placed readers through views (-1: an output)
    /// Appends the placed readers reached through direct reader k: k itself, or a view's finals.
    void reach(std::size_t k, std::vector<int>& who) const {
        if (index[k] >= 0)
            who.push_back(index[k]);
        else
            who.insert(who.end(), finals[k].begin(), finals[k].end());
    }

    /// Bits of p that the same set of placed readers needs (-1 in `readers`: an output): each
    /// such class is carried until the last of them, so its cost is exact per rank.
    struct BitClass {
        std::vector<int> readers;
        std::int64_t bits = 0;
    };
    /// The classes of p's varying, needed bits; `own_only` leaves out bits that copy another
    /// node's (carried by their source, maybe shared: what a lower bound may not count).
    std::vector<BitClass> classes(int p, bool own_only) const;
};

/// Every placed node's first bits, in levels into its stage (`stage`: per placed index): the
/// longest same-stage path to them, waiting for an operand's tail where the reader needs it whole.
std::vector<double> first_bit_arrivals(const PlacementGraph& pg, const std::vector<int>& stage);

/// plan_pipeline's placement alone: no lower bound, no as-soon-as-possible count, no longer
/// stages or floor (each another solve), for callers that place many candidates.
Pipeline plan_pipeline_only(const ir::Graph& g, const PipelineOptions& options);

}  // namespace fixvar::backend::detail
