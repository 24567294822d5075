// SPDX-License-Identifier: MIT
// The statistics optimist-bench reports over repeated rounds.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace bench {

/// The median of a sample and, when the sample is large enough, a 95 % confidence interval
/// for the population's median.
struct MedianSummary {
  double median = 0;
  double lowest = 0;
  double highest = 0;
  /// The interval [low, high]; empty for fewer than 6 values, too few for 95 % coverage.
  std::optional<std::pair<double, double>> interval;
};

/// The 1-based ranks (k, n + 1 - k) of the sorted values that bound a distribution-free
/// confidence interval of at least 95 % for the median of `n` independent values: the
/// largest k with P(Binomial(n, 1/2) <= k - 1) <= 2.5 %. Empty when n < 6.
[[nodiscard]] inline std::optional<std::pair<std::size_t, std::size_t>> median_interval_ranks(
    std::size_t n) {
  // P(B <= j) for B ~ Binomial(n, 1/2); each term comes from logarithms, so that large n
  // cannot overflow.
  const double log_all = std::lgamma(static_cast<double>(n) + 1) -  // log(n! / 2^n)
                         static_cast<double>(n) * std::log(2.0);
  double below = 0;  // P(B <= k - 1)
  std::size_t k = 0;
  for (std::size_t j = 0; j < n; ++j) {
    below += std::exp(log_all - std::lgamma(static_cast<double>(j) + 1) -
                      std::lgamma(static_cast<double>(n - j) + 1));
    if (below > 0.025) break;
    k = j + 1;
  }
  if (k == 0) return std::nullopt;
  return std::pair{k, n + 1 - k};
}

/// The median (the mean of the two middle values for an even count), the extremes and the
/// 95 % interval of `values`, which must not be empty.
[[nodiscard]] inline MedianSummary summarize(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  MedianSummary s;
  s.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  s.lowest = values.front();
  s.highest = values.back();
  if (const auto ranks = median_interval_ranks(n)) {
    s.interval = std::pair{values[ranks->first - 1], values[ranks->second - 1]};
  }
  return s;
}

}  // namespace bench
