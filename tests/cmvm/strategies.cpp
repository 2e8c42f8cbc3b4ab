// The strategy table: named, documented entries; the portfolio it chooses depends on the
// problem's size and the objective as each entry's condition says.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fixvar/cmvm/solve.hpp>

#include "cmvm/strategies.hpp"
#include "support.hpp"

using namespace fixvar;
using namespace fixvar::cmvm;

TEST_CASE("every strategy has a unique name, a stage, a condition and a description") {
    std::set<std::string_view> names;
    for (const StrategyInfo& s : list_strategies()) {
        CAPTURE(s.name);
        REQUIRE(names.insert(s.name).second);
        REQUIRE(!s.stage.empty());
        REQUIRE(!s.when.empty());
        REQUIRE(s.description.size() > 20);
    }
    REQUIRE(names.size() == strategy_table().size());
}

TEST_CASE("the portfolio follows the objective, the algorithm and the problem size") {
    Problem small = parse_problem("cmvm 1\nname s\nshape 2 2\nin 1 7 0\nin 1 7 0\nrow 3 5\nrow -7 11\n");
    IntProblem ip = to_integer(small);
    Options cost_opt;
    ProblemTraits t = problem_traits(ip, cost_opt);
    REQUIRE(t.bound == min_depth(ip) + 1);
    REQUIRE(t.deeper);  // small: the deeper stage runs at default effort
    Portfolio f = choose_strategies(t);
    REQUIRE(!f.at_bound.empty());
    REQUIRE(f.deeper.size() == f.at_bound.size() + 1);  // every run once more, plus the wide lookahead
    for (const Variant& v : f.deeper) REQUIRE(v.max_depth == t.bound + 1);
    REQUIRE(budget_runs(t, t.bound).empty());  // no time budget

    Options adders_opt;
    adders_opt.objective = Objective::Adders;
    ProblemTraits a = problem_traits(ip, adders_opt);
    REQUIRE(!a.deeper);
    REQUIRE(choose_strategies(a).at_bound.front().split_count == 8);  // two-sided runs first
    REQUIRE(enabled("local-search", a));
    REQUIRE(!enabled("local-search", t));

    Options base;
    base.algorithm = Algorithm::Baseline;
    ProblemTraits b = problem_traits(ip, base);
    REQUIRE(choose_strategies(b).at_bound.size() == 4);
    REQUIRE(b.bound == -1);
}

TEST_CASE("W^T runs are dropped where one input's row holds thousands of digits") {
    // 1 x 4000, every weight 7 (2 digits): the one row has 8000 digits, 6.4e7 W^T pairs.
    std::string text = "cmvm 1\nname long_row\nshape 1 4000\nin 1 7 0\nrow";
    for (int c = 0; c < 4000; ++c) text += c % 2 ? " 7" : " -3";
    Problem p = parse_problem(text + "\n");
    IntProblem ip = to_integer(p);
    auto has_transposed = [](const std::vector<Variant>& runs) {
        return std::any_of(runs.begin(), runs.end(), [](const Variant& v) { return v.transposed; });
    };
    ProblemTraits t = problem_traits(ip, Options{});
    REQUIRE(t.row_pairs > 1e7);
    Portfolio f = choose_strategies(t);
    REQUIRE(!f.at_bound.empty());
    CHECK(!has_transposed(f.at_bound));
    CHECK(!has_transposed(f.deeper));
    // The transposed problem (4000 short rows) keeps them: the gate reads rows, not size.
    Problem q = parse_problem("cmvm 1\nname short_rows\nshape 2 2\nin 1 7 0\nin 1 7 0\nrow 3 5\nrow -7 11\n");
    CHECK(has_transposed(choose_strategies(problem_traits(to_integer(q), Options{})).at_bound));
    Solution s = solve(p);
    CHECK(s.adders.size() <= 3);  // x*3 and x*7, shared by every output
}

TEST_CASE(
    "cost objective: two-sided runs on few-bit layers of any size (low start counts past 3000 digits) and the "
    "square-rated run below 6000 digits") {
    // n x n uniform weights of `bits` bits (a fixed generator).
    auto layer = [](int n, int bits) {
        std::mt19937 rng(42);
        std::uniform_int_distribution<int> w(-(1 << (bits - 1)), (1 << (bits - 1)) - 1);
        std::string text = "cmvm 1\nname u\nshape " + std::to_string(n) + " " + std::to_string(n) + "\n";
        for (int i = 0; i < n; ++i) text += "in 1 7 0\n";
        for (int i = 0; i < n; ++i) {
            text += "row";
            for (int j = 0; j < n; ++j) text += " " + std::to_string(w(rng));
            text += "\n";
        }
        return problem_traits(to_integer(parse_problem(text)), Options{});
    };
    // The two-sided runs rating forms by `weight`.
    auto two_sided = [](const ProblemTraits& t, FormWeight weight) {
        std::vector<Variant> runs = choose_strategies(t).at_bound;
        std::erase_if(runs, [&](const Variant& v) { return v.split_count == 0 || v.form_weight != weight; });
        return runs;
    };
    const ProblemTraits small4 = layer(16, 4), large4 = layer(128, 4), large8 = layer(128, 8), small8 = layer(16, 8);
    REQUIRE(small4.digits <= 3000);
    REQUIRE(large4.digits > 10000);
    REQUIRE(large4.digit_span <= 5);
    REQUIRE(large8.digit_span > 5);
    REQUIRE(small8.digits <= 6000);
    CHECK(two_sided(small4, FormWeight::Linear).size() == 6);
    std::vector<int> large_counts;
    for (const Variant& v : two_sided(large4, FormWeight::Linear)) large_counts.push_back(v.split_count);
    CHECK(large_counts == std::vector<int>{8, 5, 6, 4});
    for (const Variant& v : two_sided(small4, FormWeight::Linear)) CHECK(v.score == Score::Bits);
    CHECK(two_sided(large8, FormWeight::Linear).empty());
    CHECK(two_sided(small8, FormWeight::Linear).empty());
    CHECK(two_sided(small4, FormWeight::Square).size() == 1);
    CHECK(two_sided(small8, FormWeight::Square).size() == 1);
    CHECK(two_sided(large4, FormWeight::Square).empty());
    CHECK(two_sided(large8, FormWeight::Square).empty());

    ProblemTraits as_adders = large4;
    as_adders.objective = Objective::Adders;
    std::vector<int> adder_counts;
    for (const Variant& v : two_sided(as_adders, FormWeight::Linear)) adder_counts.push_back(v.split_count);
    CHECK(adder_counts == std::vector<int>{8, 12});
}
