#pragma once
// The pair extraction's lazy max-queue of pattern entries. It holds about a million 32-byte
// entries on mid-sized matrices, most of them rarely-met patterns that wait until the end, and
// a binary heap over all of them made every pop a chain of cache misses (its sift-down was the
// engine's hottest loop). So entries at or above a score threshold live in a small four-ary
// heap (cache resident), the rest unordered in a cold list; when the heap runs dry the
// threshold drops to admit the next best cold entries. Every entry of the heap outranks
// every cold one (Entry's order compares the score first), so the popped sequence is exactly
// that of one max-heap over everything.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <utility>
#include <vector>

namespace fixvar::cmvm {

template <class T>
class QuaternaryHeap {
public:
    QuaternaryHeap() = default;
    explicit QuaternaryHeap(std::vector<T> items) : v_(std::move(items)) { heapify(); }
    bool empty() const { return v_.empty(); }
    const T& top() const { return v_.front(); }
    void push(const T& x) {
        v_.push_back(x);
        std::size_t i = v_.size() - 1;
        while (i > 0) {
            std::size_t parent = (i - 1) / kArity;
            if (!(v_[parent] < x)) break;
            v_[i] = v_[parent];
            i = parent;
        }
        v_[i] = x;
    }
    void pop() {
        v_.front() = v_.back();
        v_.pop_back();
        if (!v_.empty()) sift_down(0);
    }
    std::vector<T>& items() { return v_; }
    void heapify() {
        for (std::size_t i = v_.size() / kArity + 1; i-- > 0;) sift_down(i);
    }

private:
    static constexpr std::size_t kArity = 4;
    void sift_down(std::size_t i) {
        const std::size_t n = v_.size();
        if (i >= n) return;
        T x = v_[i];
        for (;;) {
            std::size_t first = kArity * i + 1;
            if (first >= n) break;
            std::size_t best = first;
            const std::size_t last = std::min(first + kArity, n);
            for (std::size_t c = first + 1; c < last; ++c)
                if (v_[best] < v_[c]) best = c;
            if (!(x < v_[best])) break;
            v_[i] = v_[best];
            i = best;
        }
        v_[i] = x;
    }
    std::vector<T> v_;
};

/// Max-queue of entries with an integer `score` field ordering them first (see above).
template <class T>
class TieredQueue {
public:
    TieredQueue() = default;
    /// Takes the starting entries as a deque (built in place: a vector's doubling slack and a
    /// copy into the cold list would triple the starting patterns' memory for a moment).
    explicit TieredQueue(std::deque<T> items) : cold_(std::move(items)) { refill(); }
    bool empty() const { return hot_.empty(); }
    const T& top() const { return hot_.top(); }
    void push(const T& x) {
        if (x.score >= threshold_)
            hot_.push(x);
        else
            cold_.push_back(x);
    }
    void pop() {
        hot_.pop();
        if (hot_.empty()) refill();
    }

private:
    // Moves the best eighth of the cold entries (at least kHot; all of the lowest admitted
    // score) into the heap: a refill costs a pass over the cold list, so each admits a share.
    static constexpr std::size_t kHot = std::size_t(1) << 15;
    void refill() {
        const std::size_t want = std::max(kHot, cold_.size() / 8);
        if (cold_.size() <= want) {
            threshold_ = std::numeric_limits<decltype(threshold_)>::min();
        } else {
            auto nth = cold_.end() - std::ptrdiff_t(want);
            std::nth_element(cold_.begin(), nth, cold_.end(), [](const T& a, const T& b) { return a.score < b.score; });
            threshold_ = nth->score;
        }
        auto cut = std::partition(cold_.begin(), cold_.end(), [&](const T& e) { return e.score < threshold_; });
        std::vector<T>& h = hot_.items();
        h.assign(cut, cold_.end());
        cold_.erase(cut, cold_.end());
        cold_.shrink_to_fit();
        hot_.heapify();
    }
    QuaternaryHeap<T> hot_;
    // Chunked, so it holds no doubling slack: on a 256 x 256 layer it reaches ~12 M entries.
    std::deque<T> cold_;
    std::int64_t threshold_ = std::numeric_limits<std::int64_t>::max();
};

}  // namespace fixvar::cmvm
