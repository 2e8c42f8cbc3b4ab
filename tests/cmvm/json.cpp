// solution_json is real JSON (nlohmann-json reads it back), names with quotes and backslashes
// included.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fixvar/cmvm/solution_json.hpp>
#include <fixvar/cmvm/solve.hpp>

using namespace fixvar;
using namespace fixvar::cmvm;

TEST_CASE("solution JSON escapes names and reads back", "[cmvm][json]") {
    Problem p = parse_problem("cmvm 1\nname a\"b\\c\nshape 2 1\nin 1 3 0\nin 0 2 1\nrow 3\nrow -5\n");
    CHECK(p.name == "a\"b\\c");
    Solution s = solve(p);
    auto j = nlohmann::json::parse(solution_json(s));
    CHECK(j["name"] == "a\"b\\c");
    CHECK(j["n"] == 2);
    CHECK(j["m"] == 1);
    CHECK(j["adders"] == s.adder_count());
    CHECK(j["cost"] == s.cost);
    REQUIRE(j["nodes"].size() == s.adders.size());
    for (std::size_t k = 0; k < s.adders.size(); ++k) {
        CHECK(j["nodes"][k]["a"] == s.adders[k].a);
        CHECK(j["nodes"][k]["lo"] == to_string(s.nodes[std::size_t(s.n) + k].range.lo));
    }
    REQUIRE(j["outputs"].size() == 1);
    CHECK(j["outputs"][0]["node"] == s.outputs[0].node);
}
