#include <fixvar/core/file.hpp>
#include <fixvar/core/error.hpp>
#include <fixvar/io/npy.hpp>

#include <fmt/ranges.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

namespace fixvar {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr std::string_view kAdvice =
    "save it as float64, float32, an integer or a bool array, e.g. "
    "np.save(path, a.astype(np.float64))";

// Every load error: "load_npy: 'file': what is wrong; how to fix it".
template <typename... Args>
[[noreturn]] void bad_file(const fs::path& path, fmt::format_string<Args...> f, Args&&... args) {
    fail("load_npy", "'{}': {}", path.string(), fmt::format(f, std::forward<Args>(args)...));
}

// An element type fixvar reads: kind 'f' (float), 'i', 'u' (integers) or 'b' (bool).
struct DType {
    char kind = 'f';
    std::size_t size = 8;
    bool big_endian = false;
};

// numpy's descr string ("<f8", "|u1", ">i4", ...) -> DType; `why` gets the reason on failure.
bool parse_dtype(std::string_view descr, DType& t, std::string& why) {
    std::string_view s = descr;
    char order = '=';
    if (!s.empty() && (s[0] == '<' || s[0] == '>' || s[0] == '|' || s[0] == '=')) {
        order = s[0];
        s.remove_prefix(1);
    }
    if (s.empty()) {
        why = "it has no type code";
        return false;
    }
    t.kind = s[0];
    std::string_view digits = s.substr(1);
    std::size_t size = 0;
    for (char c : digits) {
        if (c < '0' || c > '9' || size > 64) {
            size = 0;
            break;
        }
        size = size * 10 + std::size_t(c - '0');
    }
    switch (t.kind) {
        case 'c': why = "complex values are not supported (save a.real, or a.astype(np.float64))"; return false;
        case 'O': why = "object arrays are not supported (they hold Python objects, not numbers)"; return false;
        case 'U':
        case 'S':
        case 'a': why = "string arrays are not supported"; return false;
        case 'V': why = "structured (void) arrays are not supported"; return false;
        case 'M':
        case 'm': why = "datetime/timedelta arrays are not supported"; return false;
        default: break;
    }
    bool known = (t.kind == 'f' && (size == 2 || size == 4 || size == 8)) ||
                 ((t.kind == 'i' || t.kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) ||
                 (t.kind == 'b' && size == 1);
    if (!known) {
        why = t.kind == 'f' && size > 8 ? "extended-precision floats (long double) are not supported"
                                        : "it is not a supported type (bool, int8..int64, uint8..uint64, "
                                          "float16/32/64)";
        return false;
    }
    t.size = size;
    if (order == '|' && size > 1) {
        why = "a multi-byte type needs a byte order ('<' or '>')";
        return false;
    }
    t.big_endian = order == '>';
    return true;
}

// The header: a Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...), }
// followed by padding. Parsed strictly: exactly these three keys, each once.
class HeaderParser {
public:
    HeaderParser(std::string_view text, const fs::path& path) : s_(text), path_(path) {}

    void parse(std::string& descr, bool& fortran, std::vector<std::size_t>& shape) {
        bool seen[3] = {false, false, false};
        skip_space();
        expect('{');
        for (;;) {
            skip_space();
            if (peek() == '}') break;
            std::string key = string_literal("a key");
            skip_space();
            expect(':');
            skip_space();
            int which = key == "descr" ? 0 : key == "fortran_order" ? 1 : key == "shape" ? 2 : -1;
            if (which < 0)
                bad("unexpected key '{}' (a .npy header has exactly 'descr', 'fortran_order' and "
                    "'shape')",
                    key);
            if (seen[which]) bad("key '{}' appears twice", key);
            seen[which] = true;
            if (which == 0) {
                if (peek() == '[')
                    bad_file(path_,
                             "structured dtypes (records with named fields) are not "
                             "supported; {}",
                             kAdvice);
                descr = string_literal("the 'descr' value");
            } else if (which == 1) {
                fortran = boolean();
            } else {
                shape = tuple();
            }
            skip_space();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != '}') bad("expected ',' or '}}' after the value of '{}'", key);
        }
        ++pos_;
        skip_space();
        if (pos_ != s_.size()) bad("unexpected text after the closing '}}'");
        for (int j = 0; j < 3; ++j)
            if (!seen[j]) bad("the key '{}' is missing", j == 0 ? "descr" : j == 1 ? "fortran_order" : "shape");
    }

private:
    template <typename... Args>
    [[noreturn]] void bad(fmt::format_string<Args...> f, Args&&... args) const {
        bad_file(path_,
                 "bad header at character {}: {} (the header is \"{}\"; re-save the file "
                 "with np.save)",
                 pos_, fmt::format(f, std::forward<Args>(args)...), printable(s_));
    }
    static std::string printable(std::string_view t) {
        std::string out;
        for (char c : t.substr(0, 200)) out += (c >= 32 && c < 127) ? c : '?';
        while (!out.empty() && out.back() == ' ') out.pop_back();
        return out;
    }
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    void skip_space() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
            ++pos_;
    }
    void expect(char c) {
        if (peek() != c) bad("expected '{}'", c);
        ++pos_;
    }
    std::string string_literal(const char* what) {
        char q = peek();
        if (q != '\'' && q != '"') bad("expected {} as a quoted string", what);
        std::size_t end = s_.find(q, pos_ + 1);
        if (end == std::string_view::npos) bad("unterminated string");
        std::string_view body = s_.substr(pos_ + 1, end - pos_ - 1);
        if (body.find('\\') != std::string_view::npos) bad("escape sequences are not supported");
        pos_ = end + 1;
        return std::string(body);
    }
    bool boolean() {
        for (bool value : {true, false}) {
            std::string_view word = value ? "True" : "False";
            if (s_.substr(pos_, word.size()) == word) {
                pos_ += word.size();
                return value;
            }
        }
        bad("'fortran_order' must be True or False");
    }
    std::size_t integer() {
        if (peek() < '0' || peek() > '9') bad("expected a non-negative integer dimension");
        std::size_t v = 0;
        while (peek() >= '0' && peek() <= '9') {
            std::size_t d = std::size_t(peek() - '0');
            if (v > (std::numeric_limits<std::size_t>::max() - d) / 10)
                bad_file(path_,
                         "a dimension of the shape overflows 64 bits; the header is "
                         "corrupt (re-save the file with np.save)");
            v = v * 10 + d;
            ++pos_;
        }
        if (peek() == 'L') ++pos_;  // Python 2's long literals: (3L, 4L)
        return v;
    }
    // Python tuple: () | (n,) | (n, m, ...) with an optional trailing comma.
    std::vector<std::size_t> tuple() {
        std::vector<std::size_t> dims;
        expect('(');
        skip_space();
        bool comma = false;
        while (peek() != ')') {
            dims.push_back(integer());
            skip_space();
            comma = peek() == ',';
            if (comma) {
                ++pos_;
                skip_space();
            } else if (peek() != ')') {
                bad("expected ',' or ')' in the shape");
            }
        }
        if (dims.size() == 1 && !comma) bad("a 1-d shape is written '(n,)'");
        ++pos_;
        return dims;
    }

