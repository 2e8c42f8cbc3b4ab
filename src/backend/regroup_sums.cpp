// Sums regrouped by stage (regroup_sums.hpp).
//
// Why: a sum tree shaped for the fewest adder bits (the CMVM optimizer's narrowest-first
// pairing) and cut by a register rank leaves several partial sums alive at the cut, each
// registered. Summing what a stage has into one partial sum carries one value per rank, a few
// bits wider than the widest of those it replaces. The placement is then solved again on the
// new graph (pipeline.cpp), and the result kept only when it needs fewer register bits.
#include "backend/regroup_sums.hpp"

#include "backend/placement_graph.hpp"

#include <fixvar/core/error.hpp>

#include <algorithm>

namespace fixvar::backend::detail {
namespace {

using ir::Node;
using ir::NodeId;
using ir::Op;

// A term of a sum, or a partial sum of terms: (-1)^neg * value(node) * 2^shift.
struct Value {
    int base = -1, other = -1;  // partial sums: the two values added (other shifted onto base)
    NodeId leaf = ir::no_node;  // terms: the node
    bool neg = false;
    int shift = 0;
    ExactRange range;   // of the unscaled node
    double arrive = 0;  // first bits, levels into the stage
};

int top_bit(const ExactRange& r) { return r.exp + r.width(); }

class Regrouper {
public:
    Regrouper(const ir::Graph& g, const Pipeline& plan, double cutoff)
        : g_(g), plan_(plan), cutoff_(cutoff * (1 + 1e-9)), pg_(g) {
        const std::size_t n = g.size();
        readers_.assign(n, 0);
        reader_.assign(n, ir::no_node);
        for (std::size_t id = 0; id < n; ++id)
            for (NodeId o : {g[NodeId(id)].a, g[NodeId(id)].b, g[NodeId(id)].c})
                if (o >= 0) ++readers_[std::size_t(o)], reader_[std::size_t(o)] = NodeId(id);
        for (NodeId o : g.outputs) readers_[std::size_t(o)] += 2;  // never interior
        std::vector<int> stage(pg_.placed.size());
        for (std::size_t p = 0; p < stage.size(); ++p) stage[p] = plan_.stage[std::size_t(pg_.placed[p])];
        arrive_ = first_bit_arrivals(pg_, stage);  // first bits, levels into each placed node's stage
    }

    Regrouped run() {
        Regrouped out;
        ir::Graph& h = out.graph;
        for (const ir::Quantizer& q : g_.quantizers()) h.add_quantizer(q);
        for (const ir::Table& t : g_.tables()) h.add_table(t);
        const std::size_t n = g_.size();
        map_.assign(n, ir::no_node);
        std::vector<char> skip(n, 0);
        std::vector<std::vector<Value>> plans(n);
        for (std::size_t id = 0; id < n; ++id) {
            if (!is_root(NodeId(id))) continue;
            std::vector<NodeId> inner;
            std::vector<Value> terms;
            expand(NodeId(id), false, 0, terms, inner);
            if (!crosses_rank(NodeId(id), inner) || !plan_tree(NodeId(id), terms, plans[id])) {
                plans[id].clear();
                continue;
            }
            for (std::size_t k = 1; k < inner.size(); ++k) skip[std::size_t(inner[k])] = 1;  // [0]: the root
            ++out.trees;
        }
        for (std::size_t id = 0; id < n; ++id) {
            if (skip[id]) continue;
            map_[id] = plans[id].empty() ? copy(h, NodeId(id)) : build(h, NodeId(id), plans[id]);
        }
        for (NodeId i : g_.inputs) h.inputs.push_back(map_[std::size_t(i)]);
        for (NodeId o : g_.outputs) h.outputs.push_back(map_[std::size_t(o)]);
        return out;
    }

private:
    // A node whose value only one sum uses: an adder or shift read once, by an adder or shift.
    bool interior(NodeId v) const {
        const Node& x = g_[v];
        if ((x.op != Op::Add && x.op != Op::Shift) || readers_[std::size_t(v)] != 1) return false;
        const Op r = g_[reader_[std::size_t(v)]].op;
        return r == Op::Add || r == Op::Shift;
    }
    bool is_root(NodeId v) const {
        const Node& x = g_[v];
        if (interior(v) || (x.op != Op::Add && x.op != Op::Shift)) return false;
        // at least two adders in its tree
        int adders = 0;
        std::vector<NodeId> stack{v};
        while (!stack.empty() && adders < 2) {
            NodeId u = stack.back();
            stack.pop_back();
            adders += g_[u].op == Op::Add;
            for (NodeId o : {g_[u].a, g_[u].b})
                if (o >= 0 && interior(o)) stack.push_back(o);
        }
        return adders >= 2;
    }

