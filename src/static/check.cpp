#include <fixvar/core/error.hpp>
#include <fixvar/static/check.hpp>

namespace fixvar::static_check {

void check_array(const FixedVariableArray& a, const Shape& shape, const ExactRange& range, const char* op) {
    check_array(a, shape, std::span<const ExactRange>(&range, 1), op);
}

void check_array(const FixedVariableArray& a, const Shape& shape, std::span<const ExactRange> ranges, const char* op) {
    if (a.shape() != shape)
        fail(op, "static type has shape {} but the traced array has shape {}", to_string(shape), to_string(a.shape()));
    for (std::int64_t j = 0; j < a.size(); ++j) {
        ExactRange r = a.flat(j).range();
        const ExactRange& range = ranges[ranges.size() == 1 ? 0 : std::size_t(j)];
        if (!range.contains(r))
            fail(op,
                 "element {} has exact range {} (kif {}), outside the static type's range {} "
                 "(kif {}); the static rules must contain the traced ones",
                 j, to_string(r), to_string(r.minimal_kif()), to_string(range), to_string(range.minimal_kif()));
    }
}

FixedVariableArray constant_array(std::span<const Dyadic> values, const Shape& shape) {
    const TraceContext& ctx = current_trace();
    std::vector<FixedVariable> v;
    v.reserve(values.size());
    for (const Dyadic& d : values) v.emplace_back(ctx, ctx->constant(d));
    return FixedVariableArray(std::move(v), shape);
}

}  // namespace fixvar::static_check
