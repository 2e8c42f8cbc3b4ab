// synth.json (`fixvar synth`, read back by reports): parse, write, parse again to the same report.
#include <fixvar/backend/synth.hpp>
#include <fixvar/core/error.hpp>

#include "fuzz/targets.hpp"

namespace fixvar::fuzz {

bool same_synth(const SynthReport& a, const SynthReport& b) {
    return a.top == b.top && a.family == b.family && a.lut == b.lut && a.luts_by_size == b.luts_by_size &&
           a.carry == b.carry && a.ff == b.ff && a.muxf == b.muxf && a.dsp == b.dsp &&
           a.logic_levels == b.logic_levels && a.seconds == b.seconds && a.yosys_version == b.yosys_version;
}

int fuzz_synth_json(Input in) {
    SynthReport r;
    try {
        r = backend::parse_synth_json(text_of(in));
    } catch (const Error&) {
        return 0;
    }
    std::string text = backend::synth_json(r);
    SynthReport back = backend::parse_synth_json(text);
    if (!same_synth(r, back) || back.cells_by_type != r.cells_by_type || back.script != r.script ||
        back.log_path != r.log_path)
        violated("parse(write(r)) != r; written:\n{}", text);
    return 1;
}

}  // namespace fixvar::fuzz
