#pragma once
// The compile-time layer (Boost.Hana): formats and shapes in the type system, result formats
// computed by the dynamic tracer's exact range rules while the program compiles, readable
// static_asserts for shape mismatches, bad formats, non-dyadic weights and bit budgets.
//   fx<K, I, F>                 static/fx.hpp       sarray<fx<...>, D...>   static/sarray.hpp
//   + - * << >> abs relu ...    static/ops.hpp      reshape, sum, ...       static/shape_ops.hpp
//   weights<D...>               static/weights.hpp  matmul, dense, einsum   static/linear.hpp
//   formats<D...>               static/formats.hpp  (per-element formats; `fixvar embed` writes both)
//   require_width<N>(x), width_v<T>, kif_v<T>, shape_v<T>                   static/sarray.hpp
#include <fixvar/static/formats.hpp>
#include <fixvar/static/fx.hpp>
#include <fixvar/static/linear.hpp>
#include <fixvar/static/ops.hpp>
#include <fixvar/static/sarray.hpp>
#include <fixvar/static/shape.hpp>
#include <fixvar/static/shape_ops.hpp>
#include <fixvar/static/weights.hpp>
