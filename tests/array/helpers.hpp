#pragma once
// Test helpers for arrays: random formats/values, an independent reference N-d array on exact
// doubles (every test value is dyadic with few significant bits, so double arithmetic on them
// is exact), and a check that runs the traced circuit against a reference function.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <random>

#include <fixvar/fixvar.hpp>

namespace array_test {

using fixvar::Shape;
using Values = std::vector<double>;

inline std::int64_t numel(const Shape& s) {
    std::int64_t n = 1;
    for (auto d : s) n *= d;
    return n;
}

/// Row-major offset of a multi-index (reference side; written without the library's helpers).
inline std::int64_t offset(const Shape& s, const std::vector<std::int64_t>& idx) {
    std::int64_t off = 0;
    for (std::size_t d = 0; d < s.size(); ++d) off = off * s[d] + idx[d];
    return off;
}

/// Calls f(idx) for every multi-index of s in row-major order.
template <typename F>
void each_index(const Shape& s, F&& f) {
    std::vector<std::int64_t> idx(s.size(), 0);
    for (std::int64_t n = 0; n < numel(s); ++n) {
        f(idx);
        for (std::size_t d = s.size(); d-- > 0;) {
            if (++idx[d] < s[d]) break;
            idx[d] = 0;
        }
    }
}

/// A uniformly random value representable in q.
inline double random_value(const fixvar::kif& q, std::mt19937& rng) {
    std::int64_t lo = q.k ? -(std::int64_t(1) << (q.i + q.f)) : 0;
    std::int64_t hi = (std::int64_t(1) << (q.i + q.f)) - 1;
    std::uniform_int_distribution<std::int64_t> d(lo, hi);
    return std::ldexp(double(d(rng)), -q.f);
}

/// Random small dyadic constants (some zero, some halves/quarters).
inline Values random_constants(std::int64_t n, std::mt19937& rng) {
    std::uniform_int_distribution<int> d(-12, 12), e(0, 2);
    Values v;
    for (std::int64_t j = 0; j < n; ++j) v.push_back(std::ldexp(double(d(rng)), -e(rng)));
    return v;
}

inline Shape random_shape(std::mt19937& rng, int max_rank = 3, int max_dim = 4) {
    std::uniform_int_distribution<int> r(0, max_rank), d(1, max_dim);
    Shape s(std::size_t(r(rng)));
    for (auto& x : s) x = d(rng);
    return s;
}

/// Traces `out` from `ins`, predicts `samples` random inputs and compares every output element
/// with ref(values of each input array).
inline void check_circuit(const std::vector<fixvar::FixedVariableArray>& ins, const fixvar::FixedVariableArray& out,
                          const std::function<Values(const std::vector<Values>&)>& ref, std::mt19937& rng,
                          int samples = 6) {
    fixvar::CombLogic logic = fixvar::comb_trace(ins, {out});
    std::vector<std::vector<double>> rows;
    std::vector<std::vector<Values>> per_input;
    for (int s = 0; s < samples; ++s) {
        std::vector<Values> vals;
        std::vector<double> row;
        std::size_t port = 0;
        for (const auto& a : ins) {
            Values v;
            for (std::int64_t j = 0; j < a.size(); ++j) v.push_back(random_value(logic.input_format(port++), rng));
            row.insert(row.end(), v.begin(), v.end());
            vals.push_back(std::move(v));
        }
        rows.push_back(std::move(row));
        per_input.push_back(std::move(vals));
    }
    auto got = logic.predict(rows);
    for (int s = 0; s < samples; ++s) {
        Values want = ref(per_input[std::size_t(s)]);
        REQUIRE(want.size() == got[std::size_t(s)].size());
        for (std::size_t j = 0; j < want.size(); ++j) {
            INFO("sample " << s << ", output element " << j);
            REQUIRE(got[std::size_t(s)][j] == want[j]);
        }
    }
}

/// Broadcast read of a reference array (shape s) at the multi-index of shape out.
inline double bread(const Values& v, const Shape& s, const Shape& out, const std::vector<std::int64_t>& idx) {
    std::vector<std::int64_t> own(s.size());
    std::size_t base = out.size() - s.size();
    for (std::size_t d = 0; d < s.size(); ++d) own[d] = s[d] == 1 ? 0 : idx[base + d];
    return v[std::size_t(offset(s, own))];
}

/// The message of the fixvar::Error thrown by f ("" if none).
template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const fixvar::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace array_test
