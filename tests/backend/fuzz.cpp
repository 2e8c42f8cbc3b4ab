// Fuzz: random DAGs over every op kind with random formats (raw Graph::append, so forms the
// builder would simplify away occur too), each emitted combinational AND pipelined into one
// Verilator build, compared with the interpreter bit for bit (so comb == pipelined as well).
#include <cstdlib>
#include <random>

#include <fmt/format.h>

#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/core/error.hpp>

#include "common.hpp"

using namespace fixvar;
using namespace fixvar::backend;

namespace {

using ir::Node;
using ir::NodeId;
using ir::Op;

struct Rng {
    std::mt19937_64 gen;
    int uniform(int lo, int hi) { return lo + int(gen() % std::uint64_t(hi - lo + 1)); }
    bool chance(int percent) { return uniform(0, 99) < percent; }
};

kif random_format(Rng& r, bool wide) {
    int k = r.uniform(0, 1);
    int width = wide ? r.uniform(20, 70) : r.uniform(1, 8);
    int f = r.uniform(-3, 6);
    return kif{k, width - k - f, f};
}

// A node id, biased toward recent nodes so that graphs get deep.
NodeId pick(Rng& r, const ir::Graph& g) {
    int n = int(g.size());
    return r.chance(60) ? NodeId(r.uniform(std::max(0, n - 4), n - 1)) : NodeId(r.uniform(0, n - 1));
}

bool try_append(ir::Graph& g, const Node& n) {
    try {
        g.append(n);
        return true;
    } catch (const Error&) {
        return false;  // too wide, or a table that does not fit: skip
    }
}

CombLogic random_graph(Rng& r) {
    ir::Graph g;
    bool wide = r.chance(12);
    int inputs = r.uniform(1, 3);
    for (int p = 0; p < inputs; ++p) {
        Node n;
        n.op = Op::Input;
        n.param = p;
        n.range = ExactRange::of(random_format(r, wide));
        g.inputs.push_back(g.append(n));
    }
    int ops = r.uniform(3, 14);
    for (int t = 0; t < ops * 3 && int(g.size()) < inputs + ops; ++t) {
        Node n;
        n.op = Op(r.uniform(int(Op::Const), int(Op::Bit)));
        int k = ir::arity(n.op);
        if (k > 0) n.a = pick(r, g);
        if (k > 1) n.b = pick(r, g);
        if (k > 2) n.c = pick(r, g);
        switch (n.op) {
            case Op::Const:
                n.range =
                    r.chance(15) ? ExactRange{0, 0, 0} : ExactRange::constant(r.uniform(-40, 40), r.uniform(-4, 3));
                break;
            case Op::Add:
                n.param = r.uniform(-3, 3);
                n.flag = std::uint8_t(r.uniform(0, 1));
                break;
            case Op::Shift: n.param = r.uniform(-4, 4); break;
            case Op::Quantize: {
                kif q = random_format(r, wide && r.chance(50));
                n.param = g.add_quantizer({q, all_rounds[r.uniform(0, 6)], all_overflows[r.uniform(0, 3)]});
                break;
            }
            case Op::Cmp: n.flag = std::uint8_t(r.uniform(0, 5)); break;
            case Op::Bit: n.param = r.uniform(0, g[n.a].range.width() + 1); break;
            case Op::Table: {
                const ExactRange& in = g[n.a].range;
                if (in.hi - in.lo >= 512) continue;
                ir::Table tab;
                tab.in_lo = in.lo;
                tab.exp = r.uniform(-3, 2);
                int spread = r.uniform(0, 200);
                for (i128 v = in.lo; v <= in.hi; ++v) tab.values.push_back(r.uniform(-spread, spread));
                n.param = g.add_table(std::move(tab));
                break;
            }
            default: break;
        }
        try_append(g, n);
    }
    std::vector<NodeId> outs;
    int n_out = r.uniform(1, 4);
    for (int j = 0; j < n_out; ++j) outs.push_back(j == 0 ? NodeId(g.size() - 1) : pick(r, g));
    return CombLogic(ir::extract(g, g.inputs, outs));
}

std::uint64_t fuzz_seed() {
    if (const char* s = std::getenv("FIXVAR_FUZZ_SEED")) return std::strtoull(s, nullptr, 10);
    return 20240607;
}

}  // namespace

TEST_CASE("fuzz: random DAGs, RTL (combinational and pipelined) == interpreter", "[verilator][fuzz]") {
    const std::uint64_t seed = fuzz_seed();
    const int graphs = 220;
    INFO("fuzz seed " << seed << " (set FIXVAR_FUZZ_SEED to change), " << graphs << " graphs");
    WARN("fuzz seed " << seed);
    Rng r{std::mt19937_64(seed)};
    std::vector<BatchDesign> designs;
    for (int j = 0; j < graphs; ++j) {
        CombLogic logic = random_graph(r);
        Vectors v = test::sweep(logic, 10, 120, seed + std::uint64_t(j));
        designs.push_back({logic, fmt::format("fuzz{}", j), {}, v});
        VerilogOptions pipe;
        pipe.latency_cutoff = 0.5 + 0.25 * r.uniform(0, 8);
        designs.push_back({logic, fmt::format("fuzz{}_pipe", j), pipe, v});
        if (j % 2 == 0) {  // a latency alone (its smallest cut-off), with registered boundaries
            VerilogOptions timed{.latency = 2 + j % 5, .register_inputs = j % 4 == 0, .register_outputs = j % 3 == 0};
            designs.push_back({logic, fmt::format("fuzz{}_timed", j), timed, v});
        }
    }
    test::require_all_exact(designs, "fuzz");
}
