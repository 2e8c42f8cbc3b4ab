#pragma once
// Random straight-line programs over FixedVariable ops, recorded so that the same program can
// be evaluated by the independent reference (core/reference.hpp). Used by the text round-trip
// tests and the randomized end-to-end comparison. Deterministic for a given seed.
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <fixvar/fixvar.hpp>

#include "core/reference.hpp"

namespace randprog {

using fixvar::FixedVariable;
using fixvar::kif;

enum class K {
    Input,
    Add,
    Sub,
    MulVar,
    MulConst,
    Shift,
    Neg,
    Abs,
    Relu,
    Max,
    Min,
    Cmp,
    Where,
    Quantize,
    SignBit,
    Apply
};

struct Step {
    K kind;
    int a = -1, b = -1, c = -1;
    int shift = 0;
    double constant = 0;
    int pred = 0;
    kif q{};
    fixvar::Round round{};
    fixvar::Overflow overflow{};
};

inline double table_fn(double x) { return x * x * 0.5 - x * 0.25; }

struct Program {
    std::vector<kif> inputs;
    std::vector<Step> steps;            // one per value (inputs first)
    std::vector<FixedVariable> values;  // traced
    std::vector<int> outputs;           // indices into values

    /// Reference evaluation of every output for one sample.
    std::vector<ref::Val> evaluate(const std::vector<ref::Val>& in) const {
        std::vector<ref::Val> v(steps.size());
        for (std::size_t j = 0; j < steps.size(); ++j) {
            const Step& s = steps[j];
            auto A = [&] { return v[std::size_t(s.a)]; };
            auto B = [&] { return v[std::size_t(s.b)]; };
            switch (s.kind) {
                case K::Input: v[j] = in[std::size_t(s.a)]; break;
                case K::Add: v[j] = A() + B(); break;
                case K::Sub: v[j] = A() - B(); break;
                case K::MulVar: v[j] = A() * B(); break;
                case K::MulConst: v[j] = A() * ref::from_double(s.constant); break;
                case K::Shift: v[j] = ref::shifted(A(), s.shift); break;
                case K::Neg: v[j] = -A(); break;
                case K::Abs: v[j] = ref::vabs(A()); break;
                case K::Relu: v[j] = ref::relu(A()); break;
                case K::Max: v[j] = ref::vmax(A(), B()); break;
                case K::Min: v[j] = ref::vmin(A(), B()); break;
                case K::Cmp: {
                    int c = ref::cmp(A(), B());
                    bool r[] = {c<0, c <= 0, c> 0, c >= 0, c == 0, c != 0};
                    v[j] = ref::Val{r[s.pred] ? 1 : 0, 0};
                    break;
                }
                case K::Where: v[j] = v[std::size_t(s.c)].m != 0 ? A() : B(); break;
                case K::Quantize:
                    v[j] = ref::quantize(A(), ref::Fmt{s.q.k, s.q.i, s.q.f}, ref::Rnd(int(s.round)),
                                         ref::Ovf(int(s.overflow)));
                    break;
                case K::SignBit: v[j] = ref::Val{A().m < 0 ? 1 : 0, 0}; break;
                case K::Apply:
                    v[j] = ref::quantize(ref::from_double(table_fn(A().to_double())), ref::Fmt{s.q.k, s.q.i, s.q.f},
                                         ref::Rnd(int(s.round)), ref::Ovf(int(s.overflow)));
                    break;
            }
        }
        std::vector<ref::Val> out;
        for (int o : outputs) out.push_back(v[std::size_t(o)]);
        return out;
    }
};

/// Traces a random program in a fresh trace: `n_inputs` small inputs, `n_ops` operations.
inline Program make(std::uint64_t seed, int n_inputs = 3, int n_ops = 24) {
    std::mt19937_64 rng(seed);
    auto pick = [&](int n) { return int(rng() % std::uint64_t(n)); };
    fixvar::new_trace();
    Program p;
    const kif formats[] = {{1, 2, 2}, {0, 3, 1}, {1, 4, -1}, {0, -1, 4}, {1, 0, 3}, {0, 5, 0}};
    for (int j = 0; j < n_inputs; ++j) {
        kif q = formats[pick(6)];
        p.inputs.push_back(q);
        p.steps.push_back(Step{K::Input, j});
        p.values.push_back(fixvar::input(q));
    }
    const double consts[] = {3, -0.75, 0.375, 5, -2, 1.25, 0.5, -7};
    while (int(p.steps.size()) < n_inputs + n_ops) {
        int n = int(p.values.size());
        Step s{K(1 + pick(15))};
        s.a = pick(n);
        s.b = pick(n);
        s.c = pick(n);
        const FixedVariable &a = p.values[std::size_t(s.a)], &b = p.values[std::size_t(s.b)];
        FixedVariable r = a;
        switch (s.kind) {
            case K::Input: continue;
            case K::Add: r = a + b; break;
            case K::Sub: r = a - b; break;
            case K::MulVar: r = a * b; break;
            case K::MulConst:
                s.constant = consts[pick(8)];
                r = a * s.constant;
                break;
            case K::Shift:
                s.shift = pick(5) - 2;
                r = a << s.shift;
                break;
            case K::Neg: r = -a; break;
            case K::Abs: r = abs(a); break;
            case K::Relu: r = relu(a); break;
            case K::Max: r = max(a, b); break;
            case K::Min: r = min(a, b); break;
            case K::Cmp: {
                s.pred = pick(6);
                FixedVariable (*ops[])(const FixedVariable&, const FixedVariable&) = {
                    fixvar::operator<, fixvar::operator<=, fixvar::operator>, fixvar::operator>=, fixvar::operator==,
                    fixvar::operator!= };
                r = ops[s.pred](a, b);
                break;
            }
            case K::Where: {
                const FixedVariable& c = p.values[std::size_t(s.c)];
                auto rc = c.range();
                if (!(rc.exp == 0 && rc.lo >= 0 && rc.hi <= 1)) continue;  // needs a 1-bit value
                r = where(c, a, b);
                break;
            }
            case K::Quantize:
            case K::Apply: {
                s.q = kif{pick(2), pick(6) - 1, pick(5) - 1};
                if (s.q.width() < 1) s.q.i += 1 - s.q.width();
                s.round = fixvar::all_rounds[pick(7)];
                s.overflow = fixvar::all_overflows[pick(4)];
                if (s.kind == K::Quantize) {
                    r = quantize(a, s.q, s.round, s.overflow);
                } else {
                    auto ra = a.range();
                    if (ra.hi - ra.lo >= 1024) continue;  // keep tables small
                    r = apply(a, table_fn, s.q, s.round, s.overflow);
                }
                break;
            }
            case K::SignBit: r = sign_bit(a); break;
        }
        if (r.width() > 40) continue;  // keep widths modest
        p.steps.push_back(s);
        p.values.push_back(r);
    }
    int total = int(p.values.size());
    for (int j = std::max(n_inputs, total - 4); j < total; ++j) p.outputs.push_back(j);
    return p;
}

}  // namespace randprog