    std::string_view s_;
    const fs::path& path_;
    std::size_t pos_ = 0;
};

std::string shape_text(const std::vector<std::size_t>& shape) {
    if (shape.size() == 1) return fmt::format("({},)", shape[0]);
    return fmt::format("({})", fmt::join(shape, ", "));
}

std::uint64_t read_uint(const unsigned char* p, std::size_t n, bool big_endian) {
    std::uint64_t v = 0;
    for (std::size_t b = 0; b < n; ++b) v |= std::uint64_t(p[big_endian ? n - 1 - b : b]) << (8 * b);
    return v;
}

void write_uint(std::string& out, std::uint64_t v, std::size_t n) {
    for (std::size_t b = 0; b < n; ++b) out.push_back(char((v >> (8 * b)) & 0xff));
}

double half_to_double(std::uint64_t h) {
    int sign = int(h >> 15) & 1, exp = int(h >> 10) & 31;
    double frac = double(h & 1023), v;
    if (exp == 0)
        v = std::ldexp(frac, -24);
    else if (exp == 31)
        v = frac == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
    else
        v = std::ldexp(frac + 1024, exp - 25);
    return sign ? -v : v;
}

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

// The element at p as an exact double (integers beyond 2^53 are an Error).
double decode(const unsigned char* p, const DType& t, std::size_t index, const fs::path& path) {
    std::uint64_t bits = read_uint(p, t.size, t.big_endian);
    switch (t.kind) {
        case 'f':
            if (t.size == 2) return half_to_double(bits);
            if (t.size == 4) {
                float f;
                auto b32 = std::uint32_t(bits);
                std::memcpy(&f, &b32, 4);
                return double(f);
            } else {
                double d;
                std::memcpy(&d, &bits, 8);
                return d;
            }
        case 'b':
            if (bits > 1)
                bad_file(path,
                         "element {} is a bool stored as byte {} (only 0 and 1 are valid); the "
                         "data is corrupt",
                         index, bits);
            return double(bits);
        case 'u':
            if (bits > std::uint64_t(kMaxExactInteger))
                bad_file(path,
                         "element {} is {}, beyond 2^53: a double cannot hold it exactly (scale "
                         "the integers down, or convert them deliberately with astype(np.float64))",
                         index, bits);
            return double(bits);
        default: {  // 'i': sign-extend
            std::int64_t v =
                t.size == 8 ? std::int64_t(bits) : std::int64_t(bits << (64 - 8 * t.size)) >> (64 - 8 * t.size);
            if (v > std::int64_t(kMaxExactInteger) || v < -std::int64_t(kMaxExactInteger))
                bad_file(path,
                         "element {} is {}, beyond 2^53 in magnitude: a double cannot hold it "
                         "exactly (scale the integers down, or convert them deliberately with "
                         "astype(np.float64))",
                         index, v);
            return double(v);
        }
    }
}

}  // namespace

