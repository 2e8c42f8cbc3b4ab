#pragma once
// Constants from data: weights as a user has them (floats, .npy files, per-weight formats).
//
//   constant(values, shape)                 exact; a value needing more than max_constant_bits
//                                           significant bits (0.1 as a double) is an Error
//   constant(values, shape, kif, Round)     each value rounded to one format
//   constant(values, shape, FormatArray, Round)   each value rounded to its own format (HGQ)
//   exact_constant(values, shape)           the exact doubles, however long (opt-in)
//
// and the same from NpyArray (io/npy.hpp). HGQ-style per-weight formats travel as a second
// array of fractional bits f (broadcast against the weights): constant(w, f) checks that every
// weight already lies on its grid 2^-f — the trained quantization reproduced exactly — and
// constant(w, f, Round) rounds float weights to it. A quantized constant out of its format's
// range is an Error (weights are not silently saturated).
#include <span>

#include <fixvar/io/hgq.hpp>
#include <fixvar/io/npy.hpp>
#include <fixvar/trace/array.hpp>

namespace fixvar {

FixedVariableArray constant(std::span<const double> values, const Shape& shape, const kif& q, Round round = Round::RND);
FixedVariableArray constant(const std::vector<double>& values, const Shape& shape, const kif& q,
                            Round round = Round::RND);
/// Per-element formats (broadcast against `shape`).
FixedVariableArray constant(std::span<const double> values, const Shape& shape, const FormatArray& q,
                            Round round = Round::RND);
FixedVariableArray constant(const std::vector<double>& values, const Shape& shape, const FormatArray& q,
                            Round round = Round::RND);
/// The exact doubles, however many significant bits they need (see max_constant_bits).
FixedVariableArray exact_constant(std::span<const double> values, const Shape& shape);
FixedVariableArray exact_constant(const std::vector<double>& values, const Shape& shape);

/// The shape of an NpyArray as a Shape (Error if a dimension exceeds int64).
Shape shape_of(const NpyArray& a);

/// An .npy array as a constant: every value exact, at most max_constant_bits each.
FixedVariableArray constant(const NpyArray& values);
FixedVariableArray constant(const NpyArray& values, const kif& q, Round round = Round::RND);
FixedVariableArray exact_constant(const NpyArray& values);
/// Per-weight fractional bits (integers, broadcast against the weights' shape): every weight
/// must already be a multiple of its step 2^-f (Error naming the first that is not).
FixedVariableArray constant(const NpyArray& values, const NpyArray& frac_bits);
/// Same, each weight rounded to its step 2^-f first.
FixedVariableArray constant(const NpyArray& values, const NpyArray& frac_bits, Round round);

/// Per-element formats from arrays of k, i and f (integers, all of one shape), as HGQ exports
/// activation and input quantizers: for input(shape, formats) and quantize(x, formats).
FormatArray format_array(const NpyArray& k, const NpyArray& i, const NpyArray& f);

/// An HGQ model's weights or bias (io/hgq.hpp), each exactly on its grid.
FixedVariableArray constant(const hgq::QuantizedArray& a);
/// An HGQ model's quantizer formats (io/hgq.hpp).
FormatArray format_array(const hgq::Formats& f);

/// Samples stored as one row per sample (shape (N, ...)): N flattened rows, ready for
/// CombLogic::predict. Error for a 0-d array.
std::vector<std::vector<double>> sample_rows(const NpyArray& samples);

}  // namespace fixvar
