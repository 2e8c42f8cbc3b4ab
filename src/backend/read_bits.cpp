// Bit usage of each op's emitted expression (see read_bits.hpp). Every rule names the
// expression of verilog_expr.cpp it mirrors; where an op reads more bits than its value
// depends on, the mask says what the text reads, since that is what synthesis keeps.
#include "backend/read_bits.hpp"

#include <fixvar/core/quantize.hpp>

#include "ir/eval.hpp"

#include <algorithm>
#include <bit>

namespace fixvar::backend::detail {
namespace {

using ir::Node;
using ir::NodeId;
using ir::Op;

int width(const ir::Graph& g, NodeId id) { return g[id].range.width(); }

/// ext(o, W): the low min(w, W) bits (a wider W repeats the sign bit, which is among them).
BitMask ext_bits(int w_operand, int W) { return low_bits(std::min(w_operand, W)); }

/// The quantizer's expression: a right shift by s with rounding reads the floor bits [s, ...)
/// plus the rounding decision's bits; WRAP without a skipped overflow branch keeps only the
/// low wq bits of the rounded value.
BitMask quantize_bits(const ir::Graph& g, const Node& n) {
    const ir::Quantizer& q = g.quantizer(n.param);
    const ExactRange& in = g[n.a].range;
    const int wa = width(g, n.a), t = -q.format.f, wq = q.format.width();
    if (wa == 0) return 0;
    if (quantize_is_identity(in, q.format, q.round, q.overflow) && n.range.exp == in.exp)
        return ext_bits(wa, n.range.width());
    const i128 lo = q.format.k ? -pow2(q.format.i + q.format.f) : 0;
    const i128 hi = pow2(q.format.i + q.format.f) - 1;
    const bool wraps = q.overflow == Overflow::WRAP && !(lo <= round_mantissa(in.lo, in.exp, q.format.f, q.round) &&
                                                         round_mantissa(in.hi, in.exp, q.format.f, q.round) <= hi);
    const bool sign = g[n.a].range.is_signed();
    if (in.exp >= t) {  // exact left shift by d: the low wq bits of the result are a's [0, wq - d)
        int d = std::min(in.exp - t, wq + 1);
        return wraps ? low_bits(std::min(wa, wq - d)) : low_bits(wa);
    }
    int s = std::min(t - in.exp, wa + 1);
    int from = q.round == Round::TRN ? s : q.round == Round::RND ? s - 1 : 0;
    int to = wraps ? s + wq : wa + 2;  // exclusive, in the sign-extended word of wa + 2 bits
    BitMask m = low_bits(std::min(to, wa)) & ~low_bits(from);
    if (sign && to > wa) m |= BitMask(1) << (wa - 1);  // bits past wa are copies of the sign
    if (q.round == Round::TRN_ZERO || q.round == Round::RND_ZERO || q.round == Round::RND_INF)
        if (sign) m |= BitMask(1) << (wa - 1);
    return m;
}

/// Bits of an operand of width wo that give bits `out` of (operand << d) sign- or zero-extended
/// (bit j of the result is operand bit j - d, or its sign bit past its width).
BitMask aligned_bits(BitMask out, int d, int wo, bool is_signed) {
    BitMask m = d >= 0 ? (d >= 128 ? 0 : out >> d) : (-d >= 128 ? 0 : out << -d);
    BitMask past = m & ~low_bits(wo);
    m &= low_bits(wo);
    if (past && is_signed) m |= BitMask(1) << (wo - 1);
    return m;
}

/// The bits of `o` read by the slot of `n` that holds it, when `demanded` bits of n are used.
/// Arithmetic carries upward, so its result's low bits need only the operands' low bits;
/// selections (relu, mux arms, extensions) need exactly the aligned bits.
BitMask slot_bits(const ir::Graph& g, const Node& n, NodeId o, int slot, BitMask demanded) {
    const int wo = width(g, o), e = n.range.exp;
    if (wo == 0 || demanded == 0) return 0;
    const int eo = g[o].range.exp, top = bit_length(demanded);  // bits [0, top) matter
    const bool is_signed = g[o].range.is_signed();
    const BitMask all = low_bits(wo), sign = BitMask(1) << (wo - 1);
    switch (n.op) {
        case Op::Add: {  // shl(o, d, w) in arithmetic modulo 2^w
            int d = eo + (slot == 1 ? n.param : 0) - e;
            return low_bits(std::min(wo, top - d));
        }
        case Op::Neg:
        case Op::Mul: return low_bits(std::min(wo, top));
        case Op::Shift: return aligned_bits(demanded, 0, wo, is_signed);
        case Op::Quantize: return quantize_bits(g, n);
        case Op::Relu: return aligned_bits(demanded, 0, wo, is_signed) | (is_signed ? sign : 0);
        case Op::Abs: return low_bits(std::min(wo, top)) | (is_signed ? sign : 0);
        case Op::Select:  // the condition reads every bit (|c); the arms shl(o, d, w)
            return slot == 0 ? all : aligned_bits(demanded, eo - e, wo, is_signed);
        case Op::Bit: {
            if (n.param < wo) return BitMask(1) << n.param;
            return g[o].range.is_signed() ? sign : 0;
        }
        case Op::Max:
        case Op::Min:
        case Op::Cmp:
        case Op::Table:
        case Op::Input:
        case Op::Const: return all;
    }
    return all;
}

}  // namespace

int popcount(BitMask m) { return std::popcount(std::uint64_t(m)) + std::popcount(std::uint64_t(m >> 64)); }

BitMask varying_bits(const ExactRange& r) {
    int w = r.width();
    if (r.lo == r.hi) return 0;
    i128 diff = r.lo ^ r.hi;
    if (diff < 0) return low_bits(w);
    return low_bits(std::min(w, bit_length(u128(diff))));
}

BitMask read_bits(const ir::Graph& g, const Node& n, NodeId operand, BitMask demanded) {
    BitMask m = 0;
    const NodeId slots[] = {n.a, n.b, n.c};
    for (int s = 0; s < 3; ++s)
        if (slots[s] == operand) m |= slot_bits(g, n, operand, s, demanded);
    return m;
}

std::vector<BitMask> demanded_bits(const ir::Graph& g) {
    std::vector<BitMask> d(g.size(), 0);
    for (NodeId o : g.outputs) d[std::size_t(o)] = low_bits(g[o].range.width());
    for (std::size_t j = g.size(); j-- > 0;) {
        const Node& n = g[NodeId(j)];
        if (n.range.is_constant()) continue;
        for (NodeId o : {n.a, n.b, n.c})
            if (o != ir::no_node) d[std::size_t(o)] |= read_bits(g, n, o, d[j]);
    }
    return d;
}

std::vector<int> view_bit_sources(const ir::Graph& g, NodeId view) {
    const Node& n = g[view];
    const int w = n.range.width(), wa = width(g, n.a);
    const bool is_signed = g[n.a].range.is_signed();
    std::vector<int> src(std::size_t(w), -1);
    auto value = [&](i128 m) { return u128(ir::eval_node(g, n, m, 0, 0)) & low_bits(w); };
    auto probe = [&](int i) { return is_signed && i == wa - 1 ? -pow2(i) : pow2(i); };
    if (value(0) != 0) return std::vector<int>(std::size_t(w), -2);
    std::vector<u128> image(static_cast<std::size_t>(wa));
    for (int i = 0; i < wa; ++i) {
        image[std::size_t(i)] = value(probe(i));
        for (int k = 0; k < w; ++k) {
            if (!((image[std::size_t(i)] >> k) & 1)) continue;
            if (src[std::size_t(k)] != -1) return std::vector<int>(std::size_t(w), -2);  // two sources
            src[std::size_t(k)] = i;
        }
    }
    // Linearity on mixed operands: every pattern of the low bits with and without the sign.
    for (int i = 0; i + 1 < wa; ++i) {
        i128 m = probe(i) + probe(wa - 1);
        if (value(m) != (image[std::size_t(i)] ^ image[std::size_t(wa - 1)]))
            return std::vector<int>(std::size_t(w), -2);
        i128 all = (is_signed ? -pow2(wa - 1) : pow2(wa - 1)) + pow2(i + 1) - 1;
        u128 expect = image[std::size_t(wa - 1)];
        for (int b = 0; b <= i; ++b) expect ^= image[std::size_t(b)];
        if (value(all) != expect) return std::vector<int>(std::size_t(w), -2);
    }
    return src;
}

bool is_view(const ir::Graph& g, NodeId id) {
    const Node& n = g[id];
    if (n.op != Op::Shift && n.op != Op::Quantize && n.op != Op::Bit) return false;
    if (n.range.is_constant()) return false;
    return ir::node_cost(g, n) == 0 && ir::node_delay(g, n).first == 0;
}

}  // namespace fixvar::backend::detail
