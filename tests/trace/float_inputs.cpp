// Float samples in: predict (and the Verilator vectors) quantize them to each port's format on
// request, exactly as quantize() defines (checked against the independent reference); without
// the request, off-grid data stays an Error.
#include <random>

#include <fixvar/backend/verilog_model.hpp>

#include "sweep.hpp"

using namespace fixvar;
using Catch::Contains;

TEST_CASE("predict quantizes float samples with every rounding and overflow mode", "[trace][float_inputs]") {
    const std::vector<kif> formats = {kif{0, 0, 4}, kif{1, 2, 1}, kif{1, -1, 3}, kif{0, 5, -2}};
    new_trace();
    std::vector<FixedVariable> x;
    for (const kif& q : formats) x.push_back(input(q));
    std::vector<FixedVariable> outs = x;
    outs.push_back(x[0] * 3 + x[1] - x[3]);
    CombLogic logic = comb_trace(x, outs);

    const unsigned seed = 12;
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> value(-40, 40);
    std::vector<std::vector<double>> samples;
    for (int s = 0; s < 200; ++s) {
        std::vector<double> row;
        for (std::size_t p = 0; p < formats.size(); ++p) row.push_back(value(rng) / (1 << (s % 6)));
        samples.push_back(row);
    }
    samples.push_back({0.5, -0.25, 0.0625, 6.0});  // exact ties
    samples.push_back({0.96875, -0.75, -0.5625, -2.0});

    for (Round r : all_rounds)
        for (Overflow o : all_overflows) {
            INFO(to_string(r) << " " << to_string(o));
            QuantizeInputs qi{r, o};
            auto y = logic.predict(samples, qi);
            auto m = logic.input_mantissas(samples, qi);
            auto v = backend::vectors_from_values(logic, samples, qi);
            CHECK(v.mantissas == m);
            CHECK(v.batch == samples.size());
            for (std::size_t s = 0; s < samples.size(); ++s) {
                std::vector<double> q;
                for (std::size_t p = 0; p < formats.size(); ++p) {
                    ref::Val want = ref::quantize(ref::from_double(samples[s][p]), sweep::to_ref(formats[p]),
                                                  sweep::to_ref(r), sweep::to_ref(o));
                    q.push_back(std::ldexp(double(want.m), want.e));
                    CHECK(m[s * formats.size() + p] == want.m);
                }
                for (std::size_t p = 0; p < formats.size(); ++p) CHECK(y[s][p] == q[p]);
                CHECK(y[s][4] == q[0] * 3 + q[1] - q[3]);
            }
        }
}

TEST_CASE("off-grid float data is an Error unless quantization is asked for", "[trace][float_inputs]") {
    new_trace();
    FixedVariable x = input(kif{0, 0, 4});
    CombLogic logic = comb_trace({x}, {x});
    REQUIRE_THROWS_WITH(logic.predict({{0.3}}),
                        Contains("predict: sample 0, input port 0: value 0.3 is not representable "
                                 "in kif{0,0,4}") &&
                            Contains("pass QuantizeInputs{round, overflow} to quantize float data"));
    CHECK(logic.predict({{0.3}}, QuantizeInputs{}) == std::vector<std::vector<double>>{{0.3125}});
    CHECK(logic.predict({{0.3}}, QuantizeInputs{Round::TRN}) == std::vector<std::vector<double>>{{0.25}});
    CHECK(logic.predict({{1.5}}, QuantizeInputs{}) == std::vector<std::vector<double>>{{0.9375}});
    CHECK(logic.predict({{1.5}}, QuantizeInputs{Round::RND, Overflow::SAT_ZERO}) ==
          std::vector<std::vector<double>>{{0}});
    REQUIRE_THROWS_WITH(logic.predict({{std::nan("")}}, QuantizeInputs{}), Contains("not a finite number"));
    REQUIRE_THROWS_WITH(logic.predict({{0.5, 0.5}}, QuantizeInputs{}), Contains("sample 0 has 2 values"));
}

TEST_CASE("a port whose exact range is narrower than its format", "[trace][float_inputs]") {
    // Parsed graphs and CMVM problems may have input ranges that are not whole formats: here
    // [3, 10] * 2^-1 = [1.5, 5] (format kif{0,3,1}).
    CombLogic logic = CombLogic::parse(
        "fixvar-graph 1\n%0 = input 0 : [3, 10]*2^-1\ninputs %0\n"
        "outputs %0\n");
    using Rows = std::vector<std::vector<double>>;
    CHECK(logic.predict({{9.0}, {0.2}, {2.2}}, QuantizeInputs{}) == Rows{{5}, {1.5}, {2.0}});
    CHECK(logic.predict({{-9.0}}, QuantizeInputs{Round::RND, Overflow::SAT_SYM}) == Rows{{1.5}});
    REQUIRE_THROWS_WITH(logic.predict({{0.2}}, QuantizeInputs{Round::RND, Overflow::WRAP}),
                        Contains("value 0.2 is not representable in kif{0,3,1}") && Contains("range [1.5, 5]") &&
                            Contains("after quantizing it (RND, WRAP)"));
}

TEST_CASE("format-less inputs take the format of their first quantize", "[trace][float_inputs]") {
    new_trace();
    FixedVariable x = input();
    FixedVariable y = quantize(x, kif{0, 0, 4}, Round::RND, Overflow::SAT);
    CombLogic logic = comb_trace({x}, {y * 2});
    CHECK(logic.input_format(0) == kif{0, 0, 4});
    // The quantize defined the port; its modes apply to data only when predict is asked to.
    REQUIRE_THROWS_WITH(logic.predict({{0.3}}), Contains("not representable in kif{0,0,4}"));
    CHECK(logic.predict({{0.3}}, QuantizeInputs{Round::RND, Overflow::SAT}) ==
          std::vector<std::vector<double>>{{0.625}});
}
