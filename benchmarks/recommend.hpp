// SPDX-License-Identifier: MIT
// What a sweep's numbers say: in each cell, the variant with the most commits/s; along each
// line of the sweep, where optimistic locking starts or stops beating pessimistic locking.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"
#include "run.hpp"

namespace bench {

/// Two rates less than this fraction of the larger apart are a tie: one run on a shared
/// machine varies by more than that from one invocation to the next.
inline constexpr double default_tie_margin = 0.05;

/// Which side of the locking question leads in a cell.
enum class Lead { optimistic, pessimistic, tie, unmeasured };

/// A variant's measured commits/s.
struct Rate {
  std::string variant;  ///< RunResult::label()
  double commits_per_s = 0;

  friend bool operator==(const Rate&, const Rate&) = default;
};

/// What one cell of the sweep (one value of every dimension) measured.
struct CellVerdict {
  std::vector<std::int64_t> at;  ///< the value of each dimension, in order
  std::string where;             ///< e.g. "records=10 think_us=1000"
  /// The variants with the most commits/s, fastest first: the fastest and every other within
  /// the tie margin of it. Empty when no run of the cell could be used.
  std::vector<Rate> best;
  std::optional<Rate> next;                     ///< the fastest variant outside the tie, if any
  std::optional<Rate> optimistic, pessimistic;  ///< each side's fastest variant, if measured
  Lead lead = Lead::unmeasured;
};

/// The verdicts of a sweep.
struct Recommendation {
  std::vector<SweepParameter> dimensions;
  double tie_margin = default_tie_margin;
  std::vector<CellVerdict> cells;  ///< in the order of their first run
  /// The optimistic side: retry, whose every operation commits unless it runs out of
  /// attempts; optimistic (which gives up at the first conflict) when retry did not run.
  Strategy optimistic_side = Strategy::retry;
  /// Both sides were measured in some cell; otherwise there are no crossover lines.
  bool compared = false;
  /// One line per value of the second dimension (a single line without one), in the order
  /// of their first run: where each side wins along the first dimension, and the crossover.
  std::vector<std::string> crossovers;
};

/// Reads `runs` (one per variant and cell, e.g. the median rounds) along `dimensions` (see
/// dimensions() in config.hpp). Only runs that were not skipped and had no error count; raw,
/// the hand-written baseline, is left out of the best variants, and only retry (or
/// optimistic) and pessimistic take part in the crossover. Each side's rate in a cell is its
/// fastest variant's. Rates less than `tie_margin` of the larger apart tie.
[[nodiscard]] Recommendation recommend(const std::vector<SweepParameter>& dimensions,
                                       const std::vector<RunResult>& runs,
                                       double tie_margin = default_tie_margin);

/// Prints the best variants per cell, then the crossover lines (or why there are none).
void print_recommendation(std::FILE* out, const Recommendation& r);

}  // namespace bench
