// The HGQ model loader: a model directory written with save_npy loads with its layers, grids and
// formats; the trained samples' exports load; every missing or malformed file is a
// fixvar::Error naming the file and what is wrong (checked by its text).
#include <catch2/catch.hpp>

#include <fixvar/core/error.hpp>
#include <fixvar/io/hgq.hpp>

#include <cmath>
#include <fstream>
#include <unistd.h>

using namespace fixvar;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

// A fresh scratch directory per model, removed with the object.
struct ModelDir {
    fs::path dir;
    explicit ModelDir(const std::string& name)
        : dir(fs::temp_directory_path() / fmt::format("fixvar_hgq_{}_{}", ::getpid(), name)) {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~ModelDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    void save(const std::string& name, std::vector<std::size_t> shape, std::vector<double> values,
              const char* dtype = "<f8") const {
        save_npy(dir / (name + ".npy"), NpyArray{std::move(shape), std::move(values), dtype});
    }
    std::string file(const std::string& name) const { return (dir / (name + ".npy")).string(); }
};

// 3 inputs -> dense 2 -> ReLU + quantize -> dense 2 (logits), in the convention of io/hgq.hpp.
void write_small_model(const ModelDir& m) {
    m.save("input_k", {3}, {0, 0, 0}, "|i1");
    m.save("input_i", {3}, {1, 1, 2}, "|i1");
    m.save("input_f", {3}, {3, 4, 2}, "|i1");
    m.save("w0", {3, 2}, {0.5, -0.25, 0, 1.75, -2, 0.125});
    m.save("w0_f", {3, 2}, {1, 2, 0, 2, 0, 3}, "|i1");
    m.save("b0", {2}, {0.5, -1});
    m.save("b0_f", {2}, {1, 0}, "|i1");
    m.save("a0_k", {2}, {0, 0}, "|i1");
    m.save("a0_i", {2}, {3, 2}, "|i1");
    m.save("a0_f", {2}, {2, 3}, "|i1");
    m.save("w_out", {2, 2}, {1, -0.5, 0.25, 0});
    m.save("w_out_f", {2}, {2, 1}, "|i1");  // per output column, broadcast over the rows
    m.save("b_out", {2}, {0, 0.5});
    m.save("b_out_f", {2}, {0, 1}, "|i1");
}

}  // namespace

TEST_CASE("an HGQ model directory loads with its layers, grids and formats", "[io][hgq]") {
    ModelDir m("small");
    write_small_model(m);
    hgq::Model model = hgq::load_model(m.dir);
    CHECK(model.input.shape == std::vector<std::size_t>{3});
    CHECK(model.input.formats == std::vector<kif>{{0, 1, 3}, {0, 1, 4}, {0, 2, 2}});
    REQUIRE(model.hidden.size() == 1);
    const hgq::Layer& l0 = model.hidden[0];
    CHECK(l0.weights.values.shape == std::vector<std::size_t>{3, 2});
    CHECK(l0.weights.values.values == std::vector<double>{0.5, -0.25, 0, 1.75, -2, 0.125});
    CHECK(l0.weights.frac_bits.values == std::vector<double>{1, 2, 0, 2, 0, 3});
    CHECK(l0.bias.values.values == std::vector<double>{0.5, -1});
    REQUIRE(l0.activation);
    CHECK(l0.activation->formats == std::vector<kif>{{0, 3, 2}, {0, 2, 3}});
    CHECK(!model.out.activation);
    CHECK(model.out.weights.frac_bits.shape == std::vector<std::size_t>{2});

    hgq::QuantizedArray w = hgq::load_quantized(m.dir, "w0");
    CHECK(w.values.values == l0.weights.values.values);
    CHECK(hgq::load_formats(m.dir, "a0").formats == l0.activation->formats);
}

TEST_CASE("a model without hidden layers is its output layer", "[io][hgq]") {
    ModelDir m("linear");
    write_small_model(m);
    for (const char* f : {"w0", "w0_f", "b0", "b0_f", "a0_k", "a0_i", "a0_f"})
        fs::remove(m.dir / (std::string(f) + ".npy"));
    m.save("w_out", {3, 2}, {0.5, -0.25, 0, 1.75, -2, 0.125});
    m.save("w_out_f", {3, 2}, {1, 2, 0, 2, 0, 3}, "|i1");
    hgq::Model model = hgq::load_model(m.dir);
    CHECK(model.hidden.empty());
    CHECK(model.out.weights.values.shape == std::vector<std::size_t>{3, 2});
}

TEST_CASE("the trained samples' exports load", "[io][hgq]") {
    fs::path data = fs::path(FIXVAR_SOURCE_DIR) / "samples";
    hgq::Model mlp = hgq::load_model(data / "digits_mlp" / "data" / "beta_1e-5");
    CHECK(mlp.input.formats.size() == 64);
    REQUIRE(mlp.hidden.size() == 1);
    CHECK(mlp.hidden[0].weights.values.shape == std::vector<std::size_t>{64, 16});
    CHECK(mlp.out.weights.values.shape == std::vector<std::size_t>{16, 10});

    hgq::Model cnn = hgq::load_model(data / "digits_cnn" / "data");
    REQUIRE(cnn.hidden.size() == 1);
    CHECK(cnn.hidden[0].weights.values.shape.size() == 4);  // conv: kh x kw x channels x filters
    CHECK(cnn.hidden[0].activation->shape.back() == cnn.hidden[0].weights.values.shape.back());
}

