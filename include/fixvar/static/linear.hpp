#pragma once
// Products with compile-time weights (weights.hpp): matmul, dense and einsum.
//
// The output range is evaluated while compiling, exactly: for every output element, the sum of
// its terms w * x (each the product rule on x's static range, zero weights skipped) plus the
// bias — what the dynamic tracer's linear_forms records. All output elements share one static
// type, so the result's range is the hull of the columns' ranges (each column's own exact
// range lies inside it; for a single column they are equal). Plain constexpr loops over the
// weight array: a 64x32 matrix costs milliseconds of compile time.
#include <fixvar/static/ops.hpp>
#include <fixvar/static/weights.hpp>
#include <fixvar/trace/einsum.hpp>
#include <fixvar/trace/layers.hpp>

namespace fixvar {

/// "No bias" for the products below.
struct no_bias_t {};
inline constexpr no_bias_t no_bias{};

namespace detail {
template <const auto& Bias>
inline constexpr bool has_bias = !std::is_same_v<std::remove_cvref_t<decltype(Bias)>, no_bias_t>;

constexpr srange weight_range(const weight& w) { return srange{w.mant, w.mant, w.exp}; }

// Hull over columns c of sum_r W[r][c] * x (+ bias[c]).
template <const auto& W, const auto& Bias>
constexpr srange matrix_output_range(srange x) {
    constexpr auto dims = shapes::as_array(typename std::remove_cvref_t<decltype(W)>::shape_type{});
    constexpr std::size_t rows = dims[0], cols = dims[1];
    srange h{};
    for (std::size_t c = 0; c < cols; ++c) {
        srange acc{};
        for (std::size_t r = 0; r < rows; ++r) {
            const weight& w = W.values[r * cols + c];
            if (!w.is_zero()) acc = rules::add(acc, rules::mul(weight_range(w), x));
        }
        if constexpr (has_bias<Bias>) acc = rules::add(acc, weight_range(Bias.values[c]));
        h = c == 0 ? acc : rules::hull(h, acc);
    }
    return h;
}

template <typename Op, const auto& W>
constexpr auto rejected_weight_error() {
    constexpr std::size_t j = W.first_rejected();
    if constexpr (W.values[j].wide_double)
        return static_error::raise<static_error::weight_double_too_precise<Op, j>>();
    else
        return static_error::raise<static_error::weight_is_not_dyadic<
            Op, j, W.values[j].numerator(), W.values[j].denominator()>>();
}

template <const auto& W>
FixedVariableArray traced_weights() {
    using S = typename std::remove_cvref_t<decltype(W)>::shape_type;
    std::vector<Dyadic> v = W.dyadics();
    return static_check::constant_array(v, S::value());
}

template <const auto& Bias>
using bias_shape = typename std::remove_cvref_t<decltype(Bias)>::shape_type;

template <const auto& W>
constexpr bool all_dyadic() {
    if constexpr (!has_bias<W>) return true;  // no weights at all
    else return W.first_rejected() == W.size;
}

template <const auto& Bias, typename SW>
constexpr bool bias_fits() {
    if constexpr (!has_bias<Bias>) return true;
    else return std::is_same_v<bias_shape<Bias>, shape<shapes::as_array(SW{})[1]>>;
}

template <typename Op, const auto& W, const auto& Bias, StaticArray A, typename Dynamic>
auto matrix_product(const A& x, Dynamic dyn, const char* name) {
    using SW = typename std::remove_cvref_t<decltype(W)>::shape_type;
    using SX = typename A::shape_type;
    if constexpr (SW::rank != 2)
        return static_error::raise<static_error::weights_not_a_matrix<Op, SW>>();
    else if constexpr (SX::rank == 0 || shapes::as_array(SX{})[SX::rank - 1] != shapes::as_array(SW{})[0])
        return static_error::raise<static_error::inner_dimensions_differ<Op, SX, SW>>();
    else if constexpr (!all_dyadic<W>())
        return rejected_weight_error<Op, W>();
    else if constexpr (!bias_fits<Bias, SW>())
        return static_error::raise<static_error::bias_shape_differs<Op, bias_shape<Bias>, SW>>();
    else if constexpr (!all_dyadic<Bias>())
        return rejected_weight_error<Op, Bias>();
    else {
        constexpr srange r = matrix_output_range<W, Bias>(A::range);
        using Out = shapes::of<decltype(hana::concat(hana::drop_back(SX::dims, hana::size_c<1>),
                                                     hana::drop_front(SW::dims, hana::size_c<1>)))>;
        return static_result<Op, r, typename A::format, fx<0, 1, 0>, Out>(dyn(x.array()), name);
    }
}
}  // namespace detail

/// x (..., n) @ W (n, m) -> (..., m).
template <const auto& W, StaticArray A>
auto matmul(const A& x) {
    return detail::matrix_product<static_op::matmul, W, no_bias>(
        x, [](const FixedVariableArray& a) { return matmul(a, detail::traced_weights<W>()); },
        "matmul");
}

/// x (..., n) @ W (n, m) + bias (m,).
template <const auto& W, const auto& Bias, StaticArray A>
auto dense(const A& x) {
    return detail::matrix_product<static_op::dense, W, Bias>(
        x,
        [](const FixedVariableArray& a) {
            return dense(a, detail::traced_weights<W>(), detail::traced_weights<Bias>());
        },
        "dense");
}

/// x (..., n) @ W (n, m), no bias.
template <const auto& W, StaticArray A>
auto dense(const A& x) {
    return detail::matrix_product<static_op::dense, W, no_bias>(
        x, [](const FixedVariableArray& a) { return dense(a, detail::traced_weights<W>()); },
        "dense");
}

// ---- einsum ----------------------------------------------------------------------------------

/// An einsum spec as a template argument: einsum<"ij,jk->ik", W>(x).
template <std::size_t N>
struct spec_string {
    char text[N]{};
    constexpr spec_string(const char (&s)[N]) {  // NOLINT
        for (std::size_t j = 0; j < N; ++j) text[j] = s[j];
    }
};

namespace detail {
inline constexpr std::size_t max_einsum_rank = 8;

struct einsum_spec {
    char x[max_einsum_rank]{}, w[max_einsum_rank]{}, out[max_einsum_rank]{};
    std::size_t nx = 0, nw = 0, nout = 0;
    bool ok = true;

