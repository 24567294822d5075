// SPDX-License-Identifier: MIT
#include "model.hpp"

#include <algorithm>
#include <cmath>

namespace bench {

std::vector<double> pick_probabilities(const Skew& skew, std::int64_t records) {
  const auto k = static_cast<std::size_t>(records);
  std::vector<double> p(k, 1.0 / static_cast<double>(k));
  if (skew.kind == Skew::Kind::hot) {
    const auto hot = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::llround(skew.hot_fraction_of_rows * static_cast<double>(k))),
        1, k);
    const std::size_t cold = k - hot;
    // With no cold rows left, every operation is on a hot one.
    const double f = cold == 0 ? 1.0 : skew.hot_fraction_of_ops;
    for (std::size_t i = 0; i < k; ++i) {
      p[i] = i < hot ? f / static_cast<double>(hot) : (1 - f) / static_cast<double>(cold);
    }
  } else if (skew.kind == Skew::Kind::zipf) {
    double sum = 0;
    for (std::size_t i = 0; i < k; ++i) {
      p[i] = 1.0 / std::pow(static_cast<double>(i + 1), skew.zipf_exponent);
      sum += p[i];
    }
    for (double& x : p) x /= sum;
  }
  return p;
}

RowPicker::RowPicker(const std::vector<double>& probabilities, std::uint64_t seed)
    : uniform_(std::all_of(probabilities.begin(), probabilities.end(),
                           [&](double x) { return x == probabilities.front(); })),
      rng_(seed) {
  cdf_.reserve(probabilities.size());
  double sum = 0;
  for (double x : probabilities) cdf_.push_back(sum += x);
}

std::size_t RowPicker::next() {
  if (uniform_) return static_cast<std::size_t>(rng_() % cdf_.size());
  const double u = unit_(rng_) * cdf_.back();
  const auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  return std::min(static_cast<std::size_t>(it - cdf_.begin()), cdf_.size() - 1);
}

double predicted_conflict_rate(const std::vector<double>& probabilities, double others,
                               double commits_per_s_per_worker, double window_s) {
  const double n = std::max(0.0, others * commits_per_s_per_worker * window_s);
  if (n == 0) return 0;
  double rate = 0;
  for (double p : probabilities) rate += p * -std::expm1(-n * p);
  return rate;
}

}  // namespace bench
