// SPDX-License-Identifier: MIT
#include "config.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <iostream>
#include <sstream>

namespace bench {

namespace {

bool parse_double(const std::string& s, double& out) {
  std::istringstream in(s);
  in >> out;
  return !s.empty() && in && in.eof();
}

bool parse_int(std::string_view s, std::int64_t& out) {
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return !s.empty() && ec == std::errc{} && p == end;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!s.empty() && s.back() == sep) parts.emplace_back();
  return parts;
}

std::string parse_strategies(const std::vector<std::string>& given, std::vector<Strategy>& out) {
  out.clear();
  for (const auto& item : given) {
    for (const auto& name : split(item, ',')) {
      Strategy s;
      if (name == "optimistic") {
        s = Strategy::optimistic;
      } else if (name == "retry") {
        s = Strategy::retry;
      } else if (name == "pessimistic") {
        s = Strategy::pessimistic;
      } else if (name == "atomic") {
        s = Strategy::atomic;
      } else if (name == "raw") {
        s = Strategy::raw;
      } else {
        return "--strategy: unknown strategy '" + name +
               "' (expected optimistic, retry, pessimistic, atomic or raw)";
      }
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  }
  if (out.empty()) return "--strategy: no strategy given";
  return {};
}

std::string parse_sweep(const std::string& text, std::vector<Sweep>& sweeps) {
  const auto eq = text.find('=');
  const std::string bad =
      "--sweep: expected records=1,10,... or workers=... or think-us=..., got '" + text + "'";
  if (eq == std::string::npos) return bad;
  const std::string name = text.substr(0, eq);
  Sweep sweep;
  if (name == "records") {
    sweep.parameter = SweepParameter::records;
  } else if (name == "workers") {
    sweep.parameter = SweepParameter::workers;
  } else if (name == "think-us" || name == "think_us") {
    sweep.parameter = SweepParameter::think_us;
  } else {
    return bad;
  }
  for (const auto& v : split(text.substr(eq + 1), ',')) {
    std::int64_t n = 0;
    const std::int64_t min = sweep.parameter == SweepParameter::think_us ? 0 : 1;
    if (!parse_int(v, n) || n < min) {
      return "--sweep: '" + v + "' is not an integer of at least " + std::to_string(min);
    }
    if (sweep.parameter == SweepParameter::workers && n > 1024) {
      return "--sweep: at most 1024 workers";
    }
    sweep.values.push_back(n);
  }
  if (sweep.values.empty()) return bad;
  for (const Sweep& earlier : sweeps) {
    if (earlier.parameter == sweep.parameter) {
      return "--sweep: " + std::string(to_string(sweep.parameter)) + " is swept twice";
    }
  }
  if (sweeps.size() == 2) {
    return "--sweep: at most two parameters (the x axis, and one panel per value of the "
           "second)";
  }
  sweeps.push_back(std::move(sweep));
  return {};
}

std::string parse_group_commit(const std::vector<std::string>& given, std::vector<bool>& out) {
  out.clear();
  for (const auto& item : given) {
    for (const auto& value : split(item, ',')) {
      if (value != "on" && value != "off") {
        return "--group-commit: expected on or off, got '" + value + "'";
      }
      const bool on = value == "on";
      if (std::find(out.begin(), out.end(), on) == out.end()) out.push_back(on);
    }
  }
  if (out.empty()) return "--group-commit: no setting given";
  return {};
}

void set_parameter(Config& config, SweepParameter p, std::int64_t value) {
  switch (p) {
    case SweepParameter::records:
      config.records = value;
      return;
    case SweepParameter::workers:
      config.workers = static_cast<int>(value);
      return;
    case SweepParameter::think_us:
      config.think_us = value;
      return;
  }
}

}  // namespace

std::string_view to_string(Strategy s) noexcept {
  switch (s) {
    case Strategy::optimistic:
      return "optimistic";
    case Strategy::retry:
      return "retry";
    case Strategy::pessimistic:
      return "pessimistic";
    case Strategy::atomic:
      return "atomic";
    case Strategy::raw:
      return "raw";
  }
  return "?";
}

std::string_view to_string(SweepParameter p) noexcept {
  switch (p) {
    case SweepParameter::records:
      return "records";
    case SweepParameter::workers:
      return "workers";
    case SweepParameter::think_us:
      return "think_us";
  }
  return "?";
}

std::vector<Variant> variants(const Config& config) {
  std::vector<Variant> out;
  for (const Strategy s : config.strategies) {
    if (s == Strategy::raw || config.group_commit.empty()) {
      out.push_back({s, std::nullopt});
      continue;
    }
    for (const bool on : config.group_commit) out.push_back({s, on});
  }
  return out;
}

bool commits_in_groups(const Config& config, const Variant& v) noexcept {
  if (v.strategy == Strategy::raw || config.backend_kind != BackendKind::sqlite ||
      config.sqlite_memory) {
    return false;
  }
  return v.group_commit.value_or(config.store_group_commit);
}

std::string label(Strategy strategy, bool group_commit) {
  std::string out(to_string(strategy));
  if (group_commit) out += "+group";
  return out;
}

std::vector<SweepParameter> dimensions(const Config& config) {
  std::vector<SweepParameter> out;
  for (const Sweep& s : config.sweeps) out.push_back(s.parameter);
  if (out.empty()) out.push_back(SweepParameter::records);
  return out;
}

std::vector<Config> sweep_cells(const Config& config) {
  std::vector<Config> cells{config};
  for (const Sweep& sweep : config.sweeps) {
    std::vector<Config> next;
    for (const std::int64_t value : sweep.values) {
      for (Config c : cells) {
        set_parameter(c, sweep.parameter, value);
        next.push_back(std::move(c));
      }
    }
    cells = std::move(next);
  }
  return cells;
}

bool lives_in_one_store(const Config& config) noexcept {
  return config.backend_kind == BackendKind::memory ||
         (config.backend_kind == BackendKind::sqlite && config.sqlite_memory);
}

std::string parse_skew(const std::string& text, Skew& skew) {
  skew = Skew{};
  skew.text = text;
  const auto parts = split(text, ':');
  if (text == "uniform") return {};
  if (parts.size() == 3 && parts[0] == "hot") {
    skew.kind = Skew::Kind::hot;
    if (!parse_double(parts[1], skew.hot_fraction_of_ops) || skew.hot_fraction_of_ops < 0 ||
        skew.hot_fraction_of_ops > 1 || !parse_double(parts[2], skew.hot_fraction_of_rows) ||
        skew.hot_fraction_of_rows <= 0 || skew.hot_fraction_of_rows > 1) {
      return "--skew: hot:F:P needs 0 <= F <= 1 and 0 < P <= 1, got '" + text + "'";
    }
    return {};
  }
  if (parts.size() == 2 && parts[0] == "zipf") {
    skew.kind = Skew::Kind::zipf;
    if (!parse_double(parts[1], skew.zipf_exponent) || skew.zipf_exponent < 0 ||
        skew.zipf_exponent > 10) {
      return "--skew: zipf:S needs 0 <= S <= 10, got '" + text + "'";
    }
    return {};
  }
  return "--skew: expected uniform, hot:F:P or zipf:S, got '" + text + "'";
}

Parsed parse_command_line(int argc, char** argv) {
  Config config;
  CLI::App app{
      "optimist-bench: how often do optimistic updates conflict at a given contention, and what "
      "does that cost compared with locking? Every worker increments counters, one record per "
      "operation.",
      "optimist-bench"};
  std::string backend;
  std::string skew = "uniform";
  std::vector<std::string> sweeps;
  std::vector<std::string> strategies;
  std::string sync;
  std::vector<std::string> group_commit;
  std::int64_t ops = 0;
  std::string child_keys;

  app.add_option("--backend", backend,
                 "memory:, sqlite:PATH or postgresql://... (default: an SQLite file in a fresh "
                 "temporary directory)");
  app.add_option("--records", config.records, "records (counters) to spread the updates over")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->capture_default_str();
  app.add_option("--workers", config.workers, "worker threads per process")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--processes", config.processes,
                 "processes, each with --workers threads (more than 1: SQL backends only)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  auto* duration = app.add_option("--duration", config.duration_s, "seconds per run")
                       ->check(CLI::Range(0.001, 86400.0))
                       ->capture_default_str();
  auto* ops_opt = app.add_option("--ops", ops, "operations per run, in all, instead of --duration")
                      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000'000}));
  duration->excludes(ops_opt);
  app.add_option("--warmup", config.warmup_s,
                 "seconds of work before measuring each run; its operations count only "
                 "in the lost-update check")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--skew", skew,
                 "uniform | hot:F:P (a fraction F of operations on a fraction "
                 "P of the records) | zipf:S")
      ->capture_default_str();
  app.add_option("--think-us", config.think_us,
                 "microseconds between reading a record and writing it back")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{10'000'000}))
      ->capture_default_str();
  app.add_option("--strategy", strategies,
                 "optimistic, retry, pessimistic, atomic, raw; several comma-separated or "
                 "repeated (default optimistic)");
  app.add_option("--sweep", sweeps,
                 "run a series: records=1,10,100 or workers=1,2,4 or think-us=0,100; given "
                 "twice, every pair of values (the first is the x axis, the second gives a "
                 "panel per value)");
  auto* sync_opt =
      app.add_option("--sync", sync,
                     "SQLite: full, normal or off, the synchronous= level of optimist's stores "
                     "and raw's sessions (default: the URL's, else normal)");
  app.add_option("--group-commit", group_commit,
                 "SQLite file: on, off or both (on,off): run each of optimist's strategies "
                 "once per setting, labelled strategy+group when on (default: the store's "
                 "default, on at synchronous=full)");
  app.add_option("--max-attempts", config.max_attempts, "retry and raw: attempts per operation")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  app.add_option("--repeat", config.repeat,
                 "run the whole plan N times, round by round; report each run's median round "
                 "and each strategy's commits/s relative to raw, per round")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  auto* interleave =
      app.add_option("--interleave", config.interleave_ms,
                     "run the strategies of each run together, taking turns of MS "
                     "milliseconds, and compare them turn by turn (needs --duration and "
                     "--processes 1)")
          ->check(CLI::Range(1.0, 60'000.0));
  interleave->excludes(ops_opt);
  app.add_option("--json", config.json_file, "write one JSON record per run to FILE");
  app.add_option("--csv", config.csv_file, "write one CSV row per run to FILE");
  app.add_option("--plot", config.plot_file,
                 "draw conflict rate and commits/s against the swept parameter with gnuplot "
                 "(FILE.svg or FILE.png)");
  app.add_flag("!--no-progress", config.progress, "never draw the progress bar");
  // Hidden: the parent of a --processes run starts its workers with these.
  app.add_flag("--child", config.child)->group("");
  app.add_option("--child-keys", child_keys)->group("");
  app.add_option("--child-index", config.child_index)->group("");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return {std::nullopt, 0};
  } catch (const CLI::ParseError& e) {
    std::cerr << "optimist-bench: error: " << e.what() << '\n';
    return {std::nullopt, 2};
  }

  auto fail = [](const std::string& message) {
    std::cerr << "optimist-bench: error: " << message << '\n';
    return Parsed{std::nullopt, 2};
  };
  if (ops_opt->count() > 0) config.ops = ops;
  if (!strategies.empty()) {
    if (auto e = parse_strategies(strategies, config.strategies); !e.empty()) return fail(e);
  }
  if (auto e = parse_skew(skew, config.skew); !e.empty()) return fail(e);
  for (const auto& sweep : sweeps) {
    if (auto e = parse_sweep(sweep, config.sweeps); !e.empty()) return fail(e);
  }
  if (sync_opt->count() > 0) {
    if (sync != "full" && sync != "normal" && sync != "off") {
      return fail("--sync: expected full, normal or off, got '" + sync + "'");
    }
    config.sync = sync;
  }
  if (!group_commit.empty()) {
    if (auto e = parse_group_commit(group_commit, config.group_commit); !e.empty()) {
      return fail(e);
    }
  }
  if (!backend.empty()) {
    if (auto e = set_backend(config, backend); !e.empty()) return fail(e);
  }
  if (config.processes > 1 && lives_in_one_store(config)) {
    return fail(
        "--processes above 1 needs a database file or server (sqlite:PATH or "
        "postgresql://): " +
        backend + " lives in one process");
  }
  if (interleave->count() > 0 && config.processes > 1) {
    return fail("--interleave needs --processes 1: the turns are taken by threads of one process");
  }
  if (!config.plot_file.empty() && !config.plot_file.ends_with(".svg") &&
      !config.plot_file.ends_with(".png")) {
    return fail("--plot: the file must end in .svg or .png");
  }
  if (config.child) {
    for (const auto& k : split(child_keys, ',')) {
      std::int64_t key = 0;
      if (!parse_int(k, key)) return fail("--child-keys: not a key list");
      config.child_keys.push_back(key);
    }
  }
  return {std::move(config), 0};
}

}  // namespace bench
