#pragma once
// The bit-exact interpreter: evaluates a graph on integer mantissas for a batch of samples.
// It is the oracle every backend is checked against. Samples are split into chunks that are
// evaluated node by node (one tight loop per node over the chunk); chunks run on threads.
// Values live in slots reused once a node's last consumer has run, so memory follows the
// graph's live width, not its size.
#include <span>
#include <vector>

#include <fixvar/ir/graph.hpp>

namespace fixvar::ir {

/// Checked mode: every node's value of every sample is checked against the node's exact range
/// (values are mantissas on the node's grid, 2^exp, by construction); the first node (in graph
/// order) whose value leaves it is an Error naming the sample, node, value and range. It
/// checks the range rules at every node, not only at the outputs (~2x slower).
enum class RangeCheck { off, every_node };

struct InterpretOptions {
    int threads = 0;         ///< 0: hardware concurrency
    std::size_t chunk = 64;  ///< samples evaluated together per node
    RangeCheck check = RangeCheck::off;
};

/// `inputs`: batch x g.inputs.size() mantissas, row-major, each at its input port's exponent
/// (and inside its range: Error otherwise). Returns batch x g.outputs.size() mantissas, each
/// at its output node's exponent (g[g.outputs[j]].range.exp).
std::vector<i128> interpret(const Graph& g, std::span<const i128> inputs, std::size_t batch,
                            const InterpretOptions& options = {});

}  // namespace fixvar::ir
