// Constants from data: the significant-bits limit on doubles and its opt-in, constants quantized
// to one format or per-element formats (checked against the independent reference), per-weight
// fractional bits from .npy arrays, and the small API frictions (column constants, e[i] on lazy
// expressions, quantize with an Overflow alone).
#include <random>

#include "sweep.hpp"

using namespace fixvar;
using Catch::Contains;

namespace {
using Rows = std::vector<std::vector<double>>;

std::vector<double> values_of(const FixedVariableArray& a) {
    std::vector<double> v;
    for (const FixedVariable& x : a.values()) {
        REQUIRE(x.is_constant());
        v.push_back(x.min());
    }
    return v;
}
}  // namespace

TEST_CASE("a double needing more than max_constant_bits is an Error naming it", "[trace][constants]") {
    new_trace();
    FixedVariable x = input(kif{1, 3, 2});
    REQUIRE_THROWS_WITH(FixedVariable(0.1),
                        Contains("constant: 0.1 is exactly 0.1000000000000000055511151231257827021181583404541015625 "
                                 "as a double, 52 significant bits (more than 32)") &&
                            Contains("quantize it to the format you mean (constant(value, kif{k, i, f}, Round::RND)") &&
                            Contains("exact_constant(...)"));
    REQUIRE_THROWS_WITH(x * 0.1, Contains("0.1 is exactly"));
    REQUIRE_THROWS_WITH(input({2}, kif{1, 3, 0}) * 0.1, Contains("0.1 is exactly"));
    REQUIRE_THROWS_WITH(constant({0.5, 0.3}), Contains("constant: element 1 = 0.3 is exactly"));
    REQUIRE_THROWS_WITH(constant({{0.5}, {0.25}, {1.0 / 3}}), Contains("element 2 = 0.333"));
    REQUIRE_THROWS_WITH(full({2}, 0.7), Contains("0.7 is exactly"));
    REQUIRE_THROWS_WITH(dense(input({1, 2}, kif{1, 3, 0}), constant({0.1, 0.3}, {2, 1})), Contains("element 0 = 0.1"));
    // At the limit and below: float32 values (24 bits), 32-bit integers, short fractions.
    CHECK_NOTHROW(FixedVariable(double(0.1f)));
    CHECK_NOTHROW(FixedVariable(4294967295.0));  // 32 bits
    CHECK_NOTHROW(FixedVariable(std::ldexp(4294967295.0, -70)));
    REQUIRE_THROWS_WITH(FixedVariable(8589934591.0), Contains("33 significant bits"));
    // The opt-in keeps the exact double.
    FixedVariable e = exact_constant(0.1);
    CHECK(e.min() == 0.1);
    CHECK(e.range().exp == -55);
    CombLogic logic = comb_trace({x}, {x * exact_constant(0.1)});
    CHECK(logic.output_range(0).width() > 52);
    FixedVariableArray ea = exact_constant({0.1, 0.2}, {2});
    CHECK(values_of(ea) == std::vector<double>{0.1, 0.2});
    REQUIRE_THROWS_WITH(exact_constant(std::nan("")), Contains("exact_constant") && Contains("finite"));
}

TEST_CASE("constants quantized to a format", "[trace][constants]") {
    new_trace();
    CHECK(constant(0.1, kif{1, 0, 4}).min() == 0.125);
    CHECK(constant(0.1, kif{1, 0, 4}, Round::TRN).min() == 0.0625);
    CHECK(values_of(constant({0.1, 0.3, -0.7}, {3}, kif{1, 0, 4}, Round::RND)) ==
          std::vector<double>{0.125, 0.3125, -0.6875});
    REQUIRE_THROWS_WITH(constant(3.7, kif{1, 1, 4}),
                        Contains("constant: 3.7 rounds to 3.6875, outside kif{1,1,4} (range [-2, "
                                 "1.9375]); choose a format with more integer bits"));
    REQUIRE_THROWS_WITH(constant({0.5, 3.7}, {2}, kif{1, 1, 4}), Contains("constant: element 1: 3.7 rounds to 3.6875"));
    REQUIRE_THROWS_WITH(constant({0.5}, {2}, kif{1, 1, 4}), Contains("1 values given for shape (2,)"));
    REQUIRE_THROWS_WITH(constant({0.5}, {1}, kif{1, -3, 1}), Contains("at least 1 bit"));
    // Per-element formats, broadcast like numpy.
    FormatArray per_column({kif{1, 0, 2}, kif{1, 0, 4}}, {1, 2});
    CHECK(values_of(constant({0.3, 0.3, -0.3, -0.3}, {2, 2}, per_column)) ==
          std::vector<double>{0.25, 0.3125, -0.25, -0.3125});
    REQUIRE_THROWS_WITH(constant({0.3, 0.3, 0.3}, {3}, per_column),
                        Contains("formats of shape (1, 2) do not broadcast to the weights' shape (3,)"));

    // Every rounding mode against the reference, on random doubles and formats.
    const unsigned seed = 7;
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> value(-3, 3);
    std::uniform_int_distribution<int> fbits(-1, 9);
    for (int n = 0; n < 300; ++n) {
        kif q{n % 2, 3, fbits(rng)};
        double v = value(rng);
        Round r = all_rounds[std::size_t(n) % std::size(all_rounds)];
        ref::Val want =
            ref::quantize(ref::from_double(v), sweep::to_ref(q), sweep::to_ref(r), sweep::to_ref(Overflow::WRAP));
        if (ref::round_to(ref::from_double(v), q.f, sweep::to_ref(r)) != want.m) {
            CHECK_THROWS_WITH(constant(v, q, r), Contains("outside"));
            continue;
        }
        CAPTURE(v, q.k, q.f, to_string(r));
        CHECK(constant(v, q, r).min() == std::ldexp(double(want.m), want.e));
    }
}

