#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/core/quantize.hpp>
#include <fixvar/trace/variable.hpp>

#include <cmath>

namespace fixvar {
namespace {

using ir::NodeId;

// The trace shared by the operands; constants adopt the other operand's trace.
const TraceContext& common(const FixedVariable& a, const FixedVariable& b, const char* op) {
    if (a.context() == b.context()) return a.context();
    if (a.is_constant() && !b.is_constant()) return b.context();
    if (b.is_constant() && !a.is_constant()) return a.context();
    if (a.is_constant() && b.is_constant()) return current_trace();
    fail(op, "operands come from different traces (was new_trace() called in between?)");
}

// id of v inside ctx (constants are re-created there).
NodeId in(const TraceContext& ctx, const FixedVariable& v) {
    if (v.context() == ctx) return v.id();
    return ctx->constant(v.builder().constant_value(v.id()));
}

template <typename F>
FixedVariable binary(const FixedVariable& a, const FixedVariable& b, const char* op, F&& f) {
    const TraceContext& ctx = common(a, b, op);
    return FixedVariable(ctx, f(*ctx, in(ctx, a), in(ctx, b)));
}

template <typename F>
FixedVariable unary(const FixedVariable& a, F&& f) {
    return FixedVariable(a.context(), f(a.builder(), a.id()));
}

}  // namespace

Dyadic short_constant(double value, std::int64_t element) {
    Dyadic d = Dyadic::from_double(value, "constant");
    if (d.significant_bits() <= max_constant_bits) return d;
    std::string which = element >= 0 ? fmt::format("element {} = ", element) : std::string();
    fail("constant",
         "{}{} is exactly {} as a double, {} significant bits (more than {}); quantize it to the "
         "format you mean (constant(value, kif{{k, i, f}}, Round::RND), or for arrays "
         "constant(values, shape, kif, Round)), or opt in to the exact double with "
         "exact_constant(...)",
         which, value, d.to_string(), d.significant_bits(), max_constant_bits);
}

FixedVariable::FixedVariable(double value) : ctx_(current_trace()), id_(ctx_->constant(short_constant(value))) {}

double FixedVariable::min() const { return exact_double(range().lo, range().exp, "min()"); }
double FixedVariable::max() const { return exact_double(range().hi, range().exp, "max()"); }
double FixedVariable::step() const { return exact_double(1, range().exp, "step()"); }

FixedVariable input(const kif& q) {
    const TraceContext& ctx = current_trace();
    return FixedVariable(ctx, ctx->input(q));
}

FixedVariable input() {
    const TraceContext& ctx = current_trace();
    return FixedVariable(ctx, ctx->input_unformatted());
}

FixedVariable constant(double value) { return FixedVariable(value); }

FixedVariable constant(double value, const kif& q, Round round) {
    const TraceContext& ctx = current_trace();
    return FixedVariable(ctx, ctx->constant(quantize_value(value, q, round, "constant")));
}

FixedVariable exact_constant(double value) {
    const TraceContext& ctx = current_trace();
    return FixedVariable(ctx, ctx->constant(Dyadic::from_double(value, "exact_constant")));
}

FixedVariable operator+(const FixedVariable& a, const FixedVariable& b) {
    return binary(a, b, "+", [](auto& g, NodeId x, NodeId y) { return g.add(x, y); });
}
FixedVariable operator-(const FixedVariable& a, const FixedVariable& b) {
    return binary(a, b, "-", [](auto& g, NodeId x, NodeId y) { return g.sub(x, y); });
}
FixedVariable operator*(const FixedVariable& a, const FixedVariable& b) {
    return binary(a, b, "*", [](auto& g, NodeId x, NodeId y) { return g.mul(x, y); });
}
FixedVariable operator-(const FixedVariable& a) {
    return unary(a, [](auto& g, NodeId x) { return g.neg(x); });
}
FixedVariable operator<<(const FixedVariable& a, int s) {
    return unary(a, [s](auto& g, NodeId x) { return g.shift(x, s); });
}
FixedVariable operator>>(const FixedVariable& a, int s) {
    return unary(a, [s](auto& g, NodeId x) { return g.shift(x, -s); });
}

#define FIXVAR_COMPARISON(op, pred)                                                                        \
    FixedVariable operator op(const FixedVariable& a, const FixedVariable& b) {                            \
        return binary(a, b, #op, [](auto& g, NodeId x, NodeId y) { return g.cmp(x, y, ir::Pred::pred); }); \
    }
FIXVAR_COMPARISON(<, LT)
FIXVAR_COMPARISON(<=, LE)
FIXVAR_COMPARISON(>, GT)
FIXVAR_COMPARISON(>=, GE)
FIXVAR_COMPARISON(==, EQ)
FIXVAR_COMPARISON(!=, NE)
#undef FIXVAR_COMPARISON

FixedVariable& operator+=(FixedVariable& a, const FixedVariable& b) { return a = a + b; }
FixedVariable& operator-=(FixedVariable& a, const FixedVariable& b) { return a = a - b; }
FixedVariable& operator*=(FixedVariable& a, const FixedVariable& b) { return a = a * b; }

FixedVariable abs(const FixedVariable& a) {
    return unary(a, [](auto& g, NodeId x) { return g.abs(x); });
}
FixedVariable relu(const FixedVariable& a) {
    return unary(a, [](auto& g, NodeId x) { return g.relu(x); });
}
FixedVariable max(const FixedVariable& a, const FixedVariable& b) {
    return binary(a, b, "max", [](auto& g, NodeId x, NodeId y) { return g.max(x, y); });
}
FixedVariable min(const FixedVariable& a, const FixedVariable& b) {
    return binary(a, b, "min", [](auto& g, NodeId x, NodeId y) { return g.min(x, y); });
}

FixedVariable where(const FixedVariable& c, const FixedVariable& a, const FixedVariable& b) {
    const TraceContext& ctx = !c.is_constant() ? c.context() : common(a, b, "where");
    return FixedVariable(ctx, ctx->select(in(ctx, c), in(ctx, a), in(ctx, b)));
}

FixedVariable quantize(const FixedVariable& x, const kif& q, Round round, Overflow overflow) {
    return unary(x, [&](auto& g, NodeId v) { return g.quantize(v, q, round, overflow); });
}

FixedVariable quantize(const FixedVariable& x, int k, int i, int f, Round round, Overflow overflow) {
    return quantize(x, kif{k, i, f}, round, overflow);
}

FixedVariable quantize(const FixedVariable& x, const kif& q, Overflow overflow) {
    return quantize(x, q, Round::TRN, overflow);
}

FixedVariable quantize(const FixedVariable& x, int k, int i, int f, Overflow overflow) {
    return quantize(x, kif{k, i, f}, Round::TRN, overflow);
}

FixedVariable msb(const FixedVariable& x) {
    return unary(x, [](auto& g, NodeId v) { return g.msb(v); });
}

FixedVariable sign_bit(const FixedVariable& x) {
    if (x.range().lo >= 0) return FixedVariable(x.context(), x.builder().constant(Dyadic{}));
    return msb(x);
}

FixedVariable apply(const FixedVariable& x, const std::function<double(double)>& fn, const kif& out, Round round,
                    Overflow overflow) {
    check_format(out, "apply");
    const ExactRange r = x.range();
    i128 n = r.hi - r.lo + 1;
    if (n > pow2(ir::max_table_bits))
        fail("apply",
             "input range {} has {} values; tables support inputs of at most {} bits "
             "(quantize the input to fewer bits first)",
             to_string(r), to_string(n), ir::max_table_bits);
    ir::Table t;
    t.in_lo = r.lo;
    t.exp = -out.f;
    t.values.reserve(std::size_t(n));
    for (i128 m = r.lo; m <= r.hi; ++m) {
        double v = exact_double(m, r.exp, "apply: table input");
        Dyadic y = Dyadic::from_double(fn(v), "apply: fn result");
        t.values.push_back(quantize_mantissa(y.mant, y.exp, out, round, overflow));
    }
    return unary(x, [&](auto& g, NodeId v) { return g.table(v, std::move(t)); });
}

}  // namespace fixvar
