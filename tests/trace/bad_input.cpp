// Traced circuits and array operations raise fixvar::Error on bad arguments (one row per class
// of bad input; docs/errors.md lists them), and apply()'s table limit holds at its boundary.
#include <cmath>

#include <fixvar/fixvar.hpp>

#include "bad_input_table.hpp"

using namespace fixvar;
using Catch::Contains;

TEST_CASE("CombLogic and array entry points reject bad arguments with an Error", "[trace][errors]") {
    new_trace();
    FixedVariableArray x = input({2, 3}, kif{1, 3, 0});
    CombLogic l = comb_trace({x}, {x * 2});
    test::check_bad_inputs({
        {"CombLogic::input_format: no such port", [&] { l.input_format(99); },
         "port 99 does not exist (the circuit has 6"},
        {"CombLogic::output_range: no such output", [&] { l.output_range(99); }, "output 99 does not exist"},
        {"CombLogic::output_values: wrong count", [&] { l.output_values(std::vector<i128>(3), 2); },
         "3 output mantissas for 2 samples x 6 outputs"},
        {"CombLogic::predict_mantissas: wrong count", [&] { l.predict_mantissas(std::vector<i128>(5), 1); },
         "expected 6 input mantissas"},
        {"CombLogic::predict: wrong sample size", [&] { l.predict({{1.0}}); }, "sample 0 has 1 values"},
        {"CombLogic::parse: not a graph", [] { CombLogic::parse("hello"); }, "fixvar-graph"},
        {"input: negative dimension",
         [] {
             input({-1, 2}, kif{1, 3, 0});
         },
         "negative dimension"},
        {"constant: values vs shape",
         [] {
             constant(std::vector<double>{1, 2, 3}, {2, 2});
         },
         "3 values given for shape (2, 2)"},
        {"full: NaN", [] { full({2}, std::nan("")); }, "not a finite number"},
        {"reshape: size", [&] { reshape(x, {7}); }, "cannot reshape array of size 6"},
        {"transpose: repeated axis",
         [&] {
             transpose(x, {0, 0});
         },
         "repeats an axis"},
        {"slice: step 0",
         [&] {
             slice(x, {Slice{0, 5, 0}});
         },
         "step is 0"},
        {"broadcast_to: incompatible",
         [&] {
             broadcast_to(x, {5, 5});
         },
         "cannot be broadcast together"},
        {"concatenate: axis",
         [&] {
             concatenate({x, x}, 7);
         },
         "axis 7 is out of range"},
        {"stack: no arrays", [] { stack({}, 0); }, "needs at least one array"},
        {"split: 0 sections", [&] { split(x, 0, 0); }, "does not divide into 0 equal sections"},
        {"repeat: negative", [&] { repeat(x, -1, 0); }, "repeats must be >= 0"},
        {"squeeze: axis not 1", [&] { squeeze(x, 0); }, "has length 2 (expected 1)"},
        {"expand_dims: axis", [&] { expand_dims(x, 9); }, "axis 9 is out of range"},
        {"einsum: operand count", [&] { einsum("ij,jk->ik", x); }, "2 operand terms in the spec but 1 operand"},
        {"matmul: inner dimensions", [&] { matmul(x, x); }, "inner dimensions differ"},
        {"flat: index", [&] { x.flat(1000000); }, "out of bounds"},
        {"flatten_inputs: array count", [&] { flatten_inputs(l, {}); }, "0 input arrays given"},
        {"unflatten_outputs: row size", [&] { unflatten_outputs(l, std::vector<double>(2)); }, "row has 2 values"},
    });
}

TEST_CASE("apply() takes tables up to 2^16 entries, one input bit more is an Error", "[trace][errors]") {
    new_trace();
    FixedVariable x16 = input(kif{1, 15, 0});  // 65536 values: the largest table
    FixedVariable y = apply(
        x16, [](double v) { return v / 2; }, kif{1, 14, 1});
    CombLogic l = comb_trace({x16}, {y});
    std::vector<std::vector<double>> samples = {{-32768}, {-1}, {0}, {12345}, {32767}};
    auto out = l.predict(samples);
    for (std::size_t s = 0; s < samples.size(); ++s) CHECK(out[s][0] == samples[s][0] / 2);
    FixedVariable x17 = input(kif{1, 16, 0});
    REQUIRE_THROWS_WITH(apply(
                            x17, [](double v) { return v; }, kif{1, 16, 0}),
                        Contains("has 131072 values") && Contains("at most 16 bits"));
}
