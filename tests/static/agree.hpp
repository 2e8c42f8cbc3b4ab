#pragma once
// Shared by the agreement tests: the static result type's range and kif of every element must
// equal the dynamic tracer's exact ones for the same computation.
#include <catch2/catch.hpp>

#include <boost/hana/for_each.hpp>
#include <boost/hana/type.hpp>

#include <fixvar/static.hpp>

namespace agree {

using namespace fixvar;

// The dynamic tracer's exact range of a whole array: the hull of its elements' ranges.
inline ExactRange dynamic_hull(const FixedVariableArray& a) {
    ExactRange h = a.flat(0).range();
    for (std::int64_t j = 1; j < a.size(); ++j) h = range_hull(h, a.flat(j).range());
    return h;
}

// Element by element: the static type's range of each element == the tracer's exact one; and
// the type's hull == the hull of the traced elements.
template <StaticArray A>
void check_agrees(const A& result, const std::string& what) {
    using F = format_t<A>;
    for (std::int64_t j = 0; j < result.array().size(); ++j) {
        ExactRange dyn = result.array().flat(j).range();
        ExactRange stat = rules::to_exact(F::at(std::size_t(j)));
        INFO(what << ", element " << j << ": static " << to_string(stat) << " " << to_string(stat.minimal_kif())
                  << ", dynamic " << to_string(dyn) << " " << to_string(dyn.minimal_kif()));
        CHECK(stat.minimal_kif() == dyn.minimal_kif());
        CHECK(stat == dyn);
    }
    ExactRange dyn = dynamic_hull(result.array());
    INFO(what << ": static hull " << to_string(rules::to_exact(range_v<A>)) << ", dynamic hull " << to_string(dyn));
    CHECK(rules::to_exact(range_v<A>) == dyn);
}

template <typename F>
std::string name_of() {
    return to_string(F::kif);
}

// Signed and unsigned, negative integer bits, negative fractional bits, a 1-bit sign.
inline constexpr auto test_formats =
    hana::tuple_t<fx<1, 3, 4>, fx<0, 2, 0>, fx<1, -2, 5>, fx<0, 5, -2>, fx<1, 0, 0>, fx<0, 1, 3>>;

}  // namespace agree
