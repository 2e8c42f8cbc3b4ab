#include <fixvar/trace/elementwise.hpp>

namespace fixvar {

FixedVariable apply_cached(elementwise_ops::ApplyCache& cache, const FixedVariable& x) {
    const ExactRange& r = x.range();
    if (x.is_constant() || r.is_constant() || x.builder().is_unformatted(x.id()))
        return apply(x, cache.fn, cache.out, cache.round, cache.overflow);
    auto key = std::make_tuple(r.lo, r.hi, r.exp);
    if (auto it = cache.tables.find(key); it != cache.tables.end())
        return FixedVariable(x.context(), x.builder().table(x.id(), it->second));
    FixedVariable y = apply(x, cache.fn, cache.out, cache.round, cache.overflow);
    const ir::Node& n = y.builder()[y.id()];
    if (n.op == ir::Op::Table && n.a == x.id()) cache.tables.emplace(key, y.builder().graph().table(n.param));
    return y;
}

}  // namespace fixvar
