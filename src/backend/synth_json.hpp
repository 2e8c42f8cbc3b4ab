#pragma once
// A SynthReport as JSON: the one shape synth.json and report.json's "synth" object share.
#include <fixvar/backend/synth.hpp>

#include <nlohmann/json.hpp>

namespace fixvar::backend {

/// The numbers (top, family, LUTs, carry, FFs, levels, time, Yosys version); with `details`
/// also the cells by type, the script and the log path (synth.json; report.json leaves them out).
nlohmann::json synth_to_json(const SynthReport& r, bool details);
/// Inverse of synth_to_json (details default to empty when absent). Throws json::exception.
SynthReport synth_from_json(const nlohmann::json& j);

}  // namespace fixvar::backend
