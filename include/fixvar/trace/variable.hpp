#pragma once
// FixedVariable: a traced fixed-point value. Operators do not compute numbers; they record
// nodes in the current trace, and every variable carries its exact range.
#include <concepts>
#include <functional>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/kif.hpp>
#include <fixvar/core/modes.hpp>
#include <fixvar/core/range.hpp>
#include <fixvar/trace/context.hpp>

namespace fixvar {

/// Significant bits a constant given as a double may need. Every finite double is exact, but
/// 0.1 is exactly 0.1000000000000000055511151231257827021181583404541015625 (52 significant
/// bits), which is rarely what a model means: such a constant is an Error suggesting to quantize
/// it (constant(v, kif, Round), trace/weights.hpp). Every float32 (<= 24 bits) and int32 value
/// passes. exact_constant(v) opts in to the exact double.
inline constexpr int max_constant_bits = 32;

class FixedVariable {
public:
    /// A constant in the current trace, exact; Error if it needs more than max_constant_bits.
    FixedVariable(double value);  // NOLINT: implicit, so that x + 1.5 reads naturally
    FixedVariable(TraceContext ctx, ir::NodeId id) : ctx_(std::move(ctx)), id_(id) {}

    /// Minimal format of the exact range.
    fixvar::kif kif() const { return range().minimal_kif(); }
    ExactRange range() const { return (*ctx_)[id_].range; }  // by value: the graph grows
    double min() const;                                      ///< exact; Error if not representable as a double
    double max() const;
    double step() const;  ///< 2^exp, the grid of the exact range
    int width() const { return kif().width(); }
    bool is_constant() const { return ctx_->is_constant(id_); }

    ir::NodeId id() const { return id_; }
    const TraceContext& context() const { return ctx_; }
    ir::GraphBuilder& builder() const { return *ctx_; }

private:
    TraceContext ctx_;
    ir::NodeId id_;
};

template <typename T>
concept Number = std::is_arithmetic_v<T> && !std::same_as<T, bool>;

/// A new input port of format q (one scalar element).
FixedVariable input(const kif& q);
/// A new input port whose format is set by the first quantize applied to it.
FixedVariable input();
FixedVariable constant(double value);
/// `value` rounded to q's step (Error if it then lies outside q's range).
FixedVariable constant(double value, const kif& q, Round round = Round::RND);
/// The exact double, however many significant bits it needs (see max_constant_bits).
FixedVariable exact_constant(double value);
/// `value` as an exact constant; Error (naming `element` when >= 0) if it needs more than
/// max_constant_bits significant bits.
Dyadic short_constant(double value, std::int64_t element = -1);

FixedVariable operator+(const FixedVariable& a, const FixedVariable& b);
FixedVariable operator-(const FixedVariable& a, const FixedVariable& b);
/// Variable x constant becomes shift-and-add (canonical signed digits); variable x variable
/// becomes a multiply node.
FixedVariable operator*(const FixedVariable& a, const FixedVariable& b);
FixedVariable operator-(const FixedVariable& a);
FixedVariable operator<<(const FixedVariable& a, int s);  ///< free: exponent change
FixedVariable operator>>(const FixedVariable& a, int s);

// Comparisons give 1-bit values (0 or 1).
FixedVariable operator<(const FixedVariable& a, const FixedVariable& b);
FixedVariable operator<=(const FixedVariable& a, const FixedVariable& b);
FixedVariable operator>(const FixedVariable& a, const FixedVariable& b);
FixedVariable operator>=(const FixedVariable& a, const FixedVariable& b);
FixedVariable operator==(const FixedVariable& a, const FixedVariable& b);
FixedVariable operator!=(const FixedVariable& a, const FixedVariable& b);

#define FIXVAR_MIXED_OPERATOR(op)                            \
    template <Number T>                                      \
    FixedVariable operator op(const FixedVariable& a, T b) { \
        return a op FixedVariable(static_cast<double>(b));   \
    }                                                        \
    template <Number T>                                      \
    FixedVariable operator op(T a, const FixedVariable& b) { \
        return FixedVariable(static_cast<double>(a)) op b;   \
    }
FIXVAR_MIXED_OPERATOR(+)
FIXVAR_MIXED_OPERATOR(-)
FIXVAR_MIXED_OPERATOR(*)
FIXVAR_MIXED_OPERATOR(<)
FIXVAR_MIXED_OPERATOR(<=)
FIXVAR_MIXED_OPERATOR(>)
FIXVAR_MIXED_OPERATOR(>=)
FIXVAR_MIXED_OPERATOR(==)
FIXVAR_MIXED_OPERATOR(!=)
#undef FIXVAR_MIXED_OPERATOR

FixedVariable& operator+=(FixedVariable& a, const FixedVariable& b);
FixedVariable& operator-=(FixedVariable& a, const FixedVariable& b);
FixedVariable& operator*=(FixedVariable& a, const FixedVariable& b);

FixedVariable abs(const FixedVariable& a);
FixedVariable relu(const FixedVariable& a);
FixedVariable max(const FixedVariable& a, const FixedVariable& b);
FixedVariable min(const FixedVariable& a, const FixedVariable& b);
/// c ? a : b, with c a 1-bit value (a comparison, msb, ...).
FixedVariable where(const FixedVariable& c, const FixedVariable& a, const FixedVariable& b);
/// Round to step 2^-q.f, then handle overflow into q's range (see core/quantize.hpp).
FixedVariable quantize(const FixedVariable& x, const kif& q, Round round = Round::TRN,
                       Overflow overflow = Overflow::WRAP);
FixedVariable quantize(const FixedVariable& x, int k, int i, int f, Round round = Round::TRN,
                       Overflow overflow = Overflow::WRAP);
/// The overflow mode alone, with the default rounding (TRN).
FixedVariable quantize(const FixedVariable& x, const kif& q, Overflow overflow);
FixedVariable quantize(const FixedVariable& x, int k, int i, int f, Overflow overflow);
/// Top bit of x's minimal format (the sign bit when x can be negative), as 0/1.
FixedVariable msb(const FixedVariable& x);
/// 1 when x < 0, else 0.
FixedVariable sign_bit(const FixedVariable& x);
/// Table lookup: evaluates fn on every representable value of x (up to 2^16 of them),
/// quantizes each result to `out` and stores the exact table.
FixedVariable apply(const FixedVariable& x, const std::function<double(double)>& fn, const kif& out,
                    Round round = Round::TRN, Overflow overflow = Overflow::WRAP);

}  // namespace fixvar
