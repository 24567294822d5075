// SPDX-License-Identifier: MIT
#include "run.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <latch>
#include <sstream>
#include <thread>

#include "model.hpp"

extern char** environ;

namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double now_s() {
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

/// One worker thread's counts.
struct Totals {
  std::uint64_t attempts = 0, commits = 0, conflicts = 0, gave_up = 0, errors = 0;
  std::int64_t window_ns = 0;
  Histogram latency;
  std::vector<std::int64_t> row_commits;
  std::string first_error;
  Clock::time_point finished;
};

/// A warm-up operation on `keys[row]`: its commit counts in the lost-update check only.
/// False when it failed (the error is in `t`).
bool warm_up_once(Worker& worker, const std::vector<std::int64_t>& keys, std::size_t row,
                  std::int64_t think_us, Totals& t) {
  const OpOutcome o = worker.increment(keys[row], think_us);
  if (!o.error.empty()) {
    ++t.errors;
    t.first_error = o.error;
    return false;
  }
  if (o.committed) ++t.row_commits[row];
  return true;
}

/// A measured operation on `keys[row]`, counted in `t`. False when it failed (the error is
/// in `t`; the failed attempt counts neither as a commit nor as a conflict).
bool measure_once(Worker& worker, const std::vector<std::int64_t>& keys, std::size_t row,
                  std::int64_t think_us, Totals& t) {
  const auto begin = Clock::now();
  const OpOutcome o = worker.increment(keys[row], think_us);
  t.latency.record(
      static_cast<std::uint64_t>((Clock::now() - begin) / std::chrono::nanoseconds(1)));
  t.attempts += static_cast<std::uint64_t>(o.attempts);
  t.window_ns += o.window_ns;
  if (!o.error.empty()) {
    t.attempts -= 1;
    ++t.errors;
    t.first_error = o.error;
    return false;
  }
  if (o.committed) {
    ++t.commits;
    ++t.row_commits[row];
    t.conflicts += static_cast<std::uint64_t>(o.attempts - 1);
  } else {
    ++t.gave_up;
    t.conflicts += static_cast<std::uint64_t>(o.attempts);
  }
  return true;
}

/// Adds the counts of every worker in `totals` to `out` (all but the elapsed time).
void add_totals(const std::vector<Totals>& totals, std::size_t rows, RunResult& out) {
  out.row_commits.assign(rows, 0);
  for (const Totals& t : totals) {
    out.attempts += t.attempts;
    out.commits += t.commits;
    out.conflicts += t.conflicts;
    out.gave_up += t.gave_up;
    out.errors += t.errors;
    out.window_ns += t.window_ns;
    out.latency.merge(t.latency);
    for (std::size_t r = 0; r < rows; ++r) out.row_commits[r] += t.row_commits[r];
    if (out.first_error.empty()) out.first_error = t.first_error;
  }
}

/// The seed of worker `index`'s row picker in a run seeded `seed`.
std::uint64_t worker_seed(std::uint64_t seed, int index) {
  return seed + static_cast<std::uint64_t>(index) * 0x9e3779b97f4a7c15ULL;
}

/// Runs the workers of this process on `keys` and adds their counts to `out`.
/// Returns false with `error` set when a worker cannot be started.
bool run_threads(const Config& config, Target& target, const std::vector<std::int64_t>& keys,
                 std::uint64_t seed, Progress* progress, RunResult& out, std::string& error) {
  const auto probabilities =
      pick_probabilities(config.skew, static_cast<std::int64_t>(keys.size()));
  const int n = config.workers;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < n; ++i) {
    auto w = target.worker(i, error);
    if (!w) return false;
    workers.push_back(std::move(w));
  }

  std::vector<Totals> totals(static_cast<std::size_t>(n));
  std::latch start(n + 1);
  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> done{0};
  std::atomic<int> finished{0};
  const std::int64_t total_ops = config.ops.value_or(0);

  std::vector<std::jthread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      Totals& t = totals[static_cast<std::size_t>(i)];
      t.row_commits.assign(keys.size(), 0);
      RowPicker picker(probabilities, worker_seed(seed, i));
      Worker& worker = *workers[static_cast<std::size_t>(i)];
      const std::int64_t quota = total_ops / n + (i < total_ops % n ? 1 : 0);
      start.arrive_and_wait();
      bool failed = false;
      while (!failed && !measuring.load(std::memory_order_relaxed)) {
        failed = !warm_up_once(worker, keys, picker.next(), config.think_us, t);
      }
      std::int64_t ops = 0;
      while (!failed && (config.ops ? ops < quota : !stop.load(std::memory_order_relaxed))) {
        failed = !measure_once(worker, keys, picker.next(), config.think_us, t);
        ++ops;
        if ((ops & 63) == 0) done.fetch_add(64, std::memory_order_relaxed);
      }
      t.finished = Clock::now();
      finished.fetch_add(1);
    });
  }

  start.arrive_and_wait();
  std::this_thread::sleep_for(std::chrono::duration<double>(config.warmup_s));
  const auto started = Clock::now();
  measuring = true;
  while (finished.load() < n) {
    if (config.ops) {
      if (progress)
        progress->update(static_cast<double>(done.load()) / static_cast<double>(total_ops));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } else {
      const double elapsed = seconds_since(started);
      if (progress) progress->update(elapsed / config.duration_s);
      if (elapsed >= config.duration_s) {
        stop = true;
        break;
      }
      std::this_thread::sleep_for(
          std::chrono::duration<double>(std::min(0.05, config.duration_s - elapsed)));
    }
  }
  threads.clear();  // joins
  workers.clear();

  add_totals(totals, keys.size(), out);
  Clock::time_point last = started;
  for (const Totals& t : totals) last = std::max(last, t.finished);
  out.elapsed_s = std::chrono::duration<double>(last - started).count();
  return true;
}

