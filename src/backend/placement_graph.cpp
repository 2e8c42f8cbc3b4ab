// The placement's view of the graph (see placement_graph.hpp).
#include "backend/placement_graph.hpp"

#include <algorithm>

namespace fixvar::backend::detail {

using ir::Node;
using ir::NodeId;

namespace {

/// For every node, the sources of bits that are copies of a placed node's bits or constants:
/// in a = x + (y << s) (x at the result's LSB, s > 0) the s low bits are x's, with no carry
/// into them; a view's bits are its operand's. Synthesis shares such bits with their source,
/// so the pipeline does too: they are carried once, by the source's chain. Sources are
/// resolved to the end of a chain (placed nodes: a prefix of their low bits; views: every bit,
/// node -2 where unknown).
std::vector<std::vector<Pipeline::BitSource>> bit_aliases(const ir::Graph& g, const std::vector<int>& index) {
    std::vector<std::vector<Pipeline::BitSource>> alias(g.size());
    const Pipeline::BitSource unknown{-2, 0};
    auto resolve = [&](NodeId o, int bit) -> Pipeline::BitSource {
        const ExactRange& r = g[o].range;
        const int w = r.width();
        if (bit >= w) {  // a sign (or zero) extension bit
            if (!r.is_signed() || w == 0) return {-1, 0};
            bit = w - 1;
        }
        // A bit of the constant prefix (every value of the range has it): a constant, carried by
        // no chain (its source registers only the bits that vary).
        if (!((detail::varying_bits(r) >> bit) & 1)) return {-1, int((r.lo >> std::min(bit, 126)) & 1)};
        const auto& m = alias[std::size_t(o)];
        if (std::size_t(bit) < m.size()) return m[std::size_t(bit)];
        return index[std::size_t(o)] >= 0 ? Pipeline::BitSource{int(o), bit} : unknown;
    };
    for (std::size_t j = 0; j < g.size(); ++j) {
        const Node& n = g[NodeId(j)];
        if (n.range.is_constant()) continue;
        if (index[j] < 0) {  // a view
            for (int src : detail::view_bit_sources(g, NodeId(j)))
                alias[j].push_back(src == -1 ? Pipeline::BitSource{-1, 0} : src < 0 ? unknown : resolve(n.a, src));
            continue;
        }
        if (n.op != ir::Op::Add) continue;
        const int e = n.range.exp, w = n.range.width();
        const int da = g[n.a].range.exp - e, db = g[n.b].range.exp + n.param - e;
        NodeId from = ir::no_node;
        int count = 0;
        if (da == 0 && db > 0)
            from = n.a, count = db;
        else if (db == 0 && da > 0)
            from = n.b, count = n.subtract() ? 1 : da;  // -y keeps y's LSB
        for (int k = 0; from != ir::no_node && k < std::min(count, w); ++k) {
            Pipeline::BitSource src = resolve(from, k);
            if (src.node == unknown.node) break;
            alias[j].push_back(src);
        }
    }
    for (std::size_t j = 0; j < g.size(); ++j)
        if (index[j] < 0) alias[j].clear();  // views are rebuilt from their operand anyway
    return alias;
}

/// Levels from the first bits of the placed value that `operand` shows (directly or through
/// views) until `reader` can start: Graph::estimate's rule (ir::Delay) along the view chain.
double operand_wait(const ir::Graph& g, NodeId reader, NodeId operand) {
    std::vector<NodeId> views;
    NodeId x = operand;
    for (; detail::is_view(g, x) && !g[g[x].a].range.is_constant(); x = g[x].a) views.push_back(x);
    double ready = 0, tail = ir::node_delay(g, g[x]).tail;
    for (auto v = views.rbegin(); v != views.rend(); ++v) {
        const ir::Delay d = ir::node_delay(g, g[*v]);
        ready = (d.whole_operands ? ready + tail : ready) + d.first;
        tail = d.tail;
    }
    return ir::node_delay(g, g[reader]).whole_operands ? ready + tail : ready;
}

}  // namespace

PlacementGraph::PlacementGraph(const ir::Graph& graph) : g(graph) {
    const std::size_t n = g.size();
    index.assign(n, -1);
    root.assign(n, -1);
    readers.resize(n);
    is_output.assign(n, 0);
    varying.resize(n);
    const std::vector<BitMask> demanded = detail::demanded_bits(g);
    for (std::size_t j = 0; j < n; ++j) {
        auto id = NodeId(j);
        varying[j] = detail::varying_bits(g[id].range);
        if (is_const(id)) continue;
        // A view of a constant (a loose range, e.g. a bit test of 0 in an unfolded graph) is
        // placed like any node: it has no chain to share.
        if (detail::is_view(g, id) && root[std::size_t(g[id].a)] >= 0) {
            root[j] = root[std::size_t(g[id].a)];
            continue;
        }
        index[j] = int(placed.size());
        root[j] = index[j];
        placed.push_back(id);
        const ir::Delay d = ir::node_delay(g, g[id]);
        delay.push_back(d.first);
        tail.push_back(d.tail);
    }
    alias = bit_aliases(g, index);
    succ.resize(placed.size());
    is_input.assign(placed.size(), 0);
    for (NodeId id : g.inputs)
        if (index[std::size_t(id)] >= 0) is_input[std::size_t(index[std::size_t(id)])] = 1;
    for (NodeId o : g.outputs) is_output[std::size_t(o)] = 1;
    std::vector<std::vector<std::pair<int, double>>> edges(placed.size());  // (reader, wait)
    for (std::size_t j = 0; j < n; ++j) {
        auto id = NodeId(j);
        if (is_const(id)) continue;
        const Node& nd = g[id];
        for (NodeId o : {nd.a, nd.b, nd.c}) {
            if (o == ir::no_node || is_const(o)) continue;
            auto& rs = readers[std::size_t(o)];
            if (!rs.empty() && rs.back().id == id) continue;  // the same operand in two slots
            rs.push_back({id, detail::read_bits(g, nd, o, demanded[j])});
            if (index[j] < 0) continue;
            const auto from = std::size_t(root[std::size_t(o)]);
            edges[from].emplace_back(index[j], operand_wait(g, id, o));
        }
    }
    // Reverse topological order: a view's readers are settled before it.
    finals.resize(n);
    for (std::size_t j = n; j-- > 0;) {
        if (is_output[j]) finals[j].push_back(-1);
        for (const Reader& r : readers[j]) reach(std::size_t(r.id), finals[j]);
        std::sort(finals[j].begin(), finals[j].end());
        finals[j].erase(std::unique(finals[j].begin(), finals[j].end()), finals[j].end());
    }
    pred.resize(placed.size());
    succ_wait.resize(placed.size());
    pred_wait.resize(placed.size());
    for (std::size_t p = 0; p < placed.size(); ++p) {
        auto& e = edges[p];
        std::sort(e.begin(), e.end());  // per reader, the largest wait last
        for (std::size_t k = 0; k < e.size(); ++k) {
            if (k + 1 < e.size() && e[k + 1].first == e[k].first) continue;
            succ[p].push_back(e[k].first);
            succ_wait[p].push_back(e[k].second);
            pred[std::size_t(e[k].first)].push_back(int(p));
            pred_wait[std::size_t(e[k].first)].push_back(e[k].second);
        }
    }
}

std::vector<PlacementGraph::BitClass> PlacementGraph::classes(int p, bool own_only) const {
    const auto id = std::size_t(placed[std::size_t(p)]);
    BitMask v = varying[id];
    if (own_only) v &= ~detail::low_bits(int(alias[id].size()));
    std::vector<BitClass> out;
    for (int j = 0; j < 128 && (v >> j) != 0; ++j) {
        if (!((v >> j) & 1)) continue;
        std::vector<int> who;
        if (is_output[id]) who.push_back(-1);
        for (const Reader& r : readers[id])
            if ((r.bits >> j) & 1) reach(std::size_t(r.id), who);
        if (who.empty()) continue;
        std::sort(who.begin(), who.end());
        who.erase(std::unique(who.begin(), who.end()), who.end());
        auto same = std::find_if(out.begin(), out.end(), [&](const BitClass& c) { return c.readers == who; });
        if (same != out.end())
            ++same->bits;
        else
            out.push_back({std::move(who), 1});
    }
    return out;
}

std::vector<double> first_bit_arrivals(const PlacementGraph& pg, const std::vector<int>& stage) {
    std::vector<double> in(pg.placed.size(), 0), first(pg.placed.size(), 0);
    for (std::size_t p = 0; p < pg.placed.size(); ++p) {
        first[p] = in[p] + pg.delay[p];
        for (std::size_t k = 0; k < pg.succ[p].size(); ++k) {
            const auto q = std::size_t(pg.succ[p][k]);
            if (stage[q] == stage[p]) in[q] = std::max(in[q], first[p] + pg.succ_wait[p][k]);
        }
    }
    return first;
}

}  // namespace fixvar::backend::detail
