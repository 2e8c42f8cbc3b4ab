// Register placement as min-area retiming (see include/fixvar/backend/pipeline.hpp).
//
// Variables: one stage s(p) per placed node p (not a constant, not a view); the bits of p are
// grouped into classes needed by the same readers, and a class read by several gets a "mirror"
// m = the last stage reading it; the host variable h = 0 anchors them. Constraints, all of the
// form x[to] - x[from] >= gap:
//   s(c) >= s(p), m >= s(c)           for every reader c of p (through views; m: c's classes)
//   s(q) >= s(p) + 1                  when the longest path from p's start to q's end exceeds the
//                                     cut-off (the first such q on each path suffices)
//   asap(p) <= s(p) <= alap(p)        the exact stage windows (boundaries and latency included)
// Objective: sum over p and its classes of bits * (last reader's stage - s(p)), stage L for an
// output: exactly the register bits, rank by rank, before copied bits are shared.
#include <fixvar/backend/pipeline.hpp>
#include <fixvar/core/error.hpp>

#include "backend/difference_lp.hpp"
#include "backend/placement_graph.hpp"
#include "backend/read_bits.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>

namespace fixvar::backend {
namespace {

using detail::BitMask;
using detail::DifferenceConstraint;
using detail::PlacementGraph;
using ir::Node;
using ir::NodeId;

/// Pairs (p, q) of placed nodes that may not share a stage: the longest path from p's start to
/// q's last bit is over the cut-off, and no shorter prefix of it already is. Each p explores the
/// cone of paths within the cut-off in topological order (indices are topological), except
/// where the stage windows already separate the two (asap(q) > alap(p)). A path's length is
/// ir::Delay's: node delays, the waits of the edges (a whole-operand reader waits for the
/// operand's tail), and the last node's tail.
std::vector<std::pair<int, int>> timing_pairs(const PlacementGraph& pg, double cutoff, const std::vector<int>& asap,
                                              const std::vector<int>& alap) {
    std::vector<std::pair<int, int>> pairs;
    if (!(cutoff < std::numeric_limits<double>::infinity())) return pairs;
    const double limit = cutoff * (1 + 1e-9);
    const std::size_t P = pg.placed.size();
    std::vector<double> dist(P);  // longest path from p's start to y's low bits
    std::vector<int> seen(P, -1), over(P, -1);
    std::priority_queue<int, std::vector<int>, std::greater<int>> cone;
    std::vector<int> found;  // p's far nodes
    for (int p = 0; p < int(P); ++p) {
        dist[std::size_t(p)] = pg.delay[std::size_t(p)];
        seen[std::size_t(p)] = p;
        cone.push(p);
        const int last = alap[std::size_t(p)];
        while (!cone.empty()) {
            int x = cone.top();
            cone.pop();
            if (over[std::size_t(x)] == p) continue;
            const auto& next = pg.succ[std::size_t(x)];
            for (std::size_t k = 0; k < next.size(); ++k) {
                const int y = next[k];
                if (over[std::size_t(y)] == p || asap[std::size_t(y)] > last) continue;
                double d = dist[std::size_t(x)] + pg.succ_wait[std::size_t(x)][k] + pg.delay[std::size_t(y)];
                if (d + pg.tail[std::size_t(y)] > limit) {
                    over[std::size_t(y)] = p;
                    found.push_back(y);
                } else if (seen[std::size_t(y)] != p) {
                    seen[std::size_t(y)] = p;
                    dist[std::size_t(y)] = d;
                    cone.push(y);
                } else {
                    dist[std::size_t(y)] = std::max(dist[std::size_t(y)], d);
                }
            }
        }
        // A pair whose far node reads another far node of p is implied by that one.
        for (int y : found) {
            const auto& before = pg.pred[std::size_t(y)];
            if (std::none_of(before.begin(), before.end(), [&](int q) { return over[std::size_t(q)] == p; }))
                pairs.emplace_back(p, y);
        }
        found.clear();
    }
    return pairs;
}

/// Stage bounds of a non-input placed node.
struct Bounds {
    int lo = 0, hi_margin = 0;  // lo <= s <= L - hi_margin
};

/// Earliest stages: in topological order, each node joins its latest operand's stage unless
/// the longest same-stage path ending at it would pass the cut-off (then the next stage). Every
/// move is forced, so this is the least solution of the constraints.
std::vector<int> asap_stages(const PlacementGraph& pg, double cutoff, Bounds b) {
    const double limit = cutoff * (1 + 1e-9);
    const std::size_t P = pg.placed.size();
    std::vector<int> s(P, 0);
    std::vector<double> arrive(P, 0);
    for (std::size_t p = 0; p < P; ++p) {
        int st = pg.is_input[p] ? 0 : b.lo;
        for (int q : pg.pred[p]) st = std::max(st, s[std::size_t(q)]);
        double in = 0;  // arrive: the longest same-stage path to p's low bits
        bool chained = false;
        for (std::size_t k = 0; k < pg.pred[p].size(); ++k) {
            const auto q = std::size_t(pg.pred[p][k]);
            if (s[q] == st) in = std::max(in, arrive[q] + pg.pred_wait[p][k]), chained = true;
        }
        arrive[p] = in + pg.delay[p];
        if (chained && arrive[p] + pg.tail[p] > limit) ++st, arrive[p] = pg.delay[p];
        s[p] = st;
    }
    return s;
}

/// Latest stages for latency L, the mirror image (outputs and the last logic stage at the end).
std::vector<int> alap_stages(const PlacementGraph& pg, double cutoff, Bounds b, int L) {
    const double limit = cutoff * (1 + 1e-9);
    const std::size_t P = pg.placed.size();
    std::vector<int> s(P, 0);
    std::vector<double> depart(P, 0);
    for (std::size_t p = P; p-- > 0;) {
        if (pg.is_input[p]) continue;  // fixed in stage 0
        int st = L - b.hi_margin;
        for (int q : pg.succ[p]) st = std::min(st, s[std::size_t(q)]);
        double out = 0;  // depart: the longest same-stage path from p's start to a last bit
        bool chained = false;
        for (std::size_t k = 0; k < pg.succ[p].size(); ++k) {
            const auto q = std::size_t(pg.succ[p][k]);
            if (s[q] == st) out = std::max(out, pg.succ_wait[p][k] + depart[q]), chained = true;
        }
        if (chained && pg.delay[p] + out > limit) --st, chained = false;
        depart[p] = pg.delay[p] + (chained ? std::max(out, pg.tail[p]) : pg.tail[p]);
        s[p] = st;
    }
    return s;
}

int min_latency_of(const PlacementGraph& pg, const std::vector<int>& asap, Bounds b) {
    int L = b.lo + b.hi_margin > 0 ? 1 : 0;
    for (std::size_t p = 0; p < asap.size(); ++p)
        if (!pg.is_input[p]) L = std::max(L, asap[p] + b.hi_margin);
    return L;
}

/// The min-area placement: LP over difference constraints (see the file comment).
detail::DifferenceSolution solve_placement(const PlacementGraph& pg, const std::vector<std::pair<int, int>>& pairs,
                                           const std::vector<int>& asap, const std::vector<int>& alap, int L,
                                           bool lower) {
    const int P = int(pg.placed.size());
    auto s = [](int p) { return 1 + p; };
    const int h = 0;
    int variables = 1 + P;
    std::vector<DifferenceConstraint> cs;
    std::vector<std::int64_t> weight(std::size_t(1 + P), 0);
    std::int64_t constant = 0;  // objective terms of stage L (outputs read there)
    for (int p = 0; p < P; ++p) {
        const auto& readers = pg.succ[std::size_t(p)];
        // The stage window (inputs: 0..0) implies the boundaries and many precedences.
        cs.push_back({h, s(p), asap[std::size_t(p)]});
        cs.push_back({s(p), h, -alap[std::size_t(p)]});
        for (int c : readers)
            if (alap[std::size_t(p)] > asap[std::size_t(c)]) cs.push_back({s(p), s(c), 0});
        // Each class of bits is carried until its last reader: stage L for an output, the one
        // reader's stage, or else a variable of its own (the "mirror" of min-area retiming) at
        // least every reader's.
        for (const PlacementGraph::BitClass& c : pg.classes(p, lower)) {
            weight[std::size_t(s(p))] -= c.bits;
            if (c.readers.front() == -1) {
                constant += c.bits * L;
            } else if (c.readers.size() == 1) {
                weight[std::size_t(s(c.readers[0]))] += c.bits;
            } else {
                int m = variables++;
                weight.push_back(c.bits);
                cs.push_back({s(p), m, 0});
                cs.push_back({m, h, -L});
                for (int r : c.readers) cs.push_back({s(r), m, 0});
            }
        }
    }
    for (auto [p, q] : pairs) cs.push_back({s(p), s(q), 1});
    weight[std::size_t(h)] -= std::accumulate(weight.begin(), weight.end(), std::int64_t(0));  // sums to 0
    detail::DifferenceSolution r = detail::solve_difference_lp(variables, cs, weight, h);
    r.optimum += constant;
    return r;
}

/// Copied bits move to their source's chain (sources come earlier and are final).
void share_copied_bits(const PlacementGraph& pg, Pipeline& out) {
    out.alias = pg.alias;
    for (std::size_t j = pg.g.size(); j-- > 0;) {
        const auto& copies = pg.alias[j];
        if (copies.empty() || out.rank_bits[j].empty()) continue;
        for (std::size_t r = 0; r < out.rank_bits[j].size(); ++r) {
            int t = out.stage[j] + 1 + int(r);
            for (std::size_t k = 0; k < copies.size(); ++k) {
                if (!((out.rank_bits[j][r] >> k) & 1)) continue;
                out.rank_bits[j][r] &= ~(BitMask(1) << k);
                const Pipeline::BitSource src = copies[k];
                if (src.node < 0) continue;  // a constant
                auto from = std::size_t(src.node);
                auto& chain = out.rank_bits[from];
                out.last_read[from] = std::max(out.last_read[from], t);
                chain.resize(std::size_t(out.last_read[from] - out.stage[from]), 0);
                chain[std::size_t(t - out.stage[from] - 1)] |= (BitMask(1) << src.bit) & pg.varying[from];
            }
        }
    }
}

/// The register bits in all, and per stage.
void count_register_bits(const PlacementGraph& pg, Pipeline& out) {
    out.register_bits = 0;
    for (NodeId id : pg.placed) {
        std::size_t j = std::size_t(id);
        for (std::size_t r = 0; r < out.rank_bits[j].size(); ++r) {
            long b = detail::popcount(out.rank_bits[j][r]);
            out.register_bits += b;
            std::size_t rank = std::size_t(out.stage[j]) + r;  // rank stage + 1 + r ends stage stage + r
            if (rank < out.stages.size()) out.stages[rank].register_bits += b;
        }
    }
}

/// The stage of every node and the bits of every register rank, for placed stages `st`.
void realize(const PlacementGraph& pg, const std::vector<int>& st, int L, Pipeline& out) {
    const ir::Graph& g = pg.g;
    const std::size_t n = g.size();
    out.stage.assign(n, -1);
    out.last_read.assign(n, -1);
    out.view.assign(n, 0);
    out.rank_bits.assign(n, {});
    std::vector<int> first(n, std::numeric_limits<int>::max()), last(n, -1);
    for (NodeId o : g.outputs) {
        first[std::size_t(o)] = std::min(first[std::size_t(o)], L);
        last[std::size_t(o)] = L;
    }
    // Reverse topological order: a node's readers are settled before it.
    for (std::size_t j = n; j-- > 0;) {
        auto id = NodeId(j);
        if (pg.is_const(id)) continue;
        int p = pg.index[j];
        if (p >= 0) {
            out.stage[j] = st[std::size_t(p)];
            out.last_read[j] = std::max(out.stage[j], last[j]);
        } else {
            // A view lives in the stages that read it; an unread one (dead code) in stage 0,
            // where its operand's own wire serves it.
            out.view[j] = 1;
            out.stage[j] = last[j] >= 0 ? first[j] : 0;
            out.last_read[j] = std::max(last[j], out.stage[j]);
        }
        const Node& nd = g[id];
        for (NodeId o : {nd.a, nd.b, nd.c}) {
            if (o == ir::no_node || pg.is_const(o)) continue;
            // A placed node reads its operands in its own stage, a view in each of its stages.
            first[std::size_t(o)] = std::min(first[std::size_t(o)], out.stage[j]);
            last[std::size_t(o)] = std::max(last[std::size_t(o)], p >= 0 ? out.stage[j] : out.last_read[j]);
        }
    }
    for (NodeId id : pg.placed) {
        std::size_t j = std::size_t(id);
        int s = out.stage[j], e = out.last_read[j];
        if (e <= s) continue;
        // Rank t holds the bits read in stage t or later: the union shrinks as t grows.
        auto& ranks = out.rank_bits[j];
        ranks.assign(std::size_t(e - s), 0);
        auto add = [&](int until, BitMask bits) {
            for (int t = s + 1; t <= until; ++t) ranks[std::size_t(t - s - 1)] |= bits & pg.varying[j];
        };
        if (pg.is_output[j]) add(L, pg.varying[j]);
        for (const auto& r : pg.readers[j]) {  // a view is rebuilt (and reads) in every stage up to its last
            std::size_t k = std::size_t(r.id);
            add(out.view[k] ? out.last_read[k] : out.stage[k], r.bits);
        }
    }
    share_copied_bits(pg, out);
    count_register_bits(pg, out);
}

/// Nodes and longest in-stage path of every stage.
void summarize_stages(const PlacementGraph& pg, const std::vector<int>& st, Pipeline& out) {
    const std::vector<double> first = first_bit_arrivals(pg, st);
    for (std::size_t p = 0; p < pg.placed.size(); ++p) {
        StageSummary& s = out.stages[std::size_t(st[p])];
        if (!pg.is_input[p]) ++s.nodes;
        s.levels = std::max(s.levels, first[p] + pg.tail[p]);
    }
}

Bounds bounds_of(const PipelineOptions& o) { return {o.register_inputs ? 1 : 0, o.register_outputs ? 1 : 0}; }

/// The longest path of placed nodes, in levels: a cut-off past it never cuts for timing.
double longest_path(const PlacementGraph& pg) {
    double longest = 0;
    std::vector<double> path(pg.placed.size(), 0);
    for (std::size_t p = 0; p < pg.placed.size(); ++p) {
        path[p] += pg.delay[p];
        longest = std::max(longest, path[p] + pg.tail[p]);
        for (std::size_t k = 0; k < pg.succ[p].size(); ++k) {
            const auto q = std::size_t(pg.succ[p][k]);
            path[q] = std::max(path[q], path[p] + pg.succ_wait[p][k]);
        }
    }
    return longest;
}

/// The smallest cut-off (to 1/100 level) whose minimum latency is at most L.
double smallest_cutoff(const PlacementGraph& pg, int L, Bounds b) {
    auto fits = [&](double c) { return min_latency_of(pg, asap_stages(pg, c, b), b) <= L; };
    const double inf = std::numeric_limits<double>::infinity();
    if (!fits(inf)) return inf;
    double lo = 0;
    for (std::size_t p = 0; p < pg.delay.size(); ++p)
        lo = std::max(lo, pg.delay[p] + pg.tail[p]);  // no stage is faster than its slowest node
    double hi = std::max(longest_path(pg), lo) + 0.01;
    if (fits(lo)) return std::ceil(lo * 100) / 100;
    while (hi - lo > 0.005) {
        double mid = (lo + hi) / 2;
        (fits(mid) ? hi : lo) = mid;
    }
    // Rounding up keeps it feasible: a larger cut-off never needs more stages.
    return std::ceil(hi * 100) / 100;
}

/// What both entry points settle first: the cut-off, the latency and the constraints (over a
/// placement graph the caller keeps, so several placements of one graph analyse it once).
struct Setup {
    const PlacementGraph& pg;
    Bounds b;
    std::vector<std::pair<int, int>> pairs;
    std::vector<int> asap, alap;
    Pipeline out;  // clocked, latency, min_latency, cutoff, boundaries, empty stages
};

Setup setup(const PlacementGraph& pg, const PipelineOptions& options) {
    if (!std::isfinite(options.latency_cutoff))
        fail("pipeline", "latency cut-off must be a finite number of levels (got {})", options.latency_cutoff);
    if (options.latency && *options.latency < 0)
        fail("pipeline", "latency must be a number of cycles >= 0 (got {})", *options.latency);
    Setup su{pg, bounds_of(options), {}, {}, {}, {}};
    Pipeline& out = su.out;
    const Bounds b = su.b;
    out.clocked = options.clocked();
    out.register_inputs = options.register_inputs;
    out.register_outputs = options.register_outputs;
    if (!out.clocked) {
        su.asap.assign(su.pg.placed.size(), 0);
        out.stages.assign(1, {});
        return su;
    }
    const double inf = std::numeric_limits<double>::infinity();
    double cutoff = options.latency_cutoff > 0 ? options.latency_cutoff : inf;
    if (options.latency_cutoff <= 0 && options.latency) {
        cutoff = smallest_cutoff(su.pg, *options.latency, b);
        if (cutoff == inf) {  // too few cycles even for stages of unbounded length
            int need = min_latency_of(su.pg, asap_stages(su.pg, inf, b), b);
            fail("pipeline",
                 "latency {} cycles is below the minimum of {} for {} (each registered boundary takes a "
                 "cycle of its own); ask for at least {} cycles",
                 *options.latency, need,
                 b.lo && b.hi_margin ? "registered inputs and outputs"
                 : b.lo              ? "registered inputs"
                                     : "registered outputs",
                 need);
        }
    }
    su.asap = asap_stages(su.pg, cutoff, b);
    out.min_latency = min_latency_of(su.pg, su.asap, b);
    out.latency = options.latency.value_or(out.min_latency);
    out.cutoff = cutoff == inf ? 0 : cutoff;
    if (out.latency < out.min_latency)
        fail("pipeline",
             "latency {} cycles is below the minimum of {} for a cut-off of {} levels per stage{}; "
             "ask for at least {} cycles or raise the cut-off",
             out.latency, out.min_latency, out.cutoff, b.lo || b.hi_margin ? " with registered boundaries" : "",
             out.min_latency);
    out.stages.assign(std::size_t(out.latency + 1), {});
    su.alap = alap_stages(su.pg, cutoff, b, out.latency);
    su.pairs = timing_pairs(su.pg, cutoff, su.asap, su.alap);
    return su;
}

/// The register bits of every node as early as possible, for comparison.
long asap_register_bits(const Setup& su) {
    Pipeline run = su.out;
    realize(su.pg, su.asap, run.latency, run);
    return run.register_bits;
}

// Placements past this many nodes skip the extra solves (lower bound, longer stages): there
// time matters more than the comparison.
constexpr std::size_t extra_solve_limit = 30000;

/// The optimal placement; `extras` (and not too large): also the lower bound and the
/// as-soon-as-possible count.
Pipeline plan(const PlacementGraph& pg, const PipelineOptions& options, bool extras) {
    Setup su = setup(pg, options);
    Pipeline out = su.out;
    if (!out.clocked) {
        summarize_stages(pg, su.asap, out);
        realize(pg, su.asap, 0, out);
        return out;
    }
    const int L = out.latency;
    detail::DifferenceSolution best = solve_placement(pg, su.pairs, su.asap, su.alap, L, false);
    FIXVAR_ASSERT(best.feasible);
    std::vector<int> st(pg.placed.size());
    for (std::size_t p = 0; p < st.size(); ++p) st[p] = int(best.x[1 + p]);

    summarize_stages(pg, st, out);
    realize(pg, st, L, out);
    if (!extras) return out;
    out.register_bits_asap = asap_register_bits(su);
    bool widths_differ = false;  // the bound differs only by copied bits
    for (NodeId id : pg.placed) widths_differ = widths_differ || !pg.alias[std::size_t(id)].empty();
    // The bound takes a second solve: skipped (-1) on very large graphs.
    out.register_bits_lower_bound = !widths_differ ? best.optimum
                                    : pg.placed.size() <= extra_solve_limit
                                        ? solve_placement(pg, su.pairs, su.asap, su.alap, L, true).optimum
                                        : -1;
    FIXVAR_ASSERT(out.register_bits <= best.optimum && out.register_bits_lower_bound <= out.register_bits);
    return out;
}

}  // namespace

Pipeline plan_pipeline(const ir::Graph& g, const PipelineOptions& options) {
    const PlacementGraph pg(g);
    Pipeline out = plan(pg, options, true);
    if (!out.clocked || out.cutoff <= 0 || pg.placed.size() > extra_solve_limit) return out;
    for (double factor : {1.1, 1.25, 1.5}) {  // the same latency, a slower clock
        PipelineOptions longer = options;
        longer.latency = out.latency;
        longer.latency_cutoff = out.cutoff * factor;
        out.longer_stages.push_back({longer.latency_cutoff, plan(pg, longer, false).register_bits});
    }
    PipelineOptions any = options;  // no path is long enough to need a register for timing
    any.latency = out.latency;
    any.latency_cutoff = longest_path(pg) + 1;
    out.register_bits_floor = plan(pg, any, false).register_bits;
    return out;
}

namespace detail {
Pipeline plan_pipeline_only(const ir::Graph& g, const PipelineOptions& options) {
    return plan(PlacementGraph(g), options, false);
}
}  // namespace detail

Pipeline place_stages(const ir::Graph& g, const PipelineOptions& options, const std::vector<int>& stages) {
    const PlacementGraph pg(g);
    Setup su = setup(pg, options);
    Pipeline out = su.out;
    if (stages.size() != g.size())
        fail("place_stages", "{} stages given for a graph of {} nodes; give one per node", stages.size(), g.size());
    const int L = out.latency;
    std::vector<int> st(pg.placed.size());
    for (std::size_t p = 0; p < st.size(); ++p) {
        NodeId id = pg.placed[p];
        int s = stages[std::size_t(id)];
        // Outside the earliest..latest window some constraint breaks: the windows are exact and
        // hold the boundaries (inputs: 0..0; logic: registered boundaries and the latency).
        if (s < su.asap[p] || s > su.alap[p])
            fail("place_stages",
                 "node %{} in stage {}: the constraints allow only stages {}..{} for it (operands, "
                 "readers and the cut-off of {} levels)",
                 id, s, su.asap[p], su.alap[p], out.cutoff);
        st[p] = s;
    }
    for (std::size_t p = 0; p < st.size(); ++p)
        for (int q : pg.succ[p])
            if (st[std::size_t(q)] < st[p])
                fail("place_stages", "node %{} (stage {}) reads %{} (stage {}) from a later stage",
                     pg.placed[std::size_t(q)], st[std::size_t(q)], pg.placed[p], st[p]);
    for (auto [p, q] : su.pairs)
        if (st[std::size_t(q)] == st[std::size_t(p)])
            fail("place_stages", "the path from %{} to %{} in stage {} is longer than the cut-off of {} levels",
                 pg.placed[std::size_t(p)], pg.placed[std::size_t(q)], st[std::size_t(p)], out.cutoff);
    summarize_stages(pg, st, out);
    realize(pg, st, L, out);
    out.register_bits_lower_bound = -1;  // not computed: the placement is given
    out.register_bits_asap = asap_register_bits(su);
    return out;
}

}  // namespace fixvar::backend