    static constexpr int find(const char* s, std::size_t n, char c) {
        for (std::size_t j = 0; j < n; ++j)
            if (s[j] == c) return int(j);
        return -1;
    }
};

// "x,w->out" with letters only, no letter repeated within a part, output letters from inputs.
constexpr einsum_spec parse_einsum(const char* t) {
    einsum_spec s;
    auto part = [&](char* dst, std::size_t& n) {
        for (; *t >= 'a' && *t <= 'z'; ++t) {
            if (n == max_einsum_rank || einsum_spec::find(dst, n, *t) >= 0) s.ok = false;
            else dst[n++] = *t;
        }
    };
    part(s.x, s.nx);
    if (*t++ != ',') s.ok = false;
    if (!s.ok) return s;
    part(s.w, s.nw);
    if (t[0] != '-' || t[1] != '>') s.ok = false;
    if (!s.ok) return s;
    t += 2;
    part(s.out, s.nout);
    if (*t != 0) s.ok = false;
    for (std::size_t j = 0; j < s.nout; ++j)
        if (einsum_spec::find(s.x, s.nx, s.out[j]) < 0 && einsum_spec::find(s.w, s.nw, s.out[j]) < 0)
            s.ok = false;
    return s;
}

template <spec_string Spec, typename SX, typename SW>
constexpr bool einsum_fits() {
    constexpr einsum_spec s = parse_einsum(Spec.text);
    if (!s.ok || s.nx != SX::rank || s.nw != SW::rank) return false;
    auto dx = shapes::as_array(SX{});
    auto dw = shapes::as_array(SW{});
    for (std::size_t j = 0; j < s.nw; ++j) {
        int k = einsum_spec::find(s.x, s.nx, s.w[j]);
        if (k >= 0 && dx[std::size_t(k)] != dw[j]) return false;
    }
    return true;
}

// The dimension of output letter j.
template <spec_string Spec, typename SX, typename SW>
constexpr std::size_t einsum_out_dim(std::size_t j) {
    constexpr einsum_spec s = parse_einsum(Spec.text);
    int k = einsum_spec::find(s.x, s.nx, s.out[j]);
    if (k >= 0) return shapes::as_array(SX{})[std::size_t(k)];
    return shapes::as_array(SW{})[std::size_t(einsum_spec::find(s.w, s.nw, s.out[j]))];
}

// Hull over output elements of the sum of their terms w * x. Only W's letters matter: output
// elements differing in x-only letters have the same terms; letters summed over that only x
// has repeat every term.
template <spec_string Spec, const auto& W, typename SX>
constexpr srange einsum_output_range(srange x) {
    using SW = typename std::remove_cvref_t<decltype(W)>::shape_type;
    constexpr einsum_spec s = parse_einsum(Spec.text);
    auto dx = shapes::as_array(SX{});
    auto dw = shapes::as_array(SW{});
    std::size_t repeat = 1;  // contracted letters of x alone
    for (std::size_t j = 0; j < s.nx; ++j)
        if (einsum_spec::find(s.out, s.nout, s.x[j]) < 0 && einsum_spec::find(s.w, s.nw, s.x[j]) < 0)
            repeat *= dx[j];
    // W's letters split into output ones (outer loop) and contracted ones (inner sum).
    std::size_t out_count = 1, inner_count = 1;
    for (std::size_t j = 0; j < s.nw; ++j)
        (einsum_spec::find(s.out, s.nout, s.w[j]) >= 0 ? out_count : inner_count) *= dw[j];
    srange h{};
    for (std::size_t o = 0; o < out_count; ++o) {
        srange acc{};
        for (std::size_t in = 0; in < inner_count; ++in) {
            // Flat index into W from the digits of o (output letters) and in (contracted ones).
            std::size_t flat = 0, ro = o, ri = in;
            for (std::size_t j = s.nw; j-- > 0;) {
                bool is_out = einsum_spec::find(s.out, s.nout, s.w[j]) >= 0;
                std::size_t& rest = is_out ? ro : ri;
                std::size_t digit = rest % dw[j];
                rest /= dw[j];
                std::size_t stride = 1;
                for (std::size_t k = j + 1; k < s.nw; ++k) stride *= dw[k];
                flat += digit * stride;
            }
            const weight& w = W.values[flat];
            if (w.is_zero()) continue;
            for (std::size_t t = 0; t < repeat; ++t) acc = rules::add(acc, rules::mul(weight_range(w), x));
        }
        h = o == 0 ? acc : rules::hull(h, acc);
    }
    return h;
}
}  // namespace detail

/// einsum with a compile-time weight operand: einsum<"ij,jk->ik", W>(x) is numpy's
/// einsum("ij,jk->ik", x, W). Each index letter appears at most once per operand.
template <spec_string Spec, const auto& W, StaticArray A>
auto einsum(const A& x) {
    using SW = typename std::remove_cvref_t<decltype(W)>::shape_type;
    using SX = typename A::shape_type;
    if constexpr (!detail::einsum_fits<Spec, SX, SW>())
        return static_error::raise<static_error::einsum_spec_does_not_fit<
            std::integral_constant<decltype(Spec), Spec>, SX, SW>>();
    else if constexpr (W.first_rejected() != W.size)
        return detail::rejected_weight_error<static_op::einsum, W>();
    else {
        constexpr detail::einsum_spec s = detail::parse_einsum(Spec.text);
        constexpr srange r = detail::einsum_output_range<Spec, W, SX>(A::range);
        constexpr auto out_dims = [&] {
            std::array<std::size_t, s.nout> d{};
            for (std::size_t j = 0; j < s.nout; ++j) d[j] = detail::einsum_out_dim<Spec, SX, SW>(j);
            return d;
        }();
        using Out = shapes::of_array<out_dims>;
        return detail::static_result<static_op::einsum, r, typename A::format, fx<0, 1, 0>, Out>(
            einsum(Spec.text, x.array(), detail::traced_weights<W>()), "einsum");
    }
}

}  // namespace fixvar
