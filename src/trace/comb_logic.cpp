#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/ir/text.hpp>
#include <fixvar/trace/comb_logic.hpp>

#include <algorithm>

namespace fixvar {

CombLogic::CombLogic(ir::Graph graph) : graph_(std::move(graph)) { ir::check_ports(graph_, "CombLogic"); }

kif CombLogic::input_format(std::size_t port) const {
    if (port >= input_count())
        fail("input_format", "port {} does not exist (the circuit has {} inputs)", port, input_count());
    return graph_[graph_.inputs[port]].range.minimal_kif();
}

const ExactRange& CombLogic::output_range(std::size_t j) const {
    if (j >= output_count())
        fail("output_range", "output {} does not exist (the circuit has {} outputs)", j, output_count());
    return graph_[graph_.outputs[j]].range;
}

std::vector<i128> CombLogic::predict_mantissas(std::span<const i128> inputs, std::size_t batch, int threads,
                                               ir::RangeCheck check) const {
    ir::InterpretOptions opt;
    opt.threads = threads;
    opt.check = check;
    return ir::interpret(graph_, inputs, batch, opt);
}

std::vector<i128> CombLogic::input_mantissas(const std::vector<std::vector<double>>& samples,
                                             std::optional<QuantizeInputs> quantize, std::string_view op) const {
    std::size_t n_in = input_count();
    std::vector<i128> in;
    in.reserve(samples.size() * n_in);
    for (std::size_t s = 0; s < samples.size(); ++s) {
        if (samples[s].size() != n_in)
            fail(op, "sample {} has {} values; the circuit has {} inputs", s, samples[s].size(), n_in);
        for (std::size_t p = 0; p < n_in; ++p) {
            const ExactRange& r = graph_[graph_.inputs[p]].range;
            double v = samples[s][p];
            Dyadic d = Dyadic::from_double(v, op);
            kif q = r.minimal_kif();
            i128 m = 0;
            bool on_grid = d.is_zero() || d.exp >= r.exp;
            if (quantize) {
                m = quantize_mantissa(d.mant, d.exp, q, quantize->round, quantize->overflow);
                // A port whose exact range is narrower than its format (a parsed graph, a CMVM
                // problem): saturation clamps to it, anything else must already land inside.
                if (quantize->overflow == Overflow::SAT || quantize->overflow == Overflow::SAT_SYM)
                    m = std::clamp(m, r.lo, r.hi);
                on_grid = true;
            } else if (on_grid && !d.is_zero()) {
                if (d.exp - r.exp > 126)
                    on_grid = false;
                else
                    m = checked_shl(d.mant, d.exp - r.exp, "predict");
            }
            if (!on_grid || m < r.lo || m > r.hi)
                fail(op,
                     "sample {}, input port {}: value {} is not representable in {} (step 2^{}, "
                     "range [{}, {}]){}",
                     s, p, v, to_string(q), r.exp, exact_decimal(r.lo, r.exp), exact_decimal(r.hi, r.exp),
                     quantize ? fmt::format(" after quantizing it ({}, {})", to_string(quantize->round),
                                            to_string(quantize->overflow))
                              : std::string("; pass QuantizeInputs{round, overflow} to quantize "
                                            "float data to the port formats"));
            in.push_back(m);
        }
    }
    return in;
}

std::vector<std::vector<double>> CombLogic::predict(const std::vector<std::vector<double>>& samples, int threads,
                                                    ir::RangeCheck check) const {
    std::vector<i128> out = predict_mantissas(input_mantissas(samples), samples.size(), threads, check);
    return output_values(out, samples.size());
}

std::vector<std::vector<double>> CombLogic::predict(const std::vector<std::vector<double>>& samples,
                                                    QuantizeInputs quantize, int threads, ir::RangeCheck check) const {
    std::vector<i128> out = predict_mantissas(input_mantissas(samples, quantize), samples.size(), threads, check);
    return output_values(out, samples.size());
}

std::vector<std::vector<double>> CombLogic::output_values(std::span<const i128> mantissas, std::size_t batch,
                                                          std::string_view op) const {
    std::size_t n_out = output_count();
    if (batch > mantissas.size() || mantissas.size() != batch * n_out)
        fail(op, "{} output mantissas for {} samples x {} outputs", mantissas.size(), batch, n_out);
    std::vector<std::vector<double>> result(batch, std::vector<double>(n_out));
    for (std::size_t s = 0; s < batch; ++s)
        for (std::size_t j = 0; j < n_out; ++j)
            result[s][j] = exact_double(mantissas[s * n_out + j], output_range(j).exp, op);
    return result;
}

std::string CombLogic::summary() const {
    ir::GraphStats s = stats();
    std::string ops;
    for (int o = 0; o < ir::op_count; ++o)
        if (s.count_by_op[o]) ops += fmt::format(" {}={}", ir::to_string(ir::Op(o)), s.count_by_op[o]);
    return fmt::format("inputs={} outputs={} nodes={} ({} ) cost={} depth={} latency={:.2f}", input_count(),
                       output_count(), s.nodes, ops, s.total_cost, s.depth, s.latency);
}

std::string CombLogic::dump() const { return ir::dump(graph_); }

CombLogic CombLogic::parse(std::string_view text) { return CombLogic(ir::parse_graph(text)); }

CombLogic comb_trace(const std::vector<FixedVariable>& inputs, const std::vector<FixedVariable>& outputs) {
    if (inputs.empty() && outputs.empty()) fail("comb_trace", "no inputs and no outputs given");
    const TraceContext& ctx = !inputs.empty() ? inputs[0].context() : outputs[0].context();
    std::vector<ir::NodeId> in_ids, out_ids;
    for (std::size_t p = 0; p < inputs.size(); ++p) {
        if (inputs[p].context() != ctx) fail("comb_trace", "input {} comes from a different trace", p);
        if (ctx->is_unformatted(inputs[p].id()))
            fail("comb_trace", "input {} never received a format; quantize it before use", p);
        in_ids.push_back(inputs[p].id());
    }
    for (std::size_t j = 0; j < outputs.size(); ++j) {
        ir::NodeId id = outputs[j].id();
        if (outputs[j].context() != ctx) {
            if (!outputs[j].is_constant()) fail("comb_trace", "output {} comes from a different trace", j);
            id = ctx->constant(outputs[j].builder().constant_value(outputs[j].id()));
        }
        out_ids.push_back(id);
    }
    return CombLogic(ir::extract(ctx->graph(), in_ids, out_ids));
}

}  // namespace fixvar
