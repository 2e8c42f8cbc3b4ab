#pragma once
// The committed inputs of a target: its seeds (tests/fuzz/corpus/<name>/) and the crashes
// found so far (tests/fuzz/regressions/<name>/), each file's bytes in name order.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "fuzz/targets.hpp"

namespace fixvar::fuzz {

inline std::filesystem::path fuzz_dir() { return std::filesystem::path(FIXVAR_SOURCE_DIR) / "tests" / "fuzz"; }

/// (file name, bytes) of every file in fuzz_dir()/kind/target/, sorted by name.
inline std::vector<std::pair<std::string, std::string>> committed_inputs(const std::string& kind,
                                                                         const std::string& target) {
    std::vector<std::pair<std::string, std::string>> out;
    std::filesystem::path dir = fuzz_dir() / kind / target;
    if (!std::filesystem::is_directory(dir)) return out;
    for (auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream f(entry.path(), std::ios::binary);
        out.emplace_back(entry.path().filename().string(),
                         std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()));
    }
    std::sort(out.begin(), out.end());
    return out;
}

inline Input bytes_of(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

}  // namespace fixvar::fuzz
