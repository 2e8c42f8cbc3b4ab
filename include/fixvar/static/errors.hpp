#pragma once
// The compile-time failures of the static layer. Each is a class template named after the
// problem whose arguments are the operation and both shapes or formats, so that the first line
// of the compiler's diagnostic reads like the call site, e.g.
//   In instantiation of 'struct fixvar::static_error::inner_dimensions_differ<
//       fixvar::static_op::matmul, fixvar::static_shape<4, 5>, fixvar::static_shape<6, 3> >':
//   error: static assertion failed: matmul / dense: x's last dimension differs from ...
// An operation that fails returns `static_error::failed`, which no other operation accepts.
#include <cstddef>

#include <fixvar/static/fx.hpp>

namespace fixvar {

/// Operation names as they appear in diagnostics.
namespace static_op {
struct add;
struct sub;
struct mul;
struct max;
struct min;
struct matmul;
struct dense;
struct einsum;
struct concatenate;
struct reshape;
struct transpose;
struct sum;
struct amax;
struct quantize;
struct input;
}  // namespace static_op

namespace static_error {

template <typename...>
inline constexpr bool never = false;

/// The result of an operation whose static_assert fired (stops cascades of follow-up errors).
struct failed {};

template <typename Op, typename ShapeA, typename ShapeB>
struct shapes_do_not_broadcast {
    static_assert(never<Op, ShapeA, ShapeB>,
                  "elementwise operation: the shapes do not broadcast (numpy rule: aligned on the "
                  "right, each pair of dimensions equal or one of them 1)");
};

template <typename Op, typename ShapeX, typename ShapeW>
struct inner_dimensions_differ {
    static_assert(never<Op, ShapeX, ShapeW>,
                  "matmul / dense: x's last dimension differs from the weight matrix's first "
                  "dimension (x is (..., n), W must be (n, m))");
};

template <typename Op, typename ShapeW>
struct weights_not_a_matrix {
    static_assert(never<Op, ShapeW>, "matmul / dense: the weights must be a 2-D (n, m) matrix");
};

template <typename Op, typename ShapeB, typename ShapeW>
struct bias_shape_differs {
    static_assert(never<Op, ShapeB, ShapeW>, "dense: the bias must have shape (m,) for weights of shape (n, m)");
};

template <int Budget, int Width, typename Format>
struct width_exceeds_budget {
    static_assert(never<Format>,
                  "require_width<Budget>(x): x's element format (shown with its width) is wider "
                  "than the bit budget");
};

template <typename Op, int K, int I, int F>
struct impossible_format {
    static_assert(never<Op>,
                  "impossible format fx<K, I, F>: k must be 0 or 1 and the width k+i+f between 1 "
                  "and 120 bits");
};

template <typename Op, typename FormatA, typename FormatB>
struct result_too_wide {
    static_assert(never<Op, FormatA, FormatB>,
                  "the result of this operation needs more than 120 bits (quantize the operands "
                  "to fewer bits first)");
};

/// Weight number `Index` (row-major) is Num / Den with Den not a power of two.
template <typename Op, std::size_t Index, long long Num, long long Den>
struct weight_is_not_dyadic {
    static_assert(never<Op>,
                  "compile-time weight is not dyadic (not m * 2^e): weight number Index "
                  "(row-major) is Num/Den; round it to a power-of-two denominator");
};

/// Weight number `Index` was given as a double needing more than max_constant_bits bits.
template <typename Op, std::size_t Index>
struct weight_double_too_precise {
    static_assert(never<Op>,
                  "compile-time weight number Index (row-major) is a double with more than 32 "
                  "significant bits (0.1 as a double is 0.1000000000000000055...); write the "
                  "intended dyadic value (\"0.09375\", ratio(3, 32))");
};

template <typename ShapeFrom, typename ShapeTo>
struct reshape_sizes_differ {
    static_assert(never<ShapeFrom, ShapeTo>, "reshape: the new shape has a different number of elements");
};

template <int Axis, typename ShapeA, typename ShapeB>
struct concatenate_shapes_differ {
    static_assert(never<ShapeA, ShapeB>,
                  "concatenate<Axis>: the shapes differ outside the axis (or the axis is out of "
                  "range)");
};

template <typename Op, int Axis, typename Shape>
struct axis_out_of_range {
    static_assert(never<Op, Shape>, "the axis is out of range for the array's rank");
};

template <typename Shape, std::size_t... Perm>
struct bad_permutation {
    static_assert(never<Shape>, "transpose<Perm...>: Perm must be a permutation of 0..rank-1");
};

template <typename Spec, typename ShapeX, typename ShapeW>
struct einsum_spec_does_not_fit {
    static_assert(never<Spec, ShapeX, ShapeW>,
                  "einsum<spec, W>(x): the spec must be \"x_indices,w_indices->out_indices\" "
                  "(letters, no repeats within an operand, output letters from the inputs) and "
                  "each letter's dimensions must agree");
};

template <typename Op, typename ShapeFormats, typename ShapeX>
struct formats_shape_differs {
    static_assert(never<Op, ShapeFormats, ShapeX>,
                  "quantize<Q>(x) with per-element formats: Q's shape differs from x's");
};

/// Instantiates error E (firing its static_assert) and stands in for the result.
template <typename E>
constexpr failed raise() {
    (void)sizeof(E);
    return {};
}

}  // namespace static_error
}  // namespace fixvar
