// SPDX-License-Identifier: MIT
// optimist-bench's settings and how they are read from the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// How a workload picks the record each operation updates.
struct Skew {
  enum class Kind { uniform, hot, zipf };
  Kind kind = Kind::uniform;
  double hot_fraction_of_ops = 0;   ///< hot:F:P — F
  double hot_fraction_of_rows = 0;  ///< hot:F:P — P
  double zipf_exponent = 0;         ///< zipf:S — S
  std::string text = "uniform";     ///< as given, for reports
};

/// The ways of incrementing a counter that optimist-bench compares.
enum class Strategy { optimistic, retry, pessimistic, atomic, raw };

[[nodiscard]] std::string_view to_string(Strategy s) noexcept;

/// The kind of store a backend URL names.
enum class BackendKind { memory, sqlite, postgresql };

/// The parameter a sweep varies.
enum class SweepParameter { records, workers, think_us };

[[nodiscard]] std::string_view to_string(SweepParameter p) noexcept;

/// One --sweep: a parameter and the values it takes, in the order given.
struct Sweep {
  SweepParameter parameter = SweepParameter::records;
  std::vector<std::int64_t> values;
};

/// A strategy with one group-commit setting. --group-commit runs each of optimist's
/// strategies once per listed setting; raw, which has no group commit, runs once.
struct Variant {
  Strategy strategy = Strategy::optimistic;
  std::optional<bool> group_commit;  ///< unset: the store's default
};

/// Everything one invocation does.
struct Config {
  std::string backend;  ///< the URL; empty until resolved (then default SQLite file)
  BackendKind backend_kind = BackendKind::sqlite;
  std::string sqlite_path;     ///< sqlite: the file as optimist opens it (path, percent-decoded)
  bool sqlite_memory = false;  ///< sqlite::memory:, a database per connection
  std::string sqlite_synchronous = "NORMAL";  ///< sqlite: the URL's synchronous= level
  /// sqlite: whether the store commits in groups when not told (on for a file at
  /// synchronous=FULL or EXTRA, as optimist reads the URL).
  bool store_group_commit = false;
  std::int64_t sqlite_busy_timeout_ms = 5000;  ///< sqlite: the URL's busy_timeout= (ms)
  std::int64_t records = 100;
  int workers = 4;
  int processes = 1;
  double duration_s = 3.0;
  std::optional<std::int64_t> ops;  ///< total operations per run, instead of a duration
  /// Seconds every run works before it starts measuring, so that opening connections,
  /// preparing statements and filling the server's caches count for no strategy.
  double warmup_s = 0.2;
  Skew skew;
  std::int64_t think_us = 0;
  std::vector<Strategy> strategies{Strategy::optimistic};
  /// --sync: off, normal or full, added to a sqlite: URL as synchronous=; empty: the URL's.
  std::string sync;
  /// --group-commit, in order and without repeats; empty: the store's default.
  std::vector<bool> group_commit;
  /// At most two: the first is the x axis of the plot and of the crossover lines, the
  /// second gives a panel and a crossover line per value; runs are its cross product.
  std::vector<Sweep> sweeps;
  std::string json_file, csv_file, plot_file;
  int max_attempts = 10;  ///< retry and raw: attempts per operation
  /// Rounds of the whole plan, one after another, so that every strategy meets the same
  /// machine noise; reports keep each run's median round (see report.hpp, print_ratios).
  int repeat = 1;
  /// Above 0: the strategies of each run work together in one process, taking turns of
  /// this many milliseconds, so that they meet the same moments of the machine's noise.
  double interleave_ms = 0;
  bool progress = true;

  // Hidden: set when this process is a worker of a --processes run.
  bool child = false;
  std::vector<std::int64_t> child_keys;  ///< the records' keys, chosen by the parent
  int child_index = 0;
};

/// What parse_command_line() decided.
struct Parsed {
  std::optional<Config> config;  ///< set when the program should run
  int exit_code = 0;             ///< otherwise: 0 after --help, 2 after a bad flag
};

/// Reads the command line. On a bad flag or value prints one line to stderr,
/// "optimist-bench: error: ...", and returns exit code 2; --help prints the usage to stdout.
[[nodiscard]] Parsed parse_command_line(int argc, char** argv);

/// Parses a backend URL into `config` (memory:, sqlite:PATH, postgresql://...). With
/// config.sync set, adds `synchronous=` to a sqlite: URL that lacks it. Returns an error
/// message, or an empty string when the URL is supported and agrees with config.sync and
/// config.group_commit (both need SQLite; group commit a file; neither may contradict or
/// repeat the URL's own parameter).
[[nodiscard]] std::string set_backend(Config& config, const std::string& url);

/// The runs of one cell of the sweep: each strategy of config.strategies once per
/// config.group_commit setting (raw once), in the order given.
[[nodiscard]] std::vector<Variant> variants(const Config& config);

/// Whether `v` commits in groups on config's backend: never for raw or off a SQLite file;
/// otherwise as --group-commit says, or the store's default.
[[nodiscard]] bool commits_in_groups(const Config& config, const Variant& v) noexcept;

/// What reports call a run: the strategy's name, with "+group" when it commits in groups.
[[nodiscard]] std::string label(Strategy strategy, bool group_commit);

/// The swept parameters, in --sweep order; without a sweep, records alone.
[[nodiscard]] std::vector<SweepParameter> dimensions(const Config& config);

/// The settings of every cell of the sweep's cross product, in run order: the first
/// --sweep varies fastest. One cell, `config` itself, without a sweep.
[[nodiscard]] std::vector<Config> sweep_cells(const Config& config);

/// True when the backend's data lives inside one process and one store: memory: and
/// sqlite::memory: (where every new connection opens an empty database of its own).
[[nodiscard]] bool lives_in_one_store(const Config& config) noexcept;

/// Parses uniform | hot:F:P | zipf:S. Returns an error message or an empty string.
[[nodiscard]] std::string parse_skew(const std::string& text, Skew& skew);

}  // namespace bench
