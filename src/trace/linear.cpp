#include <fixvar/core/error.hpp>
#include <fixvar/trace/linear.hpp>

namespace fixvar {

DyadicMatrix DyadicMatrix::from_array(const FixedVariableArray& w, const char* op) {
    if (w.ndim() != 2)
        fail(op, "weight matrix has shape {} (expected a 2-D array)", to_string(w.shape()));
    DyadicMatrix m(std::size_t(w.shape()[0]), std::size_t(w.shape()[1]));
    for (std::int64_t j = 0; j < w.size(); ++j) {
        const FixedVariable& v = w.flat(j);
        if (!v.is_constant())
            fail(op, "weight matrix of shape {} has a non-constant element at flat index {}",
                 to_string(w.shape()), j);
        m.data[std::size_t(j)] = v.builder().constant_value(v.id());
    }
    return m;
}

std::vector<FixedVariable> linear_forms(const std::vector<FixedVariable>& x, const DyadicMatrix& W) {
    if (x.size() != W.rows)
        fail("linear_forms", "{} inputs for a {}x{} matrix (expected {} inputs)", x.size(), W.rows,
             W.cols, W.rows);
    // All terms are built in the trace of the variable inputs (constants are re-created there).
    TraceContext ctx = current_trace();
    for (const auto& v : x)
        if (!v.is_constant()) {
            ctx = v.context();
            break;
        }
    ir::GraphBuilder& g = *ctx;
    std::vector<ir::NodeId> ids;
    ids.reserve(x.size());
    for (const auto& v : x) {
        if (v.context() == ctx) ids.push_back(v.id());
        else if (v.is_constant()) ids.push_back(g.constant(v.builder().constant_value(v.id())));
        else fail("linear_forms", "inputs come from different traces (was new_trace() called in "
                                  "between?)");
    }
    std::vector<FixedVariable> y;
    y.reserve(W.cols);
    std::vector<ir::NodeId> terms;
    for (std::size_t c = 0; c < W.cols; ++c) {
        terms.clear();
        for (std::size_t r = 0; r < W.rows; ++r)
            if (!W(r, c).is_zero()) terms.push_back(g.mul_const(ids[r], W(r, c)));
        if (terms.empty()) {
            y.emplace_back(ctx, g.constant(Dyadic{}));
            continue;
        }
        while (terms.size() > 1) {  // balanced adder tree, adjacent pairs first
            std::size_t n = 0;
            for (std::size_t j = 0; j + 1 < terms.size(); j += 2) terms[n++] = g.add(terms[j], terms[j + 1]);
            if (terms.size() % 2) terms[n++] = terms.back();
            terms.resize(n);
        }
        y.emplace_back(ctx, terms[0]);
    }
    return y;
}

}  // namespace fixvar
