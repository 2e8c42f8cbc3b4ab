// Deterministic mutation fuzzing of the parsers of outside input (graph text, .cmvm): seeded
// mutations of valid files must parse or raise fixvar::Error — never crash, hang or throw
// anything else. Fixed seeds; the count of distinct inputs tried is reported.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include <fixvar/cmvm/problem.hpp>
#include <fixvar/cmvm/solve.hpp>
#include <fixvar/fixvar.hpp>
#include <fixvar/ir/text.hpp>

#include "random_program.hpp"

using namespace fixvar;

namespace {

std::string mutate(std::string s, std::mt19937_64& rng) {
    const char* tokens[] = {"-1", "0", "2147483647", "-2147483648", "99999999999999999999999999999999999999999",
                            "%", "[", "]", ",", "*2^", "<<", " ", "\n", "kif{1,2,3}", "table", "bit",
                            "select", "const", "row", "in", "shape", "1e9", ":", "#"};
    int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
        std::size_t at = rng() % s.size();
        switch (rng() % 5) {
            case 0: s[at] = char(rng() % 128); break;
            case 1: s.erase(at, 1 + rng() % 8); break;
            case 2: s.insert(at, tokens[rng() % std::size(tokens)]); break;
            case 3: {  // replace a number by another token
                std::size_t b = s.find_first_of("0123456789", at);
                if (b == std::string::npos) break;
                std::size_t end = s.find_first_not_of("0123456789", b);
                s.replace(b, (end == std::string::npos ? s.size() : end) - b, tokens[rng() % 5]);
                break;
            }
            case 4: {  // duplicate a line
                std::size_t b = s.rfind('\n', at), end = s.find('\n', at);
                b = b == std::string::npos ? 0 : b + 1;
                if (end != std::string::npos) s.insert(b, s.substr(b, end - b + 1));
                break;
            }
        }
    }
    return s;
}

template <typename Parse>
std::size_t fuzz(const std::vector<std::string>& corpus, std::uint64_t seed, int runs, Parse parse) {
    std::mt19937_64 rng(seed);
    std::set<std::string> seen;
    for (int t = 0; t < runs; ++t) {
        std::string input = mutate(corpus[rng() % corpus.size()], rng);
        seen.insert(input);
        INFO("seed " << seed << ", run " << t << ", input:\n" << input);
        try {
            parse(input);
        } catch (const Error&) {
            // expected for most mutations
        }
    }
    return seen.size();
}

std::string trace_program_text(std::uint64_t seed) {
    randprog::Program p = randprog::make(seed);
    std::vector<FixedVariable> in(p.values.begin(), p.values.begin() + long(p.inputs.size()));
    std::vector<FixedVariable> out;
    for (int o : p.outputs) out.push_back(p.values[std::size_t(o)]);
    return comb_trace(in, out).dump();
}

}  // namespace

TEST_CASE("fuzz: graph text parser", "[ir][fuzz]") {
    std::vector<std::string> corpus;
    for (std::uint64_t s = 1; s <= 8; ++s) corpus.push_back(trace_program_text(s));
    std::size_t distinct = fuzz(corpus, 1301, 4000, [](const std::string& t) {
        CombLogic l = CombLogic::parse(t);
        std::vector<i128> in;
        for (ir::NodeId id : l.graph().inputs) in.push_back(l.graph()[id].range.lo);
        l.predict_mantissas(in, 1, 1, ir::RangeCheck::every_node);
    });
    WARN("graph text: 4000 executions, " << distinct << " distinct inputs");
}

TEST_CASE("fuzz: .cmvm parser", "[cmvm][fuzz]") {
    std::vector<std::string> corpus = {
        "cmvm 1\nname a\nshape 2 2\nin 1 3 0\nin 0 4 0\nrow 3 5\nrow -7 0.5\n",
        "cmvm 1\nname b\nshape 1 3\nin 1 -2 6\nrow 0.125 -3 1024\n",
    };
    std::size_t distinct = fuzz(corpus, 1302, 4000, [](const std::string& t) {
        cmvm::Problem p = cmvm::parse_problem(t);
        if (p.n * p.m <= 16) cmvm::solve(p);
    });
    WARN(".cmvm: 4000 executions, " << distinct << " distinct inputs");
}
