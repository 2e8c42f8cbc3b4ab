// einsum / matmul against a naive independent einsum on exact values.
#include "helpers.hpp"

#include <map>

using namespace fixvar;
using namespace array_test;

namespace {

// Naive einsum: `spec` explicit ("ab,bc->ac"), letters only. Loops over every assignment of
// every letter and accumulates the product into the output element.
Values naive_einsum(const std::string& spec, const std::vector<Values>& vals, const std::vector<Shape>& shapes) {
    auto arrow = spec.find("->");
    std::string lhs = spec.substr(0, arrow), out = spec.substr(arrow + 2);
    std::vector<std::string> terms;
    std::string cur;
    for (char c : lhs) {
        if (c == ',')
            terms.push_back(cur), cur.clear();
        else
            cur += c;
    }
    terms.push_back(cur);
    std::map<char, std::int64_t> size;
    for (std::size_t t = 0; t < terms.size(); ++t)
        for (std::size_t d = 0; d < terms[t].size(); ++d) size[terms[t][d]] = shapes[t][d];
    std::string letters;
    Shape all;
    for (auto [c, n] : size) letters += c, all.push_back(n);
    Shape oshape;
    for (char c : out) oshape.push_back(size[c]);
    Values r(std::size_t(numel(oshape)), 0.0);
    each_index(all, [&](const auto& idx) {
        auto val = [&](char c) { return idx[letters.find(c)]; };
        double p = 1;
        for (std::size_t t = 0; t < terms.size(); ++t) {
            std::vector<std::int64_t> i;
            for (char c : terms[t]) i.push_back(val(c));
            p *= vals[t][std::size_t(offset(shapes[t], i))];
        }
        std::vector<std::int64_t> o;
        for (char c : out) o.push_back(val(c));
        r[std::size_t(offset(oshape, o))] += p;
    });
    return r;
}

struct EinsumCase {
    std::string spec, ref;  // ref: the same contraction, explicit, letters only
    Shape a, b;             // b empty (and one_operand) for one-operand specs
    bool one_operand = false;
};

}  // namespace

TEST_CASE("einsum table against a naive einsum (variable/constant on either side)", "[array][einsum]") {
    std::vector<EinsumCase> cases = {
        {"ij,jk->ik", "ij,jk->ik", {3, 4}, {4, 2}},
        {"ij,jk", "ij,jk->ik", {3, 4}, {4, 2}},
        {"bij,bjk->bik", "bij,bjk->bik", {2, 3, 4}, {2, 4, 2}},
        {"i,j->ij", "i,j->ij", {3}, {4}},
        {"ii->", "ii->", {3, 3}, {}, true},
        {"ii->i", "ii->i", {4, 4}, {}, true},
        {"ii", "ii->", {3, 3}, {}, true},
        {"ij->ji", "ij->ji", {2, 3}, {}, true},
        {"ijk->", "ijk->", {2, 3, 2}, {}, true},
        {"ijk->j", "ijk->j", {2, 3, 2}, {}, true},
        {"ijk->ki", "ijk->ki", {2, 3, 2}, {}, true},
        {"iii->i", "iii->i", {2, 2, 2}, {}, true},
        {"ij,ij->ij", "ij,ij->ij", {3, 3}, {3, 3}},
        {"ij,ij->", "ij,ij->", {2, 3}, {2, 3}},
        {"i,i->", "i,i->", {5}, {5}},
        {"i,i", "i,i->", {5}, {5}},
        {"ij,j->i", "ij,j->i", {3, 4}, {4}},
        {"i,ij->j", "i,ij->j", {3}, {3, 4}},
        {"ijk,kl->ijl", "ijk,kl->ijl", {2, 3, 4}, {4, 2}},
        {"ijk,jkl->il", "ijk,jkl->il", {2, 3, 2}, {3, 2, 2}},
        {"iij,jk->ik", "iij,jk->ik", {3, 3, 2}, {2, 2}},
        {"ij,kj->ik", "ij,kj->ik", {3, 4}, {2, 4}},
        {"ji,jk->ik", "ji,jk->ik", {4, 3}, {4, 2}},
        {"ij,kl->ijkl", "ij,kl->ijkl", {2, 2}, {2, 3}},
        {"ij,jk->ki", "ij,jk->ki", {3, 4}, {4, 2}},
        {"bi,bi->b", "bi,bi->b", {3, 4}, {3, 4}},
        {"ij,k->", "ij,k->", {2, 3}, {3}},
        {"ij,k->ik", "ij,k->ik", {2, 3}, {2}},
        {"ii,i->i", "ii,i->i", {3, 3}, {3}},
        {"Ab,bC->AC", "ab,bc->ac", {2, 3}, {3, 2}},
        {"bij,jk->bik", "bij,jk->bik", {2, 3, 4}, {4, 2}},
        {"ij,bjk->bik", "ij,bjk->bik", {3, 4}, {2, 4, 2}},
        {"...ij,...jk->...ik", "zij,zjk->zik", {2, 3, 4}, {2, 4, 2}},
        {"...ij,jk->...ik", "zij,jk->zik", {2, 3, 4}, {4, 2}},
        {"...i->...", "zi->z", {2, 3}, {}, true},
        {"i...->", "iz->", {2, 3}, {}, true},
        {"ijk,ikj->i", "ijk,ikj->i", {2, 3, 2}, {2, 2, 3}},
        {" ij , jk -> ik ", "ij,jk->ik", {2, 2}, {2, 3}},
    };
    REQUIRE(cases.size() >= 25);
    unsigned seed = 0;
    for (const auto& c : cases) {
        for (int mode = 0; mode < (c.one_operand ? 1 : 3); ++mode) {  // var*var, var*const, const*var
            ++seed;
            CAPTURE(c.spec, mode, seed);
            std::mt19937 rng(seed);
            new_trace();
            std::vector<FixedVariableArray> ins;
            std::vector<Shape> shapes = {c.a};
            if (!c.one_operand) shapes.push_back(c.b);
            std::vector<FixedVariableArray> ops;
            std::vector<Values> consts(shapes.size());
            std::vector<int> input_of(shapes.size(), -1);
            for (std::size_t j = 0; j < shapes.size(); ++j) {
                bool is_const = (mode == 1 && j == 1) || (mode == 2 && j == 0);
                if (is_const) {
                    consts[j] = random_constants(numel(shapes[j]), rng);
                    ops.push_back(constant(consts[j], shapes[j]));
                } else {
                    ops.push_back(input(shapes[j], kif{1, 2, 1}));
                    input_of[j] = int(ins.size());
                    ins.push_back(ops.back());
                }
            }
            FixedVariableArray y = ops.size() == 1 ? einsum(c.spec, ops[0]) : einsum(c.spec, ops[0], ops[1]);
            check_circuit(
                ins, y,
                [&](const std::vector<Values>& in) {
                    std::vector<Values> v;
                    for (std::size_t j = 0; j < shapes.size(); ++j)
                        v.push_back(input_of[j] >= 0 ? in[std::size_t(input_of[j])] : consts[j]);
                    return naive_einsum(c.ref, v, shapes);
                },
                rng, 4);
        }
    }
}

