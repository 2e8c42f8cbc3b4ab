#pragma once
// CombLogic: an immutable traced circuit — the graph reachable from its outputs, with its
// input ports in the order given to comb_trace. `predict` runs the bit-exact interpreter.
#include <optional>
#include <string>
#include <vector>

#include <fixvar/core/modes.hpp>

#include <fixvar/ir/graph.hpp>
#include <fixvar/ir/interpreter.hpp>
#include <fixvar/trace/variable.hpp>

namespace fixvar {

/// How float samples become input-port values when predict is asked to quantize them: each
/// value is rounded to its port's step and then overflow-handled into the port's format, as
/// quantize() would (core/quantize.hpp). Without it, a value off the grid or out of range is
/// an Error. A format-less input() takes the format of the quantize that first consumed it; that
/// quantize's own modes are not part of the circuit: the port receives already quantized data.
struct QuantizeInputs {
    Round round = Round::RND;
    Overflow overflow = Overflow::SAT;
};

class CombLogic {
public:
    explicit CombLogic(ir::Graph graph);

    /// Each sample is the flattened concatenation of all inputs (comb_trace order); returns
    /// the outputs likewise. Values must be exactly representable in their port format.
    /// `check`: RangeCheck::every_node checks every node's value against its exact range
    /// (ir/interpreter.hpp) and names the first node that leaves it.
    std::vector<std::vector<double>> predict(const std::vector<std::vector<double>>& samples, int threads = 0,
                                             ir::RangeCheck check = ir::RangeCheck::off) const;
    /// Same, first quantizing every float value to its port's format with `quantize`'s modes.
    std::vector<std::vector<double>> predict(const std::vector<std::vector<double>>& samples, QuantizeInputs quantize,
                                             int threads = 0, ir::RangeCheck check = ir::RangeCheck::off) const;
    /// The samples as port mantissas (batch x n_inputs): exact (Error naming `op` if a value
    /// is not representable in its port) or quantized with `quantize`.
    std::vector<i128> input_mantissas(const std::vector<std::vector<double>>& samples,
                                      std::optional<QuantizeInputs> quantize = std::nullopt,
                                      std::string_view op = "predict") const;
    /// Output mantissas (batch x n_outputs) as exact doubles (Error naming `op` if one is not
    /// representable as a double).
    std::vector<std::vector<double>> output_values(std::span<const i128> mantissas, std::size_t batch,
                                                   std::string_view op = "predict output") const;
    /// Same on raw mantissas: batch x n_inputs (at each port's exponent) -> batch x n_outputs.
    std::vector<i128> predict_mantissas(std::span<const i128> inputs, std::size_t batch, int threads = 0,
                                        ir::RangeCheck check = ir::RangeCheck::off) const;

    const ir::Graph& graph() const { return graph_; }
    std::size_t input_count() const { return graph_.inputs.size(); }
    std::size_t output_count() const { return graph_.outputs.size(); }
    kif input_format(std::size_t port) const;
    const ExactRange& output_range(std::size_t j) const;
    ir::GraphStats stats() const { return ir::stats(graph_); }
    /// Human-readable summary of stats(): nodes by op, cost, depth, latency.
    std::string summary() const;
    /// Text form of the graph (ir/text.hpp); CombLogic::parse reads it back exactly.
    std::string dump() const;
    static CombLogic parse(std::string_view text);
    /// The same circuit (graphs equal, ir::operator==): CombLogic::parse(l.dump()) == l. The
    /// array shapes below are not part of the circuit (nor of its text form).
    friend bool operator==(const CombLogic& a, const CombLogic& b) { return a.graph_ == b.graph_; }

    /// Shapes of the arrays given to comb_trace over arrays (trace/array.hpp), in port order;
    /// empty for a scalar trace. predict stays flat; unflatten_outputs reshapes.
    std::vector<std::vector<std::int64_t>> input_shapes, output_shapes;

private:
    ir::Graph graph_;
};

/// Extracts the circuit from `inputs` to `outputs` (dead code removed).
CombLogic comb_trace(const std::vector<FixedVariable>& inputs, const std::vector<FixedVariable>& outputs);

}  // namespace fixvar
