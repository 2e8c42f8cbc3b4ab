#include <fixvar/io/hgq.hpp>

#include <cmath>

#include <fmt/ranges.h>

#include <fixvar/core/dyadic.hpp>
#include <fixvar/core/error.hpp>

namespace fixvar::hgq {
namespace fs = std::filesystem;

namespace {

constexpr const char* convention = "see fixvar/io/hgq.hpp for the file naming convention";

std::string shape_text(const std::vector<std::size_t>& shape) {
    return fmt::format("({}{})", fmt::join(shape, ", "), shape.size() == 1 ? "," : "");
}

// dir/NAME.npy, an Error naming the file (and what it holds) if it does not exist.
NpyArray load(const fs::path& dir, const std::string& name, std::string_view holds) {
    fs::path p = dir / (name + ".npy");
    if (!fs::exists(p)) fail("hgq", "'{}' is missing ({}); {}", p.string(), holds, convention);
    return load_npy(p);
}

// The values of a bit-count array as ints: each an integer within +-max_exponent.
std::vector<int> bit_counts(const NpyArray& a, const fs::path& file) {
    std::vector<int> out;
    out.reserve(a.values.size());
    for (std::size_t j = 0; j < a.values.size(); ++j) {
        double v = a.values[j];
        if (!(v == std::trunc(v) && std::abs(v) <= max_exponent))
            fail("hgq", "'{}': element {} is {}; bit counts must be integers within +-{}", file.string(), j, v,
                 max_exponent);
        out.push_back(int(v));
    }
    return out;
}

// For each element of `to`, the flat index of the element of `from` numpy broadcasting maps to
// it; nothing if `from` does not broadcast to `to`.
std::optional<std::vector<std::size_t>> broadcast_index(const std::vector<std::size_t>& from,
                                                        const std::vector<std::size_t>& to) {
    if (from.size() > to.size()) return std::nullopt;
    std::size_t lead = to.size() - from.size();
    for (std::size_t d = 0; d < from.size(); ++d)
        if (from[d] != 1 && from[d] != to[lead + d]) return std::nullopt;
    std::size_t n = 1;
    for (std::size_t d : to) n *= d;
    std::vector<std::size_t> index(n);
    for (std::size_t j = 0; j < n; ++j) {
        std::size_t rest = j, at = 0, stride = 1;
        for (std::size_t d = to.size(); d-- > lead;) {
            std::size_t coord = rest % to[d];
            rest /= to[d];
            std::size_t dim = from[d - lead];
            at += (dim == 1 ? 0 : coord) * stride;
            stride *= dim;
        }
        index[j] = at;
    }
    return index;
}

// The layer's outputs (the weights' last dimension); bias and activation must match them.
void check_layer(const Layer& l, const fs::path& dir, const std::string& w, const std::string& b,
                 const std::string& a) {
    const std::vector<std::size_t>& ws = l.weights.values.shape;
    if (ws.size() < 2)
        fail("hgq",
             "'{}': weights of shape {}; a layer's weights have at least 2 dimensions "
             "(dense: inputs x outputs, conv: kh x kw x channels x filters)",
             (dir / (w + ".npy")).string(), shape_text(ws));
    std::size_t outputs = ws.back();
    if (l.bias.values.shape != std::vector<std::size_t>{outputs})
        fail("hgq",
             "'{}': bias of shape {}; the weights ({}.npy, shape {}) have {} outputs, so the "
             "bias must have shape ({},)",
             (dir / (b + ".npy")).string(), shape_text(l.bias.values.shape), w, shape_text(ws), outputs, outputs);
    if (l.activation && (l.activation->shape.empty() || l.activation->shape.back() != outputs))
        fail("hgq",
             "'{}': activation formats of shape {}; their last dimension must be the "
             "layer's {} outputs (the last dimension of {}.npy, shape {})",
             (dir / (a + "_f.npy")).string(), shape_text(l.activation->shape), outputs, w, shape_text(ws));
}

}  // namespace

QuantizedArray load_quantized(const fs::path& dir, const std::string& name) {
    QuantizedArray q{load(dir, name, "values on per-element grids"),
                     load(dir, name + "_f", "the fractional bits of " + name + ".npy")};
    fs::path values_file = dir / (name + ".npy"), f_file = dir / (name + "_f.npy");
    std::vector<int> f = bit_counts(q.frac_bits, f_file);
    std::optional<std::vector<std::size_t>> at = broadcast_index(q.frac_bits.shape, q.values.shape);
    if (!at)
        fail("hgq", "'{}': fractional bits of shape {} do not broadcast to the shape {} of {}", f_file.string(),
             shape_text(q.frac_bits.shape), shape_text(q.values.shape), values_file.filename().string());
    for (std::size_t j = 0; j < q.values.values.size(); ++j) {
        double v = q.values.values[j];
        if (!std::isfinite(v))
            fail("hgq", "'{}': element {} is {}; weights must be finite", values_file.string(), j, v);
        Dyadic d = Dyadic::from_double(v);
        int fj = f[(*at)[j]];
        if (!d.is_zero() && d.exp < -fj)
            fail("hgq",
                 "'{}': element {} = {} is not a multiple of its step 2^-{} ({} says f = {}); "
                 "export the quantized values",
                 values_file.string(), j, d.to_string(), fj, f_file.filename().string(), fj);
    }
    return q;
}

Formats load_formats(const fs::path& dir, const std::string& name) {
    std::string what = "the " + name + " quantizer's ";
    NpyArray k = load(dir, name + "_k", what + "k (sign) bits"), i = load(dir, name + "_i", what + "integer bits"),
             f = load(dir, name + "_f", what + "fractional bits");
    if (k.shape != i.shape || i.shape != f.shape)
        fail("hgq", "'{}': {}_k, {}_i and {}_f must have one shape; they have {}, {} and {}",
             (dir / (name + "_{k,i,f}.npy")).string(), name, name, name, shape_text(k.shape), shape_text(i.shape),
             shape_text(f.shape));
    std::vector<int> kv = bit_counts(k, dir / (name + "_k.npy")), iv = bit_counts(i, dir / (name + "_i.npy")),
                     fv = bit_counts(f, dir / (name + "_f.npy"));
    Formats out{f.shape, {}};
    for (std::size_t j = 0; j < fv.size(); ++j) {
        kif q{kv[j], iv[j], fv[j]};
        std::string where = fmt::format("hgq: '{}' element {}", (dir / (name + "_{k,i,f}.npy")).string(), j);
        check_format(q, where.c_str());
        out.formats.push_back(q);
    }
    return out;
}

Model load_model(const fs::path& dir) {
    if (!fs::is_directory(dir))
        fail("hgq", "'{}' is not a directory; a model is a directory of .npy files ({})", dir.string(), convention);
    if (!fs::exists(dir / "w_out.npy"))
        fail("hgq", "'{}' is missing (the output layer's weights); {}", (dir / "w_out.npy").string(), convention);
    Model m{load_formats(dir, "input"), {}, {}};
    for (int j = 0; fs::exists(dir / fmt::format("w{}.npy", j)); ++j) {
        std::string n = std::to_string(j);
        Layer l{load_quantized(dir, "w" + n), load_quantized(dir, "b" + n), load_formats(dir, "a" + n)};
        check_layer(l, dir, "w" + n, "b" + n, "a" + n);
        m.hidden.push_back(std::move(l));
    }
    m.out = Layer{load_quantized(dir, "w_out"), load_quantized(dir, "b_out"), std::nullopt};
    check_layer(m.out, dir, "w_out", "b_out", "");
    return m;
}

}  // namespace fixvar::hgq
