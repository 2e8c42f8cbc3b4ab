#pragma once
// One fuzz target per parser of outside input. Each body parses the bytes; when they parse, it
// checks the parser's round-trip property (write the result back, parse again, compare).
// fixvar::Error from the parse is the only acceptable failure: any other exception (a broken
// property throws Violation), an abort or a sanitizer report is a crash.
//
// The same bodies serve the libFuzzer drivers (driver/libfuzzer_main.cpp, FIXVAR_FUZZ=ON with clang)
// and the deterministic mutation tests of every build (mutation.cpp, regressions.cpp).
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace fixvar::fuzz {

using Input = std::span<const std::uint8_t>;

/// A broken round-trip or invariant: never caught by a target, so it is a crash.
struct Violation : std::logic_error {
    using std::logic_error::logic_error;
};

template <typename... Args>
[[noreturn]] void violated(fmt::format_string<Args...> f, Args&&... args) {
    throw Violation(fmt::format(f, std::forward<Args>(args)...));
}

inline std::string_view text_of(Input in) { return {reinterpret_cast<const char*>(in.data()), in.size()}; }

// Each returns 1 if the input parsed (and its property held), 0 if the parser raised Error.
int fuzz_cmvm(Input in);            ///< cmvm::parse_problem (.cmvm text)
int fuzz_graph(Input in);           ///< CombLogic::parse (graph text of `fixvar verilog`)
int fuzz_npy(Input in);             ///< parse_npy (.npy bytes, what load_npy reads)
int fuzz_synth_json(Input in);      ///< backend::parse_synth_json
int fuzz_report_json(Input in);     ///< backend::parse_report_json
int fuzz_emitted_module(Input in);  ///< backend::parse_emitted_module: sidecar JSON, NUL, Verilog
int fuzz_scalars(Input in);         ///< first byte picks Dyadic::parse, parse_i128, parse_round,
                                    ///< parse_overflow, parse_objective or parse_algorithm

struct Target {
    const char* name;  ///< also the folder of its seeds: tests/fuzz/corpus/<name>/
    int (*run)(Input);
    std::vector<std::string> tokens;  ///< what the deterministic mutator splices in
};
/// Every target, in a fixed order.
const std::vector<Target>& targets();

}  // namespace fixvar::fuzz
