#pragma once
// Products with compile-time weights (weights.hpp): matmul, dense and einsum.
//
// The output ranges are evaluated while compiling, exactly and per element: for every output
// element, the sum of its terms w * x (each the product rule on x's element range, zero
// weights skipped) plus the bias — what the dynamic tracer's linear_forms records. The result
// type is fx_each (one range per element) unless all elements agree. Plain constexpr loops over
// the weight array: a 64x32 matrix costs milliseconds of compile time.
#include <string_view>

#include <fixvar/core/shape_rules.hpp>
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

// Per output element (b, c): sum_r W[r][c] * x[b, r] (+ bias[c]), each term the product rule
// on x's element range, zero weights skipped — the per-term rule the tracer's linear_forms
// applies to each output. `Rows` is the number of leading positions b of x.
template <const auto& W, const auto& Bias, typename F, std::size_t Rows>
constexpr auto matrix_output_ranges() {
    constexpr auto dims = shapes::as_array(typename std::remove_cvref_t<decltype(W)>::shape_type{});
    constexpr std::size_t n = dims[0], cols = dims[1];
    constexpr std::size_t positions = is_uniform<F> ? 1 : Rows;  // uniform x: one row of columns
    std::array<srange, positions * cols> out{};
    for (std::size_t b = 0; b < positions; ++b)
        for (std::size_t c = 0; c < cols; ++c) {
            srange acc{};
            for (std::size_t r = 0; r < n; ++r) {
                const weight& w = W.values[r * cols + c];
                if (!w.is_zero()) acc = rules::add(acc, rules::mul(weight_range(w), F::at(b * n + r)));
            }
            if constexpr (has_bias<Bias>) acc = rules::add(acc, weight_range(Bias.values[c]));
            out[b * cols + c] = acc;
        }
    return out;
}

// Tracked x: output (b, c) has the composed form sum_r W[r][c] * form(x[b, r]) (the tracer's
// compose_output_forms): the per-term range above, met with the form's range when an atom
// occurs in two rows, its own atom over the budget; then + bias (a sum with a constant).
template <const auto& W, const auto& Bias, typename F, std::size_t Rows>
constexpr std::vector<lin::elem> matrix_output_elems() {
    using S = typename F::sources;
    constexpr auto dims = shapes::as_array(typename std::remove_cvref_t<decltype(W)>::shape_type{});
    constexpr std::size_t n = dims[0], cols = dims[1];
    constexpr auto per_term = matrix_output_ranges<W, no_bias, F, Rows>();
    std::vector<lin::elem> x;
    for (std::size_t j = 0; j < Rows * n; ++j) x.push_back(lin::element<F>(j));
    std::vector<lin::elem> out;
    for (std::size_t b = 0; b < Rows; ++b)
        for (std::size_t c = 0; c < cols; ++c) {
            lin::elem e{per_term[b * cols + c], {}, false};
            for (std::size_t r = 0; r < n; ++r) {
                const weight& w = W.values[r * cols + c];
                if (w.is_zero()) continue;
                for (const LinearTerm& t : x[b * n + r].f) e.f.push_back(scaled_term(t, Dyadic{w.mant, w.exp}));
            }
            bool shared = false;
            e.f.resize(canonicalize_linear_form(e.f, &shared));
            if (linear_atom_count(e.f) > linear_form_term_budget) {
                e.own = true;
            } else if (shared) {
                ExactRange t = range_meet(e.r, linear_range(std::span<const LinearTerm>(e.f), S::range));
                if (!(t == ExactRange(e.r)) && t.lo != t.hi) e.r = srange{t.lo, t.hi, t.exp};
            }
            if constexpr (has_bias<Bias>) {
                srange k = weight_range(Bias.values[c]);
                if (e.own) {
                    out.push_back(lin::elem{rules::add(e.r, k), {}, true});
                } else {
                    lin::elem biased = lin::add(e, lin::elem{k, lin::constant_form(k), false}, false, S::range);
                    out.push_back(std::move(biased));
                }
                continue;
            }
            out.push_back(std::move(e));
        }
    return out;
}