TEST_CASE("missing files are Errors naming the file", "[io][hgq]") {
    ModelDir m("missing");
    write_small_model(m);
    REQUIRE_THROWS_WITH(hgq::load_model(m.dir / "nowhere"),
                        Contains("nowhere' is not a directory") && Contains("io/hgq.hpp"));

    auto without = [&](const std::string& name) {
        fs::path p = m.dir / (name + ".npy"), saved = m.dir / "saved.bin";
        fs::rename(p, saved);
        std::string message;
        try {
            hgq::load_model(m.dir);
        } catch (const Error& e) {
            message = e.what();
        }
        fs::rename(saved, p);
        return message;
    };
    CHECK_THAT(without("w0_f"), Contains("hgq: '" + m.file("w0_f") + "' is missing (the fractional bits of w0.npy)") &&
                                    Contains("naming convention"));
    CHECK_THAT(without("b0"), Contains("'" + m.file("b0") + "' is missing"));
    CHECK_THAT(without("a0_i"), Contains("'" + m.file("a0_i") + "' is missing (the a0 quantizer's integer bits)"));
    CHECK_THAT(without("input_k"), Contains("'" + m.file("input_k") + "' is missing (the input quantizer's k"));
    CHECK_THAT(without("w_out"), Contains("'" + m.file("w_out") + "' is missing (the output layer's weights)"));
    CHECK_THAT(without("b_out_f"), Contains("'" + m.file("b_out_f") + "' is missing"));
}

TEST_CASE("malformed files are Errors naming the file and what is wrong", "[io][hgq]") {
    ModelDir m("malformed");
    auto error_after = [&](auto&& damage) {
        write_small_model(m);
        damage();
        std::string message;
        try {
            hgq::load_model(m.dir);
        } catch (const Error& e) {
            message = e.what();
        }
        return message;
    };
    // Not an .npy file at all: the npy reader's own error, naming the file.
    CHECK_THAT(error_after([&] { std::ofstream(m.dir / "w0.npy") << "not numpy"; }),
               Contains("load_npy: '" + m.file("w0") + "'"));
    CHECK_THAT(error_after([&] {
                   m.save("w0", {3, 2}, {0.5, -0.3, 0, 1.75, -2, 0.125});
               }),
               Contains("hgq: '" + m.file("w0") + "': element 1 = -0.2999") &&
                   Contains("is not a multiple of its step 2^-2 (w0_f.npy says f = 2)"));
    CHECK_THAT(error_after([&] {
                   m.save("w_out", {2, 2}, {1, -0.5, 0.25, 0.25});
               }),  // column 1: f = 1
               Contains("'" + m.file("w_out") + "': element 3 = 0.25 is not a multiple of its step 2^-1"));
    CHECK_THAT(error_after([&] {
                   m.save("w0", {3, 2}, {0.5, NAN, 0, 1.75, -2, 0.125});
               }),
               Contains("'" + m.file("w0") + "': element 1 is nan; weights must be finite"));
    CHECK_THAT(error_after([&] {
                   m.save("w0_f", {3, 2}, {1, 2, 0.5, 2, 0, 3});
               }),
               Contains("'" + m.file("w0_f") + "': element 2 is 0.5; bit counts must be integers"));
    CHECK_THAT(error_after([&] {
                   m.save("w0_f", {3}, {1, 2, 3}, "|i1");
               }),
               Contains("'" + m.file("w0_f") +
                        "': fractional bits of shape (3,) do not broadcast to the shape (3, 2) of w0.npy"));
    CHECK_THAT(error_after([&] {
                   m.save("a0_f", {3}, {1, 2, 3}, "|i1");
               }),
               Contains("a0_{k,i,f}.npy': a0_k, a0_i and a0_f must have one shape; they have (2,), "
                        "(2,) and (3,)"));
    CHECK_THAT(error_after([&] {
                   m.save("a0_k", {2}, {0, 2}, "|i1");
               }),
               Contains("hgq: '" + (m.dir / "a0_{k,i,f}.npy").string() + "' element 1: format") &&
                   Contains("k (keep_negative) must be 0 or 1"));
    CHECK_THAT(error_after([&] {
                   m.save("input_f", {3}, {3, -1, 2}, "|i1");
               }),
               Contains("input_{k,i,f}.npy' element 1: format") && Contains("needs at least 1 bit"));
    CHECK_THAT(error_after([&] {
                   m.save("b0", {3}, {0.5, -1, 0});
                   m.save("b0_f", {3}, {1, 0, 0});
               }),
               Contains("'" + m.file("b0") +
                        "': bias of shape (3,); the weights (w0.npy, shape (3, 2)) "
                        "have 2 outputs, so the bias must have shape (2,)"));
    CHECK_THAT(error_after([&] {
                   m.save("a0_k", {3}, {0, 0, 0});
                   m.save("a0_i", {3}, {1, 1, 1});
                   m.save("a0_f", {3}, {1, 1, 1});
               }),
               Contains("'" + m.file("a0_f") +
                        "': activation formats of shape (3,); their last "
                        "dimension must be the layer's 2 outputs"));
    CHECK_THAT(error_after([&] {
                   m.save("w_out", {4}, {1, 0, 0, 0});
                   m.save("w_out_f", {4}, {0, 0, 0, 0});
               }),
               Contains("'" + m.file("w_out") +
                        "': weights of shape (4,); a layer's weights have at "
                        "least 2 dimensions"));
}
