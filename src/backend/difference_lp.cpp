// LEMON's network simplex on the dual of a difference-constraint LP (see difference_lp.hpp).
#include "backend/difference_lp.hpp"

#include <fixvar/core/assert.hpp>

#include <numeric>

// LEMON is header-only with this macro (its one out-of-line object, INVALID, becomes inline).
#define LEMON_ONLY_TEMPLATES
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-copy"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#pragma GCC diagnostic pop

namespace fixvar::backend::detail {

DifferenceSolution solve_difference_lp(int variables, const std::vector<DifferenceConstraint>& constraints,
                                       const std::vector<std::int64_t>& weight, int anchor) {
    using Graph = lemon::SmartDigraph;
    FIXVAR_ASSERT(int(weight.size()) == variables && anchor >= 0 && anchor < variables);
    FIXVAR_ASSERT(std::accumulate(weight.begin(), weight.end(), std::int64_t(0)) == 0);
    Graph g;
    g.reserveNode(variables);
    g.reserveArc(int(constraints.size()));
    for (int v = 0; v < variables; ++v) g.addNode();
    Graph::ArcMap<std::int64_t> cost(g);
    for (const DifferenceConstraint& c : constraints) cost[g.addArc(g.nodeFromId(c.from), g.nodeFromId(c.to))] = -c.gap;
    Graph::NodeMap<std::int64_t> supply(g);
    // The flow's dual maximizes sum supply * x: minimizing sum weight * x takes supply = -weight.
    for (int v = 0; v < variables; ++v) supply[g.nodeFromId(v)] = -weight[std::size_t(v)];

    lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t> simplex(g);
    simplex.costMap(cost).supplyMap(supply);
    DifferenceSolution s;
    // UNBOUNDED flow = a cycle of positive total gap = no assignment satisfies the constraints.
    if (simplex.run() != decltype(simplex)::OPTIMAL) return s;
    s.feasible = true;
    s.x.resize(std::size_t(variables));
    std::int64_t base = simplex.potential(g.nodeFromId(anchor));
    for (int v = 0; v < variables; ++v) s.x[std::size_t(v)] = base - simplex.potential(g.nodeFromId(v));
    s.optimum = -simplex.totalCost();  // strong duality
    for (const DifferenceConstraint& c : constraints)
        FIXVAR_ASSERT(s.x[std::size_t(c.to)] - s.x[std::size_t(c.from)] >= c.gap);
    return s;
}

}  // namespace fixvar::backend::detail
