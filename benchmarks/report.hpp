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

/// Prints the table of all runs.
void print_table(std::FILE* out, const std::vector<RunResult>& runs);

/// Writes the runs that ran (skipped ones are left out) as a JSON array. Returns an error
/// message or an empty string.
[[nodiscard]] std::string write_json(const std::string& file, const std::vector<RunResult>& runs);
/// Writes a header line and one CSV row per run that ran.
[[nodiscard]] std::string write_csv(const std::string& file, const std::vector<RunResult>& runs);
/// Draws conflict rate and commits/s against the swept parameter (records without a sweep),
/// one line per strategy, by running gnuplot on a generated script.
[[nodiscard]] std::string write_plot(const std::string& file, SweepParameter sweep,
                                     const std::vector<RunResult>& runs);

}  // namespace bench