nlohmann::json child_report(const RunResult& r) {
  nlohmann::json latency = nlohmann::json::array();
  for (std::size_t i = 0; i < Histogram::buckets; ++i) {
    if (r.latency.count(i) != 0) latency.push_back({i, r.latency.count(i)});
  }
  return {{"attempts", r.attempts},      {"commits", r.commits}, {"conflicts", r.conflicts},
          {"gave_up", r.gave_up},        {"errors", r.errors},   {"elapsed_s", r.elapsed_s},
          {"window_ns", r.window_ns},    {"latency", latency},   {"row_commits", r.row_commits},
          {"first_error", r.first_error}};
}

/// Reads a child's report (child_report) into `t` and `elapsed_s`. False when the text is not
/// such a report, or counts another number of rows than `rows`.
bool read_child_report(const std::string& text, std::size_t rows, Totals& t, double& elapsed_s) {
  const auto report = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!report.is_object()) return false;  // also a text that is not JSON
  try {
    t.attempts = report.at("attempts").get<std::uint64_t>();
    t.commits = report.at("commits").get<std::uint64_t>();
    t.conflicts = report.at("conflicts").get<std::uint64_t>();
    t.gave_up = report.at("gave_up").get<std::uint64_t>();
    t.errors = report.at("errors").get<std::uint64_t>();
    t.window_ns = report.at("window_ns").get<std::int64_t>();
    for (const auto& b : report.at("latency")) {
      t.latency.add(b.at(0).get<std::size_t>(), b.at(1).get<std::uint64_t>());
    }
    t.row_commits = report.at("row_commits").get<std::vector<std::int64_t>>();
    t.first_error = report.at("first_error").get<std::string>();
    elapsed_s = report.at("elapsed_s").get<double>();
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return t.row_commits.size() == rows;
}

std::string self_path(const char* argv0) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : exe.string();
}

