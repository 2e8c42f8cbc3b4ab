// CSD digits and the .cmvm reader/writer.
#include <catch2/catch.hpp>

#include <random>

#include <fixvar/core/csd.hpp>
#include <fixvar/cmvm/problem.hpp>
#include <fixvar/core/error.hpp>

using namespace fixvar;
using namespace fixvar::cmvm;

TEST_CASE("csd digits reconstruct the value, are non-adjacent and minimal") {
    std::mt19937_64 rng(7);
    for (int t = 0; t < 2000; ++t) {
        i128 v = i128(std::int64_t(rng())) >> (rng() % 60);
        CAPTURE(to_string(v));
        auto ds = csd(v);
        i128 sum = 0;
        for (std::size_t k = 0; k < ds.size(); ++k) {
            sum += ds[k].sign * pow2(ds[k].pos);
            if (k) REQUIRE(ds[k].pos >= ds[k - 1].pos + 2);
        }
        REQUIRE(sum == v);
        REQUIRE(csd_weight(v) == int(ds.size()));
    }
    REQUIRE(csd(0).empty());
    REQUIRE(csd(7) == std::vector<SignedDigit>{{0, -1}, {3, 1}});
    REQUIRE(csd(-3) == std::vector<SignedDigit>{{0, 1}, {2, -1}});
}

TEST_CASE("cmvm files parse exactly and round-trip") {
    const char* text = "cmvm 1\nname t\nshape 2 3\nin 1 3 0\nin 0 2 -1\nrow 1 -0.375 0\nrow 12 0.5 -7\n";
    Problem p = parse_problem(text, "t.cmvm");
    REQUIRE(p.name == "t");
    REQUIRE(p.n == 2);
    REQUIRE(p.m == 3);
    REQUIRE(p.inputs[1] == kif{0, 2, -1});
    REQUIRE(p.w(0, 1) == Dyadic{-3, -3});
    REQUIRE(p.w(1, 0) == Dyadic{3, 2});
    REQUIRE(format_problem(p) == text);
    REQUIRE(parse_problem(format_problem(p)).weights == p.weights);
}

TEST_CASE("cmvm reader errors name the file and line") {
    auto err = [](const char* text) {
        try {
            parse_problem(text, "bad.cmvm");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(err("cmvm 1\nname t\nshape 1 2\nin 1 3 0\nrow 1 0.1\n"),
               Catch::Contains("bad.cmvm:5") && Catch::Contains("weight 1"));
    CHECK_THAT(err("cmvm 1\nname t\nshape 1 2\nin 1 3 0\nrow 1\n"), Catch::Contains("bad.cmvm:5"));
    CHECK_THAT(err("cmvm 2\n"), Catch::Contains("bad.cmvm:1"));
    CHECK_THAT(err("cmvm 1\nname t\nshape 1 1\nin 1 3\nrow 1\n"), Catch::Contains("bad.cmvm:4"));
    CHECK_THAT(err("cmvm 1\nname t\nshape 2 1\nin 1 3 0\nin 1 3 0\nrow 1\n"),
               Catch::Contains("1 `row` lines, expected n = 2"));
    CHECK_THAT(err("cmvm 1\nname t\nshape 1 1\nin 0 0 0\nrow 1\n"), Catch::Contains("bad.cmvm:4"));
    CHECK_THAT(err("cmvm 1\nname t\nshape 1 1\nin 1 3 0\nrow x\n"), Catch::Contains("bad.cmvm:5"));
    CHECK_THAT(err("cmvm 1\nname t\nshape 1 1\nbogus\n"), Catch::Contains("unknown record"));
    CHECK_THAT(err(""), Catch::Contains("empty file"));
    CHECK_THROWS_AS(read_problem("/nonexistent/x.cmvm"), Error);
}
