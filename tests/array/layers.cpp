// dense / conv / pool against naive loops; error messages.
#include "helpers.hpp"

using namespace fixvar;
using namespace array_test;

TEST_CASE("dense layer matches the naive loop", "[array][layers]") {
    new_trace();
    std::mt19937 rng(31);
    FixedVariableArray x = input({6}, kif{1, 3, 1});
    Values w = random_constants(6 * 4, rng), b = random_constants(4, rng);
    FixedVariableArray y = dense(x, constant(w, {6, 4}), constant(b));
    REQUIRE(y.shape() == Shape{4});
    check_circuit(
        {x}, y,
        [&](const auto& in) {
            Values r;
            for (int o = 0; o < 4; ++o) {
                double acc = b[std::size_t(o)];
                for (int i = 0; i < 6; ++i) acc += in[0][std::size_t(i)] * w[std::size_t(i * 4 + o)];
                r.push_back(acc);
            }
            return r;
        },
        rng);
}

TEST_CASE("conv2d / conv1d (stride, valid/same) match naive loops", "[array][layers]") {
    struct Case {
        std::int64_t H, W, C, KH, KW, F, sh, sw;
        Padding pad;
        bool variable_kernel;
    };
    std::vector<Case> cases = {
        {5, 5, 1, 3, 3, 2, 1, 1, Padding::Valid, false}, {6, 5, 2, 3, 2, 3, 2, 1, Padding::Valid, false},
        {5, 4, 2, 3, 3, 2, 1, 1, Padding::Same, false},  {7, 6, 1, 2, 3, 2, 2, 2, Padding::Same, false},
        {4, 4, 2, 2, 2, 2, 1, 1, Padding::Valid, true},
    };
    unsigned seed = 40;
    for (const auto& c : cases) {
        ++seed;
        CAPTURE(seed, c.H, c.W, c.C, c.KH, c.KW, c.F, c.sh, c.sw, int(c.pad), c.variable_kernel);
        std::mt19937 rng(seed);
        new_trace();
        FixedVariableArray x = input({c.H, c.W, c.C}, kif{1, 2, 1});
        Shape ks{c.KH, c.KW, c.C, c.F};
        Values kv = random_constants(numel(ks), rng), bv = random_constants(c.F, rng);
        FixedVariableArray k = c.variable_kernel ? input(ks, kif{1, 1, 1}) : constant(kv, ks);
        FixedVariableArray y = conv2d(x, k, constant(bv), {c.sh, c.sw}, c.pad);
        std::int64_t OH, OW, ph = 0, pw = 0;
        if (c.pad == Padding::Valid) {
            OH = (c.H - c.KH) / c.sh + 1, OW = (c.W - c.KW) / c.sw + 1;
        } else {
            OH = (c.H + c.sh - 1) / c.sh, OW = (c.W + c.sw - 1) / c.sw;
            ph = std::max<std::int64_t>((OH - 1) * c.sh + c.KH - c.H, 0) / 2;
            pw = std::max<std::int64_t>((OW - 1) * c.sw + c.KW - c.W, 0) / 2;
        }
        REQUIRE(y.shape() == Shape{OH, OW, c.F});
        std::vector<FixedVariableArray> ins = {x};
        if (c.variable_kernel) ins.push_back(k);
        check_circuit(
            ins, y,
            [&](const std::vector<Values>& in) {
                const Values& kk = c.variable_kernel ? in[1] : kv;
                Values r;
                for (std::int64_t oh = 0; oh < OH; ++oh)
                    for (std::int64_t ow = 0; ow < OW; ++ow)
                        for (std::int64_t f = 0; f < c.F; ++f) {
                            double acc = bv[std::size_t(f)];
                            for (std::int64_t a = 0; a < c.KH; ++a)
                                for (std::int64_t b = 0; b < c.KW; ++b)
                                    for (std::int64_t ch = 0; ch < c.C; ++ch) {
                                        std::int64_t ih = oh * c.sh + a - ph, iw = ow * c.sw + b - pw;
                                        if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                                        acc += in[0][std::size_t((ih * c.W + iw) * c.C + ch)] *
                                               kk[std::size_t(((a * c.KW + b) * c.C + ch) * c.F + f)];
                                    }
                            r.push_back(acc);
                        }
                return r;
            },
            rng, 3);
    }
    // conv1d: (L, C) with kernel (K, C, F), stride 2.
    new_trace();
    std::mt19937 rng(77);
    FixedVariableArray x = input({9, 2}, kif{1, 2, 0});
    Values kv = random_constants(3 * 2 * 2, rng);
    FixedVariableArray y = conv1d(x, constant(kv, {3, 2, 2}), std::nullopt, 2);
    REQUIRE(y.shape() == Shape{4, 2});
    check_circuit(
        {x}, y,
        [&](const auto& in) {
            Values r;
            for (int o = 0; o < 4; ++o)
                for (int f = 0; f < 2; ++f) {
                    double acc = 0;
                    for (int a = 0; a < 3; ++a)
                        for (int ch = 0; ch < 2; ++ch)
                            acc += in[0][std::size_t((o * 2 + a) * 2 + ch)] * kv[std::size_t((a * 2 + ch) * 2 + f)];
                    r.push_back(acc);
                }
            return r;
        },
        rng);
}

