#pragma once
// Exhaustive sweep harness: trace a circuit over small input formats, run the interpreter on
// EVERY combination of input values, and compare each output bit-exactly with the independent
// reference (core/reference.hpp). Also checks range soundness (every value inside the output
// variable's exact range, on its grid) and, where requested, tightness (both bounds attained).
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include <fixvar/fixvar.hpp>

#include "core/reference.hpp"

namespace sweep {

using fixvar::FixedVariable;
using fixvar::kif;

inline ref::Fmt to_ref(const kif& q) { return ref::Fmt{q.k, q.i, q.f}; }
inline ref::Rnd to_ref(fixvar::Round r) { return ref::Rnd(int(r)); }
inline ref::Ovf to_ref(fixvar::Overflow o) { return ref::Ovf(int(o)); }

inline std::string fmt_list(const std::vector<kif>& formats) {
    std::string s;
    for (const kif& q : formats) s += fixvar::to_string(q) + " ";
    return s;
}

using Build = std::function<std::vector<FixedVariable>(const std::vector<FixedVariable>&)>;
using Reference = std::function<std::vector<ref::Val>(const std::vector<ref::Val>&)>;

/// Per-output expectation about the range: `yes` = sound and both bounds attained, `no` = sound
/// only, `values_only` = compare values with the reference but do not judge the range.
enum class Tight { yes, no, values_only };

/// Every combination of input values (mantissas, one row of formats.size() per sample), the first
/// input varying slowest.
inline std::vector<fixvar::i128> all_input_mantissas(const std::vector<kif>& formats) {
    std::vector<std::vector<ref::Val>> domains;
    std::size_t batch = 1;
    for (const kif& q : formats) {
        domains.push_back(to_ref(q).values());
        batch *= domains.back().size();
    }
    const std::size_t n_in = formats.size();
    std::vector<fixvar::i128> mant(batch * n_in);
    for (std::size_t s = 0; s < batch; ++s) {
        std::size_t rest = s;
        for (std::size_t p = n_in; p-- > 0;) {
            const auto& d = domains[p];
            mant[s * n_in + p] = d[rest % d.size()].m;
            rest /= d.size();
        }
    }
    return mant;
}

/// Runs one exhaustive sweep. `tight[j]` (default: all yes) says whether output j's declared
/// range must have both bounds attained. Returns the number of samples evaluated.
inline std::size_t run(const std::string& label, const std::vector<kif>& formats, const Build& build,
                       const Reference& reference, std::vector<Tight> tight = {}) {
    INFO(label << " with inputs " << fmt_list(formats));
    fixvar::new_trace();
    std::vector<FixedVariable> in;
    for (const kif& q : formats) in.push_back(fixvar::input(q));
    std::vector<FixedVariable> outs = build(in);
    std::vector<fixvar::ExactRange> ranges;
    for (auto& o : outs) ranges.push_back(o.range());
    fixvar::CombLogic logic = fixvar::comb_trace(in, outs);
    for (std::size_t j = 0; j < outs.size(); ++j) REQUIRE(logic.output_range(j) == ranges[j]);
    if (tight.empty()) tight.assign(outs.size(), Tight::yes);

    std::vector<fixvar::i128> mant = all_input_mantissas(formats);
    const std::size_t n_in = formats.size(), n_out = outs.size(), batch = n_in ? mant.size() / n_in : 1;
    std::vector<fixvar::i128> got = logic.predict_mantissas(mant, batch);
    REQUIRE(got.size() == batch * n_out);

    std::size_t mismatches = 0, outside = 0;
    std::string first_mismatch, first_outside;
    std::vector<fixvar::i128> seen_lo(n_out), seen_hi(n_out);
    std::vector<ref::Val> args(n_in);
    for (std::size_t s = 0; s < batch; ++s) {
        for (std::size_t p = 0; p < n_in; ++p) args[p] = ref::Val{mant[s * n_in + p], -formats[p].f};
        std::vector<ref::Val> want = reference(args);
        for (std::size_t j = 0; j < n_out; ++j) {
            const fixvar::ExactRange& r = ranges[j];
            fixvar::i128 m = got[s * n_out + j];
            ref::Val g{m, r.exp};
            auto describe = [&] {
                std::string d = "inputs (";
                for (auto& a : args) d += a.str() + " ";
                return d + ") output " + std::to_string(j) + ": interpreter " + g.str() + ", reference " +
                       want[j].str() + ", range " + fixvar::to_string(r);
            };
            if (!(g == want[j]) && mismatches++ == 0) first_mismatch = describe();
            // Soundness, judged on the reference value: on the range grid and within [lo, hi].
            bool inside = want[j].on_grid(r.exp) && r.lo <= want[j].at(r.exp) && want[j].at(r.exp) <= r.hi;
            if (!inside && outside++ == 0) first_outside = describe();
            if (s == 0 || m < seen_lo[j]) seen_lo[j] = m;
            if (s == 0 || m > seen_hi[j]) seen_hi[j] = m;
        }
    }
    INFO("first mismatch: " << first_mismatch);
    CHECK(mismatches == 0);
    bool judge_range = false;
    for (Tight t : tight) judge_range = judge_range || t != Tight::values_only;
    INFO("first value outside the declared range: " << first_outside);
    if (judge_range) CHECK(outside == 0);
    for (std::size_t j = 0; j < n_out; ++j) {
        if (tight[j] != Tight::yes || batch == 0) continue;
        INFO("output " << j << " declared range " << fixvar::to_string(ranges[j]) << ", attained ["
                       << ref::i128_str(seen_lo[j]) << ", " << ref::i128_str(seen_hi[j]) << "]");
        CHECK(seen_lo[j] == ranges[j].lo);
        CHECK(seen_hi[j] == ranges[j].hi);
    }

    // The double API agrees with the mantissa API on a spread of samples.
    std::size_t stride = batch > 64 ? batch / 64 : 1;
    std::vector<std::vector<double>> dsamples;
    std::vector<std::size_t> picked;
    for (std::size_t s = 0; s < batch; s += stride) {
        std::vector<double> row;
        for (std::size_t p = 0; p < n_in; ++p) row.push_back(ref::Val{mant[s * n_in + p], -formats[p].f}.to_double());
        dsamples.push_back(row);
        picked.push_back(s);
    }
    auto dout = logic.predict(dsamples);
    std::size_t dmismatch = 0;
    for (std::size_t t = 0; t < picked.size(); ++t)
        for (std::size_t j = 0; j < n_out; ++j)
            if (dout[t][j] != ref::Val{got[picked[t] * n_out + j], ranges[j].exp}.to_double()) ++dmismatch;
    CHECK(dmismatch == 0);
    return batch;
}

/// Convenience for one-output circuits.
inline std::size_t run1(const std::string& label, const std::vector<kif>& formats,
                        const std::function<FixedVariable(const std::vector<FixedVariable>&)>& build,
                        const std::function<ref::Val(const std::vector<ref::Val>&)>& reference,
                        Tight tight = Tight::yes) {
    return run(
        label, formats, [&](const auto& v) { return std::vector<FixedVariable>{build(v)}; },
        [&](const auto& v) { return std::vector<ref::Val>{reference(v)}; }, {tight});
}

/// Small formats for binary sweeps (3-5 bits: signed/unsigned, negative i or f).
inline const std::vector<kif>& small_formats() {
    static const std::vector<kif> f = {
        {1, 2, 1}, {1, 0, 3}, {1, -1, 3}, {1, 4, -2}, {1, 3, 1},
        {0, 3, 1}, {0, 2, 2}, {0, -1, 4}, {0, 5, -2}, {0, 4, 1},
    };
    return f;
}

/// Wider formats for unary sweeps (1-10 bits).
inline const std::vector<kif>& unary_formats() {
    static const std::vector<kif> f = {
        {1, 4, 4}, {0, 3, 5}, {1, -2, 8}, {1, 6, -2}, {0, 7, -3},
        {1, 0, 0}, {0, 0, 1}, {0, 1, 0},  {1, 5, 5},  {0, -3, 6},
    };
    return f;
}

}  // namespace sweep
