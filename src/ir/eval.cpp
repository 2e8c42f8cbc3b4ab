#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>
#include "ir/eval.hpp"

#include <algorithm>

namespace fixvar::ir {
namespace {

// m (at exponent from) re-expressed at the finer-or-equal exponent `to` (0 has no grid).
inline i128 align(i128 m, int from, int to) { return m == 0 ? 0 : m * pow2(from - to); }

// m at exponent `from` re-expressed at `to` in either direction (exact by construction).
inline i128 rescale(i128 m, int from, int to) {
    return from >= to ? align(m, from, to) : m >> (to - from);
}

inline bool compare(Pred p, i128 x, i128 y) {
    switch (p) {
        case Pred::LT: return x < y;
        case Pred::LE: return x <= y;
        case Pred::GT: return x > y;
        case Pred::GE: return x >= y;
        case Pred::EQ: return x == y;
        case Pred::NE: return x != y;
    }
    return false;
}

}  // namespace

i128 eval_node(const Graph& g, const Node& n, i128 a, i128 b, i128 c) {
    const int e = n.range.exp;
    auto ea = [&] { return g[n.a].range.exp; };
    auto eb = [&] { return g[n.b].range.exp; };
    switch (n.op) {
        case Op::Input: FIXVAR_ASSERT(!"inputs are not evaluated"); return 0;
        case Op::Const: return n.range.lo;
        case Op::Add: {
            i128 x = align(a, ea(), e), y = align(b, eb() + n.param, e);
            return n.subtract() ? x - y : x + y;
        }
        case Op::Shift: return a;
        case Op::Neg: return -a;
        case Op::Mul: return a * b;
        case Op::Quantize: {
            const Quantizer& q = g.quantizer(n.param);
            i128 r = quantize_mantissa(a, ea(), q.format, q.round, q.overflow);
            return rescale(r, -q.format.f, e);  // identity quantizers keep the input grid
        }
        case Op::Relu: return a > 0 ? a : 0;
        case Op::Abs: return a < 0 ? -a : a;
        case Op::Max: return std::max(align(a, ea(), e), align(b, eb(), e));
        case Op::Min: return std::min(align(a, ea(), e), align(b, eb(), e));
        case Op::Cmp: {
            int m = std::min(ea(), eb());
            return compare(n.pred(), align(a, ea(), m), align(b, eb(), m)) ? 1 : 0;
        }
        case Op::Select: {
            int ec = g[n.b].range.exp, ed = g[n.c].range.exp;
            return a ? align(b, ec, e) : align(c, ed, e);
        }
        case Op::Table: {
            const Table& t = g.table(n.param);
            return t.values[std::size_t(a - t.in_lo)];
        }
        case Op::Bit: return n.param >= 127 ? (a < 0 ? 1 : 0) : ((a >> n.param) & 1);
    }
    return 0;
}

}  // namespace fixvar::ir
