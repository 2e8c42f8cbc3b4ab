// Per op and per Round x Overflow mode: emit, verilate (one build for all), compare with the
// interpreter on exhaustive sweeps of small formats (random + corners for wide ones).
#include <cmath>

#include <fmt/format.h>

#include <fixvar/backend/verilog_model.hpp>
#include <fixvar/trace/context.hpp>
#include <fixvar/trace/variable.hpp>

#include "common.hpp"

using namespace fixvar;
using namespace fixvar::backend;
using fixvar::backend::test::require_all_exact;
using fixvar::backend::test::sweep;

namespace {

struct Designs {
    std::vector<BatchDesign> list;
    void add(const std::string& name, const std::vector<FixedVariable>& in, const std::vector<FixedVariable>& out,
             VerilogOptions opt = {}) {
        CombLogic logic = comb_trace(in, out);
        list.push_back({logic, name, opt, sweep(logic)});
    }
};

void op_designs(Designs& d) {
    const kif s5{1, 2, 2}, u4{0, 3, 1}, s4c{1, 4, -1}, u3{0, 1, 2};
    auto fresh = [] { new_trace(); };
    {
        fresh();
        auto x = input(s5), y = input(u4);
        d.add("op_add", {x, y}, {x + y, x - y, y - x, x + (y << 3), (x >> 2) - y});
    }
    {
        fresh();
        auto x = input(s5), y = input(s4c);
        d.add("op_add_coarse", {x, y}, {x + y, x - y, y - (x << 1)});
    }
    {
        fresh();
        auto x = input(s5), y = input(u4), z = input(s4c);
        d.add("op_mul", {x, y}, {x * y, x * x, y * y});
        fresh();
        x = input(s5), z = input(s4c);
        d.add("op_mul_signed", {x, z}, {x * z, -(x * z)});
    }
    {
        fresh();
        auto x = input(s5), y = input(u4);
        d.add("op_unary", {x, y}, {-x, -y, relu(x), relu(y), abs(x), abs(y), x << 5, x >> 7, relu(-y), abs(-x)});
    }
    {
        fresh();
        auto x = input(s5), y = input(u4), z = input(s4c);
        d.add("op_minmax", {x, y}, {max(x, y), min(x, y), max(x, -y), min(-x, y)});
        fresh();
        x = input(s5), z = input(s4c);
        d.add("op_minmax_coarse", {x, z}, {max(x, z), min(x, z), max(z, 0.75), min(x, -1.5)});
    }
    {
        fresh();
        auto x = input(s5), y = input(u4);
        d.add("op_cmp", {x, y}, {x<y, x <= y, x> y, x >= y, x == y, x != y, x < 0.5, x >= -1});
        fresh();
        auto a = input(u3), z = input(s4c);
        d.add("op_cmp_coarse", {a, z}, {a<z, a <= z, a> z, a >= z, a == z, a != z});
    }
    {
        fresh();
        auto x = input(s5), y = input(u4), c = input(kif{0, 1, 0});
        d.add("op_select", {x, y, c}, {where(c, x, y), where(x < y, y, x), where(msb(x), -x, y << 2)});
    }
    {
        fresh();
        auto x = input(s5), y = input(u4);
        d.add("op_bit", {x, y}, {msb(x), sign_bit(x), msb(y), sign_bit(x - y)});
    }
    {
        fresh();
        auto x = input(s5), y = input(kif{0, 3, 3});
        d.add("op_table", {x, y},
              {apply(
                   x, [](double v) { return v * v - 1; }, kif{1, 3, 2}),
               apply(
                   x, [](double v) { return std::tanh(v); }, kif{1, 0, 4}, Round::RND, Overflow::SAT),
               apply(
                   y, [](double v) { return std::sqrt(v); }, kif{0, 2, 3}, Round::RND)});
    }
    {
        // Constant outputs: a width-0 zero and a nonzero constant take 0 and some bits.
        fresh();
        auto x = input(s5);
        d.add("op_const", {x}, {x, constant(0), constant(-2.5), x - x, relu(-relu(x))});
    }
}

// Every Round x Overflow mode on formats that round down, shift up, go signed->unsigned and
// unsigned->signed, with overflow in both directions.
void quantize_designs(Designs& d) {
    struct Case {
        kif in, out;
    };
    const Case cases[] = {
        {{1, 3, 4}, {1, 1, 1}},   // round 3 bits, heavy overflow both ways
        {{0, 4, 3}, {1, 2, 0}},   // unsigned -> signed
        {{1, 2, 3}, {0, 2, 1}},   // signed -> unsigned: negatives overflow
        {{1, 5, -2}, {1, 4, 1}},  // coarse input: shift up, overflow
        {{1, 3, 2}, {1, 6, 3}},   // fits: no logic at all
        {{1, 2, 3}, {1, 0, 0}},   // 1-bit signed target
        {{1, 2, 1}, {1, 2, 4}},   // same range, finer grid: only signed SAT_SYM clamps (-4 -> -max)
    };
    int c = 0;
    for (const Case& cs : cases) {
        for (Round r : all_rounds) {
            std::vector<FixedVariable> outs;
            new_trace();
            auto x = input(cs.in);
            for (Overflow o : all_overflows) outs.push_back(quantize(x, cs.out, r, o));
            d.add(fmt::format("q{}_{}", c, to_string(r)), {x}, outs);
        }
        ++c;
    }
}

void wide_designs(Designs& d) {
    new_trace();
    auto x = input(kif{1, 40, 30}), y = input(kif{1, 50, 20}), u = input(kif{0, 60, 10});
    d.add("wide_arith", {x, y, u},
          {x + y, x - u, -y, relu(x), abs(y), max(x, u), min(y, x), x < u, x == y, where(x < y, x, u), msb(u),
           sign_bit(y)});
    new_trace();
    auto a = input(kif{1, 30, 20}), b = input(kif{1, 35, 15});
    std::vector<FixedVariable> q = {a * b};
    for (Round r : all_rounds)
        for (Overflow o : all_overflows) q.push_back(quantize(a * b, kif{1, 40, 10}, r, o));
    q.push_back(quantize(a, kif{0, 20, 5}, Round::RND_CONV, Overflow::SAT_SYM));
    q.push_back(quantize(a + b, kif{1, 70, 30}, Round::RND_INF, Overflow::WRAP));
    d.add("wide_quantize", {a, b}, q);
}

}  // namespace

TEST_CASE("every op and every round x overflow mode is bit-exact in RTL", "[verilator]") {
    Designs d;
    op_designs(d);
    quantize_designs(d);
    wide_designs(d);
    // The same designs pipelined at a small cut-off (registers inside) in the same build.
    std::size_t n = d.list.size();
    for (std::size_t j = 0; j < n; ++j) {
        BatchDesign p = d.list[j];
        p.name += "_pipe";
        p.options.latency_cutoff = 1.5;
        d.list.push_back(p);
    }
    require_all_exact(d.list, "ops");
}
