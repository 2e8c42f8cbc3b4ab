// Shape operations and reductions against index-math references.
#include "helpers.hpp"

using namespace fixvar;
using namespace array_test;

namespace {
// Reference transpose of values v (shape s) by perm.
Values ref_transpose(const Values& v, const Shape& s, const std::vector<std::int64_t>& perm) {
    Shape out;
    for (auto p : perm) out.push_back(s[std::size_t(p)]);
    Values r;
    each_index(out, [&](const auto& idx) {
        std::vector<std::int64_t> src(s.size());
        for (std::size_t d = 0; d < s.size(); ++d) src[std::size_t(perm[d])] = idx[d];
        r.push_back(v[std::size_t(offset(s, src))]);
    });
    return r;
}
}  // namespace

TEST_CASE("reshape, flatten, transpose, operator[] and at", "[array][shape]") {
    for (unsigned seed = 1; seed <= 6; ++seed) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        new_trace();
        Shape s = random_shape(rng, 4, 3);
        if (s.empty()) s = {3};
        CAPTURE(to_string(s));
        FixedVariableArray a = input(s, kif{1, 4, 0});
        std::vector<std::int64_t> perm(s.size());
        std::iota(perm.begin(), perm.end(), 0);
        std::shuffle(perm.begin(), perm.end(), rng);
        FixedVariableArray t = transpose(a, perm);
        check_circuit(
            {a}, t, [&](const auto& in) { return ref_transpose(in[0], s, perm); }, rng, 2);
        FixedVariableArray r = reshape(a, {-1, s.back()});
        CHECK(r.shape() == Shape{numel(s) / s.back(), s.back()});
        CHECK(flatten(t).shape() == Shape{numel(s)});
        std::vector<std::int64_t> rev(s.size());
        for (std::size_t d = 0; d < s.size(); ++d) rev[d] = std::int64_t(s.size() - 1 - d);
        check_circuit(
            {a}, transpose(a), [&](const auto& in) { return ref_transpose(in[0], s, rev); }, rng, 2);
        FixedVariableArray row = a[-1];
        CHECK(row.shape() == Shape(s.begin() + 1, s.end()));
        std::vector<std::int64_t> last(s.size());
        for (std::size_t d = 0; d < s.size(); ++d) last[d] = s[d] - 1;
        CHECK(a.at(last).id() == a.flat(a.size() - 1).id());
    }
}

TEST_CASE("slice with negative indices and steps", "[array][shape]") {
    new_trace();
    std::mt19937 rng(21);
    FixedVariableArray a = input({5, 6}, kif{1, 4, 0});
    struct Case {
        Slice r, c;
    };
    std::vector<Case> cases = {
        {Slice{1, 4, 1}, Slice{std::nullopt, std::nullopt, 2}},
        {Slice{-1, std::nullopt, -1}, Slice{-2, 0, -2}},
        {Slice{std::nullopt, std::nullopt, -2}, Slice{-100, 100, 3}},
        {Slice::at(-2), Slice{4, 1, 1}},  // empty columns
        {Slice{3, -6, -1}, Slice{5, std::nullopt, -1}},
    };
    for (std::size_t k = 0; k < cases.size(); ++k) {
        CAPTURE(k);
        // Reference: python-style resolution written out plainly.
        auto indices = [](const Slice& s, std::int64_t n) {
            std::vector<std::int64_t> out;
            std::int64_t step = s.step;
            auto norm = [&](std::int64_t v, bool forward) {
                if (v < 0) v += n;
                if (forward) return std::clamp<std::int64_t>(v, 0, n);
                return std::clamp<std::int64_t>(v, -1, n - 1);
            };
            if (step > 0) {
                std::int64_t b = s.start ? norm(*s.start, true) : 0, e = s.stop ? norm(*s.stop, true) : n;
                for (std::int64_t i = b; i < e; i += step) out.push_back(i);
            } else {
                std::int64_t b = s.start ? norm(*s.start, false) : n - 1, e = s.stop ? norm(*s.stop, false) : -1;
                for (std::int64_t i = b; i > e; i += step) out.push_back(i);
            }
            return out;
        };
        auto ri = indices(cases[k].r, 5), ci = indices(cases[k].c, 6);
        FixedVariableArray y = slice(a, {cases[k].r, cases[k].c});
        REQUIRE(y.shape() == Shape{std::int64_t(ri.size()), std::int64_t(ci.size())});
        if (y.size() == 0) continue;
        check_circuit(
            {a}, y,
            [&](const auto& in) {
                Values r;
                for (auto i : ri)
                    for (auto j : ci) r.push_back(in[0][std::size_t(i * 6 + j)]);
                return r;
            },
            rng, 2);
    }
}

