// The Verilator harness: streams hex vectors through fixvar_sim_top (protocol in
// src/backend/harness.hpp). Not part of the library build: src/CMakeLists.txt compiles this text
// into the library, and the Simulator writes it next to fixvar_sim_ports.h (harness_ports(): the
// top class, max_words, latency, clocked and each module's ports) for Verilator to build.
#include "fixvar_sim_ports.h"
#include "verilated.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace {

char token[max_words * 8 + 2];

int hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Reads one hex token into w[0..nw); false at end of input.
bool read_token(uint32_t* w, int nw) {
    int c;
    do c = getchar_unlocked();
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
    if (c == EOF) return false;
    int n = 0;
    while (hex_value(c) >= 0 && n < int(sizeof token)) {
        token[n++] = char(c);
        c = getchar_unlocked();
    }
    std::memset(w, 0, sizeof(uint32_t) * size_t(nw));
    for (int k = 0; k < n && k / 8 < nw; ++k) w[k / 8] |= uint32_t(hex_value(token[n - 1 - k])) << (4 * (k % 8));
    return true;
}

void write_token(const uint32_t* w, int bits) {
    for (int d = (bits + 3) / 4 - 1; d >= 0; --d)
        putchar_unlocked("0123456789abcdef"[(w[d / 8] >> (4 * (d % 8))) & 15u]);
}

template <typename T>
void put(T& port, const uint32_t* w) {
    if constexpr (sizeof(T) > 4)
        port = T(w[0]) | (T(w[1]) << 32);
    else
        port = T(w[0]);
}
template <std::size_t N>
void put(VlWide<N>& port, const uint32_t* w) {
    for (std::size_t i = 0; i < N; ++i) port[i] = w[i];
}
template <typename T>
void get(const T& port, uint32_t* w) {
    std::memset(w, 0, sizeof(uint32_t) * max_words);
    w[0] = uint32_t(port);
    if constexpr (sizeof(T) > 4) w[1] = uint32_t(uint64_t(port) >> 32);
}
template <std::size_t N>
void get(const VlWide<N>& port, uint32_t* w) {
    std::memset(w, 0, sizeof(uint32_t) * max_words);
    for (std::size_t i = 0; i < N; ++i) w[i] = port[i];
}

// One step per sample, then `latency` steps of zero inputs that drain the pipelines. Step t:
// every inp, clk = 0, eval, every out (one line), clk = 1, eval. Exit code 2 when the input
// ends early, 1 when the output cannot be written. (A template, so that `top.clk` is only
// compiled when the top has a clock.)
template <typename Top>
int stream(Top& top, long samples) {
    uint32_t w[max_words];
    const long steps = samples + latency;
    for (long t = 0; t < steps; ++t) {
        bool complete = true;
        for_each_input(top, [&](auto& port, int words) {
            if (!complete) return;
            if (t >= samples)
                std::memset(w, 0, sizeof w);
            else if (!read_token(w, words)) {
                std::fprintf(stderr, "harness: input ends at sample %ld\n", t);
                complete = false;
                return;
            }
            put(port, w);
        });
        if (!complete) return 2;
        if constexpr (clocked) top.clk = 0;
        top.eval();
        for_each_output(top, [&](const auto& port, int bits, char separator) {
            get(port, w);
            write_token(w, bits);
            putchar_unlocked(separator);
        });
        if constexpr (clocked) {
            top.clk = 1;
            top.eval();
        }
    }
    top.final();
    return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    VerilatedContext context;
    context.commandArgs(argc, argv);
    SimTop top{&context};
    long samples = 0;
    if (std::scanf("%ld", &samples) != 1 || samples < 0) {
        std::fprintf(stderr, "harness: expected the sample count first\n");
        return 2;
    }
    return stream(top, samples);
}
