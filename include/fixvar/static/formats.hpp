#pragma once
// Compile-time per-element formats (HGQ's heterogeneous quantization): a constexpr object that
// static inputs and quantizers take by reference as a template argument, like weights:
//
//   static constexpr fixvar::formats<3> Q{fixvar::kif{0, 2, 1}, fixvar::kif{1, 0, 3}, {0, 1, 0}};
//   auto x = fixvar::sarray_input<Q>();          // element j has format Q.values[j]
//   auto h = fixvar::quantize<Q, Round::TRN, Overflow::SAT>(y);
//
// `fixvar embed` writes them from HGQ's NAME_k.npy / NAME_i.npy / NAME_f.npy.
#include <array>

#include <fixvar/core/kif.hpp>
#include <fixvar/static/shape.hpp>

namespace fixvar {

/// An N-d array of formats (row-major).
template <std::size_t... D>
struct formats {
    using shape_type = static_shape<D...>;
    static constexpr std::size_t size = shape_type::size;
    std::array<kif, size> values;

    /// Index of the first invalid format (core/kif.hpp's rule), or size.
    constexpr std::size_t first_invalid() const {
        for (std::size_t j = 0; j < size; ++j)
            if (!is_valid_format(values[j])) return j;
        return size;
    }
};

}  // namespace fixvar
