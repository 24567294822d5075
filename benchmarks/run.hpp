// SPDX-License-Identifier: MIT
// One run: W worker threads (or P processes of W threads) incrementing counters with one
// strategy, then the lost-update check.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config.hpp"
#include "histogram.hpp"
#include "target.hpp"

namespace bench {

/// Counting rules, the same for every strategy:
/// - an operation is one intended increment of one counter;
/// - attempts: every write attempt (a versioned update, a locked transaction, an atomic
///   increment); each ends in a commit or a conflict: attempts = commits + conflicts;
/// - conflicts: attempts refused because the record moved on (stale_record) or the backend
///   was busy or deadlocked (unavailable);
/// - gave_up: operations that ended without a commit (optimistic: every conflict; retry
///   and raw: attempts exhausted); operations = commits + gave_up, so gave_up <= conflicts;
/// - any other error stops the worker and fails the run (`errors`).
struct RunResult {
  std::string backend;
  std::string synchronous;  ///< SQLite: the PRAGMA synchronous level; empty elsewhere
  Strategy strategy = Strategy::optimistic;
  bool group_commit = false;  ///< the store was asked to commit in groups (commits_in_groups)
  std::int64_t records = 0;
  int workers = 0;
  int processes = 1;
  std::string skew;
  std::int64_t think_us = 0;

  bool skipped = false;  ///< the strategy does not apply to the backend; `note` says why
  std::string note;

  std::uint64_t attempts = 0, commits = 0, conflicts = 0, gave_up = 0, errors = 0;
  double elapsed_s = 0;
  std::int64_t window_ns = 0;             ///< read start to write start, summed over attempts
  Histogram latency;                      ///< per operation, first read to commit or giving up
  std::vector<std::int64_t> row_commits;  ///< commits per counter, in key order
  std::int64_t lost_updates = 0;
  double predicted_conflict_rate = 0;
  std::string first_error;
  /// With --interleave: commits/s in each measured turn, in order. The strategies of a run
  /// take their turns in cycles, so turn k of one and turn k of another are neighbours.
  std::vector<double> turn_rates;

  [[nodiscard]] double conflict_rate() const {
    return attempts ? static_cast<double>(conflicts) / static_cast<double>(attempts) : 0;
  }
  [[nodiscard]] double commits_per_s() const {
    return elapsed_s > 0 ? static_cast<double>(commits) / elapsed_s : 0;
  }
  /// The run's name in reports: its strategy, with "+group" when it commits in groups.
  [[nodiscard]] std::string label() const { return bench::label(strategy, group_commit); }
  /// The run's value of the parameter `p`.
  [[nodiscard]] std::int64_t setting(SweepParameter p) const {
    switch (p) {
      case SweepParameter::workers:
        return workers;
      case SweepParameter::think_us:
        return think_us;
      case SweepParameter::records:
        break;
    }
    return records;
  }
};

/// Draws the progress bar on stderr: only when stderr is a terminal and the program has
/// been running for more than a second.
class Progress {
 public:
  Progress(bool enabled, std::size_t runs);
  void begin_run(std::size_t index);
  void update(double fraction_of_run);
  void finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::size_t runs_;
  std::size_t index_ = 0;
  double started_;
};

/// Runs `variant` with the settings of `config` (records, workers, ... already set for this
/// run of a sweep). `exit_code` becomes 2 when the backend cannot be opened.
RunResult run_once(const Config& config, const Variant& variant, Progress& progress, int& exit_code,
                   const char* self);

/// Runs every variant of `variants` with the settings of `config` in one process, taking
/// turns of config.interleave_ms (see Config::interleave_ms): every variant first warms up
/// for a turn of config.warmup_s, then the variants take measured turns in cycles, every
/// other cycle in reverse order, until each has had config.duration_s. Returns one result per
/// variant, in order; `exit_code` becomes 2 when the backend cannot be opened.
std::vector<RunResult> run_interleaved(const Config& config, const std::vector<Variant>& variants,
                                       Progress& progress, int& exit_code);

/// The body of a --child process: runs its workers on the given keys and prints one JSON
/// line on stdout. Returns the process exit code.
int run_child(const Config& config);

}  // namespace bench
