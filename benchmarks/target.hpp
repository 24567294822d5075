// SPDX-License-Identifier: MIT
// A Target is one strategy on one backend: it creates the counters of a run, gives each
// worker thread its own way of incrementing them, reads them back for the lost-update check
// and removes them. optimist's strategies live in target.cpp, the hand-written SOCI baseline in
// raw_soci.cpp.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config.hpp"

namespace bench {

/// What one operation (one intended increment of one counter) did.
struct OpOutcome {
  int attempts = 0;            ///< write attempts, each ending in a commit or a conflict
  bool committed = false;      ///< the increment is stored
  std::int64_t window_ns = 0;  ///< summed over attempts: from the read's start to the write's
  std::string error;           ///< set when the operation failed for another reason
};

/// One worker thread's handle on a Target; used by that thread only.
class Worker {
 public:
  virtual ~Worker() = default;
  /// Increments the counter with primary key `key` by one, pausing `think_us` between
  /// reading and writing.
  virtual OpOutcome increment(std::int64_t key, std::int64_t think_us) = 0;
};

/// The name of the counter created `index`-th (from 0) in a run: every target names its
/// counters alike, so that every strategy reads rows of the same width.
[[nodiscard]] inline std::string counter_name(std::int64_t index) {
  return fmt::format("c{}", index);
}

/// A counter as read back after a run.
struct CounterState {
  std::int64_t value = 0;
  std::int64_t version = 0;
};

class Target {
 public:
  virtual ~Target() = default;
  /// Empties the target's table before counters are created: rows a failed run left go,
  /// and on PostgreSQL the table gets a new, empty file (see empty_table in sql_session.hpp).
  /// Targets of optimist's strategies share one table, so every target of a run is reset
  /// before any creates its counters. False with `error` set on failure.
  virtual bool reset(std::string& error) = 0;
  /// Creates `records` new counters (value 0, version 1) and returns their keys.
  /// On failure returns no keys and sets `error`.
  virtual std::vector<std::int64_t> create_counters(std::int64_t records, std::string& error) = 0;
  /// A worker for thread number `index`; null with `error` set on failure.
  virtual std::unique_ptr<Worker> worker(int index, std::string& error) = 0;
  /// The stored state of each key, in order; empty with `error` set on failure.
  virtual std::vector<CounterState> read_back(const std::vector<std::int64_t>& keys,
                                              std::string& error) = 0;
  /// Removes the counters `keys`, read back as `states`: a run leaves the store as it found
  /// it, and every run of every strategy starts on a table without live counters (a table
  /// that only grew would make later runs slower than earlier ones). False with `error` set
  /// on failure.
  virtual bool remove_counters(const std::vector<std::int64_t>& keys,
                               const std::vector<CounterState>& states, std::string& error) = 0;
};

/// Opens the target of `variant` on the configured backend (optimist's strategies with the
/// variant's group commit). Null with `error` set (one line, for stderr) when the backend
/// cannot be opened or the strategy does not apply; `skipped` is set in the latter case
/// (e.g. raw on memory:).
std::unique_ptr<Target> open_target(const Config& config, const Variant& variant,
                                    std::string& error, bool& skipped);

/// The hand-written SOCI baseline (raw_soci.cpp). Null with `error` set on failure.
std::unique_ptr<Target> open_raw_target(const Config& config, std::string& error);

}  // namespace bench
