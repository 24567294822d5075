// SPDX-License-Identifier: MIT
// Differential testing: one seeded sequence run on several stores, compared, and when they
// disagree shrunk to the shortest sequence on which they still do, then reported readably.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "differential/operation.hpp"
#include "differential/runner.hpp"

namespace optimist::differential {

/// What a default run does: seeds 1 to 20, 40 operations each (a few seconds on PostgreSQL;
/// CI also runs the tests under sanitizers, several times slower).
inline constexpr std::uint64_t default_runs = 20;
inline constexpr std::size_t default_length = 40;

/// Where the traces of a sequence first differ.
struct Discrepancy {
  std::string where;                 ///< "operation 3" or "final state"
  std::vector<std::string> answers;  ///< per backend, in order, what it answered there
};

/// Decides whether the traces of `ops` (one per backend, same order) disagree.
using Comparison = std::function<std::optional<Discrepancy>(const std::vector<Op>& ops,
                                                            const std::vector<Trace>& traces)>;

/// The default Comparison: a promise one store broke on its own (Trace::broken), then each
/// trace against the first one, operation by operation, then the final state.
[[nodiscard]] std::optional<Discrepancy> first_difference(const std::vector<Op>& ops,
                                                          const std::vector<Trace>& traces);

/// Runs `ops` on a fresh store of every backend and compares the traces.
[[nodiscard]] std::optional<Discrepancy> check(const std::vector<Op>& ops,
                                               const std::vector<Backend>& backends,
                                               const Comparison& compare = first_difference);

/// The shortest sequence on which `fails` still holds: delta debugging over the operations,
/// then over the steps of each remaining unit and transaction.
[[nodiscard]] std::vector<Op> shrink_sequence(
    std::vector<Op> ops, const std::function<bool(const std::vector<Op>&)>& fails);

/// A seed on which the backends disagree.
struct Finding {
  std::uint64_t seed = 0;
  std::size_t length = 0;     ///< operations generated from the seed
  Mix mix = Mix::writes;      ///< of which mix
  std::vector<Op> shrunk;     ///< the shortest sequence that still disagrees
  Discrepancy discrepancy;    ///< on `shrunk`
  std::vector<Trace> traces;  ///< of `shrunk`, per backend
};

/// Generates `length` operations of `mix` from `seed`, runs them on every backend and, when
/// they disagree, shrinks the sequence. Nothing when they agree.
[[nodiscard]] std::optional<Finding> explore(std::uint64_t seed, std::size_t length,
                                             const std::vector<Backend>& backends,
                                             const Comparison& compare = first_difference,
                                             Mix mix = Mix::writes);

/// The finding for people: seed, the shrunk sequence one operation per line (with the
/// records its targets resolved to and each backend's answer), where they differ, and how
/// to replay it.
[[nodiscard]] std::string report(const Finding& finding, const std::vector<Backend>& backends);

}  // namespace optimist::differential