TEST_CASE("weights and per-weight fractional bits from .npy arrays", "[trace][constants]") {
    new_trace();
    // As an HGQ export: weights already on their grids, and each weight's fractional bits.
    NpyArray w{{2, 3}, {0.25, -0.375, 0, 1.5, 0.8125, -2}, "<f4"};
    NpyArray f{{2, 3}, {2, 3, 0, 1, 4, 0}, "<i1"};
    FixedVariableArray W = constant(w, f);
    CHECK(W.shape() == Shape{2, 3});
    CHECK(values_of(W) == w.values);
    CHECK(values_of(constant(w)) == w.values);

    // A weight off its grid: named, with the two fixes.
    NpyArray off = w;
    off.values[4] = 0.3;
    REQUIRE_THROWS_WITH(constant(off, f), Contains("constant: weight 0.3 (element 4) is not a multiple of its step "
                                                   "2^-4 (frac_bits 4); export the quantized weights, or pass a Round "
                                                   "to quantize them here"));
    CHECK(values_of(constant(off, f, Round::RND))[4] == 0.3125);
    CHECK(values_of(constant(off, f, Round::TRN))[4] == 0.25);
    // frac_bits broadcast (one per output column) and their errors.
    NpyArray per_col{{3}, {1, 2, 3}, "<i4"};
    CHECK(values_of(constant(NpyArray{{2, 3}, {0.3, 0.3, 0.3, -0.3, -0.3, -0.3}, "<f8"}, per_col, Round::RND)) ==
          std::vector<double>{0.5, 0.25, 0.25, -0.5, -0.25, -0.25});
    REQUIRE_THROWS_WITH(constant(w, NpyArray{{2}, {1, 2}, "<i4"}),
                        Contains("frac_bits of shape (2,) do not broadcast to the weights' shape (2, 3)"));
    REQUIRE_THROWS_WITH(constant(w, NpyArray{{}, {2.5}, "<f8"}),
                        Contains("constant: frac_bits element 0 is 2.5; bit counts must be integers"));
    REQUIRE_THROWS_WITH(constant(NpyArray{{2}, {1.0}, "<f8"}), Contains("1 values given for shape (2,)"));
    REQUIRE_THROWS_WITH(constant(NpyArray{{1}, {0.1}, "<f8"}), Contains("element 0 = 0.1 is exactly"));
    CHECK(values_of(constant(NpyArray{{1}, {0.1}, "<f8"}, kif{0, 0, 3})) == std::vector<double>{0.125});
    CHECK(values_of(exact_constant(NpyArray{{1}, {0.1}, "<f8"})) == std::vector<double>{0.1});

    // End to end through a file: saved, loaded, traced as a dense layer, predicted exactly.
    auto path = std::filesystem::temp_directory_path() / fmt::format("fixvar_w_{}.npy", ::getpid());
    save_npy(path, w);
    NpyArray loaded = load_npy(path);
    std::filesystem::remove(path);
    FixedVariableArray x = input({2}, kif{1, 3, 0});
    CombLogic layer = comb_trace({x}, {dense(x, constant(loaded, f))});
    Rows y = layer.predict({{3, -2}});
    CHECK(y == Rows{{3 * 0.25 - 2 * 1.5, 3 * -0.375 - 2 * 0.8125, 3 * 0 - 2 * -2}});

    // Activation formats as HGQ exports them: k, i, f per element.
    NpyArray k{{2}, {0, 1}, "|u1"}, i{{2}, {2, 3}, "<i4"}, fa{{2}, {4, -1}, "<i4"};
    FormatArray fmts = format_array(k, i, fa);
    CHECK(fmts.shape == Shape{2});
    CHECK(fmts.formats == std::vector<kif>{kif{0, 2, 4}, kif{1, 3, -1}});
    REQUIRE_THROWS_WITH(format_array(k, i, NpyArray{{1}, {4}, "<i4"}),
                        Contains("format_array: k, i and f must have one shape; they have (2,), "
                                 "(2,) and (1,)"));
    REQUIRE_THROWS_WITH(format_array(k, NpyArray{{2}, {2, 0.5}, "<f4"}, fa),
                        Contains("format_array: i element 1 is 0.5"));
    REQUIRE_THROWS_WITH(format_array(NpyArray{{2}, {2, 0}, "<i4"}, i, fa),
                        Contains("k (keep_negative) must be 0 or 1"));

    NpyArray samples{{3, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, "<f8"};
    CHECK(sample_rows(samples) == Rows{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}});
    CHECK(sample_rows(NpyArray{{0, 4}, {}, "<f8"}).empty());
    REQUIRE_THROWS_WITH(sample_rows(NpyArray{{}, {1}, "<f8"}), Contains("a 0-d array has no rows"));
    CHECK(shape_of(samples) == Shape{3, 2, 2});
}

