#pragma once
// Models exported in the HGQ convention (high-granularity quantization: every weight with its
// own fractional bits, every activation with its own format), as tools/train_digits.py writes
// them: one directory of .npy files per model,
//
//   input_k.npy input_i.npy input_f.npy   the input quantizer: per-element k, i, f (integers,
//                                         one shape), i.e. kif(k, i, f) per input element
//   w0.npy  w0_f.npy                      hidden layer 0: the weights, each a multiple of its step
//                                         2^-f, and those fractional bits f (integers, the
//                                         weights' shape or one that broadcasts to it, numpy's
//                                         rule); dense: (inputs, outputs), conv: (kh, kw,
//                                         channels, filters) — the last dimension is the outputs
//   b0.npy  b0_f.npy                      its bias, one per output, and their fractional bits
//   a0_k.npy a0_i.npy a0_f.npy            its activation quantizer (the model applies ReLU, then
//                                         quantizes TRN, SAT): per-element formats whose last
//                                         dimension is the layer's outputs
//   w1.npy ... a1_f.npy                   hidden layer 1, and so on while w<j>.npy exists
//   w_out.npy w_out_f.npy b_out.npy b_out_f.npy   the output layer (logits: no activation)
//
// (Other files, such as the training script's metrics.json, are not read.)
//
// The loader reads the arrays and checks the convention (not the network's wiring, which the
// tracer checks): every file present, integer bit counts, valid formats, weights on their grids,
// bias and activation sized to the layer's outputs. A missing or malformed file is a
// fixvar::Error that names the file and what is wrong. The tracer turns the result into
// constants and formats: constant(layer.weights), format_array(*layer.activation)
// (trace/weights.hpp).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fixvar/core/kif.hpp>
#include <fixvar/io/npy.hpp>

namespace fixvar::hgq {

/// Values quantized to per-element grids: values[j] is a multiple of 2^-f for its f in
/// frac_bits (broadcast to the values' shape).
struct QuantizedArray {
    NpyArray values;     ///< NAME.npy
    NpyArray frac_bits;  ///< NAME_f.npy
};

/// Per-element quantizer formats (NAME_k.npy, NAME_i.npy, NAME_f.npy), row-major.
struct Formats {
    std::vector<std::size_t> shape;
    std::vector<kif> formats;
};

/// One layer: its weights, bias and (hidden layers only) activation quantizer.
struct Layer {
    QuantizedArray weights;             ///< w<j> or w_out; last dimension = outputs
    QuantizedArray bias;                ///< b<j> or b_out; shape (outputs,)
    std::optional<Formats> activation;  ///< a<j>; none for the output layer
};

/// A whole model directory.
struct Model {
    Formats input;              ///< input_{k,i,f}
    std::vector<Layer> hidden;  ///< layers 0, 1, ... (each with its activation)
    Layer out;                  ///< the output layer (no activation)
};

/// Reads the model in `dir` (see the header comment for the files and checks).
Model load_model(const std::filesystem::path& dir);

/// dir/NAME.npy with its fractional bits dir/NAME_f.npy, checked to lie on its grids.
QuantizedArray load_quantized(const std::filesystem::path& dir, const std::string& name);
/// Formats from dir/NAME_k.npy, NAME_i.npy, NAME_f.npy, each checked to be valid.
Formats load_formats(const std::filesystem::path& dir, const std::string& name);

}  // namespace fixvar::hgq
