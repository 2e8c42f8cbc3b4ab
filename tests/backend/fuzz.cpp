// Fuzz: random DAGs over every op kind with random formats (raw Graph::append, so forms the
// builder would simplify away occur too), each emitted combinational AND pipelined into one
// Verilator build, compared with the interpreter bit for bit (so comb == pipelined as well);
// and random sum trees pipelined with their sums regrouped by stage.
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

// `count` inputs of random formats.
void add_inputs(Rng& r, ir::Graph& g, int count, bool wide) {
    for (int p = 0; p < count; ++p) {
        Node n;
        n.op = Op::Input;
        n.param = p;
        n.range = ExactRange::of(random_format(r, wide));
        g.inputs.push_back(g.append(n));
    }
}

CombLogic random_graph(Rng& r) {
    ir::Graph g;
    bool wide = r.chance(12);
    int inputs = r.uniform(1, 3);
    add_inputs(r, g, inputs, wide);
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

// Sums of random signed, shifted terms (inputs, constants, a few shared sums) in random tree
// shapes, some read through a relu or a bit test: what regroup_sums rebuilds when a rank cuts them.
CombLogic random_sums(Rng& r) {
    ir::Graph g;
    add_inputs(r, g, r.uniform(3, 8), false);
    std::vector<NodeId> shared(g.inputs), outs;
    for (int o = r.uniform(1, 4); o > 0; --o) {
        std::vector<NodeId> pool;
        for (int t = r.uniform(3, 14); t > 0; --t)
            pool.push_back(shared[std::size_t(r.uniform(0, int(shared.size()) - 1))]);
        if (r.chance(20)) {
            Node c;
            c.op = Op::Const;
            c.range = ExactRange::constant(r.uniform(-40, 40), r.uniform(-3, 2));
            pool.push_back(g.append(c));
        }
        while (pool.size() > 1) {
            const auto a = std::size_t(r.uniform(0, int(pool.size()) - 1));
            std::swap(pool[a], pool.back());
            const NodeId x = pool.back();
            pool.pop_back();
            const auto b = std::size_t(r.uniform(0, int(pool.size()) - 1));
            Node n;
            n.op = Op::Add;
            n.a = x;
            n.b = pool[b];
            n.param = r.uniform(-2, 3);
            n.flag = std::uint8_t(r.uniform(0, 1));
            pool[b] = g.append(n);
        }
        NodeId y = pool[0];
        if (r.chance(30)) shared.push_back(y);  // read again by a later sum: not single-use
        if (r.chance(40)) {
            Node n;
            n.op = r.chance(50) ? Op::Relu : Op::Bit;
            n.a = y;
            y = g.append(n);
        }
        outs.push_back(y);
    }
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
    int regrouped = 0;
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
        } else {  // sums regrouped by stage where that saves registers
            CombLogic sums = random_sums(r);
            VerilogOptions regroup{.latency = 1 + j % 4, .register_outputs = j % 3 == 0, .regroup_sums = true};
            regrouped += emit_verilog(sums, "m", regroup).regrouped != nullptr;
            designs.push_back(
                {sums, fmt::format("fuzz{}_regroup", j), regroup, test::sweep(sums, 10, 120, seed + std::uint64_t(j))});
        }
    }
    WARN(regrouped << " of " << graphs / 2 << " random sums regrouped (regroup_sums)");
    CHECK(regrouped > 0);  // the regrouping path is exercised, not only the plain one
    test::require_all_exact(designs, "fuzz");
}

TEST_CASE("fuzz: the graphs it found stay bit-exact", "[verilator][fuzz]") {
    // Seed 1: a signed SAT_SYM quantizer whose input reaches -2^(i+f) exactly (the emitter once
    // skipped its clamp). Seed 23: a relu inlined into a comparison inside a concatenation, which
    // Verilator 5.006 simulated wrongly unless built with -fno-expand. Seed 25, pipelined: an
    // adder's low bits copied from an operand's constant bits (6 + b) after that operand's last
    // register stage (they were emitted as 0, not as the constant).
    const char* found[] = {
        "fixvar-graph 1\n%0 = input 0 : [-16, 15]*2^-1\n%1 = input 1 : [-8, 7]*2^-1\n"
        "%2 = quantize %1 kif{1,2,4} RND_INF SAT_SYM : [-63, 56]*2^-4\ninputs %0 %1\noutputs %2\n",
        "fixvar-graph 1\n%0 = input 0 : [-2, 1]*2^-2\n%1 = abs %0 : [0, 2]*2^-2\n%2 = min %0, %1 : [-2, 1]*2^-2\n"
        "%3 = relu %2 : [0, 1]*2^-2\n%4 = quantize %0 kif{1,0,0} TRN SAT : [-1, 0]*2^0\n"
        "%5 = cmp.le %3, %4 : [0, 1]*2^0\n%6 = quantize %5 kif{1,1,1} RND_CONV SAT : [0, 2]*2^-1\n"
        "%7 = shift %4, -1 : [-1, 0]*2^-1\n%8 = mul %6, %7 : [-2, 0]*2^-2\ninputs %0\noutputs %8 %8 %7\n",
    };
    std::vector<BatchDesign> designs;
    int k = 0;
    for (const char* text : found) {
        CombLogic logic = CombLogic::parse(text);
        designs.push_back({logic, fmt::format("found{}", k++), {}, test::sweep(logic)});
    }
    CombLogic copies = CombLogic::parse(
        "fixvar-graph 1\n%0 = input 0 : [-4, 3]*2^3\n%1 = const : [3, 3]*2^4\n%2 = bit %1, 1 : [0, 1]*2^0\n"
        "%3 = add %1, %2 << 3 : [6, 7]*2^3\n%4 = abs %1 : [3, 3]*2^4\n%5 = add %4, %3 << -3 : [54, 55]*2^0\n"
        "inputs %0\noutputs %5 %4\n");
    designs.push_back({copies, "found_copies", {.latency = 3, .register_outputs = true}, test::sweep(copies)});
    test::require_all_exact(designs, "fuzz_found");
}
