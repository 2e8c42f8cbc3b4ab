// An emitted module read back (read_emitted_module: the .json sidecar and the .v text). The
// input is the sidecar, a NUL byte, then the Verilog text. Parsed ports are packed as the
// emitter packs them, and the sidecar written back parses to the same module.
#include <algorithm>

#include <fixvar/backend/verilog_module.hpp>
#include <fixvar/backend/equiv.hpp>
#include <fixvar/core/error.hpp>

#include "fuzz/targets.hpp"

namespace fixvar::fuzz {
namespace {

bool same_elements(const std::vector<backend::PortElement>& a, const std::vector<backend::PortElement>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](auto& x, auto& y) {
        return x.format == y.format && x.offset == y.offset && x.width == y.width;
    });
}

}  // namespace

int fuzz_emitted_module(Input in) {
    std::string_view all = text_of(in);
    std::size_t nul = std::min(all.find('\0'), all.size());
    std::string_view sidecar = all.substr(0, nul), verilog = all.substr(std::min(nul + 1, all.size()));
    backend::VerilogModule m;
    try {
        m = backend::parse_emitted_module(verilog, sidecar);
    } catch (const Error&) {
        return 0;
    }
    long long in_bits = 0, out_bits = 0;
    for (auto& e : m.ports.inputs) in_bits += e.width;
    for (auto& e : m.ports.outputs) out_bits += e.width;
    if (in_bits != m.ports.in_bits || out_bits != m.ports.out_bits) violated("bus widths are not the element sums");
    std::string text = backend::sidecar_json(m);
    backend::VerilogModule b = backend::parse_emitted_module(verilog, text);
    if (b.name != m.name || !same_elements(b.ports.inputs, m.ports.inputs) ||
        !same_elements(b.ports.outputs, m.ports.outputs) || b.latency != m.latency || b.clocked != m.clocked ||
        b.latency_cutoff != m.latency_cutoff)
        violated("parse(sidecar_json(m)) != m; written:\n{}", text);
    return 1;
}

}  // namespace fixvar::fuzz
