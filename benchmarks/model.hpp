// SPDX-License-Identifier: MIT
// Which record an operation picks (the skew), and the analytic conflict model.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "config.hpp"

namespace bench {

/// The probability of each record being picked by one operation, for `records` records.
[[nodiscard]] std::vector<double> pick_probabilities(const Skew& skew, std::int64_t records);

/// Draws record indexes (0-based) with the probabilities of a skew. One per thread.
class RowPicker {
 public:
  RowPicker(const std::vector<double>& probabilities, std::uint64_t seed);
  [[nodiscard]] std::size_t next();

 private:
  std::vector<double> cdf_;
  bool uniform_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
};

/// The model of docs/performance.md ("The conflict model"): an attempt conflicts when some other
/// worker commits to the same record between this attempt's read and its write. With `others` other
/// workers each committing `commits_per_s_per_worker` times a second, a window of `window_s`
/// seconds sees on average n = others * rate * window commits elsewhere. Taking them as independent
/// arrivals (Poisson), those on record i number n * p_i on average, and an attempt on record i
/// conflicts unless there are none:
///   predicted = sum_i p_i * (1 - exp(-n * p_i)),
/// which for uniform skew (p_i = 1/K) is 1 - exp(-n / K) ~ 1 - (1 - 1/K)^n. (The binomial
/// form needs a whole number of commits; with n < 1 and K = 1 it would claim certainty.)
[[nodiscard]] double predicted_conflict_rate(const std::vector<double>& probabilities,
                                             double others, double commits_per_s_per_worker,
                                             double window_s);

}  // namespace bench