template <const auto& W, const auto& Bias, typename F, std::size_t Rows, typename Out, typename Self>
struct tracked_matrix {
    static constexpr auto compute = [] { return matrix_output_elems<W, Bias, F, Rows>(); };
    using type = typename lin::result<Out::size, typename F::sources, Self, compute>::type;
};

// The ranges of every output position (the column pattern repeated over the leading positions
// when x is uniform).
template <std::size_t Size, auto R>
constexpr std::array<srange, Size> repeated() {
    std::array<srange, Size> out{};
    for (std::size_t j = 0; j < Size; ++j) out[j] = R[j % R.size()];
    return out;
}

template <typename Op, const auto& W>
constexpr auto rejected_weight_error() {
    constexpr std::size_t j = W.first_rejected();
    if constexpr (W.values[j].wide_double)
        return static_error::raise<static_error::weight_double_too_precise<Op, j>>();
    else
        return static_error::raise<
            static_error::weight_is_not_dyadic<Op, j, W.values[j].numerator(), W.values[j].denominator()>>();
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
    if constexpr (!has_bias<W>)
        return true;  // no weights at all
    else
        return W.first_rejected() == W.size;
}

template <const auto& Bias, typename SW>
constexpr bool bias_fits() {
    if constexpr (!has_bias<Bias>)
        return true;
    else
        return std::is_same_v<bias_shape<Bias>, static_shape<shapes::as_array(SW{})[1]>>;
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
        using Out = shapes::of<decltype(hana::concat(hana::drop_back(SX::dims, hana::size_c<1>),
                                                     hana::drop_front(SW::dims, hana::size_c<1>)))>;
        constexpr std::size_t rows = SX::size / shapes::as_array(SW{})[0];
        if constexpr (TrackedFormat<typename A::format>) {
            using R = typename tracked_matrix<W, Bias, typename A::format, rows, Out, lin::derived<Op, A>>::type;
            return static_result<Op, R, typename A::format, fx<0, 1, 0>, Out>(dyn(x.array()), name);
        } else {
            constexpr auto r = repeated<Out::size, matrix_output_ranges<W, Bias, typename A::format, rows>()>();
            return static_result<Op, formats_of<r>, typename A::format, fx<0, 1, 0>, Out>(dyn(x.array()), name);
        }
    }
}
}  // namespace detail

/// x (..., n) @ W (n, m) -> (..., m).
template <const auto& W, StaticArray A>
auto matmul(const A& x) {
    return detail::matrix_product<static_op::matmul, W, no_bias>(
        x, [](const FixedVariableArray& a) { return matmul(a, detail::traced_weights<W>()); }, "matmul");
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
        x, [](const FixedVariableArray& a) { return dense(a, detail::traced_weights<W>()); }, "dense");
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