TEST_CASE("an HGQ model's arrays (io/hgq.hpp) as constants and formats", "[trace][constants]") {
    new_trace();
    hgq::QuantizedArray w{NpyArray{{2, 2}, {0.25, -1.5, 0, 3}, "<f8"}, NpyArray{{2}, {2, 1}, "|i1"}};
    FixedVariableArray W = constant(w);
    CHECK(W.shape() == Shape{2, 2});
    CHECK(values_of(W) == w.values.values);
    hgq::Formats a{{1, 2}, {kif{0, 2, 3}, kif{0, 1, 4}}};
    FormatArray fmts = format_array(a);
    CHECK(fmts.shape == Shape{1, 2});
    CHECK(fmts.formats == a.formats);
}

TEST_CASE("small API frictions", "[trace][constants]") {
    new_trace();
    // A column is not ambiguous; rows of braces give 2-D shapes.
    CHECK(constant({{1.0}, {2.0}}).shape() == Shape{2, 1});
    CHECK(constant({1.0, 2.0}).shape() == Shape{2});
    CHECK(constant({{1.0, 2.0}, {3.0, 4.0}}).shape() == Shape{2, 2});
    CHECK(values_of(constant({{1, 2, 3}})) == std::vector<double>{1, 2, 3});

    // e[i] on a lazy expression traces only that sub-array.
    FixedVariableArray x = input({3, 2}, kif{1, 3, 0});
    std::size_t before = current_trace()->graph().size();
    FixedVariableArray r = relu(x)[1];
    CHECK(current_trace()->graph().size() - before == 2);
    CHECK(r.shape() == Shape{2});
    FixedVariableArray last = (x * 2 + 1)[-1];
    FixedVariableArray scalar = relu(x[0])[1];
    CHECK(scalar.shape().empty());
    CombLogic logic = comb_trace({x}, {r, last, scalar});
    CHECK(logic.predict({{1, -2, -3, 4, 5, -6}}) == Rows{{0, 4, 11, -11, 0}});
    REQUIRE_THROWS_WITH(relu(x)[3], Contains("operator[]: index 3 is out of range for axis 0 of an "
                                             "array of shape (3, 2)"));
    REQUIRE_THROWS_WITH(relu(x[0])[0][0], Contains("cannot index a 0-d array"));
    FixedVariableArray empty = input({0, 2}, kif{1, 3, 0});
    CHECK((empty * 2).shape() == Shape{0, 2});
    CHECK(FixedVariableArray(empty * 2).size() == 0);

    // quantize with the overflow mode alone uses the default rounding (TRN).
    FixedVariable s = input(kif{1, 3, 2});
    CHECK(quantize(s, kif{1, 1, 1}, Overflow::SAT).id() == quantize(s, kif{1, 1, 1}, Round::TRN, Overflow::SAT).id());
    CHECK(quantize(s, 1, 1, 1, Overflow::SAT_SYM).id() ==
          quantize(s, kif{1, 1, 1}, Round::TRN, Overflow::SAT_SYM).id());
    FixedVariableArray qa = quantize(x, kif{0, 2, 0}, Overflow::SAT);
    FixedVariableArray qb = quantize(x, kif{0, 2, 0}, Round::TRN, Overflow::SAT);
    FixedVariableArray qc = quantize(relu(x), FormatArray({kif{0, 1, 0}, kif{0, 2, 0}}, {2}), Overflow::SAT);
    FixedVariableArray qd =
        quantize(relu(x), FormatArray({kif{0, 1, 0}, kif{0, 2, 0}}, {2}), Round::TRN, Overflow::SAT);
    for (std::int64_t j = 0; j < qa.size(); ++j) {
        CHECK(qa.flat(j).id() == qb.flat(j).id());
        CHECK(qc.flat(j).id() == qd.flat(j).id());
    }
}