std::size_t NpyArray::size() const {
    std::size_t n = 1;
    for (std::size_t d : shape) n *= d;
    return n;
}

NpyArray load_npy(const fs::path& path) { return parse_npy(read_file(path, "load_npy"), path); }

NpyArray parse_npy(std::string_view bytes, const fs::path& source) {
    std::string_view head = bytes.substr(0, kMagic.size());
    if (head != kMagic.substr(0, head.size()))
        bad_file(source,
                 "not a .npy file (it does not start with \"\\x93NUMPY\"); write it with "
                 "np.save (np.savez/.npz archives and text files are not .npy)");
    if (bytes.size() < 10)
        bad_file(source,
                 "truncated: {} bytes, shorter than the 10-byte .npy preamble (re-save "
                 "the file with np.save)",
                 bytes.size());
    auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    int major = data[6], minor = data[7];
    std::size_t len_bytes = major == 1 ? 2 : 4;
    if (!((major == 1 || major == 2 || major == 3) && minor == 0))
        bad_file(source,
                 "npy format version {}.{} is not supported (1.0, 2.0 and 3.0 are); re-save "
                 "the file with np.save",
                 major, minor);
    if (bytes.size() < 8 + len_bytes)
        bad_file(source, "truncated inside the header length (re-save the file with np.save)");
    std::size_t header_len = std::size_t(read_uint(data + 8, len_bytes, false));
    std::size_t header_start = 8 + len_bytes;
    if (bytes.size() - header_start < header_len)
        bad_file(source,
                 "truncated: the header announces {} bytes but only {} follow (re-save the "
                 "file with np.save)",
                 header_len, bytes.size() - header_start);

    NpyArray a;
    bool fortran = false;
    HeaderParser(bytes.substr(header_start, header_len), source).parse(a.dtype, fortran, a.shape);
    DType t;
    std::string why;
    if (!parse_dtype(a.dtype, t, why)) bad_file(source, "unsupported dtype '{}': {}; {}", a.dtype, why, kAdvice);
    if (fortran)
        bad_file(source,
                 "the array is stored in Fortran (column-major) order, which is not "
                 "supported; save np.ascontiguousarray(a) instead");

    std::size_t count = 1;
    for (std::size_t d : a.shape) {
        if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d / t.size)
            bad_file(source,
                     "shape {} of '{}' has more bytes than 2^64; the header is corrupt "
                     "(re-save the file with np.save)",
                     shape_text(a.shape), a.dtype);
        count *= d;
    }
    std::size_t need = count * t.size, have = bytes.size() - header_start - header_len;
    if (have < need)
        bad_file(source,
                 "truncated: shape {} of '{}' needs {} bytes of data but the file has {} "
                 "(re-save the file with np.save)",
                 shape_text(a.shape), a.dtype, need, have);
    if (have > need)
        bad_file(source,
                 "{} unexpected bytes after the data of shape {} of '{}' (is it an array "
                 "appended to another? save each array to its own file)",
                 have - need, shape_text(a.shape), a.dtype);
    a.values.resize(count);
    const unsigned char* p = data + header_start + header_len;
    for (std::size_t j = 0; j < count; ++j) a.values[j] = decode(p + j * t.size, t, j, source);
    return a;
}

