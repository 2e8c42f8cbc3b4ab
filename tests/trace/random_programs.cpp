// Randomized end-to-end check: random straight-line programs mixing every op, interpreted on
// random samples and compared with the reference evaluation of the same program; every output
// value must lie inside its declared range. Fixed seeds, printed on failure.
#include <catch2/catch.hpp>

#include "ir/random_program.hpp"

using namespace fixvar;

TEST_CASE("random programs: interpreter == reference, ranges sound", "[trace][random]") {
    for (std::uint64_t seed = 100; seed < 400; ++seed) {
        INFO("seed " << seed);
        randprog::Program p = randprog::make(seed, 3, 20);
        std::vector<FixedVariable> in(p.values.begin(), p.values.begin() + long(p.inputs.size()));
        std::vector<FixedVariable> out;
        for (int o : p.outputs) out.push_back(p.values[std::size_t(o)]);
        CombLogic logic = comb_trace(in, out);
        std::mt19937_64 rng(seed);
        const std::size_t batch = 300;
        std::vector<i128> mant;
        for (std::size_t s = 0; s < batch; ++s)
            for (const kif& q : p.inputs) {
                ref::Fmt f{q.k, q.i, q.f};
                mant.push_back(f.lo() + i128(rng() % std::uint64_t(f.hi() - f.lo() + 1)));
            }
        std::vector<i128> got = logic.predict_mantissas(mant, batch, 0, ir::RangeCheck::every_node);
        std::size_t bad = 0, outside = 0;
        std::string first;
        for (std::size_t s = 0; s < batch; ++s) {
            std::vector<ref::Val> args;
            for (std::size_t k = 0; k < p.inputs.size(); ++k)
                args.push_back(ref::Val{mant[s * p.inputs.size() + k], -p.inputs[k].f});
            std::vector<ref::Val> want = p.evaluate(args);
            for (std::size_t j = 0; j < want.size(); ++j) {
                const ExactRange& r = logic.output_range(j);
                ref::Val g{got[s * want.size() + j], r.exp};
                if (!(g == want[j]) && bad++ == 0)
                    first = fmt::format("sample {} output {}: got {}, want {}", s, j, g.str(), want[j].str());
                bool inside = want[j].on_grid(r.exp) && r.lo <= want[j].at(r.exp) && want[j].at(r.exp) <= r.hi;
                outside += !inside;
            }
        }
        INFO(logic.dump());
        INFO(first);
        CHECK(bad == 0);
        CHECK(outside == 0);
    }
}
