// SPDX-License-Identifier: MIT
// A fixed-size latency histogram: exact below 64 ns, then 32 buckets per power of two
// (a bucket is at most 1/32 of its value wide), so recording costs no allocation.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace bench {

class Histogram {
 public:
  static constexpr std::size_t buckets = 64 + (64 - 6) * 32;

  void record(std::uint64_t ns) noexcept {
    ++counts_[index(ns)];
    ++total_;
  }

  void merge(const Histogram& other) noexcept {
    for (std::size_t i = 0; i < buckets; ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
  }

  void add(std::size_t bucket, std::uint64_t count) noexcept {
    if (bucket >= buckets) return;
    counts_[bucket] += count;
    total_ += count;
  }

  /// The value below which a fraction `q` (0..1) of the recorded values lie, in ns (the
  /// middle of the bucket holding it); 0 when nothing was recorded.
  [[nodiscard]] double percentile(double q) const noexcept {
    if (total_ == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets; ++i) {
      seen += counts_[i];
      if (seen >= rank)
        return (static_cast<double>(lower(i)) + static_cast<double>(lower(i + 1))) / 2;
    }
    return static_cast<double>(lower(buckets - 1));
  }

  [[nodiscard]] std::uint64_t total() const noexcept { return total_; }
  [[nodiscard]] std::uint64_t count(std::size_t bucket) const noexcept { return counts_[bucket]; }

  static constexpr std::size_t index(std::uint64_t v) noexcept {
    if (v < 64) return static_cast<std::size_t>(v);
    const int m = 63 - std::countl_zero(v);  // 6..63
    return 64 + static_cast<std::size_t>(m - 6) * 32 +
           static_cast<std::size_t>((v >> (m - 5)) & 31);
  }

  static constexpr std::uint64_t lower(std::size_t i) noexcept {
    if (i < 64) return i;
    const std::size_t k = i - 64;
    const int m = static_cast<int>(k / 32) + 6;
    if (m >= 64) return ~std::uint64_t{0};
    return (std::uint64_t{1} << m) + (static_cast<std::uint64_t>(k % 32) << (m - 5));
  }

 private:
  std::array<std::uint64_t, buckets> counts_{};
  std::uint64_t total_ = 0;
};

}  // namespace bench