void save_npy(const fs::path& path, const NpyArray& a) { write_file(path, format_npy(a, path), "save_npy"); }

std::string format_npy(const NpyArray& a, const fs::path& dest) {
    std::string descr = a.dtype.empty() ? "<f8" : a.dtype;
    DType t;
    std::string why;
    if (!parse_dtype(descr, t, why)) fail("save_npy", "'{}': unsupported dtype '{}': {}", dest.string(), descr, why);
    if (t.kind == 'f' && t.size == 2)
        fail("save_npy", "'{}': writing float16 is not supported; use '<f4' or '<f8'", dest.string());
    std::size_t count = 1;
    for (std::size_t d : a.shape) {
        if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d)
            fail("save_npy", "'{}': shape {} overflows", dest.string(), shape_text(a.shape));
        count *= d;
    }
    if (count != a.values.size())
        fail("save_npy", "'{}': shape {} holds {} values but {} are given", dest.string(), shape_text(a.shape), count,
             a.values.size());

    std::string header =
        fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr, shape_text(a.shape));
    // numpy aligns the data to 64 bytes: preamble + header + '\n' is a multiple of 64.
    std::size_t preamble = 10;
    header.append(63 - (preamble + header.size()) % 64, ' ');
    header.push_back('\n');
    std::string out(kMagic);
    out += '\x01';
    out += '\x00';
    if (header.size() > 0xffff)
        fail("save_npy", "'{}': the header of shape {} is too long for npy format 1.0", dest.string(),
             shape_text(a.shape));
    write_uint(out, header.size(), 2);
    out += header;

    for (std::size_t j = 0; j < count; ++j) {
        double v = a.values[j];
        auto unrepresentable = [&] {
            fail("save_npy",
                 "'{}': element {} = {} is not exactly representable as '{}' (round "
                 "it first, or save as '<f8')",
                 dest.string(), j, v, descr);
        };
        std::uint64_t bits = 0;
        if (t.kind == 'f' && t.size == 8) {
            std::memcpy(&bits, &v, 8);
        } else if (t.kind == 'f') {
            auto f = float(v);
            if (!std::isnan(v) && double(f) != v) unrepresentable();
            std::uint32_t b32;
            std::memcpy(&b32, &f, 4);
            bits = b32;
        } else {
            double lo = t.kind == 'i' ? -std::ldexp(1.0, int(8 * t.size) - 1) : 0.0;
            double hi = std::ldexp(1.0, int(8 * t.size) - (t.kind == 'i' ? 1 : 0));
            if (t.kind == 'b') hi = 2;
            if (!(v == std::trunc(v) && v >= lo && v < hi)) unrepresentable();
            bits = t.kind == 'i' ? std::uint64_t(std::int64_t(v)) : std::uint64_t(v);
        }
        if (t.big_endian)
            for (std::size_t b = t.size; b-- > 0;) out.push_back(char((bits >> (8 * b)) & 0xff));
        else
            write_uint(out, bits, t.size);
    }
    return out;
}

}  // namespace fixvar
