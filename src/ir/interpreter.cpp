#include <fixvar/core/error.hpp>
#include <fixvar/core/parallel.hpp>
#include <fixvar/ir/interpreter.hpp>

#include "ir/op_table.hpp"

#include <algorithm>
#include <thread>

namespace fixvar::ir {
namespace {

// Slot assignment: each node's value lives in a slot freed after its last use.
struct SlotPlan {
    std::vector<std::int32_t> slot;                        // per node
    std::vector<std::vector<std::int32_t>> release_after;  // per node: slots freed after it
    std::vector<std::int32_t> port_of;                     // per node: input port, or -1
    std::int32_t slots = 0;
};

SlotPlan plan_slots(const Graph& g) {
    std::size_t n = g.size();
    std::vector<std::int32_t> last_use(n, -1);
    for (std::size_t j = 0; j < n; ++j) {
        const Node& nd = g[NodeId(j)];
        for (NodeId o : {nd.a, nd.b, nd.c})
            if (o != no_node) last_use[std::size_t(o)] = std::int32_t(j);
    }
    for (NodeId o : g.outputs) last_use[std::size_t(o)] = std::int32_t(n);  // never freed
    SlotPlan plan;
    plan.port_of.assign(n, -1);
    for (std::size_t p = 0; p < g.inputs.size(); ++p) plan.port_of[std::size_t(g.inputs[p])] = std::int32_t(p);
    plan.slot.assign(n, -1);
    plan.release_after.resize(n);
    std::vector<std::int32_t> free_slots;
    for (std::size_t j = 0; j < n; ++j) {
        std::int32_t s;
        if (!free_slots.empty()) {
            s = free_slots.back();
            free_slots.pop_back();
        } else {
            s = plan.slots++;
        }
        plan.slot[j] = s;
        // Release operands whose last use is this node (after computing it).
        const Node& nd = g[NodeId(j)];
        for (NodeId o : {nd.a, nd.b, nd.c}) {
            if (o == no_node || last_use[std::size_t(o)] != std::int32_t(j)) continue;
            auto& rel = plan.release_after[j];
            if (std::find(rel.begin(), rel.end(), plan.slot[std::size_t(o)]) == rel.end())
                rel.push_back(plan.slot[std::size_t(o)]);
        }
        if (last_use[j] == -1) plan.release_after[j].push_back(s);  // unused: free at once
        for (std::int32_t r : plan.release_after[j]) free_slots.push_back(r);
    }
    return plan;
}

void check_inputs(const Graph& g, std::span<const i128> inputs, std::size_t batch) {
    std::size_t n = g.inputs.size();
    if (inputs.size() != batch * n)
        fail("interpret", "expected {} input mantissas ({} samples x {} inputs), got {}", batch * n, batch, n,
             inputs.size());
    for (std::size_t s = 0; s < batch; ++s)
        for (std::size_t p = 0; p < n; ++p) {
            const ExactRange& r = g[g.inputs[p]].range;
            i128 m = inputs[s * n + p];
            if (m < r.lo || m > r.hi)
                fail("interpret", "sample {}, input {}: mantissa {} is outside the port range {}", s, p,
                     fixvar::to_string(m), fixvar::to_string(r));
        }
}

void check_node(const Graph& g, NodeId id, const i128* r, std::size_t first, std::size_t count) {
    const ExactRange& range = g[id].range;
    for (std::size_t s = 0; s < count; ++s)
        if (r[s] < range.lo || r[s] > range.hi)
            fail("interpret",
                 "checked mode: sample {}, node %{} ({}) has value {}*2^{}, outside "
                 "its exact range {}",
                 first + s, id, to_string(g[id].op), fixvar::to_string(r[s]), range.exp, fixvar::to_string(range));
}

void run_chunk(const Graph& g, const SlotPlan& plan, std::span<const i128> inputs, std::size_t first, std::size_t count,
               std::size_t stride, std::vector<i128>& vals, std::vector<i128>& out, RangeCheck check) {
    std::size_t n_in = g.inputs.size(), n_out = g.outputs.size();
    auto at = [&](NodeId id) { return vals.data() + std::size_t(plan.slot[std::size_t(id)]) * stride; };
    for (std::size_t j = 0; j < g.size(); ++j) {
        const Node& nd = g[NodeId(j)];
        i128* r = at(NodeId(j));
        if (nd.op == Op::Input) {  // from the ports; every other op from its operands
            std::int32_t p = plan.port_of[j];
            for (std::size_t s = 0; s < count; ++s) r[s] = p < 0 ? 0 : inputs[(first + s) * n_in + std::size_t(p)];
        } else {
            const OpRules& rules = op_rules(nd.op);
            OperandColumns x;
            if (rules.arity > 0) x.a = at(nd.a);
            if (rules.arity > 1) x.b = at(nd.b);
            if (rules.arity > 2) x.c = at(nd.c);
            rules.eval_batch(g, nd, x, r, count);
        }
        if (check == RangeCheck::every_node) check_node(g, NodeId(j), r, first, count);
    }
    for (std::size_t o = 0; o < n_out; ++o) {
        const i128* r = at(g.outputs[o]);
        for (std::size_t s = 0; s < count; ++s) out[(first + s) * n_out + o] = r[s];
    }
}

}  // namespace

std::vector<i128> interpret(const Graph& g, std::span<const i128> inputs, std::size_t batch,
                            const InterpretOptions& options) {
    check_ports(g, "interpret");
    check_inputs(g, inputs, batch);
    std::vector<i128> out(batch * g.outputs.size());
    if (batch == 0) return out;
    SlotPlan plan = plan_slots(g);
    std::size_t chunk = std::max<std::size_t>(1, options.chunk);
    std::size_t chunks = (batch + chunk - 1) / chunk;
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    std::size_t threads = options.threads > 0 ? std::size_t(options.threads) : hw;
    threads = std::min(threads, chunks);
    std::vector<std::vector<i128>> vals(threads);  // per worker, allocated on its first chunk
    parallel_for(chunks, int(threads), [&](std::size_t c, int w) {
        std::vector<i128>& v = vals[std::size_t(w)];
        if (v.empty()) v.resize(std::size_t(std::max(plan.slots, 1)) * chunk);
        std::size_t first = c * chunk;
        run_chunk(g, plan, inputs, first, std::min(chunk, batch - first), chunk, v, out, options.check);
    });
    return out;
}

}  // namespace fixvar::ir