/// Starts config.processes copies of this program as workers on `keys` and adds up what
/// they report. Returns false with `error` set when a child cannot run.
bool run_processes(const Config& config, const Variant& variant,
                   const std::vector<std::int64_t>& keys, const char* self, Progress& progress,
                   RunResult& out, std::string& error) {
  std::string key_list;
  for (auto k : keys) key_list += (key_list.empty() ? "" : ",") + std::to_string(k);
  struct Child {
    pid_t pid = -1;
    int fd = -1;
  };
  std::vector<Child> children;
  // On a failed start, the children already running are stopped and reaped: none outlives
  // the run, and no pipe is left open.
  const auto abandon = [&children] {
    for (const Child& c : children) {
      kill(c.pid, SIGTERM);
      close(c.fd);
    }
    for (const Child& c : children) waitpid(c.pid, nullptr, 0);
  };
  const std::string exe = self_path(self);
  const auto started = Clock::now();
  for (int p = 0; p < config.processes; ++p) {
    std::vector<std::string> args{exe,
                                  "--child",
                                  "--no-progress",
                                  "--child-index",
                                  std::to_string(p),
                                  "--backend",
                                  config.backend,
                                  "--strategy",
                                  std::string(to_string(variant.strategy)),
                                  "--records",
                                  std::to_string(config.records),
                                  "--workers",
                                  std::to_string(config.workers),
                                  "--think-us",
                                  std::to_string(config.think_us),
                                  "--skew",
                                  config.skew.text,
                                  "--max-attempts",
                                  std::to_string(config.max_attempts),
                                  "--warmup",
                                  fmt::format("{}", config.warmup_s),
                                  "--child-keys",
                                  key_list};
    if (variant.group_commit) {
      args.insert(args.end(), {"--group-commit", *variant.group_commit ? "on" : "off"});
    }
    if (config.ops) {
      const std::int64_t share =
          *config.ops / config.processes + (p < *config.ops % config.processes ? 1 : 0);
      args.insert(args.end(), {"--ops", std::to_string(std::max<std::int64_t>(share, 1))});
    } else {
      args.insert(args.end(), {"--duration", fmt::format("{}", config.duration_s)});
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fds[2];
    if (pipe(fds) != 0) {
      abandon();
      error = "cannot create a pipe for a worker process";
      return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      abandon();
      error = "cannot start worker process " + exe;
      return false;
    }
    children.push_back({pid, fds[0]});
  }

  // Every child's report is read as it comes, from all pipes at once, waking at least every
  // 100 ms to move the progress bar while the children work.
  std::vector<std::string> texts(children.size());
  std::vector<pollfd> pipes;
  for (const Child& c : children) pipes.push_back({.fd = c.fd, .events = POLLIN, .revents = 0});
  for (std::size_t open = pipes.size(); open > 0;) {
    progress.update(config.ops ? 0.0 : seconds_since(started) / config.duration_s);
    if (poll(pipes.data(), pipes.size(), 100) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < pipes.size(); ++i) {
      if (pipes[i].fd < 0 || pipes[i].revents == 0) continue;
      char buffer[65536];
      const ssize_t got = read(pipes[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        texts[i].append(buffer, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        pipes[i].fd = -1;  // poll() skips it from now on
        --open;
      }
    }
  }

  std::vector<Totals> totals(children.size());
  bool ok = true;
  for (std::size_t i = 0; i < children.size(); ++i) {
    const Child& c = children[i];
    close(c.fd);
    int status = 0;
    waitpid(c.pid, &status, 0);
    double elapsed_s = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        !read_child_report(texts[i], keys.size(), totals[i], elapsed_s)) {
      if (error.empty()) error = "a worker process failed (its stderr says why)";
      ok = false;
      continue;
    }
    out.elapsed_s = std::max(out.elapsed_s, elapsed_s);
  }
  if (ok) add_totals(totals, keys.size(), out);
  return ok;
}

}  // namespace

Progress::Progress(bool enabled, std::size_t runs)
    : enabled_(enabled && isatty(STDERR_FILENO) == 1), runs_(runs), started_(now_s()) {}

void Progress::begin_run(std::size_t index) {
  index_ = index;
}

void Progress::update(double fraction_of_run) {
  if (!enabled_ || now_s() - started_ < 1.0) return;
  const double f =
      std::clamp((static_cast<double>(index_) + std::clamp(fraction_of_run, 0.0, 1.0)) /
                     static_cast<double>(std::max<std::size_t>(runs_, 1)),
                 0.0, 1.0);
  constexpr int width = 40;
  const int filled = static_cast<int>(f * width);
  std::fprintf(stderr, "\r[%s%s] %3d%%  run %zu/%zu",
               std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(width - filled), ' ').c_str(),
               static_cast<int>(f * 100), index_ + 1, runs_);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) std::fprintf(stderr, "\r%*s\r", 70, "");
  drawn_ = false;
}