TEST_CASE("max/avg pooling match naive loops", "[array][layers]") {
    new_trace();
    std::mt19937 rng(8);
    FixedVariableArray x = input({5, 6, 2}, kif{1, 3, 1});
    auto pool_ref = [&](const Values& v, std::int64_t ph, std::int64_t pw, std::int64_t sh, std::int64_t sw, bool avg) {
        std::int64_t OH = (5 - ph) / sh + 1, OW = (6 - pw) / sw + 1;
        Values r;
        for (std::int64_t oh = 0; oh < OH; ++oh)
            for (std::int64_t ow = 0; ow < OW; ++ow)
                for (int ch = 0; ch < 2; ++ch) {
                    double acc = avg ? 0 : -1e9;
                    for (std::int64_t a = 0; a < ph; ++a)
                        for (std::int64_t b = 0; b < pw; ++b) {
                            double e = v[std::size_t(((oh * sh + a) * 6 + ow * sw + b) * 2 + ch)];
                            acc = avg ? acc + e : std::max(acc, e);
                        }
                    r.push_back(avg ? acc / double(ph * pw) : acc);
                }
        return r;
    };
    FixedVariableArray m = max_pool2d(x, {2, 3});
    REQUIRE(m.shape() == Shape{2, 2, 2});
    check_circuit(
        {x}, m, [&](const auto& in) { return pool_ref(in[0], 2, 3, 2, 3, false); }, rng);
    check_circuit(
        {x}, max_pool2d(x, {3, 2}, {1, 2}), [&](const auto& in) { return pool_ref(in[0], 3, 2, 1, 2, false); }, rng);
    check_circuit(
        {x}, avg_pool2d(x, {2, 2}, {1, 1}), [&](const auto& in) { return pool_ref(in[0], 2, 2, 1, 1, true); }, rng);
    FixedVariableArray x1 = input({7, 2}, kif{1, 3, 0});
    FixedVariableArray p1 = max_pool1d(x1, 2);
    REQUIRE(p1.shape() == Shape{3, 2});
    check_circuit(
        {x1}, avg_pool1d(x1, 4, 1),
        [&](const auto& in) {
            Values r;
            for (int o = 0; o < 4; ++o)
                for (int ch = 0; ch < 2; ++ch) {
                    double acc = 0;
                    for (int a = 0; a < 4; ++a) acc += in[0][std::size_t((o + a) * 2 + ch)];
                    r.push_back(acc / 4);
                }
            return r;
        },
        rng);
}

