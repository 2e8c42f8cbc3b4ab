// quantize for EVERY Round x Overflow combination, traced and interpreted over all values of
// small source formats, into several target formats (signed/unsigned, negative i or f,
// narrowing and widening), compared with the independent reference.
#include "sweep.hpp"

using namespace fixvar;
using sweep::run1;
using sweep::Tight;
using V = std::vector<FixedVariable>;
using R = std::vector<ref::Val>;

namespace {

const kif sources[] = {{1, 3, 4}, {0, 2, 5}, {1, -2, 6}, {1, 5, -1}, {0, 6, 0}, {1, 1, 2}};
const kif targets[] = {{1, 2, 1},  {0, 2, 1}, {1, 0, 2}, {1, -1, 3}, {0, -1, 2}, {1, 3, -1},
                       {0, 4, -2}, {1, 5, 3}, {0, 1, 0}, {1, 0, 0},  {0, 7, 6},  {1, 2, 0}};

// The bounds of quantize's range are attained when the rounded values of the source form a
// contiguous run of target steps (source grid fine enough) or when the overflow mode is a
// clamp; for WRAP / SAT_ZERO on a coarser source grid only soundness is required.
Tight expect_tight(const kif& src, const kif& dst, Overflow o) {
    bool fine = src.f >= dst.f;
    return fine || o == Overflow::SAT || o == Overflow::SAT_SYM ? Tight::yes : Tight::no;
}

}  // namespace

TEST_CASE("quantize of inputs: every mode into every target", "[trace][sweep][quantize]") {
    for (Round rnd : all_rounds)
        for (Overflow ovf : all_overflows)
            for (const kif& src : sources)
                for (const kif& dst : targets) {
                    std::string label = "quantize(x, " + to_string(dst) + ", " + std::string(to_string(rnd)) + ", " +
                                        std::string(to_string(ovf)) + ")";
                    run1(
                        label, {src}, [&](const V& v) { return quantize(v[0], dst, rnd, ovf); },
                        [&](const R& v) {
                            return ref::quantize(v[0], sweep::to_ref(dst), sweep::to_ref(rnd), sweep::to_ref(ovf));
                        },
                        expect_tight(src, dst, ovf));
                }
}

TEST_CASE("quantize of derived ranges: every mode", "[trace][sweep][quantize]") {
    // Sources whose exact range is not a full format (sums, products, scaled copies).
    const kif dsts[] = {{1, 2, 1}, {0, 3, 0}, {1, 0, 2}, {0, -1, 3}, {1, 4, -1}};
    for (Round rnd : all_rounds)
        for (Overflow ovf : all_overflows)
            for (const kif& dst : dsts) {
                auto q = [&](const ref::Val& v) {
                    return ref::quantize(v, sweep::to_ref(dst), sweep::to_ref(rnd), sweep::to_ref(ovf));
                };
                std::string mode =
                    std::string(to_string(rnd)) + " " + std::string(to_string(ovf)) + " " + to_string(dst);
                run1(
                    "quantize(x + y) " + mode, {kif{1, 2, 2}, kif{0, 1, 3}},
                    [&](const V& v) { return quantize(v[0] + v[1], dst, rnd, ovf); },
                    [&](const R& v) { return q(v[0] + v[1]); }, Tight::no);
                run1(
                    "quantize(x * y) " + mode, {kif{1, 2, 2}, kif{1, 1, 2}},
                    [&](const V& v) { return quantize(v[0] * v[1], dst, rnd, ovf); },
                    [&](const R& v) { return q(v[0] * v[1]); }, Tight::no);
                run1(
                    "quantize(x * 0.375 - 1) " + mode, {kif{1, 4, 3}},
                    [&](const V& v) { return quantize(v[0] * 0.375 - 1, dst, rnd, ovf); },
                    [&](const R& v) {
                        return q(v[0] * ref::Val{3, -3} - ref::Val{1, 0});
                    },
                    Tight::no);
                run1(
                    "quantize(relu(x)) " + mode, {kif{1, 3, 3}},
                    [&](const V& v) { return quantize(relu(v[0]), dst, rnd, ovf); },
                    [&](const R& v) { return q(ref::relu(v[0])); }, expect_tight(kif{1, 3, 3}, dst, ovf));
            }
}

TEST_CASE("quantize chained twice and defaults", "[trace][sweep][quantize]") {
    // default modes are TRN / WRAP
    run1(
        "quantize(x, kif{1,1,1})", {kif{1, 3, 3}},
        [](const V& v) {
            return quantize(v[0], kif{1, 1, 1});
        },
        [](const R& v) {
            return ref::quantize(v[0], {1, 1, 1}, ref::Rnd::TRN, ref::Ovf::WRAP);
        });
    run1(
        "quantize(x, 0, 2, 1, RND, SAT)", {kif{1, 3, 3}},
        [](const V& v) { return quantize(v[0], 0, 2, 1, Round::RND, Overflow::SAT); },
        [](const R& v) {
            return ref::quantize(v[0], {0, 2, 1}, ref::Rnd::RND, ref::Ovf::SAT);
        });
    for (Round rnd : all_rounds)
        for (Overflow ovf : all_overflows)
            run1(
                "double quantize", {kif{1, 4, 4}},
                [&](const V& v) {
                    return quantize(quantize(v[0], kif{1, 3, 2}, rnd, ovf), kif{0, 2, 0}, rnd, ovf);
                },
                [&](const R& v) {
                    auto r = sweep::to_ref(rnd);
                    auto o = sweep::to_ref(ovf);
                    return ref::quantize(ref::quantize(v[0], {1, 3, 2}, r, o), {0, 2, 0}, r, o);
                },
                Tight::no);
}