    void expand(NodeId v, bool neg, int shift, std::vector<Value>& terms, std::vector<NodeId>& inner) const {
        const Node& x = g_[v];
        if (!inner.empty() && !interior(v)) {
            Value t;
            t.leaf = v;
            t.neg = neg;
            t.shift = shift;
            t.range = x.range;
            terms.push_back(t);
            return;
        }
        inner.push_back(v);
        if (x.op == Op::Shift) return expand(x.a, neg, shift + x.param, terms, inner);
        expand(x.a, neg, shift, terms, inner);
        expand(x.b, neg != x.subtract(), shift + x.param, terms, inner);
    }

    int stage_of(NodeId v) const {
        const int p = pg_.root[std::size_t(v)];
        return p < 0 ? -1 : plan_.stage[std::size_t(pg_.placed[std::size_t(p)])];
    }
    double arrive_of(NodeId v) const {
        const int p = pg_.root[std::size_t(v)];
        return p < 0 ? 0 : arrive_[std::size_t(p)];
    }

    bool crosses_rank(NodeId root, const std::vector<NodeId>& inner) const {
        const int sr = plan_.stage[std::size_t(root)];
        return std::any_of(inner.begin(), inner.end(),
                           [&](NodeId v) { return g_[v].op == Op::Add && plan_.stage[std::size_t(v)] < sr; });
    }

    // Adds `pool` (indices into vals) pairwise; returns the sum's index. `narrowest`: the two
    // values with the lowest top bits first (the fewest adder bits, as the CMVM optimizer's
    // final sums pair them); else the two earliest (the soonest result).
    static int pairwise(std::vector<Value>& vals, std::vector<int> pool, bool narrowest) {
        auto top = [&](int i) { return top_bit(range_shift(vals[std::size_t(i)].range, vals[std::size_t(i)].shift)); };
        auto arrive = [&](int i) { return vals[std::size_t(i)].arrive; };
        auto first = [&](int i, int j) {
            if (narrowest && top(i) != top(j)) return top(i) < top(j);
            return arrive(i) != arrive(j) ? arrive(i) < arrive(j) : top(i) < top(j);
        };
        while (pool.size() > 1) {
            std::partial_sort(pool.begin(), pool.begin() + 2, pool.end(), first);
            int i = pool[0], j = pool[1];
            pool.erase(pool.begin(), pool.begin() + 2);
            // The base keeps its sign: a positive one when there is one, so a sum is negative
            // only when all its terms are.
            if (vals[std::size_t(i)].neg && !vals[std::size_t(j)].neg) std::swap(i, j);
            const Value& b = vals[std::size_t(i)];
            const Value& o = vals[std::size_t(j)];
            Value v;
            v.base = i;
            v.other = j;
            v.neg = b.neg;
            v.shift = b.shift;
            v.range = range_add(b.range, range_shift(o.range, o.shift - b.shift), o.neg != b.neg);
            v.arrive = std::max(b.arrive, o.arrive) + ir::carry_chain(v.range.width()).first;
            vals.push_back(v);
            pool.push_back(int(vals.size()) - 1);
        }
        return pool.front();
    }

    // The tree's terms summed stage by stage into `vals` (last: the root's value). False when
    // a stage cannot add its terms into one partial sum within the cut-off, or the result does
    // not keep the root's range (then the tree is copied as it is).
    bool plan_tree(NodeId root, const std::vector<Value>& terms, std::vector<Value>& vals) const {
        const int sr = plan_.stage[std::size_t(root)];
        std::vector<std::pair<int, int>> when;  // (stage, term)
        int s0 = sr;
        vals = terms;
        for (std::size_t k = 0; k < terms.size(); ++k) {
            int s = stage_of(terms[k].leaf);
            vals[k].arrive = s < 0 ? 0 : arrive_of(terms[k].leaf);
            if (s >= 0) s0 = std::min(s0, s);
            when.emplace_back(s, int(k));
        }
        for (auto& [s, k] : when)
            if (s < 0) s = s0;
        int carried = -1;
        std::vector<int> deferred;
        for (int t = s0; t <= sr; ++t) {
            std::vector<int> fresh;
            for (auto [s, k] : when)
                if (s == t) fresh.push_back(k);
            std::vector<int> pool = deferred;
            deferred.clear();
            if (carried >= 0) pool.push_back(carried);
            for (int k : pool) vals[std::size_t(k)].arrive = 0;  // out of a register
            if (t == sr) {
                // The root: the fewest adder bits when that is not later than the tree it replaces,
                // else the soonest.
                pool.insert(pool.end(), fresh.begin(), fresh.end());
                const std::size_t mark = vals.size();
                carried = pairwise(vals, pool, true);
                if (vals[std::size_t(carried)].arrive > arrive_of(root)) {
                    vals.resize(mark);
                    carried = pairwise(vals, pool, false);
                    // Later than the tree it replaces: the stage's readers would wait for it.
                    if (vals[std::size_t(carried)].arrive > arrive_of(root)) return false;
                }
                break;
            }
            // The latest terms wait for the next stage until the partial sum ends in time.
            std::sort(fresh.begin(), fresh.end(),
                      [&](int i, int j) { return vals[std::size_t(i)].arrive < vals[std::size_t(j)].arrive; });
            const std::size_t mark = vals.size();
            for (;;) {
                std::vector<int> all = pool;
                all.insert(all.end(), fresh.begin(), fresh.end());
                if (all.empty()) break;
                auto fits = [&](int s) {
                    const Value& v = vals[std::size_t(s)];
                    return all.size() == 1 || v.arrive + ir::carry_chain(v.range.width()).tail <= cutoff_;
                };
                int s = pairwise(vals, all, true);
                if (!fits(s)) vals.resize(mark), s = pairwise(vals, all, false);
                if (fits(s)) {
                    carried = s;
                    break;
                }
                vals.resize(mark);
                if (fresh.empty()) return false;  // the carried values alone overflow a stage
                deferred.push_back(fresh.back());
                fresh.pop_back();
            }
        }
        if (carried != int(vals.size()) - 1) return false;
        const Value& top = vals.back();
        if (top.neg) return false;
        const ExactRange r = range_shift(top.range, top.shift);
        const ExactRange& want = g_[root].range;
        return r.exp == want.exp && r.contains(want);
    }

