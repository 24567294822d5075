// SPDX-License-Identifier: MIT
#include "run.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

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

  struct Totals {
    std::uint64_t attempts = 0, commits = 0, conflicts = 0, gave_up = 0, errors = 0;
    std::int64_t window_ns = 0;
    Histogram latency;
    std::vector<std::int64_t> row_commits;
    std::string first_error;
    Clock::time_point finished;
  };
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
      RowPicker picker(probabilities, seed + static_cast<std::uint64_t>(i) * 0x9e3779b97f4a7c15ULL);
      Worker& worker = *workers[static_cast<std::size_t>(i)];
      const std::int64_t quota = total_ops / n + (i < total_ops % n ? 1 : 0);
      start.arrive_and_wait();
      // The warm-up: its commits go into the lost-update check only.
      bool failed = false;
      while (!failed && !measuring.load(std::memory_order_relaxed)) {
        const std::size_t row = picker.next();
        const OpOutcome o = worker.increment(keys[row], config.think_us);
        if (!o.error.empty()) {
          ++t.errors;
          t.first_error = o.error;
          failed = true;
        } else if (o.committed) {
          ++t.row_commits[row];
        }
      }
      std::int64_t ops = 0;
      while (!failed && (config.ops ? ops < quota : !stop.load(std::memory_order_relaxed))) {
        const std::size_t row = picker.next();
        const auto begin = Clock::now();
        const OpOutcome o = worker.increment(keys[row], config.think_us);
        t.latency.record(
            static_cast<std::uint64_t>((Clock::now() - begin) / std::chrono::nanoseconds(1)));
        ++ops;
        t.attempts += static_cast<std::uint64_t>(o.attempts);
        t.window_ns += o.window_ns;
        if (!o.error.empty()) {
          // The failed attempt counts neither as a commit nor as a conflict.
          t.attempts -= 1;
          ++t.errors;
          t.first_error = o.error;
          break;
        }
        if (o.committed) {
          ++t.commits;
          ++t.row_commits[row];
          t.conflicts += static_cast<std::uint64_t>(o.attempts - 1);
        } else {
          ++t.gave_up;
          t.conflicts += static_cast<std::uint64_t>(o.attempts);
        }
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

  out.row_commits.assign(keys.size(), 0);
  Clock::time_point last = started;
  for (const Totals& t : totals) {
    out.attempts += t.attempts;
    out.commits += t.commits;
    out.conflicts += t.conflicts;
    out.gave_up += t.gave_up;
    out.errors += t.errors;
    out.window_ns += t.window_ns;
    out.latency.merge(t.latency);
    for (std::size_t r = 0; r < keys.size(); ++r) out.row_commits[r] += t.row_commits[r];
    if (out.first_error.empty()) out.first_error = t.first_error;
    last = std::max(last, t.finished);
  }
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

std::string self_path(const char* argv0) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(argv0) : exe.string();
}

/// Starts config.processes copies of this program as workers on `keys` and adds up what
/// they report. Returns false with `error` set when a child cannot run.
bool run_processes(const Config& config, Strategy strategy, const std::vector<std::int64_t>& keys,
                   const char* self, Progress& progress, RunResult& out, std::string& error) {
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
                                  std::string(to_string(strategy)),
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

  out.row_commits.assign(keys.size(), 0);
  bool ok = true;
  for (std::size_t i = 0; i < children.size(); ++i) {
    const Child& c = children[i];
    close(c.fd);
    int status = 0;
    waitpid(c.pid, &status, 0);
    nlohmann::json report = nlohmann::json::parse(texts[i], nullptr, /*allow_exceptions=*/false);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || report.is_discarded() ||
        !report.is_object()) {
      if (error.empty()) error = "a worker process failed (its stderr says why)";
      ok = false;
      continue;
    }
    out.attempts += report["attempts"].get<std::uint64_t>();
    out.commits += report["commits"].get<std::uint64_t>();
    out.conflicts += report["conflicts"].get<std::uint64_t>();
    out.gave_up += report["gave_up"].get<std::uint64_t>();
    out.errors += report["errors"].get<std::uint64_t>();
    out.window_ns += report["window_ns"].get<std::int64_t>();
    out.elapsed_s = std::max(out.elapsed_s, report["elapsed_s"].get<double>());
    for (const auto& b : report["latency"]) {
      out.latency.add(b[0].get<std::size_t>(), b[1].get<std::uint64_t>());
    }
    const auto rows = report["row_commits"].get<std::vector<std::int64_t>>();
    for (std::size_t r = 0; r < rows.size() && r < keys.size(); ++r) out.row_commits[r] += rows[r];
    if (out.first_error.empty()) out.first_error = report["first_error"].get<std::string>();
  }
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

RunResult run_once(const Config& config, Strategy strategy, Progress& progress, int& exit_code,
                   const char* self) {
  RunResult out;
  out.backend = config.backend;
  out.strategy = strategy;
  out.records = config.records;
  out.workers = config.workers;
  out.processes = config.processes;
  out.skew = config.skew.text;
  out.think_us = config.think_us;

  std::string error;
  bool skipped = false;
  auto target = open_target(config, strategy, error, skipped);
  if (!target) {
    if (skipped) {
      out.skipped = true;
      out.note = error;
    } else {
      exit_code = 2;
      out.first_error = error;
    }
    return out;
  }
  const auto keys = target->create_counters(config.records, error);
  if (keys.empty()) {
    exit_code = 2;
    out.first_error = error;
    return out;
  }
  const bool ran = config.processes > 1
                       ? run_processes(config, strategy, keys, self, progress, out, error)
                       : run_threads(config, *target, keys, 0x5eed, &progress, out, error);
  if (!ran) {
    exit_code = 1;
    out.first_error = error;
    ++out.errors;
    return out;
  }

  // The lost-update check: each counter must hold exactly the increments reported as
  // committed, and its version must have moved once per commit.
  const auto states = target->read_back(keys, error);
  if (states.size() != keys.size()) {
    exit_code = 1;
    out.first_error = error;
    ++out.errors;
    return out;
  }
  for (std::size_t r = 0; r < keys.size(); ++r) {
    const std::int64_t by_value = std::llabs(out.row_commits[r] - states[r].value);
    const std::int64_t by_version = std::llabs(out.row_commits[r] - (states[r].version - 1));
    out.lost_updates += std::max(by_value, by_version);
  }
  if (!target->remove_counters(keys, states, error)) {
    exit_code = 1;
    out.first_error = error;
    ++out.errors;
    return out;
  }

  if (strategy != Strategy::pessimistic && strategy != Strategy::atomic && out.attempts > 0) {
    const double all_workers = static_cast<double>(config.workers) * config.processes;
    out.predicted_conflict_rate = predicted_conflict_rate(
        pick_probabilities(config.skew, config.records), all_workers - 1,
        out.elapsed_s > 0 ? static_cast<double>(out.commits) / out.elapsed_s / all_workers : 0,
        static_cast<double>(out.window_ns) / static_cast<double>(out.attempts) / 1e9);
  }
  return out;
}

int run_child(const Config& config) {
  RunResult out;
  std::string error;
  bool skipped = false;
  auto target = open_target(config, config.strategies.front(), error, skipped);
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
