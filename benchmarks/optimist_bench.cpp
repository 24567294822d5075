// SPDX-License-Identifier: MIT
// optimist-bench: measures how often optimistic updates conflict at a given contention and
// what each way of updating costs, on the user's own backend. See docs/performance.md, "Benchmark".
//
// Exit codes: 0 every run passed; 1 a run lost updates, failed or could not write its
// output; 2 a bad flag or a backend that cannot be opened.
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "config.hpp"
#include "recommend.hpp"
#include "report.hpp"
#include "run.hpp"

namespace {

using namespace bench;

/// `text` on one line: backends (libpq) report errors over several lines.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  std::string squeezed;
  for (char c : text) {
    if (c != ' ' || (!squeezed.empty() && squeezed.back() != ' ')) squeezed += c;
  }
  while (!squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
  return squeezed;
}

/// The runs of the invocation: every variant in every cell of the sweep.
std::vector<std::pair<Config, Variant>> plan(const Config& config) {
  std::vector<std::pair<Config, Variant>> runs;
  const auto all = variants(config);
  for (const Config& cell : sweep_cells(config)) {
    for (const Variant& v : all) runs.emplace_back(cell, v);
  }
  return runs;
}

/// A temporary directory removed when the program ends, for the default SQLite file.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::error_code ec;
    std::string pattern =
        (std::filesystem::temp_directory_path(ec) / "optimist-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// The checks every run must pass: no error, no lost update, and the counts add up. Says
/// on stderr what failed.
bool passed(const RunResult& r) {
  if (r.skipped) return true;
  const auto where = fmt::format("{} records={} workers={} processes={} think_us={}", r.label(),
                                 r.records, r.workers, r.processes, r.think_us);
  bool ok = true;
  if (r.errors > 0) {
    std::cerr << "optimist-bench: " << where << " failed: " << one_line(r.first_error) << '\n';
    ok = false;
  }
  if (r.lost_updates != 0) {
    std::cerr << "optimist-bench: LOST UPDATES: " << where << ": " << r.lost_updates
              << " increments reported as committed are not in the store (or the versions "
                 "do not match the commits)\n";
    ok = false;
  }
  if (r.attempts != r.commits + r.conflicts) {
    std::cerr << "optimist-bench: " << where << ": attempts != commits + conflicts\n";
    ok = false;
  }
  return ok;
}

int run(int argc, char** argv) {
  auto parsed = parse_command_line(argc, argv);
  if (!parsed.config) return parsed.exit_code;
  Config config = std::move(*parsed.config);
  if (config.child) return run_child(config);

  std::optional<TemporaryDirectory> scratch;
  if (config.backend.empty()) {
    scratch.emplace();
    if (scratch->path().empty()) {
      std::cerr << "optimist-bench: error: cannot create a temporary directory for SQLite\n";
      return 2;
    }
    if (auto e = set_backend(config, "sqlite:" + scratch->path() + "/bench.db"); !e.empty()) {
      std::cerr << "optimist-bench: error: " << e << '\n';
      return 2;
    }
  }

  const auto runs = plan(config);
  // A step is one run, or with --interleave the runs of one cell, taking turns.
  const bool interleaved = config.interleave_ms > 0;
  const std::size_t step = interleaved ? variants(config).size() : 1;
  const std::size_t steps = runs.size() / step;
  Progress progress(config.progress, steps * static_cast<std::size_t>(config.repeat));
  Rounds rounds(static_cast<std::size_t>(config.repeat));
  for (std::size_t k = 0; k < rounds.size(); ++k) {
    rounds[k].resize(runs.size());
    for (std::size_t j = 0; j < steps; ++j) {
      // Every other round runs the plan backwards, so that no strategy always runs first
      // (right after connecting) or always right after another's writes.
      const std::size_t first = (k % 2 == 0 ? j : steps - 1 - j) * step;
      const auto out = rounds[k].begin() + static_cast<std::ptrdiff_t>(first);
      progress.begin_run(k * steps + j);
      int exit_code = 0;
      if (interleaved) {
        // And swaps the lanes: no strategy always connects, creates its counters and starts
        // its workers first.
        auto lanes = variants(config);
        if (k % 2 == 1) std::reverse(lanes.begin(), lanes.end());
        auto results = run_interleaved(runs[first].first, lanes, progress, exit_code);
        results.resize(step);  // a run that could not open a backend stops early
        if (k % 2 == 1) std::reverse(results.begin(), results.end());
        std::move(results.begin(), results.end(), out);
      } else {
        *out = run_once(runs[first].first, runs[first].second, progress, exit_code, argv[0]);
      }
      if (exit_code == 2) {
        progress.finish();
        // The run that could not open its backend (with --interleave, one of the step's).
        const auto failed = std::find_if(out, out + static_cast<std::ptrdiff_t>(step - 1),
                                         [](const RunResult& r) { return !r.first_error.empty(); });
        std::cerr << "optimist-bench: error: " << one_line(failed->first_error) << '\n';
        return 2;
      }
    }
  }
  progress.finish();
  const auto results = median_rounds(rounds);
  print_table(stdout, results);
  print_ratios(stdout, rounds);
  print_recommendation(stdout, recommend(dimensions(config), results));
  std::fflush(stdout);

  int status = 0;
  for (const auto& round : rounds) {
    for (const auto& r : round) {
      if (!passed(r)) status = 1;
    }
  }
  auto report = [&](const std::string& error) {
    if (error.empty()) return;
    std::cerr << "optimist-bench: error: " << error << '\n';
    status = 1;
  };
  if (!config.json_file.empty()) report(write_json(config.json_file, results));
  if (!config.csv_file.empty()) report(write_csv(config.csv_file, results));
  if (!config.plot_file.empty()) {
    report(write_plot(config.plot_file, dimensions(config), results));
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "optimist-bench: error: " << e.what() << '\n';
    return 1;
  }
}