    NodeId copy(ir::Graph& h, NodeId id) const {
        // Its operands keep their ranges (a regrouped root keeps its own), so the node is the same.
        Node x = g_[id];
        for (NodeId* o : {&x.a, &x.b, &x.c})
            if (*o >= 0) *o = map_[std::size_t(*o)];
        return h.append_copy(x);
    }

    NodeId build(ir::Graph& h, NodeId root, const std::vector<Value>& vals) const {
        std::vector<NodeId> made(vals.size(), ir::no_node);
        for (std::size_t k = 0; k < vals.size(); ++k) {
            const Value& v = vals[k];
            if (v.base < 0) {
                made[k] = map_[std::size_t(v.leaf)];
                continue;
            }
            const Value& b = vals[std::size_t(v.base)];
            const Value& o = vals[std::size_t(v.other)];
            Node a;
            a.op = Op::Add;
            a.a = made[std::size_t(v.base)];
            a.b = made[std::size_t(v.other)];
            a.param = o.shift - b.shift;
            a.flag = o.neg != b.neg;
            made[k] = h.append(a);
        }
        const Value& top = vals.back();
        NodeId y = made.back();
        if (top.shift != 0) {
            Node s;
            s.op = Op::Shift;
            s.a = y;
            s.param = top.shift;
            y = h.append(s);
        }
        if (!(h[y].range == g_[root].range)) h.tighten(y, g_[root].range);
        return y;
    }

    const ir::Graph& g_;
    const Pipeline& plan_;
    double cutoff_;
    PlacementGraph pg_;
    std::vector<int> readers_;
    std::vector<NodeId> reader_;
    std::vector<double> arrive_;
    std::vector<NodeId> map_;
};

}  // namespace

Regrouped regroup_sums(const ir::Graph& g, const Pipeline& plan, double cutoff) {
    return Regrouper(g, plan, cutoff).run();
}

RegroupedPipeline plan_regrouped(const ir::Graph& g, const PipelineOptions& options) {
    RegroupedPipeline out{plan_pipeline(g, options), nullptr};
    if (!options.regroup_sums || !out.pipeline.clocked || out.pipeline.latency == 0 || g.size() > kMaxRegroupNodes)
        return out;
    // The same latency and cut-off: the regrouped graph may allow a shorter one, which would buy
    // a faster clock with more registers, not fewer registers.
    const long before = out.pipeline.register_bits;
    const double cutoff = out.pipeline.cutoff;
    int trees = 0;
    PipelineOptions fixed = options;
    fixed.latency = out.pipeline.latency;
    fixed.latency_cutoff = cutoff;
    for (int round = 0; round < kRegroupRounds; ++round) {
        const ir::Graph& now = out.graph ? *out.graph : g;
        Regrouped r = regroup_sums(now, out.pipeline, cutoff);
        if (r.trees == 0) break;
        Pipeline p;
        try {
            p = plan_pipeline_only(r.graph, fixed);
        } catch (const Error&) {
            break;  // the regrouped sums do not fit the latency at this cut-off: keep what we have
        }
        if (p.register_bits >= out.pipeline.register_bits) break;
        out.pipeline = std::move(p);
        out.graph = std::make_shared<const ir::Graph>(std::move(r.graph));
        trees = r.trees;  // the last round regrouped these (earlier rounds' trees again, mostly)
    }
    if (out.graph) {
        // The kept graph's placement again, with its bound and trade-off points (the same stages).
        out.pipeline = plan_pipeline(*out.graph, fixed);
        out.pipeline.register_bits_before_regrouping = before;
        out.pipeline.regrouped_sums = trees;
    }
    return out;
}

}  // namespace fixvar::backend::detail
