// GraphBuilder: hash-consing, constant folding, algebraic no-ops, DCE (via comb_trace), stats.
#include <catch2/catch.hpp>

#include <fixvar/fixvar.hpp>
#include <fixvar/ir/builder.hpp>

using namespace fixvar;
using ir::Op;

namespace {
std::size_t count(const ir::Graph& g, Op op) {
    std::size_t n = 0;
    for (auto& nd : g.nodes()) n += nd.op == op;
    return n;
}
}  // namespace

TEST_CASE("hash-consing: identical expressions share a node", "[ir][builder]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 2}), y = input(kif{0, 4, 0});
    CHECK((x + y).id() == (x + y).id());
    CHECK((x + y).id() == (y + x).id());  // commutative canonical form
    CHECK((x * y).id() == (y * x).id());
    CHECK(max(x, y).id() == max(y, x).id());
    CHECK(min(x, y).id() == min(y, x).id());
    CHECK((x - y).id() == (x - y).id());
    CHECK((x - y).id() != (y - x).id());
    CHECK(relu(x).id() == relu(x).id());
    CHECK((x * 3).id() == (x * 3).id());
    CHECK(quantize(x, kif{1, 2, 0}, Round::RND, Overflow::SAT).id() ==
          quantize(x, kif{1, 2, 0}, Round::RND, Overflow::SAT).id());
    CHECK(quantize(x, kif{1, 2, 0}, Round::RND, Overflow::SAT).id() !=
          quantize(x, kif{1, 2, 0}, Round::TRN, Overflow::SAT).id());
    CHECK((x < y).id() == (x < y).id());
    CHECK(FixedVariable(1.5).id() == FixedVariable(1.5).id());
    // two inputs of the same format are still distinct ports
    CHECK(input(kif{1, 3, 2}).id() != input(kif{1, 3, 2}).id());
    std::size_t before = current_trace()->graph().size();
    (void)(x + y);
    (void)(y + x);
    (void)(x * 3);
    CHECK(current_trace()->graph().size() == before);  // nothing new
}

TEST_CASE("constant folding", "[ir][builder]") {
    new_trace();
    FixedVariable a = 1.5, b = -0.25;
    CHECK((a + b).is_constant());
    CHECK((a + b).min() == 1.25);
    CHECK((a * b).min() == -0.375);
    CHECK((a - b).max() == 1.75);
    CHECK((-a).min() == -1.5);
    CHECK(abs(b).min() == 0.25);
    CHECK(relu(b).max() == 0);
    CHECK(max(a, b).min() == 1.5);
    CHECK(min(a, b).min() == -0.25);
    CHECK((a < b).is_constant());
    CHECK((a < b).max() == 0);
    CHECK((a >= b).min() == 1);
    CHECK(quantize(FixedVariable(2.75), kif{1, 1, 0}, Round::RND, Overflow::WRAP).min() == -1);
    CHECK((a << 3).min() == 12);
    CHECK(apply(
              FixedVariable(3.0), [](double v) { return v * v; }, kif{0, 5, 0})
              .min() == 9);

    FixedVariable x = input(kif{1, 3, 2});
    CHECK((x * 0).is_constant());
    CHECK((x * 0).max() == 0);
    CHECK((x - x).is_constant());
    CHECK((x - x).max() == 0);
    CHECK(((x << 1) - x * 2).is_constant());
    CHECK((x * 3 - x - x - x).is_constant());
    CHECK((x + 0).id() == x.id());
    CHECK((x * 1).id() == x.id());
    CHECK((x << 0).id() == x.id());
    CHECK((-(-x)).id() == x.id());
    CHECK(((x << 2) >> 2).id() == x.id());
    CHECK(where(FixedVariable(1.0), x, FixedVariable(2.0)).id() == x.id());
    CHECK(where(x < 0, x, x).id() == x.id());
    CHECK(max(x, x).id() == x.id());
    // a quantize that fits is the identity (no node, tight range kept)
    CHECK(quantize(x, kif{1, 3, 2}).id() == x.id());
    CHECK(quantize(x, kif{1, 6, 5}, Round::RND, Overflow::SAT).id() == x.id());
    FixedVariable u = input(kif{0, 4, 0});
    CHECK(relu(u).id() == u.id());
    CHECK(abs(u).id() == u.id());
    CHECK(quantize(u + 1, kif{0, 5, 0}, Round::TRN, Overflow::SAT).id() == (u + 1).id());
    // orders decided by exact ranges
    CHECK((u > -1).is_constant());
    CHECK((u > -1).min() == 1);
    CHECK(max(u, FixedVariable(-3.0)).id() == u.id());
    CHECK(sign_bit(u).is_constant());
}

