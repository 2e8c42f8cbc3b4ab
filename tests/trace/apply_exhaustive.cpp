// apply(x, fn, out, round, overflow): a table over every representable input, each entry the
// reference quantize of the exact value of fn(x). Exhaustive over the input format.
#include "sweep.hpp"

#include <cmath>

using namespace fixvar;
using sweep::run1;
using V = std::vector<FixedVariable>;
using R = std::vector<ref::Val>;

TEST_CASE("apply with table functions, every mode", "[trace][sweep][apply]") {
    struct Fn {
        const char* name;
        double (*f)(double);
    };
    const Fn fns[] = {
        {"x*x*0.3 - 1", [](double x) { return x * x * 0.3 - 1; }},
        {"sin(x)", [](double x) { return std::sin(x); }},
        {"1/(1+x*x)", [](double x) { return 1 / (1 + x * x); }},
        {"-x", [](double x) { return -x; }},
    };
    const kif ins[] = {{1, 2, 4}, {0, 3, 3}, {1, 5, -1}, {1, -1, 5}};
    const kif outs[] = {{1, 1, 3}, {0, 2, 2}, {1, 3, -1}, {1, 0, 0}};
    for (const Fn& fn : fns)
        for (const kif& in : ins)
            for (const kif& out : outs)
                for (Round rnd : all_rounds)
                    for (Overflow ovf : all_overflows) {
                        auto label = fmt::format("apply({}, {}, {}, {})", fn.name, to_string(out), to_string(rnd),
                                                 to_string(ovf));
                        run1(
                            label, {in}, [&](const V& v) { return apply(v[0], fn.f, out, rnd, ovf); },
                            [&](const R& v) {
                                ref::Val y = ref::from_double(fn.f(v[0].to_double()));
                                return ref::quantize(y, sweep::to_ref(out), sweep::to_ref(rnd), sweep::to_ref(ovf));
                            });
                    }
}

TEST_CASE("apply on a derived input (range not a full format)", "[trace][sweep][apply]") {
    auto f = [](double x) { return x * 0.75 + 0.1; };
    run1(
        "apply(x*y + 1)", {kif{1, 2, 1}, kif{0, 2, 1}},
        [&](const V& v) {
            return apply(v[0] * v[1] + 1, f, kif{1, 4, 2}, Round::RND_CONV, Overflow::SAT);
        },
        [&](const R& v) {
            ref::Val y = ref::from_double(f((v[0] * v[1] + ref::Val{1, 0}).to_double()));
            return ref::quantize(y, {1, 4, 2}, ref::Rnd::RND_CONV, ref::Ovf::SAT);
        });
}

TEST_CASE("apply accepts 12-bit inputs", "[trace][sweep][apply]") {
    run1(
        "apply 12 bits", {kif{1, 5, 6}},
        [](const V& v) {
            return apply(
                v[0], [](double x) { return x / 3; }, kif{1, 3, 4}, Round::RND, Overflow::SAT);
        },
        [](const R& v) {
            ref::Val y = ref::from_double(v[0].to_double() / 3);
            return ref::quantize(y, {1, 3, 4}, ref::Rnd::RND, ref::Ovf::SAT);
        });
}