// The spec rules the tracer applies (core/shape_rules.hpp), on the static layer's subset:
// "x,w->out", no ellipsis, no letter twice within a term.
constexpr einsum_spec parse_einsum(std::string_view text) {
    einsum_spec s;
    EinsumSides sides = einsum_sides(text);
    if (sides.error != EinsumSyntax::ok || !sides.explicit_output || einsum_term_count(sides.inputs) != 2 ||
        einsum_check_output(sides.inputs, sides.output).problem != EinsumOutputLetter::none)
        s.ok = false;
    auto part = [&](std::string_view term, char* dst, std::size_t& n) {
        EinsumTerm syntax = einsum_term(term);
        if (syntax.error != EinsumSyntax::ok || syntax.has_ellipsis || syntax.letters > max_einsum_rank)
            s.ok = false;
        else
            for (char c : term) {
                if (einsum_spec::find(dst, n, c) >= 0)
                    s.ok = false;
                else
                    dst[n++] = c;
            }
    };
    if (!s.ok) return s;
    part(einsum_input_term(sides.inputs, 0), s.x, s.nx);
    part(einsum_input_term(sides.inputs, 1), s.w, s.nw);
    part(sides.output, s.out, s.nout);
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

// Per output element: the sum of its terms w * x over every contracted letter (letters not in
// the output), zero weights skipped, each term the product rule on x's element range.
template <spec_string Spec, const auto& W, typename SX, typename F, std::size_t OutSize>
constexpr std::array<srange, OutSize> einsum_output_ranges() {
    using SW = typename std::remove_cvref_t<decltype(W)>::shape_type;
    constexpr einsum_spec s = parse_einsum(Spec.text);
    auto dx = shapes::as_array(SX{});
    auto dw = shapes::as_array(SW{});
    // Every letter once: output letters first, then the contracted ones.
    char letters[2 * max_einsum_rank]{};
    std::size_t dim[2 * max_einsum_rank]{}, nl = 0;
    auto add_letter = [&](char c, std::size_t d) {
        if (einsum_spec::find(letters, nl, c) < 0) letters[nl] = c, dim[nl++] = d;
    };
    for (std::size_t j = 0; j < s.nout; ++j) add_letter(s.out[j], 0);
    for (std::size_t j = 0; j < s.nx; ++j) add_letter(s.x[j], dx[j]);
    for (std::size_t j = 0; j < s.nw; ++j) add_letter(s.w[j], dw[j]);
    for (std::size_t j = 0; j < s.nout; ++j) {
        int k = einsum_spec::find(s.x, s.nx, letters[j]);
        dim[j] = k >= 0 ? dx[std::size_t(k)] : dw[std::size_t(einsum_spec::find(s.w, s.nw, letters[j]))];
    }
    std::size_t inner_count = 1;
    for (std::size_t j = s.nout; j < nl; ++j) inner_count *= dim[j];
    // Flat index of an operand (its letters) at the letter values `v`.
    auto flat = [&](const char* ls, std::size_t n, const std::size_t* v) {
        std::size_t f = 0;
        for (std::size_t j = 0; j < n; ++j) {
            std::size_t l = std::size_t(einsum_spec::find(letters, nl, ls[j]));
            f = f * dim[l] + v[l];
        }
        return f;
    };
    std::array<srange, OutSize> out{};
    std::size_t v[2 * max_einsum_rank]{};
    for (std::size_t o = 0; o < OutSize; ++o) {
        for (std::size_t j = s.nout, rest = o; j-- > 0; rest /= dim[j]) v[j] = rest % dim[j];
        srange acc{};
        for (std::size_t in = 0; in < inner_count; ++in) {
            for (std::size_t j = nl, rest = in; j-- > s.nout; rest /= dim[j]) v[j] = rest % dim[j];
            const weight& w = W.values[flat(s.w, s.nw, v)];
            if (!w.is_zero()) acc = rules::add(acc, rules::mul(weight_range(w), F::at(flat(s.x, s.nx, v))));
        }
        out[o] = acc;
    }
    return out;
}
}  // namespace detail

/// einsum with a compile-time weight operand: einsum<"ij,jk->ik", W>(x) is numpy's
/// einsum("ij,jk->ik", x, W). Each index letter appears at most once per operand.
template <spec_string Spec, const auto& W, StaticArray A>
auto einsum(const A& x) {
    using SW = typename std::remove_cvref_t<decltype(W)>::shape_type;
    using SX = typename A::shape_type;
    if constexpr (!detail::einsum_fits<Spec, SX, SW>())
        return static_error::raise<
            static_error::einsum_spec_does_not_fit<std::integral_constant<decltype(Spec), Spec>, SX, SW>>();
    else if constexpr (W.first_rejected() != W.size)
        return detail::rejected_weight_error<static_op::einsum, W>();
    else {
        constexpr detail::einsum_spec s = detail::parse_einsum(Spec.text);
        constexpr auto out_dims = [&] {
            std::array<std::size_t, s.nout> d{};
            for (std::size_t j = 0; j < s.nout; ++j) d[j] = detail::einsum_out_dim<Spec, SX, SW>(j);
            return d;
        }();
        using Out = shapes::of_array<out_dims>;
        constexpr auto r = detail::einsum_output_ranges<Spec, W, SX, typename A::format, Out::size>();
        return detail::static_result<static_op::einsum, formats_of<r>, typename A::format, fx<0, 1, 0>, Out>(
            einsum(Spec.text, x.array(), detail::traced_weights<W>()), "einsum");
    }
}

}  // namespace fixvar
