#pragma once
// Linear forms at compile time: the tracer's narrowing of sums (core/linear_range.hpp, one rule)
// applied while a model compiles, so a static format equals the tracer's when a sum's operands
// share atoms (sums over matmul outputs, residual adds).
//
// A tracked array's format fx_lin<L, S, T> holds each element's range (L), the atom arrays its
// forms are over (S = sources<atoms<Id, R>...>) and each element's form over those atoms (T).
// Atom identity is a type, sound because the tracer interns nodes (the same op on the same nodes
// is the same node):
//   - static_input<F, D...>() is a distinct atom array per call site (a lambda type);
//   - a non-linear op (relu, quantize; max/min, amax and products of two variables with the
//     other operand tracked or constant) on a tracked array is atoms<derived<Op, FA...>, R>:
//     the same op on the same tracked operand types is the same traced node;
//   - an element whose form is over the budget is an atom of its op's own array.
// Anything else (untracked arrays, ops without a form rule here) gives a plain fx / fx_each:
// anonymous atoms that never combine, looser than the tracer and still sound. The trace-time
// check (static range must contain the traced one) catches an identity reused for other nodes.
#include <vector>

#include <fixvar/core/linear_range.hpp>
#include <fixvar/static/fx.hpp>

namespace fixvar {

namespace lin {

/// Per-element forms: element j is terms[begin[j] .. begin[j + 1]) (atoms: global ids into S).
template <std::size_t N, std::size_t T>
struct form_table {
    LinearTerm terms[T + 1]{};  // + 1: no zero-size arrays
    std::uint32_t begin[N + 1]{};
    constexpr std::span<const LinearTerm> at(std::size_t j) const { return {terms + begin[j], terms + begin[j + 1]}; }
};

/// An atom array: identity Id, element ranges R.
template <typename Id, srange_list R>
struct atoms {
    static constexpr std::size_t size = sizeof(R.r) / sizeof(srange);
    static constexpr srange at(std::size_t j) { return R.r[j]; }
};
template <typename Op, typename... Operands>
struct derived {};
template <typename Tag>
struct input_id {};
template <const auto& Q>
struct formats_id {};
struct relu_op;
struct abs_op;

template <typename... S>
struct sources {
    static constexpr std::size_t size = (std::size_t(0) + ... + S::size);
    static constexpr std::array<srange, size> ranges = [] {
        std::array<srange, size> r{};
        std::size_t k = 0;
        (
            (void)[&] {
                for (std::size_t j = 0; j < S::size; ++j) r[k++] = S::at(j);
            }(),
            ...);
        return r;
    }();
    static constexpr ExactRange range(std::uint32_t atom) { return ranges[atom]; }
};

// The first list with the second's sources it lacks appended.
template <typename A, typename B>
struct merge_impl;
template <typename... A>
struct merge_impl<sources<A...>, sources<>> {
    using type = sources<A...>;
};
template <typename... A, typename B0, typename... B>
struct merge_impl<sources<A...>, sources<B0, B...>> {
    using next = std::conditional_t<(std::is_same_v<A, B0> || ...), sources<A...>, sources<A..., B0>>;
    using type = typename merge_impl<next, sources<B...>>::type;
};
template <typename A, typename B>
using merge = typename merge_impl<A, B>::type;

/// Offset of each of From's sources in To (where From's atom ids go in To).
template <typename From, typename To>
struct remap;
template <typename... F, typename... T>
struct remap<sources<F...>, sources<T...>> {
    template <typename X>
    static constexpr std::size_t offset_of() {
        std::size_t off = 0, found = 0;
        bool done = false;
        ((done ? void() : std::is_same_v<X, T> ? (found = off, done = true, void()) : (off += T::size, void())), ...);
        return found;
    }
    // Global id in From -> global id in To.
    static constexpr std::uint32_t map(std::uint32_t atom) {
        if (atom == linear_constant_atom) return atom;
        constexpr std::size_t sizes[] = {F::size..., 0};
        constexpr std::size_t to[] = {offset_of<F>()..., 0};
        std::size_t k = 0, base = 0;
        while (atom >= base + sizes[k]) base += sizes[k++];
        return std::uint32_t(to[k] + (atom - base));
    }
};

/// One element while an op's result is computed: its range and form (own: its op's own atom).
struct elem {
    srange r{};
    std::vector<LinearTerm> f{};
    bool own = false;
};

/// The form of a constant value (empty for 0).
constexpr std::vector<LinearTerm> constant_form(const srange& r) {
    if (r.lo == 0) return {};
    return {linear_term(linear_constant_atom, r.lo, r.exp)};
}

/// The tracer's add (GraphBuilder::add_canonical, settle_form): the interval sum, a constant
/// when the form has no atom left, its own atom over the budget, else met with the form's
/// exact range when an atom is shared (a single value stays the interval range).
template <typename Range>
constexpr elem add(const elem& a, const elem& b, bool subtract, Range range_of) {
    elem out;
    out.r = rules::add(a.r, b.r, subtract);
    out.f.resize(a.f.size() + b.f.size());
    bool shared = false;
    out.f.resize(combine_linear_forms(a.f, Dyadic{1, 0}, b.f, Dyadic{subtract ? -1 : 1, 0}, out.f.data(), &shared));
    std::size_t n = linear_atom_count(out.f);
    if (n == 0) {
        ExactRange k = out.f.empty() ? ExactRange{} : ExactRange::constant(out.f[0].mant, out.f[0].exp);
        out.r = rules::traced(k);
    } else if (n > linear_form_term_budget) {
        out.own = true;
    } else if (shared) {
        ExactRange tight = range_meet(out.r, linear_range(std::span<const LinearTerm>(out.f), range_of));
        if (!(tight == ExactRange(out.r)) && tight.lo != tight.hi) out.r = srange{tight.lo, tight.hi, tight.exp};
    }
    return out;
}

/// A form scaled by the dyadic c (shift, negation: ±2^s, which the tracer reads through).
constexpr std::vector<LinearTerm> scaled(std::span<const LinearTerm> f, const Dyadic& c) {
    std::vector<LinearTerm> out;
    for (const LinearTerm& t : f) out.push_back(scaled_term(t, c));
    return out;
}

}  // namespace lin

/// A tracked format: per-element ranges L, forms T over the atoms of S.
template <srange_list L, typename S, auto T>
struct fx_lin : fx_each<L> {
    using sources = S;
    static constexpr auto forms = T;
};

namespace detail {
template <srange_list L, typename S, auto T>
struct is_fx<fx_lin<L, S, T>> : std::true_type {};
template <srange_list L, typename S, auto T>
inline constexpr bool is_uniform<fx_lin<L, S, T>> = false;

template <typename F>
struct is_tracked : std::false_type {};
template <srange_list L, typename S, auto T>
struct is_tracked<fx_lin<L, S, T>> : std::true_type {};
}  // namespace detail

template <typename F>
concept TrackedFormat = detail::is_tracked<F>::value;

namespace lin {

/// The format of N computed elements (Compute() returns them, over the atoms of S); elements
/// marked own become atoms of a new array identified by Self. Compute runs twice (sizes, then
/// contents): the constant evaluator's time is the cost of a tracked op.
template <std::size_t N, typename S, typename Self, auto Compute>
struct result {
    struct sizes {
        std::size_t terms = 0;
        bool any_own = false;
    };
    static constexpr sizes size = [] {
        sizes z;
        std::vector<elem> v = Compute();
        for (const elem& e : v) {
            z.terms += e.own ? 1 : e.f.size();
            z.any_own = z.any_own || e.own;
        }
        return z;
    }();
    struct packed {
        srange_list<N> ranges{};
        form_table<N, size.terms> table{};
    };
    static constexpr packed values = [] {
        packed out{};
        std::vector<elem> v = Compute();
        std::uint32_t k = 0;
        for (std::size_t j = 0; j < N; ++j) {
            out.ranges.r[j] = v[j].r;
            out.table.begin[j] = k;
            if (v[j].own)
                out.table.terms[k++] = LinearTerm{1, 0, std::uint32_t(S::size + j)};
            else
                for (const LinearTerm& t : v[j].f) out.table.terms[k++] = t;
        }
        out.table.begin[N] = k;
        return out;
    }();
    using type_sources = std::conditional_t<size.any_own, merge<S, sources<atoms<Self, values.ranges>>>, S>;
    using type = fx_lin<values.ranges, type_sources, values.table>;
};

/// Element j of a tracked format F as an elem over the atoms of To.
template <TrackedFormat F, typename To = typename F::sources>
constexpr elem element(std::size_t j) {
    elem e{F::at(j), {}, false};
    for (const LinearTerm& t : F::forms.at(j))
        e.f.push_back(LinearTerm{t.mant, t.exp, remap<typename F::sources, To>::map(t.atom)});
    if constexpr (!std::is_same_v<typename F::sources, To>) canonicalize_linear_form(e.f);
    return e;
}

/// An atom array of ranges R identified by Id (every element its own atom).
template <typename Id, srange_list R>
struct atom_format {
    static constexpr std::size_t n = sizeof(R.r) / sizeof(srange);
    static constexpr form_table<n, n> table = [] {
        form_table<n, n> t{};
        for (std::size_t j = 0; j < n; ++j) {
            t.terms[j] = LinearTerm{1, 0, std::uint32_t(j)};
            t.begin[j + 1] = std::uint32_t(j + 1);
        }
        return t;
    }();
    using type = fx_lin<R, sources<atoms<Id, R>>, table>;
};

}  // namespace lin

}  // namespace fixvar
