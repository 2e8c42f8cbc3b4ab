#pragma once
// Layers built on einsum/matmul and reductions, channels-last (Keras layout):
//   dense:   x (..., in) @ W (in, out) + b (out,)
//   conv1d:  x (L, C), kernel (K, C, F) -> (L', F);  conv2d: x (H, W, C), kernel (KH, KW, C, F)
//            -> (H', W', F). Implemented as im2col patches @ kernel matrix, so a constant kernel
//            goes through linear_forms (one call per output position, identical matrices).
//   A constant bias joins the product (a row of W read by a constant 1), so each output's adders
//   take it off their longest path; a bias of variables is added after the product.
//   max_pool1d/2d, avg_pool1d/2d: windows of `pool`, stride defaulting to the pool size, valid
//            padding; avg_pool divides by the window size, which must be a power of two (a shift).
// Padding::Same follows TensorFlow: output = ceil(n / stride), the extra zero goes after.
#include <array>
#include <optional>

#include <fixvar/trace/array.hpp>

namespace fixvar {

enum class Padding { Valid, Same };

FixedVariableArray dense(const FixedVariableArray& x, const FixedVariableArray& W,
                         const std::optional<FixedVariableArray>& bias = std::nullopt);

FixedVariableArray conv1d(const FixedVariableArray& x, const FixedVariableArray& kernel,
                          const std::optional<FixedVariableArray>& bias = std::nullopt, std::int64_t stride = 1,
                          Padding padding = Padding::Valid);
FixedVariableArray conv2d(const FixedVariableArray& x, const FixedVariableArray& kernel,
                          const std::optional<FixedVariableArray>& bias = std::nullopt,
                          std::array<std::int64_t, 2> stride = {1, 1}, Padding padding = Padding::Valid);

/// x (L, C) -> (L', C); stride 0 means the pool size.
FixedVariableArray max_pool1d(const FixedVariableArray& x, std::int64_t pool, std::int64_t stride = 0);
FixedVariableArray avg_pool1d(const FixedVariableArray& x, std::int64_t pool, std::int64_t stride = 0);
/// x (H, W, C) -> (H', W', C).
FixedVariableArray max_pool2d(const FixedVariableArray& x, std::array<std::int64_t, 2> pool,
                              std::array<std::int64_t, 2> stride = {0, 0});
FixedVariableArray avg_pool2d(const FixedVariableArray& x, std::array<std::int64_t, 2> pool,
                              std::array<std::int64_t, 2> stride = {0, 0});

}  // namespace fixvar