namespace {

/// A result for `variant` with the settings of `config` and no counts yet.
RunResult new_result(const Config& config, const Variant& variant) {
  RunResult out;
  out.backend = config.backend;
  if (config.backend_kind == BackendKind::sqlite) out.synchronous = config.sqlite_synchronous;
  out.strategy = variant.strategy;
  out.group_commit = commits_in_groups(config, variant);
  out.records = config.records;
  out.workers = config.workers;
  out.processes = config.processes;
  out.skew = config.skew.text;
  out.think_us = config.think_us;
  return out;
}

/// Marks `out` failed with `error`, the exit code `code` in `exit_code`.
void fail_run(RunResult& out, std::string error, int code, int& exit_code) {
  exit_code = code;
  out.first_error = std::move(error);
  if (code == 1) ++out.errors;
}

/// Opens `variant`'s target: null when the strategy is skipped on this backend (`out` says
/// why) or the backend cannot be opened (exit code 2).
std::unique_ptr<Target> open_for_run(const Config& config, const Variant& variant, RunResult& out,
                                     int& exit_code) {
  std::string error;
  bool skipped = false;
  auto target = open_target(config, variant, error, skipped);
  if (!target) {
    if (skipped) {
      out.skipped = true;
      out.note = error;
    } else {
      fail_run(out, error, 2, exit_code);
    }
  }
  return target;
}

/// After the workers of a run have stopped: the lost-update check (each counter must hold
/// exactly the increments reported as committed, and its version must have moved once per
/// commit), removing the counters, and the predicted conflict rate.
void finish_run(const Config& config, Target& target, const std::vector<std::int64_t>& keys,
                RunResult& out, int& exit_code) {
  std::string error;
  const auto states = target.read_back(keys, error);
  if (states.size() != keys.size()) return fail_run(out, error, 1, exit_code);
  for (std::size_t r = 0; r < keys.size(); ++r) {
    const std::int64_t by_value = std::llabs(out.row_commits[r] - states[r].value);
    const std::int64_t by_version = std::llabs(out.row_commits[r] - (states[r].version - 1));
    out.lost_updates += std::max(by_value, by_version);
  }
  if (!target.remove_counters(keys, states, error)) return fail_run(out, error, 1, exit_code);

  if (out.strategy != Strategy::pessimistic && out.strategy != Strategy::atomic &&
      out.attempts > 0) {
    const double all_workers = static_cast<double>(config.workers) * config.processes;
    out.predicted_conflict_rate = predicted_conflict_rate(
        pick_probabilities(config.skew, config.records), all_workers - 1,
        out.elapsed_s > 0 ? static_cast<double>(out.commits) / out.elapsed_s / all_workers : 0,
        static_cast<double>(out.window_ns) / static_cast<double>(out.attempts) / 1e9);
  }
}

}  // namespace

RunResult run_once(const Config& config, const Variant& variant, Progress& progress, int& exit_code,
                   const char* self) {
  RunResult out = new_result(config, variant);
  auto target = open_for_run(config, variant, out, exit_code);
  if (!target) return out;
  std::string error;
  if (!target->reset(error)) {
    fail_run(out, error, 2, exit_code);
    return out;
  }
  const auto keys = target->create_counters(config.records, error);
  if (keys.empty()) {
    fail_run(out, error, 2, exit_code);
    return out;
  }
  const bool ran = config.processes > 1
                       ? run_processes(config, variant, keys, self, progress, out, error)
                       : run_threads(config, *target, keys, 0x5eed, &progress, out, error);
  if (!ran) {
    fail_run(out, error, 1, exit_code);
    return out;
  }
  finish_run(config, *target, keys, out, exit_code);
  return out;
}

