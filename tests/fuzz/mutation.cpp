// Deterministic mutation fuzzing of every target (tests/fuzz/targets.hpp) in every build: seeded
// edits of the committed seeds (byte edits, truncation, each format's tokens, duplicated lines)
// must parse with their round-trip property intact or raise fixvar::Error. Fixed seeds, printed
// with the executions and distinct inputs. Under ASan + UBSan via `make sanitize`; libFuzzer
// explores the same targets further (driver/libfuzzer_main.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "fuzz/corpus.hpp"
#include "fuzz/targets.hpp"

using namespace fixvar::fuzz;

namespace {

std::string mutate(std::string s, const std::vector<std::string>& tokens, std::mt19937_64& rng) {
    int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits; ++e) {
        if (s.empty()) s.push_back('x');
        std::size_t at = rng() % s.size();
        switch (rng() % 7) {
            case 0: s[at] = char(rng()); break;                                    // overwrite a byte
            case 1: s.erase(at, 1 + rng() % 8); break;                             // delete a few
            case 2: s.insert(at, tokens[rng() % tokens.size()]); break;            // splice a token
            case 3: s.insert(s.begin() + std::ptrdiff_t(at), char(rng())); break;  // insert a byte
            case 4: s.resize(at); break;                                           // truncate
            case 5: {                                                              // replace a number by a token
                std::size_t b = s.find_first_of("0123456789", at);
                if (b == std::string::npos) break;
                std::size_t end = std::min(s.find_first_not_of("0123456789", b), s.size());
                s.replace(b, end - b, tokens[rng() % tokens.size()]);
                break;
            }
            default: {  // duplicate a line
                std::size_t b = s.rfind('\n', at), end = s.find('\n', at);
                b = b == std::string::npos ? 0 : b + 1;
                if (end != std::string::npos) s.insert(b, s.substr(b, end - b + 1));
                break;
            }
        }
    }
    return s;
}

const Target& target(const std::string& name) {
    for (const Target& t : targets())
        if (t.name == name) return t;
    FAIL("no fuzz target " << name);
    throw;
}

void fuzz(const std::string& name, std::uint64_t seed, int runs) {
    const Target& t = target(name);
    auto seeds = committed_inputs("corpus", name);
    REQUIRE(!seeds.empty());
    // Every seed is replayed as is; the valid ones must parse, or the round trip is never checked.
    int parsed_seeds = 0;
    for (auto& [file, bytes] : seeds) {
        INFO("seed file " << file);
        parsed_seeds += t.run(bytes_of(bytes));
    }
    CHECK(parsed_seeds > 0);
    std::mt19937_64 rng(seed);
    std::set<std::string> distinct;
    int parsed = 0;
    for (int run = 0; run < runs; ++run) {
        std::string input = mutate(seeds[rng() % seeds.size()].second, t.tokens, rng);
        distinct.insert(input);
        INFO("seed " << seed << ", run " << run << ", input:\n" << input);
        parsed += t.run(bytes_of(input));
    }
    WARN(name << ": seed " << seed << ", " << runs << " executions, " << distinct.size() << " distinct inputs, "
              << parsed << " parsed, " << runs - parsed << " errors, 0 crashes");
}

}  // namespace

TEST_CASE(".cmvm mutations", "[fuzz]") { fuzz("cmvm", 1302, 4000); }
TEST_CASE("graph text mutations", "[fuzz]") { fuzz("graph", 1301, 3000); }
TEST_CASE(".npy mutations", "[fuzz]") { fuzz("npy", 2024, 4000); }
TEST_CASE("synth.json mutations", "[fuzz]") { fuzz("synth_json", 1303, 3000); }
TEST_CASE("report.json mutations", "[fuzz]") { fuzz("report_json", 1304, 3000); }
TEST_CASE("emitted module mutations", "[fuzz]") { fuzz("emitted_module", 1305, 2000); }
TEST_CASE("scalar parser mutations", "[fuzz]") { fuzz("scalars", 1306, 4000); }
