// SPDX-License-Identifier: MIT
// Runs a sequence of operations on one store and writes down what it answered, in a form
// that does not depend on the store: primary keys appear as handles (#n, creation order),
// errors as their kind and fields (never their text). Two stores agree on a sequence when
// their traces are equal.
#pragma once

#include <functional>
#include <memory>
#include <optimist/optimist.hpp>
#include <string>
#include <vector>

#include "differential/operation.hpp"

namespace optimist::differential {

/// One store of a comparison: its name in reports and how to open a fresh, empty one.
struct Backend {
  std::string name;
  std::function<Result<std::shared_ptr<Store>>()> open;
};

/// What one store answered to a sequence.
struct Trace {
  /// Per operation: `ok` and the record(s) returned, or the error's kind, resource, action,
  /// key, filter, stored_version, field errors and constraint; for a unit or transaction,
  /// each step's answer and how it ended (committed, rolled back, failed at step sN).
  std::vector<std::string> outcomes;
  /// Per operation: the records its target(s) resolved to, e.g. `#2 v3`, for reports.
  std::vector<std::string> targets;
  /// Every record of every table after the sequence, one per line in handle order; or why
  /// the store could not be opened.
  std::string final_state;
  /// The first promise the store broke on its own, whatever the others answered, e.g.
  /// `operation 3: #2 was in every page walked and seen twice`; empty when none. (A page walk
  /// must show each record that exists unchanged throughout exactly once.)
  std::string broken;
};

/// Runs `ops` on a fresh store of `backend`.
///
/// Handles: each committed create adds the next handle; creates of rolled-back units and
/// transactions add none (their keys may be reused: SQLite assigns max(key) + 1). A record
/// keeps its handle after it is destroyed, so that later operations on it must answer
/// not_found. The final state reads every key from 1 to the largest the store ever returned,
/// which covers every record the sequence could have written.
[[nodiscard]] Trace run(const std::vector<Op>& ops, const Backend& backend);

}  // namespace optimist::differential
