#pragma once
// Reading fixvar's JSON files back strictly. nlohmann's get<int> casts silently: 1e300 becomes
// undefined behaviour and 2^40 is truncated. These check that an integer field is a JSON integer
// within the C++ type's range, and throw nlohmann's type_error otherwise, so that each reader's
// one `catch (const json::exception&)` turns it into its fixvar::Error.
#include <cstdint>
#include <limits>
#include <map>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fixvar::backend {

template <typename T>
T json_integer_value(const nlohmann::json& v, const std::string& what) {
    using limits = std::numeric_limits<T>;
    if (v.is_number_unsigned()) {
        auto u = v.get<std::uint64_t>();
        if (u <= std::uint64_t(limits::max())) return T(u);
    } else if (v.is_number_integer()) {
        auto s = v.get<std::int64_t>();
        if (s >= std::int64_t(limits::min()) && (s < 0 || std::uint64_t(s) <= std::uint64_t(limits::max())))
            return T(s);
    }
    throw nlohmann::json::type_error::create(
        302, fmt::format("{} must be an integer within [{}, {}], not {}", what, limits::min(), limits::max(), v.dump()),
        nullptr);
}

/// j[key] as an integer of type T (out_of_range if missing).
template <typename T>
T json_integer(const nlohmann::json& j, const char* key) {
    return json_integer_value<T>(j.at(key), key);
}

/// An object of integers, e.g. {"LUT2": 5, "LUT6": 12}.
template <typename T>
std::map<std::string, T> json_integer_map(const nlohmann::json& j, const char* key) {
    std::map<std::string, T> out;
    for (auto& [name, v] : j.at(key).items()) out[name] = json_integer_value<T>(v, std::string(key) + "." + name);
    return out;
}

}  // namespace fixvar::backend