TEST_CASE("concatenate, stack, split, repeat, pad", "[array][shape]") {
    new_trace();
    std::mt19937 rng(4);
    FixedVariableArray a = input({2, 3}, kif{1, 4, 0});
    FixedVariableArray b = input({2, 2}, kif{1, 4, 0});
    FixedVariableArray c = concatenate({a, b}, -1);
    REQUIRE(c.shape() == Shape{2, 5});
    check_circuit(
        {a, b}, c,
        [&](const auto& in) {
            Values r;
            for (int i = 0; i < 2; ++i) {
                for (int j = 0; j < 3; ++j) r.push_back(in[0][std::size_t(i * 3 + j)]);
                for (int j = 0; j < 2; ++j) r.push_back(in[1][std::size_t(i * 2 + j)]);
            }
            return r;
        },
        rng, 2);
    FixedVariableArray s = stack({a, -a, a * 2}, 1);
    REQUIRE(s.shape() == Shape{2, 3, 3});
    check_circuit(
        {a}, s,
        [&](const auto& in) {
            Values r;
            for (int i = 0; i < 2; ++i)
                for (int k = 0; k < 3; ++k)
                    for (int j = 0; j < 3; ++j) {
                        double v = in[0][std::size_t(i * 3 + j)];
                        r.push_back(k == 0 ? v : k == 1 ? -v : 2 * v);
                    }
            return r;
        },
        rng, 2);
    auto parts = split(c, std::vector<std::int64_t>{1, 3}, 1);
    REQUIRE(parts.size() == 3);
    CHECK(parts[0].shape() == Shape{2, 1});
    CHECK(parts[1].shape() == Shape{2, 2});
    CHECK(parts[2].shape() == Shape{2, 2});
    CHECK(parts[2](1, 1).id() == c(1, 4).id());
    auto halves = split(b, 2, 0);
    CHECK(halves[1](0, 1).id() == b(1, 1).id());
    FixedVariableArray r = repeat(a, 2, 0);
    REQUIRE(r.shape() == Shape{4, 3});
    CHECK(r(3, 2).id() == a(1, 2).id());
    CHECK(r(2, 0).id() == a(1, 0).id());
    FixedVariableArray p = pad(a, {{1, 0}, {2, 1}}, 0.5);
    REQUIRE(p.shape() == Shape{3, 6});
    check_circuit(
        {a}, p,
        [&](const auto& in) {
            Values out;
            for (int i = 0; i < 3; ++i)
                for (int j = 0; j < 6; ++j) {
                    int si = i - 1, sj = j - 2;
                    bool inside = si >= 0 && si < 2 && sj >= 0 && sj < 3;
                    out.push_back(inside ? in[0][std::size_t(si * 3 + sj)] : 0.5);
                }
            return out;
        },
        rng, 2);
    CHECK(broadcast_to(b[0], {3, 2}).shape() == Shape{3, 2});
    CHECK(squeeze(expand_dims(a, 1), 1).shape() == a.shape());
}

TEST_CASE("sum, amax, amin over axes, argmax/argmin", "[array][reduce]") {
    for (unsigned seed = 1; seed <= 8; ++seed) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        new_trace();
        Shape s = random_shape(rng, 3, 4);
        if (s.empty()) s = {4};
        CAPTURE(to_string(s));
        FixedVariableArray a = input(s, kif{1, 2, 0});  // few values: ties happen
        std::uniform_int_distribution<std::size_t> pick(0, s.size() - 1);
        std::int64_t ax = std::int64_t(pick(rng));
        std::vector<std::int64_t> axes = {ax};
        if (s.size() > 1) axes.push_back((ax + 1) % std::int64_t(s.size()));
        CAPTURE(ax, axes.size());
        auto reduced_ref = [&](const Values& v, const std::vector<std::int64_t>& red, int kind) {
            Shape out;
            for (std::size_t d = 0; d < s.size(); ++d)
                if (std::find(red.begin(), red.end(), std::int64_t(d)) == red.end()) out.push_back(s[d]);
            Values acc(std::size_t(numel(out)), kind == 0 ? 0.0 : kind == 1 ? -1e9 : 1e9);
            Values arg(acc.size(), 0), cnt(acc.size(), 0);
            each_index(s, [&](const auto& idx) {
                std::vector<std::int64_t> o;
                for (std::size_t d = 0; d < s.size(); ++d)
                    if (std::find(red.begin(), red.end(), std::int64_t(d)) == red.end()) o.push_back(idx[d]);
                auto k = std::size_t(offset(out, o));
                double x = v[std::size_t(offset(s, idx))];
                if (kind == 0) acc[k] += x;
                if (kind == 1 && x > acc[k]) acc[k] = x, arg[k] = cnt[k];
                if (kind == 2 && x < acc[k]) acc[k] = x, arg[k] = cnt[k];
                cnt[k] += 1;
            });
            return std::pair(acc, arg);
        };
        check_circuit(
            {a}, sum(a, ax), [&](const auto& in) { return reduced_ref(in[0], {ax}, 0).first; }, rng);
        check_circuit(
            {a}, amax(a, axes), [&](const auto& in) { return reduced_ref(in[0], axes, 1).first; }, rng);
        check_circuit(
            {a}, amin(a, axes, true), [&](const auto& in) { return reduced_ref(in[0], axes, 2).first; }, rng);
        std::vector<std::int64_t> all(s.size());
        std::iota(all.begin(), all.end(), 0);
        check_circuit(
            {a}, sum(a), [&](const auto& in) { return reduced_ref(in[0], all, 0).first; }, rng);
        if (s.size() == 1) {
            check_circuit(
                {a}, argmax(a, 0), [&](const auto& in) { return reduced_ref(in[0], {0}, 1).second; }, rng, 12);
            check_circuit(
                {a}, argmin(a), [&](const auto& in) { return reduced_ref(in[0], {0}, 2).second; }, rng, 12);
        }
        CHECK(amin(a, axes, true).ndim() == s.size());
    }
    // argmax over a trailing axis, many ties (2-bit values): first maximum wins.
    new_trace();
    std::mt19937 rng(99);
    FixedVariableArray a = input({3, 7}, kif{0, 1, 0});
    check_circuit(
        {a}, argmax(a, -1),
        [&](const auto& in) {
            Values r;
            for (int i = 0; i < 3; ++i) {
                int best = 0;
                for (int j = 1; j < 7; ++j)
                    if (in[0][std::size_t(i * 7 + j)] > in[0][std::size_t(i * 7 + best)]) best = j;
                r.push_back(best);
            }
            return r;
        },
        rng, 20);
}
