// The libFuzzer entry point of one target, chosen at compile time (FIXVAR_FUZZ_TARGET, set per
// fuzz_<name> executable by tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fixvar::fuzz::FIXVAR_FUZZ_TARGET({data, size});
    return 0;
}
