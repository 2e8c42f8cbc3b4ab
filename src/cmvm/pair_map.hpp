#pragma once
// The pair map: pattern key -> occurrence statistics, the pair extraction's main data structure
// and its main memory traffic. Pair CSE counts every two-term pattern a ± (b << s) of every
// output's term list; on a 64x64 8-bit matrix that is tens of millions of updates over millions
// of live patterns, so the map is an open-addressing table whose slot (key and statistics in
// 16 bytes) is one cache line's quarter, whose dead entries are dropped before it grows, and
// whose large slot arrays sit on transparent huge pages (page faults were ~10% of run time).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace fixvar::cmvm {

// 8 bytes, so that a slot (key and statistics) is 16: the map's size is the engine's memory
// and its cache misses most of its time. Counts stay below 2^24 (solve()'s node-id limit
// bounds the digits) and widths below 2^15 (60-bit weight spans, 128-bit ranges).
struct PairInfo {
    std::uint32_t count : 31 = 0;
    std::uint32_t dirty : 1 = 0;  ///< count rose since the last heap push
    std::int16_t width = 0;       ///< estimated bit cells of the pattern's adder
    std::int16_t overlap = 0;     ///< bits where both operands can be nonzero
};
static_assert(sizeof(PairInfo) == 8);

// Allocator for the pair map's slot array: large arrays (tens of MB on 64x64 matrices) are
// mapped directly, 2 MB aligned and advised to use transparent huge pages, so filling one takes
// a page fault per 2 MB instead of per 4 KB (faults were ~10% of the run time), and a freed
// array returns its pages at once (from aligned_alloc a freed map could stay in malloc's arena,
// resident but not counted by the memory model). Small ones: plain new.
template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t kHuge = std::size_t(2) << 20;
    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) {}
    static bool large(std::size_t n) { return n * sizeof(T) >= 2 * kHuge; }
    static std::size_t mapped_bytes(std::size_t n) { return (n * sizeof(T) + kHuge - 1) / kHuge * kHuge; }
    T* allocate(std::size_t n) {
        if (!large(n)) return static_cast<T*>(::operator new(n * sizeof(T)));
        const std::size_t bytes = mapped_bytes(n);
#if defined(__linux__)
        // Map 2 MB more than needed and unmap the unaligned head and the tail.
        void* raw = mmap(nullptr, bytes + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED) throw std::bad_alloc();
        const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(raw);
        const std::uintptr_t aligned = (start + kHuge - 1) & ~std::uintptr_t(kHuge - 1);
        if (aligned > start) munmap(raw, aligned - start);
        if (const std::size_t tail = start + bytes + kHuge - (aligned + bytes))
            munmap(reinterpret_cast<void*>(aligned + bytes), tail);
#ifdef MADV_HUGEPAGE
        madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);
#endif
        return reinterpret_cast<T*>(aligned);
#else
        void* p = std::aligned_alloc(kHuge, bytes);
        if (!p) throw std::bad_alloc();
        return static_cast<T*>(p);
#endif
    }
    void deallocate(T* p, std::size_t n) {
        if (!large(n))
            ::operator delete(p);
        else
#if defined(__linux__)
            munmap(p, mapped_bytes(n));
#else
            std::free(p);
#endif
    }
    friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

// How a pair-CSE run sizes its map, from the pattern occurrences of its starting terms
// (`pairs`: sum over expressions of t(t-1)/2 for t terms) and the distinct patterns those terms
// allow (`keys`: every (A <= B, relative shift, relative sign) over the ids and shifts present).
// The memory model (memory.cpp) calls the same function, so it counts the slots the run
// allocates rather than fitting them.
//  - entries: the starting patterns, at most pairs / 2 and at most keys, and at least a third of
//    the occurrences (created nodes' patterns, below);
//  - live: the most patterns alive at once. Either the starting ones, or, where extraction gets
//    far, the patterns of the nodes it creates (each pairs with every other term of its
//    expression, mostly once). Their peak falls with the repetition per key, pairs / keys (the
//    greedy then merges expressions faster): measured by counting live entries on dense,
//    sparse, tall, wide and heterogeneous layers, 8x8 to 256x256, pairs / keys from 4 to 440,
//    it is 0.5 · pairs · (pairs / keys)^-0.224 (the peaks measured: 0.96-1.10 of it);
//  - capacity: a power of two at most 70% full with the entries and at most 40% with the live
//    peak (grow() doubles past 50%: the 10-25% between is the prediction's margin).
struct PairMapSizing {
    double entries = 0, live = 0;
    std::size_t capacity = 0;
};
inline PairMapSizing pair_map_sizing(double pairs, double keys) {
    PairMapSizing s;
    s.entries = std::max(std::min(pairs / 2, keys), pairs / 3);
    const double created = keys > 0 && pairs > keys ? 0.5 * pairs * std::pow(pairs / keys, -0.224) : 0;
    s.live = std::max(std::min(pairs / 2, keys), created);
    s.capacity = std::size_t(1) << 12;
    while (10 * (s.entries + 1) > 7 * double(s.capacity) || 10 * (s.live + 1) > 4 * double(s.capacity)) s.capacity *= 2;
    return s;
}

