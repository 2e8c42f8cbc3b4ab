// The .npy loader: files written byte for byte as numpy writes them, round trips through
// save_npy for every dtype, and many malformed files (each a fixvar::Error checked by its text).
#include <catch2/catch.hpp>

#include <fixvar/core/error.hpp>
#include <fixvar/io/npy.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <unistd.h>

using namespace fixvar;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

// A scratch directory per test process, removed at exit.
struct ScratchDir {
    fs::path dir = fs::temp_directory_path() / fmt::format("fixvar_npy_{}", ::getpid());
    ScratchDir() { fs::create_directories(dir); }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

fs::path scratch(const std::string& name) {
    static ScratchDir scratch_dir;
    return scratch_dir.dir / name;
}

fs::path write_bytes(const std::string& name, const std::string& bytes) {
    fs::path p = scratch(name);
    std::ofstream(p, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    return p;
}

// A file as numpy writes it: magic, version, little-endian header length, the header dict
// padded with spaces and ended by '\n' so that the data starts at a multiple of 64.
std::string npy_file(const std::string& dict, const std::string& data, int major = 1) {
    std::size_t len_bytes = major == 1 ? 2 : 4;
    std::string header = dict;
    std::size_t total = 8 + len_bytes + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::string out = "\x93NUMPY";
    out += char(major);
    out += '\0';
    for (std::size_t b = 0; b < len_bytes; ++b) out += char((header.size() >> (8 * b)) & 0xff);
    return out + header + data;
}

std::string dict(const std::string& descr, const std::string& shape, bool fortran = false) {
    return fmt::format("{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}", descr, fortran ? "True" : "False",
                       shape);
}

template <typename T>
std::string raw(std::initializer_list<T> values, bool big_endian = false) {
    std::string out;
    for (T v : values) {
        char b[sizeof(T)];
        std::memcpy(b, &v, sizeof(T));
        for (std::size_t j = 0; j < sizeof(T); ++j) out += b[big_endian ? sizeof(T) - 1 - j : j];
    }
    return out;
}

NpyArray load_bytes(const std::string& name, const std::string& bytes) { return load_npy(write_bytes(name, bytes)); }

}  // namespace

TEST_CASE("npy: files laid out as numpy writes them", "[io][npy]") {
    // np.save("a.npy", np.arange(6.0).reshape(2, 3) / 4)
    NpyArray a = load_bytes("f8.npy", npy_file(dict("<f8", "(2, 3)"), raw<double>({0, 0.25, 0.5, 0.75, 1, 1.25})));
    CHECK(a.shape == std::vector<std::size_t>{2, 3});
    CHECK(a.size() == 6);
    CHECK(a.dtype == "<f8");
    CHECK(a.values == std::vector<double>{0, 0.25, 0.5, 0.75, 1, 1.25});

    // float32 values are widened exactly (0.1f is not 0.1).
    NpyArray f = load_bytes("f4.npy", npy_file(dict("<f4", "(3,)"), raw<float>({0.1f, -2.5f, 1e30f})));
    CHECK(f.values == std::vector<double>{double(0.1f), -2.5, double(1e30f)});

    // float16: 1, -2, 65504 (max), 2^-24 (smallest subnormal).
    NpyArray h =
        load_bytes("f2.npy", npy_file(dict("<f2", "(4,)"), raw<std::uint16_t>({0x3c00, 0xc000, 0x7bff, 0x0001})));
    CHECK(h.values == std::vector<double>{1, -2, 65504, std::ldexp(1.0, -24)});

    // big-endian integers are converted
    NpyArray be = load_bytes("be.npy", npy_file(dict(">i2", "(2,)"), raw<std::int16_t>({-300, 7}, true)));
    CHECK(be.values == std::vector<double>{-300, 7});

    // 0-d, empty and 3-d arrays; bool; uint8 with '|'
    NpyArray scalar = load_bytes("0d.npy", npy_file(dict("<i8", "()"), raw<std::int64_t>({-42})));
    CHECK(scalar.shape.empty());
    CHECK(scalar.size() == 1);
    CHECK(scalar.values == std::vector<double>{-42});
    NpyArray empty = load_bytes("empty.npy", npy_file(dict("<f8", "(0, 5)"), ""));
    CHECK(empty.shape == std::vector<std::size_t>{0, 5});
    CHECK(empty.values.empty());
    NpyArray cube = load_bytes("3d.npy", npy_file(dict("|u1", "(2, 1, 2)"), raw<std::uint8_t>({0, 255, 3, 128})));
    CHECK(cube.shape == std::vector<std::size_t>{2, 1, 2});
    CHECK(cube.values == std::vector<double>{0, 255, 3, 128});
    NpyArray flags = load_bytes("b1.npy", npy_file(dict("|b1", "(3,)"), raw<std::uint8_t>({1, 0, 1})));
    CHECK(flags.values == std::vector<double>{1, 0, 1});

    // format versions 2.0 and 3.0 (4-byte header length); Python 2's (3L,) and double quotes
    NpyArray v2 = load_bytes("v2.npy", npy_file(dict("<i4", "(2,)"), raw<std::int32_t>({5, -6}), 2));
    CHECK(v2.values == std::vector<double>{5, -6});
    NpyArray v3 = load_bytes("v3.npy", npy_file(dict("<u2", "(1,)"), raw<std::uint16_t>({65535}), 3));
    CHECK(v3.values == std::vector<double>{65535});
    NpyArray py2 = load_bytes("py2.npy", npy_file("{\"descr\": \"<i1\", \"fortran_order\": False, "
                                                  "\"shape\": (3L,)}",
                                                  raw<std::int8_t>({-128, 0, 127})));
    CHECK(py2.values == std::vector<double>{-128, 0, 127});

    // the largest exactly representable integers
    NpyArray big = load_bytes("i8max.npy", npy_file(dict("<i8", "(2,)"), raw<std::int64_t>({1LL << 53, -(1LL << 53)})));
    CHECK(big.values == std::vector<double>{std::ldexp(1.0, 53), -std::ldexp(1.0, 53)});
}

TEST_CASE("npy: save_npy round trips every dtype and matches numpy's layout", "[io][npy]") {
    struct Case {
        std::string dtype;
        std::vector<double> values;
    };
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<Case> cases = {
        {"<f8", {0.1, -1e300, 5e-324, inf, -0.0}},
        {">f8", {0.1, 3}},
        {"<f4", {0.5, double(0.1f), -65536}},
        {">f4", {1.5, -2}},
        {"|i1", {-128, 127, 0}},
        {"<i2", {-32768, 32767}},
        {">i4", {-2147483648.0, 2147483647.0}},
        {"<i8", {-std::ldexp(1.0, 53), std::ldexp(1.0, 53)}},
        {"|u1", {0, 255}},
        {"<u2", {65535, 1}},
        {"<u4", {4294967295.0}},
        {"<u8", {std::ldexp(1.0, 53)}},
        {"|b1", {1, 0, 0, 1}},
    };
    for (const Case& c : cases) {
        INFO("dtype " << c.dtype);
        NpyArray a{{c.values.size()}, c.values, c.dtype};
        fs::path p = scratch("rt_" + std::to_string(&c - cases.data()) + ".npy");
        save_npy(p, a);
        std::size_t item = std::size_t(c.dtype.back() - '0');
        CHECK((fs::file_size(p) - item * c.values.size()) % 64 == 0);  // aligned as numpy does
        NpyArray b = load_npy(p);
        CHECK(b.dtype == c.dtype);
        CHECK(b.shape == a.shape);
        REQUIRE(b.values.size() == c.values.size());
        for (std::size_t j = 0; j < c.values.size(); ++j) {
            CHECK(b.values[j] == c.values[j]);
            CHECK(std::signbit(b.values[j]) == std::signbit(c.values[j]));
        }
    }
    // numpy's exact bytes for np.save(p, np.array([[1.0, 2.0]])): 128-byte header block, the data
    NpyArray row{{1, 2}, {1.0, 2.0}, ""};
    fs::path p = scratch("layout.npy");
    save_npy(p, row);
    std::ifstream in(p, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes == npy_file(dict("<f8", "(1, 2)"), raw<double>({1.0, 2.0})));
    CHECK(bytes.size() == 128 + 16);
    // a 0-d array and NaN survive too
    save_npy(p, NpyArray{{}, {std::nan("")}, "<f4"});
    NpyArray nan = load_npy(p);
    CHECK(nan.shape.empty());
    CHECK(std::isnan(nan.values.at(0)));
}

TEST_CASE("npy: save_npy rejects what it cannot write exactly", "[io][npy]") {
    fs::path p = scratch("bad_save.npy");
    REQUIRE_THROWS_WITH(save_npy(p, NpyArray{{3}, {1, 2}, "<f8"}),
                        Contains("save_npy") && Contains("shape (3,) holds 3 values but 2 are given"));
    REQUIRE_THROWS_WITH(save_npy(p, NpyArray{{1}, {0.5}, "<i4"}),
                        Contains("element 0 = 0.5 is not exactly representable as '<i4'"));
    REQUIRE_THROWS_WITH(save_npy(p, NpyArray{{1}, {256}, "|u1"}),
                        Contains("element 0 = 256 is not exactly representable as '|u1'"));
    REQUIRE_THROWS_WITH(save_npy(p, NpyArray{{1}, {-1}, "<u8"}), Contains("'<u8'"));
    REQUIRE_THROWS_WITH(save_npy(p, NpyArray{{1}, {2}, "|b1"}), Contains("'|b1'"));
    REQUIRE_THROWS_WITH(save_npy(p, NpyArray{{1}, {0.1}, "<f4"}),
                        Contains("element 0 = 0.1 is not exactly representable as '<f4'"));
    REQUIRE_THROWS_WITH(save_npy(p, NpyArray{{1}, {1}, "<c16"}),
                        Contains("unsupported dtype '<c16'") && Contains("complex"));
    REQUIRE_THROWS_WITH(save_npy(p, NpyArray{{1}, {1}, "<f2"}), Contains("float16"));
    REQUIRE_THROWS_WITH(save_npy(scratch("no/such/dir.npy"), NpyArray{{1}, {1}, ""}),
                        Contains("cannot create the file"));
}

namespace {

struct MalformedNpy {
    std::string name, bytes;
    std::vector<std::string> expected;  // substrings of the message
};

// Each file's bytes and what the error must say about it.
std::vector<MalformedNpy> malformed_npy_cases() {
    const std::string f8_2 = raw<double>({1, 2});
    std::string huge = "(18446744073709551615, 2)";
    return {
        {"empty", "", {"truncated: 0 bytes", "re-save"}},
        {"short", "\x93NUM", {"truncated: 4 bytes"}},
        {"magic", "PK\x03\x04 not numpy at all", {"not a .npy file", "np.save"}},
        {"text", "1.0 2.0 3.0\n", {"not a .npy file"}},
        {"version",
         std::string("\x93NUMPY\x04\x00\x10\x00", 10) + std::string(16, ' '),
         {"npy format version 4.0 is not supported"}},
        {"minor", std::string("\x93NUMPY\x01\x01\x10\x00", 10) + std::string(16, ' '), {"version 1.1"}},
        {"header_len",
         std::string("\x93NUMPY\x01\x00\xff\x00", 10) + "{'descr'",
         {"truncated: the header announces 255 bytes but only 8 follow"}},
        {"v2_len", std::string("\x93NUMPY\x02\x00\x01\x00\x00", 11), {"truncated inside the header length"}},
        {"not_dict", npy_file("['<f8', False, (2,)]", f8_2), {"bad header", "expected '{'"}},
        {"missing_key", npy_file("{'descr': '<f8', 'shape': (2,), }", f8_2), {"the key 'fortran_order' is missing"}},
        {"extra_key",
         npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", f8_2),
         {"unexpected key 'x'"}},
        {"twice",
         npy_file("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", f8_2),
         {"key 'descr' appears twice"}},
        {"unquoted", npy_file("{descr: '<f8'}", f8_2), {"expected a key as a quoted string"}},
        {"bad_bool",
         npy_file("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}", f8_2),
         {"'fortran_order' must be True or False"}},
        {"trailing_text", npy_file(dict("<f8", "(2,)") + " junk", f8_2), {"unexpected text after the closing '}'"}},
        {"no_comma", npy_file(dict("<f8", "(2)"), f8_2), {"a 1-d shape is written '(n,)'"}},
        {"negative", npy_file(dict("<f8", "(-2,)"), f8_2), {"expected a non-negative integer dimension"}},
        {"float_dim", npy_file(dict("<f8", "(2.0,)"), f8_2), {"expected ',' or ')' in the shape"}},
        {"dim_overflow",
         npy_file(dict("<f8", "(99999999999999999999999,)"), f8_2),
         {"a dimension of the shape overflows 64 bits"}},
        {"size_overflow",
         npy_file(dict("<f8", huge), f8_2),
         {"shape (18446744073709551615, 2) of '<f8' has more bytes than 2^64"}},
        {"fortran",
         npy_file(dict("<f8", "(2, 1)", true), f8_2),
         {"Fortran (column-major) order", "np.ascontiguousarray"}},
        {"complex",
         npy_file(dict("<c16", "(1,)"), std::string(16, '\0')),
         {"unsupported dtype '<c16'", "complex", "astype(np.float64)"}},
        {"object", npy_file(dict("|O", "(1,)"), std::string(8, '\0')), {"unsupported dtype '|O'", "object arrays"}},
        {"unicode", npy_file(dict("<U5", "(1,)"), std::string(20, '\0')), {"unsupported dtype '<U5'", "string arrays"}},
        {"longdouble",
         npy_file(dict("<f16", "(1,)"), std::string(16, '\0')),
         {"unsupported dtype '<f16'", "long double"}},
        {"datetime", npy_file(dict("<M8[s]", "(1,)"), std::string(8, '\0')), {"datetime"}},
        {"structured",
         npy_file("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,)}", std::string(8, '\0')),
         {"structured dtypes", "are not supported"}},
        {"odd_size", npy_file(dict("<i3", "(1,)"), std::string(3, '\0')), {"unsupported dtype '<i3'", "int8..int64"}},
        {"no_order", npy_file(dict("|i4", "(1,)"), std::string(4, '\0')), {"a multi-byte type needs a byte order"}},
        {"truncated_data",
         npy_file(dict("<f8", "(3,)"), f8_2),
         {"truncated: shape (3,) of '<f8' needs 24 bytes of data but the file has 16"}},
        {"trailing_data",
         npy_file(dict("<f8", "(1,)"), f8_2),
         {"8 unexpected bytes after the data of shape (1,) of '<f8'"}},
        {"bool_byte",
         npy_file(dict("|b1", "(2,)"), raw<std::uint8_t>({1, 7})),
         {"element 1 is a bool stored as byte 7"}},
        {"i8_inexact",
         npy_file(dict("<i8", "(2,)"), raw<std::int64_t>({0, (1LL << 53) + 1})),
         {"element 1 is 9007199254740993, beyond 2^53", "cannot hold it exactly"}},
        {"i8_negative",
         npy_file(dict("<i8", "(1,)"), raw<std::int64_t>({std::numeric_limits<std::int64_t>::min()})),
         {"element 0 is -9223372036854775808"}},
        {"u8_inexact",
         npy_file(dict("<u8", "(1,)"), raw<std::uint64_t>({~0ULL})),
         {"element 0 is 18446744073709551615, beyond 2^53"}},
    };
}

}  // namespace

TEST_CASE("npy: malformed and unsupported files are clear errors", "[io][npy]") {
    for (const MalformedNpy& c : malformed_npy_cases()) {
        INFO("case " << c.name);
        fs::path p = write_bytes(c.name + ".npy", c.bytes);
        try {
            load_npy(p);
            FAIL("no error");
        } catch (const Error& e) {
            std::string msg = e.what();
            INFO(msg);
            CHECK(msg.rfind("load_npy: '" + p.string() + "': ", 0) == 0);
            for (const std::string& s : c.expected) CHECK_THAT(msg, Contains(s));
        }
    }
    REQUIRE_THROWS_WITH(load_npy(scratch("does_not_exist.npy")),
                        Contains("does_not_exist.npy") && Contains("no such file"));
    REQUIRE_THROWS_WITH(load_npy(scratch("")), Contains("is a directory"));
}
