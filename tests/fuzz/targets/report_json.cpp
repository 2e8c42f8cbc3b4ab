// report.json (write_report): parse, write, parse again to the same report.
#include <fixvar/backend/report.hpp>
#include <fixvar/core/error.hpp>

#include "fuzz/targets.hpp"

namespace fixvar::fuzz {

bool same_synth(const SynthReport& a, const SynthReport& b);  // synth_json.cpp

int fuzz_report_json(Input in) {
    ModelReport r;
    try {
        r = backend::parse_report_json(text_of(in));
    } catch (const Error&) {
        return 0;
    }
    std::string text = backend::report_json(r);
    ModelReport b = backend::parse_report_json(text);
    bool widest_same = b.widest.size() == r.widest.size();
    for (std::size_t j = 0; widest_same && j < r.widest.size(); ++j)
        widest_same = b.widest[j].id == r.widest[j].id && b.widest[j].width == r.widest[j].width &&
                      b.widest[j].op == r.widest[j].op && b.widest[j].range == r.widest[j].range;
    bool same = b.name == r.name && b.inputs == r.inputs && b.outputs == r.outputs && b.nodes == r.nodes &&
                b.ops == r.ops && b.width_histogram == r.width_histogram && b.cost_estimate == r.cost_estimate &&
                b.depth == r.depth && b.adder_depth == r.adder_depth && b.latency_levels == r.latency_levels &&
                b.latency_cycles == r.latency_cycles && widest_same && b.synth.has_value() == r.synth.has_value() &&
                (!r.synth || same_synth(*b.synth, *r.synth));
    if (!same) violated("parse(write(r)) != r; written:\n{}", text);
    return 1;
}

}  // namespace fixvar::fuzz