TEST_CASE("constant x variable contractions use no multipliers", "[array][einsum]") {
    new_trace();
    FixedVariableArray x = input({3, 4}, kif{1, 3, 0});
    FixedVariableArray w = constant({1.0, -2.0, 0.5, 3.0, 0.0, 0.25, 1.0, 1.0, -1.0, 0.0, 2.0, 0.75}, {4, 3});
    CombLogic l = comb_trace({x}, {matmul(x, w), einsum("ij,ki->kj", w, x)});
    CHECK(l.stats().count_by_op[int(ir::Op::Mul)] == 0);
    new_trace();
    FixedVariableArray a = input({2, 3}, kif{1, 3, 0}), b = input({3, 2}, kif{1, 3, 0});
    CombLogic m = comb_trace({a, b}, {matmul(a, b)});
    CHECK(m.stats().count_by_op[int(ir::Op::Mul)] == 12);
}

TEST_CASE("matmul: 1-D, 2-D and broadcast batches like numpy", "[array][matmul]") {
    struct Case {
        Shape a, b, out;
    };
    std::vector<Case> cases = {
        {{4}, {4}, {}},
        {{3, 4}, {4}, {3}},
        {{4}, {4, 2}, {2}},
        {{2, 3, 4}, {4, 2}, {2, 3, 2}},
        {{2, 1, 3, 4}, {5, 4, 2}, {2, 5, 3, 2}},
        {{1, 3, 4}, {2, 4, 5}, {2, 3, 5}},
        {{4}, {2, 4, 3}, {2, 3}},
        {{2, 3, 4}, {4}, {2, 3}},
    };
    unsigned seed = 100;
    for (const auto& c : cases) {
        for (int mode = 0; mode < 2; ++mode) {
            ++seed;
            CAPTURE(to_string(c.a), to_string(c.b), mode, seed);
            std::mt19937 rng(seed);
            new_trace();
            FixedVariableArray a = input(c.a, kif{1, 2, 1});
            Values wv = random_constants(numel(c.b), rng);
            FixedVariableArray b = mode ? constant(wv, c.b) : input(c.b, kif{1, 2, 0});
            FixedVariableArray y = matmul(a, b);
            REQUIRE(y.shape() == c.out);
            std::vector<FixedVariableArray> ins = {a};
            if (!mode) ins.push_back(b);
            check_circuit(
                ins, y,
                [&](const std::vector<Values>& in) {
                    const Values& av = in[0];
                    const Values& bv = mode ? wv : in[1];
                    // Promote, broadcast batches, multiply (numpy's rules, written out).
                    Shape A = c.a, B = c.b;
                    if (A.size() == 1) A.insert(A.begin(), 1);
                    if (B.size() == 1) B.push_back(1);
                    std::size_t nb = std::max(A.size(), B.size()) - 2;
                    Shape batch(nb);
                    auto bdim = [&](const Shape& s, std::size_t d) -> std::int64_t {
                        std::size_t off = nb - (s.size() - 2);
                        return d < off ? 1 : s[d - off];
                    };
                    for (std::size_t d = 0; d < nb; ++d) batch[d] = std::max(bdim(A, d), bdim(B, d));
                    std::int64_t I = A[A.size() - 2], K = A.back(), J = B.back();
                    Values r;
                    each_index(batch, [&](const auto& bi) {
                        auto base = [&](const Shape& s) {
                            std::vector<std::int64_t> idx;
                            std::size_t off = nb - (s.size() - 2);
                            for (std::size_t d = off; d < nb; ++d) idx.push_back(s[d - off] == 1 ? 0 : bi[d]);
                            return idx;
                        };
                        auto ia = base(A), ib = base(B);
                        for (std::int64_t i = 0; i < I; ++i)
                            for (std::int64_t j = 0; j < J; ++j) {
                                double acc = 0;
                                for (std::int64_t k = 0; k < K; ++k) {
                                    auto xa = ia, xb = ib;
                                    xa.push_back(i), xa.push_back(k);
                                    xb.push_back(k), xb.push_back(j);
                                    acc += av[std::size_t(offset(A, xa))] * bv[std::size_t(offset(B, xb))];
                                }
                                r.push_back(acc);
                            }
                    });
                    return r;
                },
                rng, 3);
        }
    }
}
