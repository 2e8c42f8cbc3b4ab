#pragma once
// NumPy .npy files (what np.save, PyTorch and Keras users export): load any C-order array of
// bool, int8..int64, uint8..uint64, float16/32/64 (either byte order), npy format 1.0, 2.0 or
// 3.0, as exact doubles with its shape; save doubles back in one of those dtypes.
//
// The reader is strict: every malformed or unsupported file is a fixvar::Error naming the file,
// what is wrong and how to fix it — a missing or truncated file, bad magic, an unknown format
// version, a header that is not numpy's dict, Fortran order, an unsupported dtype (complex,
// object, strings, structured), a shape whose size overflows, trailing bytes, a bool byte that
// is not 0/1, or an integer that a double cannot hold exactly (|v| > 2^53).
// (Debian's xtensor npy reader was not used: it does not check that the data is complete,
// parses the shape with a lax stringstream and only loads into a type fixed at compile time.)
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fixvar {

/// An N-d array as numpy stores it: shape, values in row-major (C) order, and its dtype.
struct NpyArray {
    std::vector<std::size_t> shape;  ///< () for a 0-d array
    std::vector<double> values;      ///< row-major; every value exactly the stored one
    std::string dtype;               ///< numpy's descr, e.g. "<f8", "<i4", "|u1", "|b1"

    /// Number of elements (product of the shape; 1 for a 0-d array).
    std::size_t size() const;
};

/// Reads a .npy file (see the header comment for what is accepted).
NpyArray load_npy(const std::filesystem::path& path);
/// The same on the file's bytes; `source` names them in errors (load_npy passes its path).
NpyArray parse_npy(std::string_view bytes, const std::filesystem::path& source = "<bytes>");

/// Writes `a` as a version 1.0 .npy file in C order with dtype a.dtype ("<f8" if empty).
/// Error if the shape does not match the number of values, the dtype is unsupported or a value
/// is not exactly representable in it (e.g. 0.5 as "<i4", 1e40 as "<f4").
void save_npy(const std::filesystem::path& path, const NpyArray& a);
/// The bytes save_npy writes (same errors; `dest` names the file in them).
std::string format_npy(const NpyArray& a, const std::filesystem::path& dest = "<bytes>");

}  // namespace fixvar
