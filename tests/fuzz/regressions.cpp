// Every crash a fuzzer found, replayed: tests/fuzz/regressions/<target>/<input>. Each must now
// parse or raise fixvar::Error (the target checks the rest), in every build.
#include <catch2/catch.hpp>

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/equiv.hpp>
#include <fixvar/backend/report.hpp>
#include <fixvar/backend/synth.hpp>

#include "fuzz/corpus.hpp"
#include "fuzz/targets.hpp"

using namespace fixvar::fuzz;

TEST_CASE("regressions replay", "[fuzz]") {
    std::size_t replayed = 0;
    for (const Target& t : targets())
        for (auto& [file, bytes] : committed_inputs("regressions", t.name)) {
            INFO("tests/fuzz/regressions/" << t.name << "/" << file);
            CHECK_NOTHROW(t.run(bytes_of(bytes)));
            ++replayed;
        }
    WARN(replayed << " regression inputs replayed");
    CHECK(replayed > 0);  // the committed inputs were found, not silently none
}

TEST_CASE("regressions raise a clear Error", "[fuzz]") {
    using Catch::Contains;
    auto input = [](const char* target, const char* file) {
        for (auto& [name, bytes] : committed_inputs("regressions", target))
            if (name == file) return bytes;
        FAIL("missing tests/fuzz/regressions/" << target << "/" << file);
        return std::string();
    };
    // std::stoi on a key escaped as std::invalid_argument.
    CHECK_THROWS_WITH(fixvar::backend::parse_report_json(input("report_json", "histogram_key_not_a_number.json")),
                      Contains("width_histogram key 'x' is not a bit width"));
    // get<long> cast 1e300 to long: undefined behaviour (UBSan float-cast-overflow).
    CHECK_THROWS_WITH(fixvar::backend::parse_synth_json(input("synth_json", "lut_float_beyond_long.json")),
                      Contains("is not a synth.json fixvar wrote") && Contains("lut must be an integer"));
    // Ports the emitter cannot have made: later shifts by the width and bus sums overflowed.
    auto module = [&](const char* file) {
        std::string all = input("emitted_module", file);
        std::size_t nul = all.find('\0');
        return fixvar::backend::parse_emitted_module(all.substr(nul + 1), all.substr(0, nul));
    };
    CHECK_THROWS_WITH(module("width_beyond_format.txt"), Contains("input element 0 has width 2147483647"));
    // equiv_simulate renames a module by its text: a name the text lacks hit an assertion.
    CHECK_THROWS_WITH(module("name_not_in_verilog.txt"), Contains("defines no `module other`"));
}