std::vector<RunResult> run_interleaved(const Config& config, const std::vector<Variant>& variants,
                                       Progress& progress, int& exit_code) {
  // A lane: one variant's target, counters and workers.
  struct Lane {
    std::unique_ptr<Target> target;
    std::vector<std::int64_t> keys;
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<Totals> totals;
    std::atomic<int> in_flight{0};  ///< workers inside an operation
    std::atomic<bool> failed{false};
  };
  const std::size_t n = variants.size();
  std::vector<RunResult> results;
  std::vector<Lane> lanes(n);
  std::vector<std::size_t> active;  // the lanes not skipped
  for (std::size_t s = 0; s < n; ++s) {
    results.push_back(new_result(config, variants[s]));
    lanes[s].target = open_for_run(config, variants[s], results[s], exit_code);
    if (exit_code != 0) return results;
    if (lanes[s].target) active.push_back(s);
  }
  // Every table is reset before any counters are created: optimist's strategies share one.
  std::string error;
  for (const std::size_t s : active) {
    if (!lanes[s].target->reset(error)) {
      fail_run(results[s], error, 2, exit_code);
      return results;
    }
  }
  for (const std::size_t s : active) {
    Lane& lane = lanes[s];
    lane.keys = lane.target->create_counters(config.records, error);
    if (lane.keys.empty()) {
      fail_run(results[s], error, 2, exit_code);
      return results;
    }
    for (int i = 0; i < config.workers; ++i) {
      auto w = lane.target->worker(i, error);
      if (!w) {
        fail_run(results[s], error, 1, exit_code);
        return results;
      }
      lane.workers.push_back(std::move(w));
    }
    lane.totals.resize(static_cast<std::size_t>(config.workers));
    for (Totals& t : lane.totals) t.row_commits.assign(lane.keys.size(), 0);
  }

  // Whose turn it is: a lane's index, or one of these. A worker enters an operation only
  // after counting itself in its lane's in_flight and then still seeing its lane's turn, so
  // once the turn has moved on and in_flight is 0, the lane stays idle and its totals can be
  // read.
  constexpr int nobody = -1;
  constexpr int stop = -2;
  std::atomic<int> turn{nobody};
  std::atomic<bool> measuring{false};  // changed only while every lane is idle
  const auto probabilities = pick_probabilities(config.skew, config.records);
  std::vector<std::jthread> threads;
  for (const std::size_t s : active) {
    for (int i = 0; i < config.workers; ++i) {
      threads.emplace_back([&, s, i] {
        Lane& lane = lanes[s];
        Totals& t = lane.totals[static_cast<std::size_t>(i)];
        Worker& worker = *lane.workers[static_cast<std::size_t>(i)];
        RowPicker picker(probabilities, worker_seed(0x5eed, i));
        const int mine = static_cast<int>(s);
        while (true) {
          const int now = turn.load();
          if (now == stop) return;
          if (now != mine || lane.failed.load()) {
            turn.wait(now);
            continue;
          }
          lane.in_flight.fetch_add(1);
          if (turn.load() == mine) {
            const std::size_t row = picker.next();
            const bool ok = measuring.load()
                                ? measure_once(worker, lane.keys, row, config.think_us, t)
                                : warm_up_once(worker, lane.keys, row, config.think_us, t);
            if (!ok) lane.failed = true;
          }
          if (lane.in_flight.fetch_sub(1) == 1) lane.in_flight.notify_all();
        }
      });
    }
  }

  // One turn of lane `s`: its workers run for `seconds`, then finish the operations they
  // are in. Returns the turn's length and the commits made in it.
  const auto take_turn = [&](std::size_t s, double seconds) {
    Lane& lane = lanes[s];
    const auto commits = [&] {
      std::uint64_t sum = 0;
      for (const Totals& t : lane.totals) sum += t.commits;
      return sum;
    };
    const std::uint64_t before = commits();
    const auto begin = Clock::now();
    turn = static_cast<int>(s);
    turn.notify_all();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    turn = nobody;
    for (int v = lane.in_flight.load(); v != 0; v = lane.in_flight.load()) {
      lane.in_flight.wait(v);
    }
    return std::pair{seconds_since(begin), commits() - before};
  };
  const auto any_failed = [&] {
    return std::any_of(active.begin(), active.end(),
                       [&](std::size_t s) { return lanes[s].failed.load(); });
  };

  for (const std::size_t s : active) (void)take_turn(s, config.warmup_s);
  measuring = true;
  const double slice = config.interleave_ms / 1000.0;
  for (std::size_t cycle = 0; !active.empty() && !any_failed(); ++cycle) {
    double least = config.duration_s;
    for (const std::size_t s : active) least = std::min(least, results[s].elapsed_s);
    progress.update(least / config.duration_s);
    if (least >= config.duration_s) break;
    for (std::size_t k = 0; k < active.size(); ++k) {
      const std::size_t s = cycle % 2 == 0 ? active[k] : active[active.size() - 1 - k];
      const auto [took, commits] = take_turn(s, slice);
      results[s].elapsed_s += took;
      results[s].turn_rates.push_back(took > 0 ? static_cast<double>(commits) / took : 0);
    }
  }
  turn = stop;
  turn.notify_all();
  threads.clear();  // joins

  for (const std::size_t s : active) {
    Lane& lane = lanes[s];
    lane.workers.clear();
    add_totals(lane.totals, lane.keys.size(), results[s]);  // elapsed_s: the turns' lengths
    if (results[s].errors > 0) exit_code = 1;
    finish_run(config, *lane.target, lane.keys, results[s], exit_code);
  }
  return results;
}

int run_child(const Config& config) {
  RunResult out;
  std::string error;
  bool skipped = false;
  auto target = open_target(config, variants(config).front(), error, skipped);
  if (!target) {
    std::cerr << "optimist-bench: error: " << error << '\n';
    return 2;
  }
  if (!run_threads(config, *target, config.child_keys,
                   0xc0ffee + static_cast<std::uint64_t>(config.child_index) * 1'000'003ULL,
                   nullptr, out, error)) {
    std::cerr << "optimist-bench: error: " << error << '\n';
    return 2;
  }
  std::cout << child_report(out).dump() << std::endl;
  return 0;
}

}  // namespace bench