// Open addressing (linear probing) map from a nonzero 64-bit pattern key; entries are never
// erased (a count can drop to zero and rise again). Key and value share one 16-byte slot, so
// a probe touches one cache line (the map is the engine's main memory traffic).
class PairMap {
public:
    PairMap() { rehash(1 << 12); }
    /// Sized once for a run (pair_map_sizing): no rehash while its live entries stay within it.
    void reserve(const PairMapSizing& sizing) {
        if (sizing.capacity > slots_.size()) rehash(sizing.capacity);
    }
    /// Starts loading k's home slot (the caller looks k up shortly after).
    void prefetch(std::uint64_t k) const { __builtin_prefetch(&slots_[slot(k)]); }
    PairInfo* find(std::uint64_t k) {
        for (std::size_t i = slot(k);; i = (i + 1) & mask_) {
            if (slots_[i].key == k) return &slots_[i].info;
            if (slots_[i].key == 0) return nullptr;
        }
    }
    /// The entry for k; `fresh` tells whether it was just created (zeroed).
    PairInfo& get(std::uint64_t k, bool& fresh) {
        if (10 * (size_ + 1) > 7 * slots_.size()) grow();
        std::size_t i = slot(k);
        for (; slots_[i].key != 0; i = (i + 1) & mask_)
            if (slots_[i].key == k) {
                fresh = false;
                return slots_[i].info;
            }
        slots_[i].key = k;
        slots_[i].info = PairInfo{};
        ++size_;
        fresh = true;
        return slots_[i].info;
    }
    template <class F>
    void for_each(F f) const {
        for (const Slot& sl : slots_)
            if (sl.key) f(sl.key, sl.info);
    }

private:
    struct Slot {
        std::uint64_t key = 0;
        PairInfo info;
    };
    std::size_t slot(std::uint64_t k) const { return std::size_t((k * 0x9e3779b97f4a7c15ULL) >> shift_); }
    // Extraction keeps creating patterns of new nodes while old ones die out, so a map 70% full
    // is first cleared of dead entries (count 0, no pending heap push: nothing refers to them,
    // and a pattern that reappears is re-created fresh); it doubles only while over half of it
    // stays live (a clean-up then frees at least a fifth of the slots). Without this, large
    // matrices reach gigabytes of dead patterns. (Loads up to 70% keep linear probes short:
    // four slots share a cache line.) A doubling holds both arrays at once; the run's sizing
    // leaves 40% for the live peak it predicts, so it is a fallback, not the rule.
    static bool dead(const PairInfo& info) { return info.count == 0 && info.dirty == 0; }
    void grow() {
        std::size_t live = 0;
        for (const Slot& sl : slots_) live += sl.key && !dead(sl.info);
        std::size_t cap = slots_.size();
        while (2 * (live + 1) > cap) cap *= 2;
        if (cap == slots_.size())
            drop_dead_in_place();
        else
            rehash(cap, true);
    }
    // Dead entries removed without a second slot array (that doubled the peak on large maps):
    // linear-probing deletion by backward shift, walking from an empty slot so that no probe
    // run wraps past the walk's start.
    void drop_dead_in_place() {
        std::size_t start = 0;
        while (slots_[start].key) ++start;  // the map is at most 70% full
        for (std::size_t step = 1; step <= mask_ + 1; ++step) {
            const std::size_t i = (start + step) & mask_;
            while (slots_[i].key && dead(slots_[i].info)) erase_at(i);
        }
    }
    void erase_at(std::size_t hole) {
        --size_;
        for (std::size_t j = (hole + 1) & mask_; slots_[j].key; j = (j + 1) & mask_) {
            const std::size_t home = slot(slots_[j].key);
            // j's entry may move back to the hole unless its home lies cyclically in (hole, j].
            if (((j - home) & mask_) >= ((j - hole) & mask_)) {
                slots_[hole] = slots_[j];
                hole = j;
            }
        }
        slots_[hole] = Slot{};
    }
    void rehash(std::size_t cap, bool drop_dead = false) {
        std::vector<Slot, HugePageAllocator<Slot>> old(cap);
        old.swap(slots_);
        mask_ = cap - 1;
        shift_ = 64 - __builtin_ctzll(cap);
        size_ = 0;
        for (const Slot& sl : old) {
            if (!sl.key || (drop_dead && dead(sl.info))) continue;
            std::size_t j = slot(sl.key);
            while (slots_[j].key) j = (j + 1) & mask_;
            slots_[j] = sl;
            ++size_;
        }
    }
    std::vector<Slot, HugePageAllocator<Slot>> slots_;
    std::size_t mask_ = 0, size_ = 0;
    int shift_ = 64;
};

}  // namespace fixvar::cmvm
