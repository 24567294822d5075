// SPDX-License-Identifier: MIT
// What optimist-bench writes: the table on stdout, JSON, CSV and a gnuplot plot.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config.hpp"
#include "run.hpp"

namespace bench {

/// The keys of every JSON record and CSV column, in order.
[[nodiscard]] const std::vector<std::string>& record_keys();

/// One run as a JSON record with exactly record_keys().
[[nodiscard]] nlohmann::ordered_json to_json(const RunResult& r);

/// The runs of an invocation round by round: `rounds[k][i]` is run i of the plan in round k;
/// every round has the same plan.
using Rounds = std::vector<std::vector<RunResult>>;

/// For each run of the plan, the round whose commits/s is the median (the lower middle one
/// for an even count), so that one noisy round does not decide the report.
[[nodiscard]] std::vector<RunResult> median_rounds(const Rounds& rounds);

/// Prints, for each run other than raw, its commits/s relative to the raw run with the same
/// settings in the same round: the median over rounds, its 95 % confidence interval (from 6
/// rounds on; see stats.hpp) and the lowest and highest ratio. Ratios within one round share
/// the machine's state of the moment; that makes them steadier than ratios of separate
/// medians. Prints nothing when raw was not run.
void print_ratios(std::FILE* out, const Rounds& rounds);

/// Prints the table of all runs under a header naming the backend, its synchronous level
/// (SQLite) and the skew; each run is named by its label (RunResult::label).
void print_table(std::FILE* out, const std::vector<RunResult>& runs);

/// Writes the runs that ran (skipped ones are left out) as a JSON array. Returns an error
/// message or an empty string.
[[nodiscard]] std::string write_json(const std::string& file, const std::vector<RunResult>& runs);
/// Writes a header line and one CSV row per run that ran.
[[nodiscard]] std::string write_csv(const std::string& file, const std::vector<RunResult>& runs);
/// Draws commits/s (log scale) and, below, the conflict rate against the first of
/// `dimensions` (see dimensions() in config.hpp), one line per variant and one panel per
/// value of the second dimension, if any, by running gnuplot on a generated script.
[[nodiscard]] std::string write_plot(const std::string& file,
                                     const std::vector<SweepParameter>& dimensions,
                                     const std::vector<RunResult>& runs);

}  // namespace bench