TEST_CASE("exact ranges of scaled copies", "[ir][builder]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 2});  // [-8, 7.75]
    FixedVariable y = x * 3;                // built as (x << 2) - x
    CHECK(y.min() == -24);
    CHECK(y.max() == 23.25);
    FixedVariable z = x * 0.375;
    CHECK(z.min() == -3);
    CHECK(z.max() == 7.75 * 0.375);
    CHECK(count(current_trace()->graph(), Op::Mul) == 0);  // constants never make multipliers
    CHECK((x * input(kif{0, 2, 0})).range().lo < 0);
    CHECK(count(current_trace()->graph(), Op::Mul) == 1);
}

TEST_CASE("dead code elimination and stats", "[ir][builder][dce]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 2}), y = input(kif{0, 4, 0}), unused = input(kif{1, 2, 0});
    FixedVariable dead1 = x * y;
    FixedVariable dead2 = relu(dead1 - 3);
    (void)dead2;
    FixedVariable z = quantize(relu(x * 3 - y) + (x >> 1), kif{0, 5, 1}, Round::RND, Overflow::SAT);
    CombLogic logic = comb_trace({x, y, unused}, {z});
    const ir::Graph& g = logic.graph();
    CHECK(count(g, Op::Mul) == 0);    // dead1 is gone
    CHECK(count(g, Op::Input) == 3);  // inputs always kept
    for (auto& nd : g.nodes()) CHECK(nd.range.width() <= 16);
    // every non-input node reaches the output
    std::vector<char> used(g.size(), 0);
    for (auto o : g.outputs) used[std::size_t(o)] = 1;
    for (std::size_t j = g.size(); j-- > 0;)
        if (used[j])
            for (ir::NodeId o : {g[ir::NodeId(j)].a, g[ir::NodeId(j)].b, g[ir::NodeId(j)].c})
                if (o != ir::no_node) used[std::size_t(o)] = 1;
    for (std::size_t j = 0; j < g.size(); ++j)
        if (g[ir::NodeId(j)].op != Op::Input) CHECK(used[j]);
    ir::GraphStats s = logic.stats();
    CHECK(s.nodes == g.size());
    std::size_t total = 0;
    for (auto c : s.count_by_op) total += c;
    CHECK(total == g.size());
    CHECK(s.count_by_op[int(Op::Input)] == 3);
    CHECK(s.count_by_op[int(Op::Relu)] == 1);
    CHECK(s.count_by_op[int(Op::Quantize)] == 1);
    CHECK(s.adders() == s.count_by_op[int(Op::Add)]);
    CHECK(s.adders() >= 2);
    CHECK(s.total_cost > 0);
    CHECK(s.depth >= 3);  // add, relu, add, quantize chain
    CHECK(s.latency > 0);
    CHECK_THAT(logic.summary(), Catch::Contains("nodes=") && Catch::Contains("relu=1"));
    // toy example from the issue
    auto out = logic.predict({{1.25, 7.0, 0.0}, {-8.0, 0.0, 1.0}});
    CHECK(out[0][0] == 0.5);  // relu(3.75 - 7) + 0.625 = 0.625 -> RND to 0.5 steps: 0.5
    CHECK(out[1][0] == 0.0);  // relu(-24) + -4 -> SAT to 0
}

TEST_CASE("comb_trace: outputs in order, inputs in port order", "[ir][builder]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 0}), y = input(kif{1, 3, 0});
    CombLogic logic = comb_trace({y, x}, {x - y, x, FixedVariable(2.5)});
    auto out = logic.predict({{1, 5}});  // y = 1, x = 5
    REQUIRE(out.size() == 1);
    CHECK(out[0] == std::vector<double>{4, 5, 2.5});
    CHECK(logic.input_format(0) == kif{1, 3, 0});
    CHECK(logic.output_count() == 3);
}

TEST_CASE("negating a shifted or summed difference swaps its operands instead of adding a negator", "[ir][builder]") {
    // Each padding puts the swapped subtractor's node at another place in the node storage, so
    // one of them moves the storage while neg() builds it (run under ASan by `make sanitize`):
    // the shift must not be read from the moved node.
    for (int padding = 0; padding < 70; ++padding)
        for (int k : {-2, 3}) {
            new_trace();
            for (int p = 0; p < padding; ++p) (void)input(kif{0, 1, 0});
            FixedVariable a = input(kif{1, 3, 1}), b = input(kif{0, 2, 2}), c = input(kif{1, 2, 0});
            FixedVariable d = a - b;
            const double scale = k >= 0 ? double(1 << k) : 1.0 / double(1 << -k);
            FixedVariable minus = -(d * scale);
            FixedVariable both = -d - c;  // -(a - b) - c = (b - a) - c
            CombLogic l = comb_trace({a, b, c}, {minus, both});
            CHECK(count(l.graph(), Op::Neg) == 0);
            auto y = l.predict({{3.5, 0.25, -2}, {-4, 3.75, 1}});
            CHECK(y[0][0] == -(3.5 - 0.25) * scale);
            CHECK(y[0][1] == -(3.5 - 0.25) + 2);
            CHECK(y[1][0] == -(-4 - 3.75) * scale);
            CHECK(y[1][1] == -(-4 - 3.75) - 1);
        }
}