TEST_CASE("errors name the op, the shapes and what was expected", "[array][errors]") {
    new_trace();
    FixedVariableArray a = input({4, 5}, kif{1, 3, 0});
    FixedVariableArray b = input({3}, kif{1, 3, 0});
    using Catch::Contains;
    CHECK_THAT(error_of([&] { FixedVariableArray y = a + b; }),
               Contains("+: shapes (4, 5) and (3,) cannot be broadcast"));
    CHECK_THAT(error_of([&] {
                   matmul(a, input({6, 3}, kif{1, 3, 0}));
               }),
               Contains("matmul: inner dimensions differ (a is (4, 5), b is (6, 3)"));
    CHECK_THAT(error_of([&] { einsum("ij,jk->ik", a); }),
               Contains("einsum(\"ij,jk->ik\"): 2 operand terms in the spec but 1 operand given"));
    CHECK_THAT(error_of([&] { einsum("ij#->i", a); }), Contains("invalid character '#'"));
    CHECK_THAT(error_of([&] { einsum("ijk->i", a); }),
               Contains("operand 0 has shape (4, 5) (rank 2) but its term 'ijk' names 3 axes"));
    CHECK_THAT(error_of([&] { einsum("ij->iz", a); }), Contains("output index 'z' does not appear in any operand"));
    CHECK_THAT(error_of([&] { einsum("ij->ii", a); }), Contains("output index 'i' appears more than once"));
    CHECK_THAT(error_of([&] {
                   einsum("ij,ij->i", a, input({4, 6}, kif{1, 3, 0}));
               }),
               Contains("index 'j' has size 5 in one place but 6 in operand 1"));
    CHECK_THAT(error_of([&] { einsum("ii->i", a); }), Contains("index 'i' has size 4 in one place but 5 in operand 0"));
    CHECK_THAT(error_of([&] { einsum("i..j->i", a); }), Contains("stray '.'"));
    CHECK_THAT(error_of([&] { einsum("ij->j->i", a); }), Contains("more than one '->'"));
    CHECK_THAT(error_of([&] { sum(a, 2); }),
               Contains("sum: axis 2 is out of range for an array of rank 2 (expected -2 <= axis < 2)"));
    CHECK_THAT(error_of([&] { transpose(a, {0, 0}); }), Contains("transpose: permutation"));
    CHECK_THAT(error_of([&] {
                   reshape(a, {3, -1});
               }),
               Contains("reshape: cannot reshape array of size 20 (shape (4, 5)) into shape (3, -1)"));
    CHECK_THAT(error_of([&] { reshape(a, {3, 7}); }), Contains("into shape (3, 7) (size 21)"));
    CHECK_THAT(error_of([&] { reshape(a, {-1, -1}); }), Contains("only one dimension may be -1"));
    CHECK_THAT(error_of([&] { concatenate({a, b}); }), Contains("concatenate: shapes (4, 5), (3,) differ"));
    CHECK_THAT(error_of([&] { stack({a, b}); }), Contains("stack: shapes (4, 5), (3,) differ"));
    CHECK_THAT(error_of([&] { split(a, 3, 1); }), Contains("does not divide into 3 equal sections"));
    CHECK_THAT(error_of([&] { a.at({4, 0}); }), Contains("at: index 4 is out of range for axis 0"));
    CHECK_THAT(error_of([&] {
                   constant({1.0, 2.0, 3.0}, {2, 2});
               }),
               Contains("constant: 3 values given for shape (2, 2) (expected 4)"));
    CHECK_THAT(error_of([&] {
                   conv2d(input({5, 5, 3}, kif{1, 2, 0}), zeros({3, 3, 1, 2}));
               }),
               Contains("conv2d: input (5, 5, 3) has 3 channels but the kernel (3, 3, 1, 2) expects 1"));
    CHECK_THAT(error_of([&] {
                   avg_pool2d(input({6, 6, 1}, kif{1, 2, 0}), {3, 1});
               }),
               Contains("avg_pool2d: window of 3 elements: the divisor must be a power of two"));
    CHECK_THAT(error_of([&] {
                   dense(b, zeros({4, 2}));
               }),
               Contains("dense: input of shape (3,) has 3 features but the weights (4, 2) expect 4"));
    CHECK_THAT(error_of([&] {
                   matmul(a, FixedVariableArray(input(kif{1, 2, 0})));
               }),
               Contains("matmul needs arrays of rank >= 1"));
    CHECK_THAT(error_of([&] { slice(a, {Slice{0, 2, 0}}); }), Contains("slice step is 0"));
}

TEST_CASE("the issue's example runs and reshapes outputs", "[array]") {
    new_trace();
    FixedVariableArray a = input({4, 5}, kif{1, 7, 0});
    FixedVariableArray w =
        constant({1.0, -2.0, 0.5, 3.0, 0.0, 0.25, 1.0, 1.0, -1.0, 0.0, 2.0, 0.75, 1.0, 1.0, 1.0}, {5, 3});
    FixedVariableArray y = einsum("ij,jk->ik", a, w);
    FixedVariableArray z = quantize(relu(matmul(a, w)), kif{0, 8, 0}, Round::RND, Overflow::SAT);
    FixedVariableArray m = amax(stack({z, -z}, 0), 0);
    CombLogic logic = comb_trace({a}, {y, z, m});
    CHECK(logic.output_count() == 36);
    std::vector<double> sample(20);
    for (int j = 0; j < 20; ++j) sample[std::size_t(j)] = j - 10;
    auto out = logic.predict({flatten_inputs(logic, {sample})});
    auto arrays = unflatten_outputs(logic, out[0]);
    REQUIRE(arrays.size() == 3);
    CHECK(arrays[1].shape == Shape{4, 3});
    // y[0][0] = sum_j a[0][j] * w[j][0] = -10*1 + -9*3 + -8*1 + -7*0 + -6*1
    CHECK(arrays[0].values[0] == -10 - 27 - 8 - 0 - 6);
    CHECK(arrays[2].values == arrays[1].values);  // relu'd z >= 0 = max(z, -z)
}
