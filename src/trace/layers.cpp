#include <fixvar/core/error.hpp>
#include <fixvar/trace/einsum.hpp>
#include <fixvar/trace/elementwise.hpp>
#include <fixvar/trace/layers.hpp>
#include <fixvar/trace/reduce.hpp>

#include <range/v3/view/cartesian_product.hpp>
#include <range/v3/view/iota.hpp>

namespace fixvar {
namespace {

// Output length and zero padding before/after along one spatial axis.
struct AxisPlan {
    std::int64_t out = 0, before = 0, after = 0;
};

AxisPlan plan_axis(std::int64_t n, std::int64_t k, std::int64_t s, Padding p, const char* op, const Shape& x,
                   const Shape& kernel) {
    if (s <= 0) fail(op, "stride must be >= 1 (got {})", s);
    AxisPlan a;
    if (p == Padding::Same) {
        a.out = (n + s - 1) / s;
        std::int64_t total = std::max<std::int64_t>((a.out - 1) * s + k - n, 0);
        a.before = total / 2;
        a.after = total - a.before;
    } else {
        if (n < k)
            fail(op, "input {} is smaller than the window {} (valid padding needs input >= window)", to_string(x),
                 to_string(kernel));
        a.out = (n - k) / s + 1;
    }
    return a;
}

// x @ W + bias. A constant bias joins the product as a row of W read by a constant 1, so the
// linear path (trace/linear.cpp) adds it where the output's adders have slack rather than after
// their last one; a bias of variables is added after the product.
FixedVariableArray matmul_bias(const FixedVariableArray& x, const FixedVariableArray& W,
                               const std::optional<FixedVariableArray>& bias, const char* op) {
    if (!bias) return matmul(x, W);
    const std::int64_t m = W.shape()[1];
    if (bias->ndim() != 1 || bias->size() != m)
        fail(op, "bias has shape {} but the output has {} features (expected ({},))", to_string(bias->shape()), m, m);
    if (!bias->is_constant()) return matmul(x, W) + *bias;
    Shape one = x.shape();
    one.back() = 1;
    FixedVariableArray ones = constant(std::vector<double>(std::size_t(shape_size(one)), 1.0), one);
    return matmul(concatenate({x, ones}, -1), concatenate({W, reshape(*bias, {1, m})}, 0));
}

// Windows of a (L, C) / (H, W, C) array: gathers, for each output position, the window's
// elements in (kh, kw, c) order. pad_value fills positions outside the input.
FixedVariableArray patches2d(const FixedVariableArray& x, std::int64_t kh, std::int64_t kw, const AxisPlan& ph,
                             const AxisPlan& pw, std::int64_t sh, std::int64_t sw) {
    std::int64_t H = x.shape()[0], W = x.shape()[1], C = x.shape()[2];
    FixedVariable zero(0.0);
    std::vector<FixedVariable> v;
    v.reserve(std::size_t(ph.out * pw.out * kh * kw * C));
    auto upto = [](std::int64_t n) { return ranges::views::iota(std::int64_t{0}, n); };  // 0, 1, ..., n-1
    for (auto [oh, ow, a, b] : ranges::views::cartesian_product(upto(ph.out), upto(pw.out), upto(kh), upto(kw))) {
        std::int64_t ih = oh * sh + a - ph.before, iw = ow * sw + b - pw.before;
        bool inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
        for (std::int64_t c : upto(C)) v.push_back(inside ? x.flat((ih * W + iw) * C + c) : zero);
    }
    return FixedVariableArray(std::move(v), {ph.out, pw.out, kh * kw * C});
}

template <typename F>
FixedVariableArray pool2d(const FixedVariableArray& x, std::array<std::int64_t, 2> pool,
                          std::array<std::int64_t, 2> stride, const char* op, F&& reduce) {
    if (x.ndim() != 3) fail(op, "input has shape {} (expected (height, width, channels))", to_string(x.shape()));
    for (int d = 0; d < 2; ++d) {
        if (pool[std::size_t(d)] <= 0) fail(op, "pool size must be >= 1 (got {})", pool[std::size_t(d)]);
        if (stride[std::size_t(d)] == 0) stride[std::size_t(d)] = pool[std::size_t(d)];
    }
    Shape win{pool[0], pool[1]};
    AxisPlan ph = plan_axis(x.shape()[0], pool[0], stride[0], Padding::Valid, op, x.shape(), win);
    AxisPlan pw = plan_axis(x.shape()[1], pool[1], stride[1], Padding::Valid, op, x.shape(), win);
    std::int64_t C = x.shape()[2];
    FixedVariableArray p = patches2d(x, pool[0], pool[1], ph, pw, stride[0], stride[1]);
    // (oh, ow, k*C) -> (oh, ow, k, C), reduced over k.
    return reduce(reshape(p, {ph.out, pw.out, pool[0] * pool[1], C}));
}

// x is (spatial..., channels) and kernel (spatial..., in_channels, filters), channels matching.
void check_conv_shapes(const FixedVariableArray& x, const FixedVariableArray& kernel, std::size_t spatial,
                       const char* op, const char* x_axes, const char* kernel_axes) {
    if (x.ndim() != spatial + 1) fail(op, "input has shape {} (expected ({}))", to_string(x.shape()), x_axes);
    if (kernel.ndim() != spatial + 2)
        fail(op, "kernel has shape {} (expected ({}))", to_string(kernel.shape()), kernel_axes);
    const Shape& k = kernel.shape();
    if (k[spatial] != x.shape()[spatial])
        fail(op, "input {} has {} channels but the kernel {} expects {}", to_string(x.shape()), x.shape()[spatial],
             to_string(k), k[spatial]);
}

int log2_exact(std::int64_t n, const char* op) {
    int s = 0;
    while ((std::int64_t(1) << s) < n) ++s;
    if ((std::int64_t(1) << s) != n) fail(op, "window of {} elements: the divisor must be a power of two (a shift)", n);
    return s;
}

}  // namespace

FixedVariableArray dense(const FixedVariableArray& x, const FixedVariableArray& W,
                         const std::optional<FixedVariableArray>& bias) {
    if (W.ndim() != 2) fail("dense", "weights have shape {} (expected (inputs, outputs))", to_string(W.shape()));
    if (x.ndim() == 0 || x.shape().back() != W.shape()[0])
        fail("dense", "input of shape {} has {} features but the weights {} expect {}", to_string(x.shape()),
             x.ndim() ? x.shape().back() : 0, to_string(W.shape()), W.shape()[0]);
    return matmul_bias(x, W, bias, "dense");
}

FixedVariableArray conv2d(const FixedVariableArray& x, const FixedVariableArray& kernel,
                          const std::optional<FixedVariableArray>& bias, std::array<std::int64_t, 2> stride,
                          Padding padding) {
    check_conv_shapes(x, kernel, 2, "conv2d", "height, width, channels", "kh, kw, in_channels, filters");
    const Shape& k = kernel.shape();
    AxisPlan ph = plan_axis(x.shape()[0], k[0], stride[0], padding, "conv2d", x.shape(), k);
    AxisPlan pw = plan_axis(x.shape()[1], k[1], stride[1], padding, "conv2d", x.shape(), k);
    FixedVariableArray p = patches2d(x, k[0], k[1], ph, pw, stride[0], stride[1]);
    return matmul_bias(p, reshape(kernel, {k[0] * k[1] * k[2], k[3]}), bias, "conv2d");
}

FixedVariableArray conv1d(const FixedVariableArray& x, const FixedVariableArray& kernel,
                          const std::optional<FixedVariableArray>& bias, std::int64_t stride, Padding padding) {
    check_conv_shapes(x, kernel, 1, "conv1d", "length, channels", "k, in_channels, filters");
    FixedVariableArray y = conv2d(expand_dims(x, 0), expand_dims(kernel, 0), bias, {1, stride}, padding);
    return squeeze(y, 0);
}

FixedVariableArray max_pool2d(const FixedVariableArray& x, std::array<std::int64_t, 2> pool,
                              std::array<std::int64_t, 2> stride) {
    return pool2d(x, pool, stride, "max_pool2d", [](const FixedVariableArray& w) { return amax(w, 2); });
}

FixedVariableArray avg_pool2d(const FixedVariableArray& x, std::array<std::int64_t, 2> pool,
                              std::array<std::int64_t, 2> stride) {
    int s = log2_exact(pool[0] * pool[1], "avg_pool2d");
    return pool2d(x, pool, stride, "avg_pool2d",
                  [s](const FixedVariableArray& w) -> FixedVariableArray { return sum(w, 2) >> s; });
}

FixedVariableArray max_pool1d(const FixedVariableArray& x, std::int64_t pool, std::int64_t stride) {
    if (x.ndim() != 2) fail("max_pool1d", "input has shape {} (expected (length, channels))", to_string(x.shape()));
    return squeeze(max_pool2d(expand_dims(x, 0), {1, pool}, {1, stride}), 0);
}

FixedVariableArray avg_pool1d(const FixedVariableArray& x, std::int64_t pool, std::int64_t stride) {
    if (x.ndim() != 2) fail("avg_pool1d", "input has shape {} (expected (length, channels))", to_string(x.shape()));
    return squeeze(avg_pool2d(expand_dims(x, 0), {1, pool}, {1, stride}), 0);
}

}  // namespace fixvar
